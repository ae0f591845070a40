"""The one form path of console pages: submitted values, per-field errors, translated errors.

A page POST reads the submitted form (`read_submitted`), shapes it for the API's input model
(`form_data`: so the page and the JSON API accept exactly the same values), calls one service
function, and answers a redirect with a flash message — or, on invalid input or a `DomainError`,
the page again with the message on top, each problem beside its field and everything the user
typed kept, in the user's language, with the error's status (which also rolls the request's
transaction back). `submit` is that whole path in one call:

    @router.post("/console/recalls/{recall_id:int}/cancel")
    def recall_cancel(recall_id: IntId, submitted: Submitted = Depends(read_submitted),
                      ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> Response:
        return submit(ctx, submitted, ReasonIn,
                      act=lambda body: service.cancel_recall(ctx.db, ctx.actor, recall_id,
                                                             body.reason),
                      done=lambda _: (f"/console/recalls/{recall_id}",
                                      N_("The recall was cancelled.")),
                      again=lambda form, status: detail_page(ctx, recall_id, form=form,
                                                             status_code=status))
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from riskgate.core.errors import DomainError, FieldProblem, NotFound
from riskgate.core.http import RequestContext
from riskgate.core.i18n import N_, gettext
from riskgate.core.problems import _PYDANTIC_MESSAGES  # one table of translatable messages
from riskgate.web.flash import redirect

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
# What a successful form answers: a response, or where to go and what to flash there.
Done = Response | tuple[str, str] | tuple[str, str, dict[str, Any]]

REQUIRED = N_("This field is required.")


@dataclass
class Form:
    """What a form page needs to show: values to refill, errors by field, and a summary."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    message: str | None = None

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def error(self, name: str) -> list[str]:
        return self.errors.get(name, [])

    def value(self, name: str, default: Any = "") -> Any:
        value = self.values.get(name)
        return default if value is None else value

    @property
    def invalid(self) -> bool:
        return bool(self.errors) or self.message is not None

    def summary(self) -> list[tuple[str, str]]:
        """(field, message) pairs for the error summary at the top of the form."""
        return [(name, message) for name, messages in self.errors.items() for message in messages]


def _format(message: str, language: str, params: dict[str, Any]) -> str:
    try:
        return gettext(message, language, **params)
    except (KeyError, IndexError, ValueError):
        return gettext(message, language)


def domain_error_message(error: DomainError, language: str) -> str:
    return error.translated(language)


def field_problem_message(problem: FieldProblem, language: str) -> str:
    return problem.translated(language)


def apply_domain_error(form: Form, error: DomainError, language: str,
                       fields: tuple[str, ...] = ()) -> Form:
    """Put a service's error on the form: per-field problems on their fields, the rest on top.

    A field problem whose location is not one of `fields` (when given) goes to the top as well,
    so that nothing the service said is lost. `NotFound` is not a form problem: an object outside
    the actor's scope (a tampered select, a stale link) answers the 404 page, as it does elsewhere.
    """
    if isinstance(error, NotFound):
        raise error
    form.message = domain_error_message(error, language)
    for problem in error.fields:
        name = problem.loc.split(".")[0]
        message = field_problem_message(problem, language)
        if fields and name not in fields:
            form.add("__all__", message)
        else:
            form.add(name, message)
    field_param = error.params.get("field")
    if not error.fields and isinstance(field_param, str) and (not fields or field_param in fields):
        form.add(field_param, form.message)
    return form


def apply_validation_error(form: Form, error: ValidationError, language: str) -> Form:
    """Put the input model's errors on the form (a field already found missing keeps that one)."""
    already = set(form.errors)
    for item in error.errors():
        loc = item.get("loc") or ()
        name = str(loc[0]) if loc else "__all__"
        if name in already:
            continue
        template = _PYDANTIC_MESSAGES.get(item.get("type", ""))
        ctx = {k: str(v) for k, v in (item.get("ctx") or {}).items()}
        message = _format(template, language, ctx) if template else str(item.get("msg", ""))
        form.add(name, message)
    form.message = gettext("Some fields are invalid; see the field errors.", language)
    return form


def clean(value: str | None) -> str | None:
    """Strip a submitted text; an empty field means "no value"."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def check_required(form: Form, language: str, *names: str) -> None:
    for name in names:
        if clean(form.values.get(name)) is None:
            form.add(name, gettext(REQUIRED, language))


def parse(form: Form, model: type[M], data: dict[str, Any], language: str) -> M | None:
    """Validate `data` with `model`; on failure (or when the form already has errors, e.g.
    required fields found empty) record every problem on `form` and return None."""
    try:
        parsed = model.model_validate(data)
    except ValidationError as error:
        apply_validation_error(form, error, language)
        return None
    if form.errors:
        form.message = gettext("Some fields are invalid; see the field errors.", language)
        return None
    return parsed


def optional_int(value: str | None) -> int | str | None:
    """A select's value as an int when it is one (validation reports anything else)."""
    value = clean(value)
    if value is None:
        return None
    return int(value) if value.isdigit() else value


# --- Reading a submitted form -------------------------------------------------------------


@dataclass
class Submitted:
    """A posted form: single values (the last one of a name), repeated values, chosen files."""

    fields: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    files: list[UploadFile] = field(default_factory=list)


async def read_submitted(request: Request) -> Submitted:
    """The dependency a POST route declares: `submitted: Submitted = Depends(read_submitted)`."""
    form = await request.form()
    submitted = Submitted()
    for name, value in form.multi_items():
        if isinstance(value, str):
            submitted.fields[name] = value
            submitted.lists.setdefault(name, []).append(value)
        elif name == "attachments" and isinstance(value, UploadFile):
            submitted.files.append(value)
    return submitted


def _kind(annotation: Any) -> str:
    """How a model field is read from a form: "list", "bool" or "text"."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        kinds = {_kind(a) for a in typing.get_args(annotation) if a is not type(None)}
        return kinds.pop() if len(kinds) == 1 else "text"
    if origin is typing.Annotated:
        return _kind(typing.get_args(annotation)[0])
    if origin in (list, set, tuple, frozenset) or annotation in (list, set, tuple, frozenset):
        return "list"
    return "bool" if annotation is bool else "text"


def form_data(model: type[BaseModel], submitted: Submitted,
              names: tuple[str, ...] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the user typed, the input for `model`) of the model's fields in the form.

    Texts are stripped and an empty one is left out (the model's default, or its "required");
    list fields take every value of their name, blanks dropped; a bool field is a checkbox
    ("1", "on", "true" or "yes" when ticked, absent when not). Numbers and dates stay text:
    the model converts them and says why when it cannot.
    """
    values: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if names is not None and name not in names:
            continue
        kind = _kind(info.annotation)
        if kind == "list":
            chosen = [v.strip() for v in submitted.lists.get(name, []) if v.strip()]
            values[name] = chosen
            if name in submitted.lists:
                data[name] = chosen
        elif kind == "bool":
            ticked = submitted.fields.get(name, "").strip().lower() in ("1", "on", "true", "yes")
            values[name] = ticked
            data[name] = ticked
        else:
            typed = submitted.fields.get(name, "")
            values[name] = typed
            if (text := clean(typed)) is not None:
                data[name] = text
    return values, data


def submit(ctx: RequestContext, submitted: Submitted | None, model: type[M], *,
           act: Callable[[M], T], done: Callable[[T], Done],
           again: Callable[[Form, int], Response], form: Form | None = None,
           data: dict[str, Any] | None = None) -> Response:
    """The whole form path: parse into `model`, `act`, then redirect with a flash — or render the
    form `again` with every problem beside its field and the values typed kept.

    `done` returns a response, or (path, msgid[, params]) for a 303 to `path` flashing the
    message.
    `form` and `data` override what `form_data` reads (a form with repeated rows shapes its own).
    """
    if form is None or data is None:
        values, read = form_data(model, submitted or Submitted())
        form = form if form is not None else Form(values=values)
        data = read if data is None else data
    parsed = parse(form, model, data, ctx.language)
    if parsed is None:
        return again(form, 422)
    return attempt(ctx, act=lambda: act(parsed), done=done, again=again, form=form)


def attempt(ctx: RequestContext, *, act: Callable[[], T], done: Callable[[T], Done],
            again: Callable[[Form, int], Response], form: Form | None = None) -> Response:
    """A form without fields (a button: start, approve, mark read): act, then redirect with a
    flash, or render the page again with the service's message."""
    form = form or Form()
    try:
        result = act()
    except DomainError as error:
        apply_domain_error(form, error, ctx.language)
        return again(form, error.status)
    answer = done(result)
    if isinstance(answer, Response):
        return answer
    path, message, *params = answer
    return redirect(ctx.request, path, gettext(message, ctx.language, **(params[0] if params
                                                                          else {})))
