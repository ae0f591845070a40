"""Console pages for user accounts: list, detail, create, edit, roles, password reset, unlock.

The forms go through the one form path (`web.forms.submit`) into the API's input models; roles
and languages are labelled enums (`Role.choices`, `value|label`).
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import joinedload

from riskgate.core.db import utcnow
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission, Role
from riskgate.core.schemas import IntId, IntIdQuery
from riskgate.identity import service
from riskgate.identity.choices import organisation_choices
from riskgate.identity.enums import Language
from riskgate.identity.models import User
from riskgate.identity.schemas import (
    PasswordReset,
    ReasonInput,
    RolesUpdate,
    UserCreate,
    UserUpdate,
)
from riskgate.web.forms import (
    Form,
    Submitted,
    check_required,
    clean,
    form_data,
    read_submitted,
    submit,
)
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25
USER_SORTS = {"id": User.id, "username": User.username}
EDIT_FIELDS = ("display_name", "email", "organisation_id", "active", "language")


def _with_roles(model: type[UserCreate] | type[RolesUpdate], submitted: Submitted
                ) -> tuple[Form, dict[str, Any]]:
    """The form of a model with roles: the roles ticked are sent even when none is, so that the
    model says "at least one" rather than "required"."""
    values, data = form_data(model, submitted)
    data["roles"] = values["roles"]
    return Form(values=values), data


@router.get("/console/users", response_class=HTMLResponse)
def user_list(
    q: str | None = Query(default=None, max_length=100),
    role: str | None = Query(default=None, max_length=40),
    organisation_id: str | None = Query(default=None, max_length=12),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.USER_READ),
) -> Response:
    chosen_role = Role.parse(role)
    org_id = int(organisation_id) if organisation_id and organisation_id.isdigit() else None
    stmt = service.users_statement(ctx.actor, text=clean(q), organisation_id=org_id,
                                   role=chosen_role).options(joinedload(User.organisation))
    rows, next_cursor = paginate(ctx.db, stmt, id_column=User.id, allowed_sorts=USER_SORTS,
                                 sort="username", default_sort="username", limit=PAGE_SIZE,
                                 cursor=cursor)
    return render(ctx.request, "console/users/list.html", {
        "users": rows, "next_cursor": next_cursor, "q": q or "",
        "role": chosen_role.value if chosen_role else "", "organisation_id": org_id or "",
        "roles": Role.choices(ctx.language),
        "organisations": organisation_choices(ctx, levels=2, selected=org_id),
        "now": utcnow(),
    })


def _create_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/users/form.html", {
        "form": form, "creating": True, "organisations": organisation_choices(ctx),
        "roles": Role.choices(ctx.language), "languages": Language.choices(ctx.language),
        "checked_roles": form.values.get("roles", []),
        "min_length": ctx.settings.password_min_length,
    }, status_code=status_code)


@router.get("/console/users/new", response_class=HTMLResponse)
def user_new(organisation_id: IntIdQuery = None,
             ctx: RequestContext = require(Permission.USER_MANAGE)) -> Response:
    form = Form(values={"organisation_id": organisation_id or ctx.actor.organisation_id,
                        "language": Language.ZH_CN.value, "roles": []})
    return _create_page(ctx, form)


@router.post("/console/users", response_class=HTMLResponse)
def user_create(submitted: Submitted = Depends(read_submitted),
                ctx: RequestContext = require(Permission.USER_MANAGE)) -> Response:
    form, data = _with_roles(UserCreate, submitted)
    check_required(form, ctx.language, "username", "display_name", "organisation_id", "password")
    form.values.pop("password", None)  # never shown again
    return submit(
        ctx, None, UserCreate, form=form, data=data,
        act=lambda body: service.create_user(ctx.db, ctx.actor, ctx.settings,
                                             service.UserInput(**body.model_dump())),
        done=lambda user: (f"/console/users/{user.id}", N_("User {username} created."),
                           {"username": user.username}),
        # A refused account is always a 422 here, a name already taken too (its field says why).
        again=lambda form, _status: _create_page(ctx, form, 422))


def _detail_page(ctx: RequestContext, user: User, form: Form | None = None,
                 status_code: int = 200) -> Response:
    return render(ctx.request, "console/users/detail.html", {
        "user": user, "form": form or Form(), "roles": sorted(user.roles), "Language": Language,
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
        "organisations": organisations, "languages": Language.choices(ctx.language),
    }, status_code=status_code)


@router.get("/console/users/{user_id:int}/edit", response_class=HTMLResponse)
def user_edit(user_id: IntId,
        ctx: RequestContext = require(Permission.USER_MANAGE)) -> Response:
    user = service.get_user(ctx.db, ctx.actor, user_id)
    values = {name: getattr(user, name) for name in EDIT_FIELDS}
    return _edit_page(ctx, user, Form(values=values))


@router.post("/console/users/{user_id:int}/edit", response_class=HTMLResponse)
def user_update(user_id: IntId, submitted: Submitted = Depends(read_submitted),
                ctx: RequestContext = require(Permission.USER_MANAGE)) -> Response:
    user = service.get_user(ctx.db, ctx.actor, user_id)
    values, data = form_data(UserUpdate, submitted)
    form = Form(values=values)
    check_required(form, ctx.language, "display_name", "organisation_id")
    data.setdefault("language", Language.ZH_CN.value)
    return submit(
        ctx, None, UserUpdate, form=form, data=data,
        # Every field of the form is sent: an e-mail left empty is cleared.
        act=lambda body: service.update_user(ctx.db, ctx.actor, user.id,
                                             body.model_dump(exclude={"reason"}), body.reason),
        done=lambda _: (f"/console/users/{user.id}", N_("Changes to {username} saved."),
                        {"username": user.username}),
        again=lambda form, _status: _edit_page(ctx, user, form, 422))


def _roles_page(ctx: RequestContext, user: User, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/users/roles.html", {
        "form": form, "user": user, "roles": Role.choices(ctx.language),
        "checked_roles": form.values.get("roles", []),
    }, status_code=status_code)


@router.get("/console/users/{user_id:int}/roles", response_class=HTMLResponse)
def user_roles(user_id: IntId,
        ctx: RequestContext = require(Permission.ROLE_ASSIGN)) -> Response:
    user = service.get_user(ctx.db, ctx.actor, user_id)
    return _roles_page(ctx, user, Form(values={"roles": [r.value for r in user.roles]}))


@router.post("/console/users/{user_id:int}/roles", response_class=HTMLResponse)
def user_set_roles(user_id: IntId, submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.ROLE_ASSIGN)) -> Response:
    user = service.get_user(ctx.db, ctx.actor, user_id)
    form, data = _with_roles(RolesUpdate, submitted)
    return submit(
        ctx, None, RolesUpdate, form=form, data=data,
        act=lambda body: service.set_roles(ctx.db, ctx.actor, user.id, body.roles, body.reason),
        done=lambda _: (f"/console/users/{user.id}", N_("Roles of {username} saved."),
                        {"username": user.username}),
        again=lambda form, _status: _roles_page(ctx, user, form, 422))


def _password_page(ctx: RequestContext, user: User, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/users/password.html", {
        "form": form, "user": user, "min_length": ctx.settings.password_min_length,
    }, status_code=status_code)


@router.get("/console/users/{user_id:int}/password", response_class=HTMLResponse)
def user_password(user_id: IntId,
        ctx: RequestContext = require(Permission.USER_MANAGE)) -> Response:
    return _password_page(ctx, service.get_user(ctx.db, ctx.actor, user_id), Form())


@router.post("/console/users/{user_id:int}/password", response_class=HTMLResponse)
def user_reset_password(user_id: IntId, submitted: Submitted = Depends(read_submitted),
                        ctx: RequestContext = require(Permission.USER_MANAGE)) -> Response:
    user = service.get_user(ctx.db, ctx.actor, user_id)
    return submit(
        ctx, submitted, PasswordReset,
        act=lambda body: service.reset_password(ctx.db, ctx.actor, ctx.settings, user.id,
                                                body.new_password),
        done=lambda _: (f"/console/users/{user.id}",
                        N_("The password of {username} was reset; their sessions were ended."),
                        {"username": user.username}),
        again=lambda form, _status: _password_page(ctx, user, form, 422))


@router.post("/console/users/{user_id:int}/unlock", response_class=HTMLResponse)
def user_unlock(user_id: IntId, submitted: Submitted = Depends(read_submitted),
                ctx: RequestContext = require(Permission.USER_MANAGE)) -> Response:
    user = service.get_user(ctx.db, ctx.actor, user_id)
    return submit(
        ctx, submitted, ReasonInput,
        act=lambda body: service.unlock_user(ctx.db, ctx.actor, user.id, body.reason),
        done=lambda _: (f"/console/users/{user.id}", N_("{username} was unlocked."),
                        {"username": user.username}),
        again=lambda form, _status: _detail_page(ctx, user, form, 422))
