"""One place that turns errors into responses: RFC 9457 problem+json for the API, an HTML page
(or a redirect to sign-in) for pages — always in the request's language, never a bare 500."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from riskgate.core.errors import AuthenticationRequired, DomainError, FieldProblem
from riskgate.core.http import request_language
from riskgate.core.i18n import N_, gettext

log = logging.getLogger("riskgate.errors")

PROBLEM_BASE = "https://riskgate.org/problems/"
PROBLEM_JSON = "application/problem+json"

# Pydantic error types → our translatable messages (ctx values fill the placeholders).
_PYDANTIC_MESSAGES = {
    "missing": N_("This field is required."),
    "nul_character": N_("Text must not contain NUL characters."),
    "not_null": N_("Leave this field out to keep it; it cannot be null."),
    "extra_forbidden": N_("Unknown field; remove it."),
    "string_too_short": N_("Must have at least {min_length} characters."),
    "string_too_long": N_("Must have at most {max_length} characters."),
    "string_type": N_("Must be a string."),
    "string_pattern_mismatch": N_("Does not have the expected format."),
    "int_parsing": N_("Must be a whole number."),
    "int_type": N_("Must be a whole number."),
    "int_from_float": N_("Must be a whole number."),
    "float_parsing": N_("Must be a number."),
    "bool_parsing": N_("Must be true or false."),
    "bool_type": N_("Must be true or false."),
    "greater_than": N_("Must be greater than {gt}."),
    "greater_than_equal": N_("Must be at least {ge}."),
    "less_than": N_("Must be less than {lt}."),
    "less_than_equal": N_("Must be at most {le}."),
    "enum": N_("Must be one of: {expected}."),
    "literal_error": N_("Must be one of: {expected}."),
    "datetime_parsing": N_("Must be a date and time (ISO 8601)."),
    "datetime_from_date_parsing": N_("Must be a date and time (ISO 8601)."),
    "date_parsing": N_("Must be a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": N_("Must be a date (YYYY-MM-DD)."),
    "list_type": N_("Must be a list."),
    "dict_type": N_("Must be an object."),
    "model_attributes_type": N_("Must be an object."),
    "json_invalid": N_("The body is not valid JSON."),
    "too_short": N_("Must have at least {min_length} items."),
    "too_long": N_("Must have at most {max_length} items."),
    "value_error": N_("Invalid value: {error}"),
    "url_parsing": N_("Must be a URL."),
    "url_scheme": N_("The URL must start with {expected_schemes}."),
    "uuid_parsing": N_("Must be a UUID."),
}

_STATUS_TITLES = {
    400: N_("Bad request"),
    401: N_("Authentication required"),
    403: N_("Permission denied"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    406: N_("Not acceptable"),
    409: N_("Conflict"),
    413: N_("Payload too large"),
    415: N_("Unsupported media type"),
    422: N_("Validation failed"),
    423: N_("Account locked"),
    429: N_("Too many requests"),
    500: N_("Internal error"),
}
_STATUS_DETAILS = {
    404: N_("There is nothing at this address."),
    405: N_("This method is not allowed here."),
    500: N_("Something went wrong on our side; the error has been logged with the request id."),
}


def _language(request: Request) -> str:

    try:
        return request_language(request)
    except Exception:  # noqa: BLE001 — error rendering must not fail
        return "zh-CN"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _field_error(problem: FieldProblem, language: str) -> dict[str, Any]:
    return {"loc": problem.loc, "message": problem.translated(language)}


def problem_response(
    request: Request,
    *,
    status: int,
    type_slug: str,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    language = _language(request)
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + type_slug,
        "title": gettext(title, language),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
    }
    if errors:
        body["errors"] = errors
    if _is_api(request) or request.url.path in ("/healthz", "/readyz", "/metrics"):
        return JSONResponse(
            body,
            status_code=status,
            media_type=PROBLEM_JSON,
            headers={**(headers or {}), "Content-Language": language},
        )
    # The page renderer is the web kit's, installed by the application factory (core imports
    # no layer above it).
    render_error_page: Callable[[Request, dict[str, Any], str], Response] = (
        request.app.state.render_error_page)
    return render_error_page(request, body, language)


def _domain_error(request: Request, error: DomainError) -> Response:
    language = _language(request)
    if isinstance(error, AuthenticationRequired) and not _is_api(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    detail = error.translated(language)
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return problem_response(
        request,
        status=error.status,
        type_slug=error.type_slug,
        title=error.title,
        detail=detail,
        errors=[_field_error(f, language) for f in error.fields] or None,
        headers=headers,
    )


def _loc(parts: tuple[Any, ...]) -> str:
    kept = [str(p) for p in parts if p not in ("body",)] or [str(p) for p in parts]
    return ".".join(kept)


def _validation_error(request: Request, error: RequestValidationError) -> Response:
    language = _language(request)
    errors = []
    for item in error.errors():
        template = _PYDANTIC_MESSAGES.get(item.get("type", ""))
        ctx = {k: str(v) for k, v in (item.get("ctx") or {}).items()}
        if template is None:
            message = item.get("msg", "")
        else:
            try:
                message = gettext(template, language, **ctx)
            except (KeyError, IndexError, ValueError):
                message = gettext(template, language)
        errors.append({"loc": _loc(tuple(item.get("loc", ()))), "message": message})
    return problem_response(
        request,
        status=422,
        type_slug="validation-failed",
        title="Validation failed",
        detail=gettext("Some fields are invalid; see the field errors.", language),
        errors=errors,
    )


def _http_error(request: Request, error: StarletteHTTPException) -> Response:
    language = _language(request)
    status = error.status_code
    title = _STATUS_TITLES.get(status, "Error")
    detail_id = _STATUS_DETAILS.get(status)
    detail = gettext(detail_id, language) if detail_id else str(error.detail)
    return problem_response(
        request,
        status=status,
        type_slug=f"http-{status}",
        title=title,
        detail=detail,
        headers=getattr(error, "headers", None),
    )


def _unexpected(request: Request, error: Exception) -> Response:
    log.error(
        "unhandled error",
        exc_info=error,
        extra={"request_id": getattr(request.state, "request_id", None)},
    )
    language = _language(request)
    return problem_response(
        request,
        status=500,
        type_slug="internal-error",
        title="Internal error",
        detail=gettext(_STATUS_DETAILS[500], language),
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
