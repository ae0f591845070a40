"""Jinja2 rendering for the console and the portal, in the request's language."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape

from riskgate.core.enums import LabelledEnum, label
from riskgate.core.http import request_language
from riskgate.core.i18n import gettext, ngettext
from riskgate.web.flash import FLASH_COOKIE, clear_flash, read_flashes
from riskgate.web.links import TEMPLATE_GLOBALS as LINK_GLOBALS

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

environment = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(["html", "xml"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
    # Templates ship with the code; checking their mtime on every render costs ~10% of a page.
    auto_reload=False,
    cache_size=400,
)
# The i18n extension is loaded so that `pybabel extract` understands {% trans %}; we install
# per-render callables through the context instead of process-wide translations.
environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]


def _local_time(value: dt.datetime | None, tz: str = "Asia/Shanghai",
                fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(tz)).strftime(fmt)


def _pretty_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


@pass_context
def _label(context: Any, value: Any, enum: type[LabelledEnum] | None = None) -> str:
    """`{{ recall.status|label }}`: a labelled enum member's label in the page's language;
    `{{ code|label(Remedy) }}` for a plain stored code (JSON lists hold strings)."""
    language = context.get("lang", "zh-CN")
    return enum.label_of(value, language) if enum is not None else label(value, language)


environment.filters["localtime"] = _local_time
environment.filters["pretty_json"] = _pretty_json
environment.filters["label"] = _label
environment.globals.update(LINK_GLOBALS)  # allowed_link, link_if_allowed (web.links)


def install_globals(functions: dict[str, Any]) -> None:
    """Make domain helpers callable from every template (the composition root installs the
    `template_globals` the domains declare)."""
    environment.globals.update(functions)


def is_htmx(request: Request) -> bool:
    """True for a request made by htmx (not a history restore, which wants the whole page)."""
    return request.headers.get("hx-request") == "true" and \
        request.headers.get("hx-history-restore-request") != "true"


def url_with(request: Request, **changes: Any) -> str:
    """The current path with its query changed: None removes a parameter."""
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    pairs += [(k, v) for k, v in changes.items() if v not in (None, "")]
    query = urlencode(pairs)
    return request.url.path + (f"?{query}" if query else "")


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200, language: str | None = None) -> HTMLResponse:

    lang = language or request_language(request)
    actor = getattr(request.state, "actor", None)
    auth = getattr(request.state, "authenticated", None)
    context = dict(context or {})
    # Flash messages are shown by the next full page, never swallowed by an htmx fragment.
    pending = [] if is_htmx(request) else read_flashes(request)
    values = {
        "request": request,
        "lang": lang,
        "_": partial(_translate, lang),
        "ngettext": partial(ngettext, language=lang),
        "actor": actor,
        "csrf_token": getattr(auth, "csrf_token", None),
        "tz": request.app.state.settings.timezone,
        "path": request.url.path,
        "url_with": partial(url_with, request),
        "htmx": is_htmx(request),
        **context,
        "flashes": pending + list(context.get("flashes", [])),
    }
    html = environment.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code, headers={"Content-Language": lang})
    if actor is not None and getattr(actor, "is_authenticated", False):
        # Pages of a signed-in user must not be kept by the browser or a proxy after sign-out.
        response.headers["Cache-Control"] = "no-store"
    if not is_htmx(request) and FLASH_COOKIE in request.cookies:
        clear_flash(request, response)
    if request.query_params.get("lang") == lang:
        # ?lang= switches the language for the following pages too.
        response.set_cookie("rg_lang", lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def _translate(lang: str, message: str, **params: Any) -> str:
    return gettext(message, lang, **params)


def render_error_page(request: Request, problem: dict[str, Any], language: str) -> HTMLResponse:
    return render(request, "error.html", {"problem": problem}, status_code=problem["status"],
                  language=language)
