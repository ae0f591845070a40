"""JSON routes for organisations, users, API tokens and the signed-in account."""

from __future__ import annotations

from fastapi import Query, Response

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission, Role
from riskgate.core.schemas import IntId, IntIdQuery
from riskgate.identity import auth_service, service
from riskgate.identity.enums import OrgType
from riskgate.identity.models import Organisation, User
from riskgate.identity.schemas import (
    MeOut,
    OrganisationCreate,
    OrganisationOut,
    OrganisationUpdate,
    PasswordReset,
    ReasonInput,
    RolesUpdate,
    TokenCreate,
    TokenCreated,
    TokenOut,
    UserCreate,
    UserOut,
    UserUpdate,
)

router = api_router(prefix="/api/v1", tags=["identity"])

ORG_SORTS = {
    "id": Organisation.id,
    "code": Organisation.code,
    "name_zh": Organisation.name_zh,
    "created_at": Organisation.created_at,
}
USER_SORTS = {"id": User.id, "username": User.username, "created_at": User.created_at}


def _user_out(user: User) -> UserOut:
    return UserOut.model_validate(user).model_copy(update={"roles": sorted(user.roles)})


@router.get("/me", response_model=MeOut, summary="The signed-in account")
def me(ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> MeOut:
    user = service.get_user(ctx.db, ctx.actor, ctx.actor.user_id or 0)
    return MeOut(
        **_user_out(user).model_dump(),
        permissions=sorted(ctx.actor.permissions),
        organisation_name=user.organisation.name(ctx.language),
    )


@router.get("/organisations", response_model=Page[OrganisationOut])
def list_organisations(
    q: str | None = Query(default=None, max_length=100, description="Words in name, code or USCC"),
    org_type: OrgType | None = None,
    parent_id: IntIdQuery = None,
    sort: str | None = Query(default=None, description="id, code, name_zh, created_at; -desc"),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.ORG_READ),
) -> Page[OrganisationOut]:
    stmt = service.organisations_statement(
        ctx.actor, text=q, org_type=org_type, parent_id=parent_id
    )
    rows, next_cursor = paginate(
        ctx.db,
        stmt,
        id_column=Organisation.id,
        allowed_sorts=ORG_SORTS,
        sort=sort,
        default_sort="id",
        limit=limit,
        cursor=cursor,
    )
    return Page(items=[OrganisationOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/organisations", response_model=OrganisationOut, status_code=201)
def create_organisation(
    body: OrganisationCreate, ctx: RequestContext = require(Permission.ORG_MANAGE)
) -> Response:
    def create() -> OrganisationOut:
        organisation = service.create_organisation(
            ctx.db, ctx.actor, service.OrganisationInput(**body.model_dump())
        )
        return OrganisationOut.model_validate(organisation)

    return idempotent(ctx, body, create)


@router.get("/organisations/{organisation_id:int}", response_model=OrganisationOut)
def get_organisation(
    organisation_id: IntId, ctx: RequestContext = require(Permission.ORG_READ)
) -> OrganisationOut:
    return OrganisationOut.model_validate(
        service.get_organisation(ctx.db, ctx.actor, organisation_id)
    )


@router.patch("/organisations/{organisation_id:int}", response_model=OrganisationOut)
def update_organisation(
    organisation_id: IntId,
    body: OrganisationUpdate,
    ctx: RequestContext = require(Permission.ORG_MANAGE),
) -> OrganisationOut:
    changes = body.model_dump(exclude_unset=True, exclude={"reason"})
    organisation = service.update_organisation(
        ctx.db, ctx.actor, organisation_id, changes, body.reason
    )
    return OrganisationOut.model_validate(organisation)


@router.get("/users", response_model=Page[UserOut])
def list_users(
    q: str | None = Query(default=None, max_length=100),
    organisation_id: IntIdQuery = None,
    role: Role | None = None,
    sort: str | None = Query(default=None, description="id, username, created_at; -desc"),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.USER_READ),
) -> Page[UserOut]:
    stmt = service.users_statement(ctx.actor, text=q, organisation_id=organisation_id, role=role)
    rows, next_cursor = paginate(
        ctx.db,
        stmt,
        id_column=User.id,
        allowed_sorts=USER_SORTS,
        sort=sort,
        default_sort="id",
        limit=limit,
        cursor=cursor,
    )
    return Page(items=[_user_out(r) for r in rows], next_cursor=next_cursor)


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(
    body: UserCreate, ctx: RequestContext = require(Permission.USER_MANAGE)
) -> Response:
    def create() -> UserOut:
        user = service.create_user(
            ctx.db, ctx.actor, ctx.settings, service.UserInput(**body.model_dump())
        )
        return _user_out(user)

    return idempotent(ctx, body.model_dump(exclude={"password"}), create)


@router.get("/users/{user_id:int}", response_model=UserOut)
def get_user(user_id: IntId, ctx: RequestContext = require(Permission.USER_READ)) -> UserOut:
    return _user_out(service.get_user(ctx.db, ctx.actor, user_id))


@router.patch("/users/{user_id:int}", response_model=UserOut)
def update_user(
    user_id: IntId, body: UserUpdate, ctx: RequestContext = require(Permission.USER_MANAGE)
) -> UserOut:
    changes = body.model_dump(exclude_unset=True, exclude={"reason"})
    return _user_out(service.update_user(ctx.db, ctx.actor, user_id, changes, body.reason))


@router.put("/users/{user_id:int}/roles", response_model=UserOut)
def set_user_roles(
    user_id: IntId, body: RolesUpdate, ctx: RequestContext = require(Permission.ROLE_ASSIGN)
) -> UserOut:
    return _user_out(service.set_roles(ctx.db, ctx.actor, user_id, body.roles, body.reason))


@router.post("/users/{user_id:int}/password", response_model=UserOut)
def reset_user_password(
    user_id: IntId, body: PasswordReset, ctx: RequestContext = require(Permission.USER_MANAGE)
) -> UserOut:
    return _user_out(
        service.reset_password(ctx.db, ctx.actor, ctx.settings, user_id, body.new_password)
    )


@router.post("/users/{user_id:int}/unlock", response_model=UserOut)
def unlock_user(
    user_id: IntId, body: ReasonInput, ctx: RequestContext = require(Permission.USER_MANAGE)
) -> UserOut:
    return _user_out(service.unlock_user(ctx.db, ctx.actor, user_id, body.reason))


@router.get("/tokens", response_model=list[TokenOut], summary="My API tokens")
def list_tokens(ctx: RequestContext = require(Permission.ACCOUNT_SELF)) -> list[TokenOut]:
    return [TokenOut.model_validate(t) for t in auth_service.list_api_tokens(ctx.db, ctx.actor)]


@router.post("/tokens", response_model=TokenCreated, status_code=201, summary="Create an API token")
def create_token(
    body: TokenCreate, ctx: RequestContext = require(Permission.ACCOUNT_SELF)
) -> Response:
    def create() -> TokenCreated:
        token, raw = auth_service.create_api_token(
            ctx.db,
            ctx.actor,
            name=body.name,
            scopes=body.scopes,
            expires_in_days=body.expires_in_days,
        )
        return TokenCreated(**TokenOut.model_validate(token).model_dump(), token=raw)

    return idempotent(ctx, body, create)


@router.delete("/tokens/{token_id:int}", response_model=TokenOut, summary="Revoke an API token")
def revoke_token(
    token_id: IntId, ctx: RequestContext = require(Permission.ACCOUNT_SELF)
) -> TokenOut:
    return TokenOut.model_validate(auth_service.revoke_api_token(ctx.db, ctx.actor, token_id))
