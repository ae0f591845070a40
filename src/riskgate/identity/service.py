"""Named workflow steps for organisations and users. Each audits what it changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session
from stdnum.cn import uscc as uscc_number
from stdnum.exceptions import ValidationError as StdnumError

from riskgate.audit import service as audit
from riskgate.catalog import reference
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import (
    Conflict,
    FieldProblem,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from riskgate.core.i18n import N_
from riskgate.core.permissions import Role, admin_duty_conflict
from riskgate.core.settings import Settings
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.models import Organisation, User, UserRole, WebSession
from riskgate.identity.passwords import (
    PASSWORD_MESSAGES,
    hash_password,
    password_problems,
    verify_password,
)
from riskgate.identity.scope import get_in_scope, in_subtree, org_in_scope, scoped
from riskgate.outbox import service as outbox

ORG_AUDIT_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "org_type",
    "level",
    "parent_id",
    "region_code",
    "port_code",
    "uscc",
    "foreign_country",
    "foreign_registration_number",
    "contact_email",
    "active",
)
USER_AUDIT_FIELDS = ("username", "display_name", "email", "organisation_id", "active", "language")


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


# --- Organisations -------------------------------------------------------------------------


@dataclass
class OrganisationInput:
    code: str
    name_zh: str
    org_type: OrgType
    level: OrgLevel = OrgLevel.NONE
    name_en: str | None = None
    parent_id: int | None = None
    region_code: str | None = None
    port_code: str | None = None
    uscc: str | None = None
    foreign_country: str | None = None
    foreign_registration_number: str | None = None
    contact_email: str | None = None
    is_demo: bool = False


def validate_uscc(value: str) -> str:
    """Normalise and check a unified social credit code (GB 32100), or raise a field error."""
    try:
        return uscc_number.validate(value)
    except StdnumError as error:
        raise ValidationFailed(
            fields=[
                FieldProblem(
                    "uscc",
                    N_("Not a valid unified social credit code: {reason}"),
                    {"reason": str(error)},
                )
            ]
        ) from error


# Codes an organisation refers to, each checked against the reference catalogue.
_REFERENCE_CHECKS = (
    ("region_code", reference.region, N_(
        "Unknown region code {code}: use a 6-digit administrative division code from the "
        "reference catalogue.")),
    ("port_code", reference.port, N_(
        "Unknown port {code}: use a port code from the reference catalogue.")),
    ("foreign_country", reference.country, N_(
        "Unknown country code {code}: use an ISO 3166 alpha-2 code.")),
)


def _check_organisation(db: Session, data: OrganisationInput, *, existing_id: int | None) -> None:
    problems: list[FieldProblem] = []
    if data.org_type == OrgType.ENTERPRISE and not data.uscc:
        problems.append(
            FieldProblem("uscc", N_("A domestic enterprise needs its unified social credit code."))
        )
    if data.org_type == OrgType.FOREIGN_ENTERPRISE and not (
        data.foreign_country and data.foreign_registration_number and data.name_en
    ):
        problems.append(
            FieldProblem(
                "foreign_registration_number",
                N_("A foreign enterprise needs its English name, country and registration number."),
            )
        )
    for field, lookup, message in _REFERENCE_CHECKS:
        value = getattr(data, field)
        if value is not None and lookup(value) is None:
            problems.append(FieldProblem(field, message, {"code": value}))
    if problems:
        raise ValidationFailed(fields=problems)
    if data.uscc:
        data.uscc = validate_uscc(data.uscc)
    clash = db.execute(
        select(Organisation.id, Organisation.code, Organisation.uscc).where(
            (Organisation.code == data.code)
            | ((Organisation.uscc == data.uscc) if data.uscc else False)
        )
    ).first()
    if clash is not None and clash.id != existing_id:
        loc = "code" if clash.code == data.code else "uscc"
        label = N_("code") if loc == "code" else N_("unified social credit code")
        message = N_("An organisation with this {field} already exists.")
        raise Conflict(message, field=label, fields=[FieldProblem(loc, message, {"field": label})])


def create_organisation(db: Session, actor: Actor, data: OrganisationInput) -> Organisation:
    """Add an organisation under a parent the actor may see (top level: system only)."""
    parent = None
    if data.parent_id is not None:
        parent = get_in_scope(
            db,
            Organisation,
            data.parent_id,
            actor,
            Organisation.id,
            object_name=N_("parent organisation"),
        )
    elif not actor.is_system and not data.org_type.is_enterprise:
        raise PermissionDenied(N_("Only the system can create a top-level organisation."))
    _check_organisation(db, data, existing_id=None)
    organisation = Organisation(
        code=data.code,
        name_zh=data.name_zh,
        name_en=data.name_en,
        org_type=data.org_type,
        level=data.level,
        parent_id=data.parent_id,
        region_code=data.region_code,
        port_code=data.port_code,
        uscc=data.uscc,
        foreign_country=data.foreign_country,
        foreign_registration_number=data.foreign_registration_number,
        contact_email=data.contact_email,
        is_demo=data.is_demo,
        path="/",
    )
    db.add(organisation)
    db.flush()
    organisation.path = f"{parent.path if parent else '/'}{organisation.id}/"
    db.flush()
    audit.record(
        db,
        actor,
        "organisation.created",
        object_type="organisation",
        object_id=organisation.id,
        after=snapshot(organisation, ORG_AUDIT_FIELDS),
        organisation_id=organisation.id,
    )
    return organisation


def update_organisation(
    db: Session, actor: Actor, organisation_id: int, changes: dict[str, Any], reason: str | None
) -> Organisation:
    organisation = get_organisation(db, actor, organisation_id)
    before = snapshot(organisation, ORG_AUDIT_FIELDS)
    merged = OrganisationInput(
        **{
            k: v
            for k, v in {**before, **changes}.items()
            if k in OrganisationInput.__dataclass_fields__
        }
    )
    _check_organisation(db, merged, existing_id=organisation.id)
    for key in (
        "code",
        "name_zh",
        "name_en",
        "level",
        "region_code",
        "port_code",
        "uscc",
        "foreign_country",
        "foreign_registration_number",
        "contact_email",
        "active",
    ):
        if key in changes:
            setattr(organisation, key, merged.uscc if key == "uscc" else changes[key])
    if "parent_id" in changes and changes["parent_id"] != organisation.parent_id:
        _move(db, actor, organisation, changes["parent_id"])
    db.flush()
    old, new = audit.diff(before, snapshot(organisation, ORG_AUDIT_FIELDS))
    if new or old:
        audit.record(
            db,
            actor,
            "organisation.updated",
            object_type="organisation",
            object_id=organisation.id,
            before=old,
            after=new,
            reason=reason,
            organisation_id=organisation.id,
        )
    return organisation


def _move(db: Session, actor: Actor, organisation: Organisation, parent_id: int | None) -> None:
    if parent_id is None:
        raise ValidationFailed(
            fields=[
                FieldProblem("parent_id", N_("An organisation cannot be moved to the top level."))
            ]
        )
    parent = get_organisation(db, actor, parent_id)
    if parent.path.startswith(organisation.path):
        raise ValidationFailed(
            fields=[
                FieldProblem(
                    "parent_id",
                    N_("An organisation cannot be moved under itself or its own subtree."),
                )
            ]
        )
    old_prefix = organisation.path
    new_prefix = f"{parent.path}{organisation.id}/"
    for node in db.execute(
        select(Organisation).where(in_subtree(Organisation.path, old_prefix))
    ).scalars():
        node.path = new_prefix + node.path[len(old_prefix) :]
    organisation.parent_id = parent.id


def get_organisation(db: Session, actor: Actor, organisation_id: int) -> Organisation:
    return get_in_scope(
        db,
        Organisation,
        organisation_id,
        actor,
        Organisation.id,
        object_name=N_("organisation"),
        object_type="organisation",
    )


def organisations_statement(
    actor: Actor,
    *,
    text: str | None = None,
    org_type: OrgType | None = None,
    parent_id: int | None = None,
) -> Select[Any]:
    stmt = scoped(
        select(Organisation),
        actor,
        Organisation.id,
        object_type="organisation",
        id_column=Organisation.id,
    )
    if text:
        like = f"%{text.strip()}%"
        stmt = stmt.where(
            Organisation.name_zh.ilike(like)
            | Organisation.name_en.ilike(like)
            | Organisation.code.ilike(like)
            | Organisation.uscc.ilike(like)
        )
    if org_type:
        stmt = stmt.where(Organisation.org_type == org_type)
    if parent_id is not None:
        stmt = stmt.where(Organisation.parent_id == parent_id)
    return stmt


# --- Users ---------------------------------------------------------------------------------


@dataclass
class UserInput:
    username: str
    display_name: str
    organisation_id: int
    password: str
    roles: list[Role]
    email: str | None = None
    language: str = "zh-CN"
    is_demo: bool = False


def check_password(
    settings: Settings, password: str, username: str, field: str = "password"
) -> None:
    problems = password_problems(
        password, username=username, min_length=settings.password_min_length
    )
    if problems:
        raise ValidationFailed(
            fields=[
                FieldProblem(
                    field, PASSWORD_MESSAGES[p], {"min_length": settings.password_min_length}
                )
                for p in problems
            ]
        )


def _check_roles(organisation: Organisation, roles: list[Role]) -> None:
    conflict = admin_duty_conflict(set(roles))
    if conflict:
        raise ValidationFailed(
            fields=[
                FieldProblem(
                    "roles",
                    N_(
                        "The system, security and audit administrator duties must be held by "
                        "different accounts; this account would hold: {roles}."
                    ),
                    {"roles": ", ".join(sorted(conflict))},
                )
            ]
        )
    if organisation.org_type.is_enterprise and set(roles) - {Role.ENTERPRISE_USER}:
        raise ValidationFailed(
            fields=[
                FieldProblem(
                    "roles", N_("Users of an enterprise can only have the enterprise user role.")
                )
            ]
        )
    if not organisation.org_type.is_enterprise and Role.ENTERPRISE_USER in roles:
        raise ValidationFailed(
            fields=[
                FieldProblem(
                    "roles", N_("The enterprise user role is only for users of an enterprise.")
                )
            ]
        )


def create_user(db: Session, actor: Actor, settings: Settings, data: UserInput) -> User:
    """Create an account in an organisation the actor may see, with its roles."""
    organisation = get_organisation(db, actor, data.organisation_id)
    username = data.username.strip().lower()
    if db.execute(select(User.id).where(User.username == username)).first():
        raise Conflict(N_("The user name {username} is taken."), username=username)
    check_password(settings, data.password, username)
    _check_roles(organisation, data.roles)
    user = User(
        username=username,
        display_name=data.display_name.strip(),
        email=data.email,
        organisation_id=organisation.id,
        password_hash=hash_password(data.password, settings),
        language=data.language,
        is_demo=data.is_demo,
        role_rows=[UserRole(role=r) for r in sorted(set(data.roles))],
    )
    db.add(user)
    db.flush()
    audit.record(
        db,
        actor,
        "user.created",
        object_type="user",
        object_id=user.id,
        after={**snapshot(user, USER_AUDIT_FIELDS), "roles": sorted(user.roles)},
        organisation_id=organisation.id,
    )
    outbox.notify_user(
        db,
        user,
        topic="user.welcome",
        subject=N_("Your riskgate account"),
        body=N_("An account {username} has been created for you in {organisation}."),
        params={"username": user.username, "organisation": organisation.name_zh},
        link="/console",
    )
    return user


def get_user(db: Session, actor: Actor, user_id: int) -> User:
    return get_in_scope(db, User, user_id, actor, User.organisation_id, object_name=N_("user"))


def users_statement(
    actor: Actor,
    *,
    text: str | None = None,
    organisation_id: int | None = None,
    role: Role | None = None,
) -> Select[Any]:
    stmt = scoped(select(User), actor, User.organisation_id)
    if text:
        like = f"%{text.strip()}%"
        stmt = stmt.where(User.username.ilike(like) | User.display_name.ilike(like))
    if organisation_id is not None:
        stmt = stmt.where(User.organisation_id == organisation_id)
    if role is not None:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    return stmt


def organisation_chain(db: Session, organisation_id: int) -> list[Organisation]:
    """The organisation and its ancestors, nearest first: one query, read off the materialised
    path ("/1/4/7/" holds the ids from the top down). Unscoped, as `active_users`: for services
    routing work up a chain (escalation, issuing authority, routing by competence)."""
    organisation = db.get(Organisation, organisation_id)
    if organisation is None:
        return []
    ids = [int(part) for part in organisation.path.strip("/").split("/") if part]
    found = {o.id: o for o in db.execute(
        select(Organisation).where(Organisation.id.in_(ids))).scalars()}
    return [found[i] for i in reversed(ids) if i in found]


def active_users(db: Session, organisation_id: int, role: Role | None = None) -> list[User]:
    """The organisation's active users (with `role`, if given): whom to notify. Unscoped: the
    callers are services telling an organisation, not listing users for an actor."""
    stmt = select(User).where(User.organisation_id == organisation_id, User.active.is_(True))
    if role is not None:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    return list(db.execute(stmt.order_by(User.id)).scalars())


def update_user(
    db: Session, actor: Actor, user_id: int, changes: dict[str, Any], reason: str | None = None
) -> User:
    user = get_user(db, actor, user_id)
    if user.id == actor.user_id and changes.get("active") is False:
        raise ValidationFailed(
            fields=[FieldProblem("active", N_("You cannot deactivate yourself."))]
        )
    before = snapshot(user, USER_AUDIT_FIELDS)
    if "organisation_id" in changes and changes["organisation_id"] != user.organisation_id:
        target = get_organisation(db, actor, changes["organisation_id"])
        _check_roles(target, list(user.roles))
    for key in ("display_name", "email", "organisation_id", "active", "language"):
        if key in changes:
            setattr(user, key, changes[key])
    db.flush()
    old, new = audit.diff(before, snapshot(user, USER_AUDIT_FIELDS))
    if old or new:
        audit.record(
            db,
            actor,
            "user.updated",
            object_type="user",
            object_id=user.id,
            before=old,
            after=new,
            reason=reason,
            organisation_id=user.organisation_id,
        )
    return user


def set_roles(
    db: Session, actor: Actor, user_id: int, roles: list[Role], reason: str | None
) -> User:
    user = get_user(db, actor, user_id)
    _check_roles(user.organisation, roles)
    before = sorted(user.roles)
    wanted = set(roles)
    user.role_rows = [r for r in user.role_rows if r.role in wanted] + [
        UserRole(role=r) for r in sorted(wanted - user.roles)
    ]
    db.flush()
    if before != sorted(wanted):
        audit.record(
            db,
            actor,
            "user.roles_changed",
            object_type="user",
            object_id=user.id,
            before={"roles": before},
            after={"roles": sorted(wanted)},
            reason=reason,
            organisation_id=user.organisation_id,
        )
    return user


def reset_password(
    db: Session, actor: Actor, settings: Settings, user_id: int, new_password: str
) -> User:
    """An administrator sets a new password; the old sessions end."""
    user = get_user(db, actor, user_id)
    _apply_new_password(db, actor, settings, user, new_password, action="user.password_reset")
    return user


def change_own_password(
    db: Session, actor: Actor, settings: Settings, current: str, new_password: str
) -> User:
    user = db.get(User, actor.user_id)
    if user is None:
        raise NotFound(N_("user"))
    if not verify_password(user.password_hash, current, settings):
        raise ValidationFailed(
            fields=[FieldProblem("current_password", N_("The current password is wrong."))]
        )
    _apply_new_password(db, actor, settings, user, new_password, action="user.password_changed")
    return user


def _apply_new_password(
    db: Session, actor: Actor, settings: Settings, user: User, new_password: str, *, action: str
) -> None:
    check_password(settings, new_password, user.username, field="new_password")
    user.password_hash = hash_password(new_password, settings)
    user.password_changed_at = utcnow()
    user.failed_sign_ins = 0
    user.locked_until = None
    for web_session in db.execute(
        select(WebSession).where(WebSession.user_id == user.id, WebSession.revoked_at.is_(None))
    ).scalars():
        web_session.revoked_at = utcnow()
    audit.record(
        db,
        actor,
        action,
        object_type="user",
        object_id=user.id,
        organisation_id=user.organisation_id,
    )


def unlock_user(db: Session, actor: Actor, user_id: int, reason: str | None) -> User:
    user = get_user(db, actor, user_id)
    if user.locked_until is not None:
        before = {"locked_until": user.locked_until}
        user.locked_until = None
        user.failed_sign_ins = 0
        audit.record(
            db,
            actor,
            "user.unlocked",
            object_type="user",
            object_id=user.id,
            before=before,
            after={"locked_until": None},
            reason=reason,
            organisation_id=user.organisation_id,
        )
    return user


def org_visible(actor: Actor, organisation: Organisation) -> bool:
    return org_in_scope(actor, organisation)
