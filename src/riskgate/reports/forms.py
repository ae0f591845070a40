"""What the report pages share: the portal's form token and choices for selects.

The portal's forms are used without signing in, so the session's CSRF token does not exist
there. They carry a double-submit token instead: a random value in an HttpOnly cookie, and the
same value signed with the secret key (and timestamped, valid two hours) in a hidden field. A
page of another site can make a browser send the cookie but cannot read it, nor forge the
signature. After a successful filing the cookie is replaced, so re-posting the form (a reload)
is refused instead of filing the report twice.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from riskgate.catalog.choices import country_choices, region_choices
from riskgate.core.http import CsrfFailed
from riskgate.records.enums import AgeGroup, InjurySeverity
from riskgate.reports.enums import ReportRoute

FORM_COOKIE = "rg_form"
FORM_FIELD = "form_token"
FORM_MAX_AGE = 2 * 3600
_SALT = "riskgate.reports.form"


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.settings.secret_key, salt=_SALT)


def form_token(request: Request) -> tuple[str, str | None]:
    """(the hidden field's value, a new cookie value to set or None when the cookie stands)."""
    nonce = request.cookies.get(FORM_COOKIE)
    fresh = None
    if not nonce or len(nonce) > 64:
        nonce = fresh = secrets.token_urlsafe(24)
    return _serializer(request).dumps(nonce), fresh


def set_form_cookie(request: Request, response: Response, value: str | None) -> Response:
    if value:
        response.set_cookie(FORM_COOKIE, value, max_age=FORM_MAX_AGE, httponly=True,
                            samesite="lax", secure=request.app.state.settings.cookie_secure,
                            path="/")
    return response


def check_form_token(request: Request, sent: str | None) -> None:
    """Refuse (403) a portal POST whose token is missing, expired or not this browser's."""
    cookie = request.cookies.get(FORM_COOKIE)
    try:
        nonce = _serializer(request).loads(sent or "", max_age=FORM_MAX_AGE)
    except BadSignature:
        raise CsrfFailed() from None
    if not cookie or not isinstance(nonce, str) or not secrets.compare_digest(nonce, cookie):
        raise CsrfFailed()


def rotate_form_cookie(request: Request, response: Response) -> Response:
    return set_form_cookie(request, response, secrets.token_urlsafe(24))


def common_choices(lang: str) -> dict[str, Any]:
    """The choices every report form offers: routes, regions, countries, severities, ages."""
    return {
        "routes": ReportRoute.choices(lang),
        "regions": region_choices(lang),
        "countries": country_choices(lang),
        "severities": InjurySeverity.choices(lang),
        "age_groups": AgeGroup.choices(lang),
        "default_route": ReportRoute.market.value,
    }
