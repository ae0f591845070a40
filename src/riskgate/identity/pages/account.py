"""Console pages for the signed-in user's own account: profile, language, password, API tokens."""

from __future__ import annotations

from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response

from riskgate.core.db import utcnow
from riskgate.core.errors import DomainError
from riskgate.core.http import LANGUAGE_COOKIE, SESSION_COOKIE, RequestContext, require
from riskgate.core.i18n import gettext, normalise_language
from riskgate.core.permissions import ROLE_LABELS, Permission
from riskgate.core.schemas import IntId
from riskgate.identity import auth_service, service
from riskgate.identity.models import ApiToken
from riskgate.identity.schemas import TokenCreate
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, apply_domain_error, clean, parse
from riskgate.web.labels import permission_label
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

EXPIRY_CHOICES = (7, 30, 90, 180, 366)
LANGUAGES = [("zh-CN", "简体中文"), ("en", "English")]


@router.get("/console/account", response_class=HTMLResponse)
def account(ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> Response:
    user = service.get_user(ctx.db, ctx.actor, ctx.actor.user_id or 0)
    return render(ctx.request, "console/account/profile.html", {
        "user": user, "form": Form(values={"language": user.language}),
        "roles": [gettext(ROLE_LABELS[r], ctx.language) for r in sorted(user.roles)],
        "permissions": sorted(permission_label(p, ctx.language) for p in ctx.actor.permissions),
        "languages": LANGUAGES,
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


@router.post("/console/account/password", response_class=HTMLResponse)
def password_change(
    current_password: str = FormField(default=""),
    new_password: str = FormField(default=""),
    confirm_password: str = FormField(default=""),
    ctx: RequestContext = require(Permission.ACCOUNT_SELF),
) -> Response:
    form = Form()
    required = gettext("This field is required.", ctx.language)
    for name, value in (("current_password", current_password), ("new_password", new_password)):
        if not value:
            form.add(name, required)
    if new_password and new_password != confirm_password:
        form.add("confirm_password", gettext("The two new passwords differ.", ctx.language))
    if form.errors:
        form.message = gettext("Some fields are invalid; see the field errors.", ctx.language)
        return _password_page(ctx, form, 422)
    try:
        service.change_own_password(ctx.db, ctx.actor, ctx.settings, current_password,
                                    new_password)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language,
                           ("current_password", "new_password", "confirm_password"))
        return _password_page(ctx, form, 422)
    # Changing the password ends every session, this one included: sign in again.
    response = redirect(ctx.request, "/login", gettext(
        "Password changed. Sign in again with the new password.", ctx.language))
    response.delete_cookie(SESSION_COOKIE)
    return response


def _tokens_page(ctx: RequestContext, form: Form, *, created: tuple[ApiToken, str] | None = None,
                 status_code: int = 200) -> Response:
    tokens = auth_service.list_api_tokens(ctx.db, ctx.actor)
    response = render(ctx.request, "console/account/tokens.html", {
        "form": form, "tokens": tokens, "created": created, "now": utcnow(),
        "expiry_choices": [(str(d), gettext("{n} days", ctx.language, n=d))
                           for d in EXPIRY_CHOICES],
        "scopes": sorted(((p.value, permission_label(p, ctx.language))
                          for p in ctx.actor.permissions), key=lambda item: item[0]),
        "checked_scopes": form.values.get("scopes", []),
    }, status_code=status_code)
    if created is not None:
        response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/console/account/tokens", response_class=HTMLResponse)
def tokens(ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> Response:
    return _tokens_page(ctx, Form(values={"expires_in_days": "90", "scopes": []}))


@router.post("/console/account/tokens", response_class=HTMLResponse)
def token_create(
    name: str = FormField(default=""),
    scopes: list[str] = FormField(default=[]),
    expires_in_days: str = FormField(default="90"),
    ctx: RequestContext = require(Permission.ACCOUNT_SELF),
) -> Response:
    chosen = [s for s in scopes if s]
    form = Form(values={"name": name, "scopes": chosen, "expires_in_days": expires_in_days})
    if clean(name) is None:
        form.add("name", gettext("This field is required.", ctx.language))
    days = clean(expires_in_days)
    body = parse(form, TokenCreate, {"name": clean(name), "scopes": chosen or None,
                                     "expires_in_days": days or 90}, ctx.language)
    if body is None:
        return _tokens_page(ctx, form, status_code=422)
    try:
        token, raw = auth_service.create_api_token(
            ctx.db, ctx.actor, name=body.name, scopes=body.scopes,
            expires_in_days=body.expires_in_days)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, ("name", "scopes", "expires_in_days"))
        return _tokens_page(ctx, form, status_code=422)
    # The secret is shown on this response only (never stored in clear, never in a cookie).
    return _tokens_page(ctx, Form(values={"expires_in_days": "90", "scopes": []}),
                        created=(token, raw))


@router.post("/console/account/tokens/{token_id:int}/revoke", response_class=HTMLResponse)
def token_revoke(token_id: IntId,
        ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> Response:
    token = auth_service.revoke_api_token(ctx.db, ctx.actor, token_id)
    return redirect(ctx.request, "/console/account/tokens", gettext(
        "Token {name} revoked.", ctx.language, name=token.name))
