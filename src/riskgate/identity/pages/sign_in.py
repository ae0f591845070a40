"""Sign-in and sign-out pages (the session cookie, the language the user chose)."""

from __future__ import annotations

from fastapi import Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from riskgate.core.http import SESSION_COOKIE, RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.permissions import Permission
from riskgate.identity import auth_service
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

def _safe_next(value: str | None) -> str:
    # Only local paths: an open redirect after sign-in is a phishing tool.
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/console"


@router.get("/login", response_class=HTMLResponse)
def login_form(next: str | None = None,  # noqa: A002
               ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    return render(ctx.request, "auth/login.html", {"next": _safe_next(next)})


@router.post("/login", response_class=HTMLResponse)
def login(
    username: str = Form(max_length=60),
    password: str = Form(max_length=128),
    next: str = Form(default="/console", max_length=500),  # noqa: A002
    ctx: RequestContext = require(Permission.PUBLIC),
) -> Response:
    request = ctx.request
    result = auth_service.sign_in(
        ctx.db, ctx.settings, username=username,
        password=password, client_address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )
    if result.error is not None:
        message = gettext(result.error.message, ctx.language, **result.error.params)
        # 200 with the form again; the failure was already recorded in its own transaction.
        return render(request, "auth/login.html",
                      {"error": message, "username": username, "next": _safe_next(next)})
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, result.cookie_value or "", httponly=True, samesite="lax",
        secure=ctx.settings.cookie_secure, max_age=ctx.settings.session_absolute_hours * 3600,
    )
    if result.user is not None:
        response.set_cookie("rg_lang", result.user.language, max_age=365 * 86400,
                            samesite="lax", httponly=True)
    return response


@router.post("/logout")
def logout(ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> Response:
    auth_service.sign_out(ctx.db, ctx.actor, ctx.request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
