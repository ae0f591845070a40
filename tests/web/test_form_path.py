"""The one form path of console pages: a submitted form read into the API's input model, the
service called, then a redirect with a flash — or the form again with each problem beside its
field and the values typed kept."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Annotated, Any

from fastapi.responses import HTMLResponse, Response
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field
from starlette.requests import Request

from riskgate.core.errors import FieldProblem, InvalidTransition, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.schemas import InputModel
from riskgate.web.forms import Form, Submitted, attempt, form_data, submit


class ThingIn(InputModel):
    title: Annotated[str, Field(min_length=1, max_length=20)]
    count: Annotated[int, Field(ge=1)] = 1
    tags: list[str] = Field(default_factory=list)
    public: bool = False
    note: str | None = None


def submitted(**fields: Any) -> Submitted:
    form = Submitted()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            form.fields[name] = item
            form.lists.setdefault(name, []).append(item)
    return form


def context(language: str = "en") -> Any:
    app = SimpleNamespace(state=SimpleNamespace(settings=SimpleNamespace(
        secret_key="k" * 40, cookie_secure=False)))
    request = Request({"type": "http", "method": "POST", "path": "/x", "headers": [],
                       "query_string": b"", "app": app})
    return SimpleNamespace(language=language, request=request)


def again(seen: list[tuple[Form, int]]) -> Any:
    def render(form: Form, status: int) -> Response:
        seen.append((form, status))
        return HTMLResponse("form", status_code=status)
    return render


def test_form_data_reads_texts_lists_and_checkboxes() -> None:
    values, data = form_data(ThingIn, submitted(title="  Toys ", count="3", tags=["a", " ", "b"],
                                                public="1", note=""))
    assert data == {"title": "Toys", "count": "3", "tags": ["a", "b"], "public": True}
    assert values["title"] == "  Toys " and values["note"] == "" and values["public"] is True


def test_success_redirects_with_the_flash_message() -> None:
    called: list[ThingIn] = []
    response = submit(context(), submitted(title="Toys", count="2"), ThingIn,
                      act=lambda body: called.append(body) or 42,
                      done=lambda result: (f"/things/{result}", N_("Saved {n}."), {"n": 2}),
                      again=again([]))
    assert response.status_code == 303 and response.headers["location"] == "/things/42"
    assert "rg_flash" in response.headers["set-cookie"]
    assert called[0].count == 2 and called[0].public is False


def test_invalid_input_renders_the_form_again_with_errors_beside_fields() -> None:
    seen: list[tuple[Form, int]] = []
    submit(context(), submitted(title="", count="zero"), ThingIn,
           act=lambda body: None, done=lambda _: ("/", "x"), again=again(seen))
    form, status = seen[0]
    assert status == 422
    assert form.error("title") == ["This field is required."]
    assert form.error("count") == ["Must be a whole number."]
    assert form.value("count") == "zero"  # what was typed stays


def test_a_domain_error_lands_on_its_field_with_its_status() -> None:
    seen: list[tuple[Form, int]] = []

    def refuse(body: ThingIn) -> None:
        raise ValidationFailed(fields=[FieldProblem("title", N_("Unknown number or id: {code}."),
                                                    {"code": "X"})])

    submit(context(), submitted(title="Toys"), ThingIn, act=refuse, done=lambda _: ("/", "x"),
           again=again(seen))
    form, status = seen[0]
    assert status == 422 and form.error("title") == ["Unknown number or id: X."]


def test_a_button_that_is_refused_shows_the_services_message() -> None:
    seen: list[tuple[Form, int]] = []

    def refuse() -> None:
        raise InvalidTransition(object="recall", current="Draft", target="Closed")

    attempt(context(), act=refuse, done=lambda _: ("/", "x"), again=again(seen))
    form, status = seen[0]
    assert status == 409 and form.message


@given(st.dictionaries(st.sampled_from(["title", "count", "tags", "public", "note", "other"]),
                       st.text(max_size=30), max_size=6))
def test_any_form_is_answered_never_raised(fields: dict[str, str]) -> None:
    response = submit(context(), submitted(**fields), ThingIn, act=lambda body: body,
                      done=lambda _: ("/", N_("Saved.")), again=again([]))
    assert response.status_code in (303, 422)
