"""Console pages for user accounts: list, detail, create, edit, roles, password reset, unlock."""

from __future__ import annotations

from typing import Any

from fastapi import Form as FormField
from fastapi import Query
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import joinedload

from riskgate.core.db import utcnow
from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import ROLE_LABELS, Permission, Role
from riskgate.core.schemas import IntId, IntIdQuery
from riskgate.identity import service
from riskgate.identity.choices import organisation_choices
from riskgate.identity.models import User
from riskgate.identity.schemas import (
    PasswordReset,
    ReasonInput,
    RolesUpdate,
    UserCreate,
    UserUpdate,
)
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, apply_domain_error, check_required, clean, optional_int, parse
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25
USER_SORTS = {"id": User.id, "username": User.username}
CREATE_FIELDS = ("username", "display_name", "organisation_id", "password", "roles", "email",
                 "language")
EDIT_FIELDS = ("display_name", "email", "organisation_id", "active", "language", "reason")
LANGUAGES = [("zh-CN", "简体中文"), ("en", "English")]


def role_choices(lang: str) -> list[tuple[str, str]]:
    return [(role.value, gettext(ROLE_LABELS[role], lang)) for role in Role]


def _roles(values: list[str]) -> list[str]:
    return [v for v in values if v]


@router.get("/console/users", response_class=HTMLResponse)
def user_list(
    q: str | None = Query(default=None, max_length=100),
    role: str | None = Query(default=None, max_length=40),
    organisation_id: str | None = Query(default=None, max_length=12),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.USER_READ),
) -> Response:
    chosen_role = Role(role) if role in Role._value2member_map_ else None
    org_id = int(organisation_id) if organisation_id and organisation_id.isdigit() else None
    stmt = service.users_statement(ctx.actor, text=clean(q), organisation_id=org_id,
                                   role=chosen_role).options(joinedload(User.organisation))
    rows, next_cursor = paginate(ctx.db, stmt, id_column=User.id, allowed_sorts=USER_SORTS,
                                 sort="username", default_sort="username", limit=PAGE_SIZE,
                                 cursor=cursor)
    return render(ctx.request, "console/users/list.html", {
        "users": rows, "next_cursor": next_cursor, "q": q or "",
        "role": chosen_role.value if chosen_role else "", "organisation_id": org_id or "",
        "roles": role_choices(ctx.language),
        "organisations": organisation_choices(ctx, levels=2, selected=org_id),
        "now": utcnow(),
    })


def _create_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/users/form.html", {
        "form": form, "creating": True, "organisations": organisation_choices(ctx),
        "roles": role_choices(ctx.language), "languages": LANGUAGES,
        "checked_roles": form.values.get("roles", []),
        "min_length": ctx.settings.password_min_length,
    }, status_code=status_code)


@router.get("/console/users/new", response_class=HTMLResponse)
def user_new(organisation_id: IntIdQuery = None,
             ctx: RequestContext = require(Permission.USER_MANAGE)) -> Response:
    form = Form(values={"organisation_id": organisation_id or ctx.actor.organisation_id,
                        "language": "zh-CN", "roles": []})
    return _create_page(ctx, form)


@router.post("/console/users", response_class=HTMLResponse)
def user_create(
    username: str = FormField(default=""),
    display_name: str = FormField(default=""),
    organisation_id: str = FormField(default=""),
    password: str = FormField(default=""),
    roles: list[str] = FormField(default=[]),
    email: str = FormField(default=""),
    language: str = FormField(default="zh-CN"),
    ctx: RequestContext = require(Permission.USER_MANAGE),
) -> Response:
    values: dict[str, Any] = {"username": username, "display_name": display_name,
                              "organisation_id": organisation_id, "roles": _roles(roles),
                              "email": email, "language": language}
    form = Form(values=values)
    check_required(form, ctx.language, "username", "display_name", "organisation_id")
    if not password:
        form.add("password", gettext("This field is required.", ctx.language))
    data = {"username": clean(username), "display_name": clean(display_name),
            "organisation_id": optional_int(organisation_id), "password": password,
            "roles": _roles(roles), "email": clean(email), "language": clean(language) or "zh-CN"}
    body = parse(form, UserCreate, data, ctx.language)
    if body is None:
        return _create_page(ctx, form, 422)
    try:
        user = service.create_user(ctx.db, ctx.actor, ctx.settings,
                                   service.UserInput(**body.model_dump()))
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, CREATE_FIELDS)
        return _create_page(ctx, form, 422)
    return redirect(ctx.request, f"/console/users/{user.id}", gettext(
        "User {username} created.", ctx.language, username=user.username))


def _detail_page(ctx: RequestContext, user: User, form: Form | None = None,
                 status_code: int = 200) -> Response:
    return render(ctx.request, "console/users/detail.html", {
        "user": user, "form": form or Form(),
        "roles": [(r, gettext(ROLE_LABELS[r], ctx.language)) for r in sorted(user.roles)],
        "locked": user.locked_until is not None and user.locked_until > utcnow(),
    }, status_code=status_code)


@router.get("/console/users/{user_id:int}", response_class=HTMLResponse)
def user_detail(user_id: IntId,
        ctx: RequestContext = require(Permission.USER_READ)) -> Response:
    return _detail_page(ctx, service.get_user(ctx.db, ctx.actor, user_id))


def _edit_page(ctx: RequestContext, user: User, form: Form, status_code: int = 200) -> Response:
    organisations = organisation_choices(ctx)
    if user.organisation_id not in {value for value, _label in organisations}:
        # Beyond the choice limit: keep the current organisation selectable, never move silently.
        organisations.insert(0, (user.organisation_id, user.organisation.name(ctx.language)))
    return render(ctx.request, "console/users/form.html", {
        "form": form, "creating": False, "user": user,
        "organisations": organisations, "languages": LANGUAGES,
    }, status_code=status_code)


@router.get("/console/users/{user_id:int}/edit", response_class=HTMLResponse)
def user_edit(user_id: IntId,
        ctx: RequestContext = require(Permission.USER_MANAGE)) -> Response:
    user = service.get_user(ctx.db, ctx.actor, user_id)
    values = {name: getattr(user, name) for name in EDIT_FIELDS if name != "reason"}
    return _edit_page(ctx, user, Form(values=values))


@router.post("/console/users/{user_id:int}/edit", response_class=HTMLResponse)
def user_update(
    user_id: IntId,
    display_name: str = FormField(default=""),
    email: str = FormField(default=""),
    organisation_id: str = FormField(default=""),
    active: str = FormField(default=""),
    language: str = FormField(default="zh-CN"),
    reason: str = FormField(default=""),
    ctx: RequestContext = require(Permission.USER_MANAGE),
) -> Response:
    user = service.get_user(ctx.db, ctx.actor, user_id)
    values = {"display_name": display_name, "email": email, "organisation_id": organisation_id,
              "active": bool(active), "language": language, "reason": reason}
    form = Form(values=values)
    check_required(form, ctx.language, "display_name", "organisation_id")
    data = {"display_name": clean(display_name), "email": clean(email),
            "organisation_id": optional_int(organisation_id), "active": bool(active),
            "language": clean(language) or "zh-CN", "reason": clean(reason)}
    body = parse(form, UserUpdate, data, ctx.language)
    if body is None:
        return _edit_page(ctx, user, form, 422)
    try:
        service.update_user(ctx.db, ctx.actor, user.id, body.model_dump(exclude={"reason"}),
                            body.reason)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, EDIT_FIELDS)
        return _edit_page(ctx, user, form, 422)
    return redirect(ctx.request, f"/console/users/{user.id}", gettext(
        "Changes to {username} saved.", ctx.language, username=user.username))


def _roles_page(ctx: RequestContext, user: User, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/users/roles.html", {
        "form": form, "user": user, "roles": role_choices(ctx.language),
        "checked_roles": form.values.get("roles", []),
    }, status_code=status_code)


@router.get("/console/users/{user_id:int}/roles", response_class=HTMLResponse)
def user_roles(user_id: IntId,
        ctx: RequestContext = require(Permission.ROLE_ASSIGN)) -> Response:
    user = service.get_user(ctx.db, ctx.actor, user_id)
    return _roles_page(ctx, user, Form(values={"roles": [r.value for r in user.roles]}))


@router.post("/console/users/{user_id:int}/roles", response_class=HTMLResponse)
def user_set_roles(
    user_id: IntId,
    roles: list[str] = FormField(default=[]),
    reason: str = FormField(default=""),
    ctx: RequestContext = require(Permission.ROLE_ASSIGN),
) -> Response:
    user = service.get_user(ctx.db, ctx.actor, user_id)
    form = Form(values={"roles": _roles(roles), "reason": reason})
    body = parse(form, RolesUpdate, {"roles": _roles(roles), "reason": clean(reason)}, ctx.language)
    if body is None:
        return _roles_page(ctx, user, form, 422)
    try:
        service.set_roles(ctx.db, ctx.actor, user.id, body.roles, body.reason)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, ("roles", "reason"))
        return _roles_page(ctx, user, form, 422)
    return redirect(ctx.request, f"/console/users/{user.id}", gettext(
        "Roles of {username} saved.", ctx.language, username=user.username))


def _password_page(ctx: RequestContext, user: User, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/users/password.html", {
        "form": form, "user": user, "min_length": ctx.settings.password_min_length,
    }, status_code=status_code)


@router.get("/console/users/{user_id:int}/password", response_class=HTMLResponse)
def user_password(user_id: IntId,
        ctx: RequestContext = require(Permission.USER_MANAGE)) -> Response:
    return _password_page(ctx, service.get_user(ctx.db, ctx.actor, user_id), Form())


@router.post("/console/users/{user_id:int}/password", response_class=HTMLResponse)
def user_reset_password(
    user_id: IntId,
    new_password: str = FormField(default=""),
    ctx: RequestContext = require(Permission.USER_MANAGE),
) -> Response:
    user = service.get_user(ctx.db, ctx.actor, user_id)
    form = Form()
    if not new_password:
        form.add("new_password", gettext("This field is required.", ctx.language))
    body = parse(form, PasswordReset, {"new_password": new_password}, ctx.language)
    if body is None:
        return _password_page(ctx, user, form, 422)
    try:
        service.reset_password(ctx.db, ctx.actor, ctx.settings, user.id, body.new_password)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, ("new_password",))
        return _password_page(ctx, user, form, 422)
    return redirect(ctx.request, f"/console/users/{user.id}", gettext(
        "The password of {username} was reset; their sessions were ended.", ctx.language,
        username=user.username))


@router.post("/console/users/{user_id:int}/unlock", response_class=HTMLResponse)
def user_unlock(
    user_id: IntId,
    reason: str = FormField(default=""),
    ctx: RequestContext = require(Permission.USER_MANAGE),
) -> Response:
    user = service.get_user(ctx.db, ctx.actor, user_id)
    form = Form(values={"reason": reason})
    body = parse(form, ReasonInput, {"reason": clean(reason)}, ctx.language)
    if body is None:
        return _detail_page(ctx, user, form, 422)
    try:
        service.unlock_user(ctx.db, ctx.actor, user.id, body.reason)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, ("reason",))
        return _detail_page(ctx, user, form, 422)
    return redirect(ctx.request, f"/console/users/{user.id}", gettext(
        "{username} was unlocked.", ctx.language, username=user.username))

