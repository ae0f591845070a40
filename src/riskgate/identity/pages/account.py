"""Console pages for the signed-in user's own account: profile, language, password, API tokens.

The forms go through the one form path (`web.forms.submit`); roles, permissions and languages are
labelled enums.
"""

from __future__ import annotations

from fastapi import Depends
from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response

from riskgate.core.db import utcnow
from riskgate.core.http import LANGUAGE_COOKIE, SESSION_COOKIE, RequestContext, require
from riskgate.core.i18n import gettext, normalise_language
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity import auth_service, service
from riskgate.identity.enums import Language
from riskgate.identity.models import ApiToken
from riskgate.identity.schemas import PasswordChange, TokenCreate
from riskgate.web.flash import redirect
from riskgate.web.forms import REQUIRED, Form, Submitted, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

EXPIRY_CHOICES = (7, 30, 90, 180, 366)
PASSWORD_FIELDS = ("current_password", "new_password", "confirm_password")


@router.get("/console/account", response_class=HTMLResponse)
def account(ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> Response:
    user = service.get_user(ctx.db, ctx.actor, ctx.actor.user_id or 0)
    return render(ctx.request, "console/account/profile.html", {
        "user": user, "form": Form(values={"language": user.language}),
        "roles": sorted(user.roles),
        "permissions": sorted(p.label(ctx.language) for p in ctx.actor.permissions),
        "languages": Language.choices(ctx.language),
    })


@router.post("/console/account/language", response_class=HTMLResponse)
def account_language(language: str = FormField(default=""),
                     ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> Response:
    chosen = normalise_language(language) or ctx.settings.default_language
    service.update_user(ctx.db, ctx.actor, ctx.actor.user_id or 0, {"language": chosen})
    response = redirect(ctx.request, "/console/account",
                        gettext("Language preference saved.", chosen))
    response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 86400, samesite="lax",
                        httponly=True)
    return response


def _password_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/account/password.html", {
        "form": form, "min_length": ctx.settings.password_min_length,
    }, status_code=status_code)


@router.get("/console/account/password", response_class=HTMLResponse)
def password_form(ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> Response:
    return _password_page(ctx, Form())


def _signed_out_after_change(ctx: RequestContext) -> Response:
    # Changing the password ends every session, this one included: sign in again.
    response = redirect(ctx.request, "/login", gettext(
        "Password changed. Sign in again with the new password.", ctx.language))
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/console/account/password", response_class=HTMLResponse)
def password_change(submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> Response:
    # Passwords are read as typed (not stripped) and never shown again (no values kept).
    typed = {name: submitted.fields.get(name, "") for name in PASSWORD_FIELDS}
    form = Form()
    for name in ("current_password", "new_password"):
        if not typed[name]:
            form.add(name, gettext(REQUIRED, ctx.language))
    if typed["new_password"] and typed["new_password"] != typed["confirm_password"]:
        form.add("confirm_password", gettext("The two new passwords differ.", ctx.language))
    return submit(
        ctx, None, PasswordChange, form=form, data={k: v for k, v in typed.items() if v},
        act=lambda body: service.change_own_password(ctx.db, ctx.actor, ctx.settings,
                                                     body.current_password, body.new_password),
        done=lambda _: _signed_out_after_change(ctx),
        again=lambda form, _status: _password_page(ctx, form, 422))


def _tokens_page(ctx: RequestContext, form: Form, *, created: tuple[ApiToken, str] | None = None,
                 status_code: int = 200) -> Response:
    tokens = auth_service.list_api_tokens(ctx.db, ctx.actor)
    response = render(ctx.request, "console/account/tokens.html", {
        "form": form, "tokens": tokens, "created": created, "now": utcnow(),
        "expiry_choices": [(str(d), gettext("{n} days", ctx.language, n=d))
                           for d in EXPIRY_CHOICES],
        "scopes": Permission.choices(ctx.language, sorted(ctx.actor.permissions)),
        "checked_scopes": form.values.get("scopes", []), "Permission": Permission,
    }, status_code=status_code)
    if created is not None:
        response.headers["Cache-Control"] = "no-store"
    return response


def _new_token_form() -> Form:
    return Form(values={"expires_in_days": "90", "scopes": []})


@router.get("/console/account/tokens", response_class=HTMLResponse)
def tokens(ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> Response:
    return _tokens_page(ctx, _new_token_form())


@router.post("/console/account/tokens", response_class=HTMLResponse)
def token_create(submitted: Submitted = Depends(read_submitted),
                 ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> Response:
    return submit(
        ctx, submitted, TokenCreate,
        act=lambda body: auth_service.create_api_token(
            ctx.db, ctx.actor, name=body.name, scopes=body.scopes,
            expires_in_days=body.expires_in_days),
        # The secret is shown on this response only (never stored in clear, never in a cookie).
        done=lambda created: _tokens_page(ctx, _new_token_form(), created=created),
        again=lambda form, _status: _tokens_page(ctx, form, status_code=422))


@router.post("/console/account/tokens/{token_id:int}/revoke", response_class=HTMLResponse)
def token_revoke(token_id: IntId,
        ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> Response:
    token = auth_service.revoke_api_token(ctx.db, ctx.actor, token_id)
    return redirect(ctx.request, "/console/account/tokens", gettext(
        "Token {name} revoked.", ctx.language, name=token.name))
