"""Form handling for pages: submitted values, per-field errors, translated domain errors.

A page POST validates its fields with the API's input model (so the page and the JSON API accept
exactly the same values), calls one service function, and on a `DomainError` renders the form
again with the message and the field errors, in the user's language, with status 422 (which also
rolls the request's transaction back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from riskgate.core.errors import DomainError, FieldProblem, NotFound
from riskgate.core.i18n import N_, gettext
from riskgate.core.problems import _PYDANTIC_MESSAGES  # one table of translatable messages

M = TypeVar("M", bound=BaseModel)

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
