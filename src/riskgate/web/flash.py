"""Flash messages: one-shot notices carried across a redirect in a short-lived signed cookie.

After a successful POST the page redirects (303) and the next page shows "Organisation created"
once. The cookie is signed with the application's secret key (itsdangerous), so a visitor cannot
forge a message that the site would display; it expires after a minute and is deleted as soon as
a page has shown it. Messages are stored already translated into the user's language.
"""

from __future__ import annotations

from typing import Literal

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

FLASH_COOKIE = "rg_flash"
FLASH_MAX_AGE = 60  # seconds: long enough for the redirect, short enough to never resurface
_SALT = "riskgate.web.flash"
_MAX_MESSAGES = 5

Kind = Literal["success", "info", "warning", "error"]


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.settings.secret_key, salt=_SALT)


def read_flashes(request: Request) -> list[tuple[str, str]]:
    """The messages waiting in the request's flash cookie ([] when none, expired or forged)."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return []
    try:
        data = _serializer(request).loads(raw, max_age=FLASH_MAX_AGE)
    except BadSignature:  # includes SignatureExpired
        return []
    if not isinstance(data, list):
        return []
    messages: list[tuple[str, str]] = []
    for item in data[:_MAX_MESSAGES]:
        if (isinstance(item, list) and len(item) == 2 and item[0] in ("success", "info", "warning",
                                                                        "error")
                and isinstance(item[1], str)):
            messages.append((item[0], item[1]))
    return messages


def set_flash(request: Request, response: Response, message: str, kind: Kind = "success") -> None:
    """Attach a message to `response`, to be shown by the next page that renders."""
    settings = request.app.state.settings
    value = _serializer(request).dumps([[kind, message]])
    response.set_cookie(FLASH_COOKIE, value, max_age=FLASH_MAX_AGE, path="/", httponly=True,
                        samesite="lax", secure=settings.cookie_secure)


def clear_flash(request: Request, response: Response) -> None:
    settings = request.app.state.settings
    response.delete_cookie(FLASH_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=settings.cookie_secure)


def redirect(request: Request, url: str, message: str | None = None,
             kind: Kind = "success") -> RedirectResponse:
    """303 See Other to `url` (a local path), with an optional flash message."""
    response = RedirectResponse(url, status_code=303)
    if message:
        set_flash(request, response, message, kind)
    return response
