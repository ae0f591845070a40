"""Saved import profiles: create, change and delete column mappings; find a profile by name.

A saved profile belongs to an organisation and is visible in that organisation's data scope
(its own users and those above it). Every change is audited with the settings before and after.
Built-in profiles stay in code (`intake.profiles.PROFILES`); `profile_named` finds both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.identity import service as identity
from riskgate.identity.scope import get_in_scope, scoped
from riskgate.intake.custom import build_profile, check_settings
from riskgate.intake.models import ImportProfile
from riskgate.intake.profiles import PROFILES, Profile

EDITABLE = (
    "format", "source_channel", "mapping", "constants", "date_format", "encoding",
    "record_path", "restore_hs_zeros", "description",
)  # fmt: skip


def profiles_statement(actor: Actor) -> Select[Any]:
    """The saved profiles the actor may see and use (deleted ones are not listed)."""
    stmt = select(ImportProfile).where(ImportProfile.deleted_at.is_(None))
    return scoped(stmt, actor, ImportProfile.organisation_id)


def get_profile(db: Session, actor: Actor, profile_id: int) -> ImportProfile:
    found = get_in_scope(
        db, ImportProfile, profile_id, actor, ImportProfile.organisation_id,
        object_name=N_("import profile"),
    )  # fmt: skip
    if found.deleted_at is not None:
        raise NotFound(N_("import profile"))
    return found


def profile_choices(db: Session, actor: Actor) -> list[tuple[str, str]]:
    """(name, label) of every profile the actor may import with: built-in, then saved ones."""
    choices = [(name, name) for name in PROFILES]
    stmt = profiles_statement(actor).order_by(ImportProfile.name).limit(500)
    for saved in db.execute(stmt).scalars():
        choices.append((saved.name, f"{saved.name} ({saved.format})"))
    return choices


def profile_named(
    name: str, db: Session | None = None, actor: Actor | None = None, *, deleted: bool = False
) -> Profile:
    """A built-in profile, or a saved one visible to the actor (`deleted`: also deleted ones,
    so the batches imported with a profile since deleted can still be corrected)."""
    profile = PROFILES.get(name)
    if profile is not None:
        return profile
    if name.startswith("feed:"):
        # A polled feed's batch (channels.feed_service): its entries were turned into the
        # standard template's fields, source channel included, so corrections read them so.
        return PROFILES["riskgate_csv"]
    if db is not None and actor is not None:
        stmt = scoped(
            select(ImportProfile).where(ImportProfile.name == name), actor,
            ImportProfile.organisation_id,
        )  # fmt: skip
        if not deleted:
            stmt = stmt.where(ImportProfile.deleted_at.is_(None))
        saved = db.execute(stmt).scalar_one_or_none()
        if saved is not None:
            return build_profile(saved.settings(), saved_id=saved.id)
    raise ValidationFailed(
        fields=[
            FieldProblem(
                "profile",
                N_("Unknown import profile {name}; use one of: {allowed}."),
                {"name": name, "allowed": ", ".join(sorted(PROFILES)) + ", …"},
            )
        ]
    )


def _check(data: dict[str, Any]) -> None:
    problems = check_settings(data)
    if problems:
        raise ValidationFailed(fields=problems)


def create_profile(db: Session, actor: Actor, data: dict[str, Any]) -> ImportProfile:
    """Save a new mapping for an organisation in the actor's scope (default: the actor's own)."""
    _check(data)
    organisation_id = data.get("organisation_id") or actor.organisation_id
    if organisation_id is None:
        raise ValidationFailed(fields=[FieldProblem(
            "organisation_id", N_("Records must belong to an organisation."))])  # fmt: skip
    organisation = identity.get_organisation(db, actor, organisation_id)
    if db.execute(select(ImportProfile.id).where(ImportProfile.name == data["name"])).first():
        raise Conflict(N_("An import profile named {name} exists already."), name=data["name"])
    profile = ImportProfile(
        name=data["name"], organisation_id=organisation.id, created_by_user_id=actor.user_id,
        **{key: data.get(key) for key in EDITABLE},
    )  # fmt: skip
    profile.mapping = dict(data.get("mapping") or {})
    profile.constants = dict(data.get("constants") or {})
    profile.restore_hs_zeros = bool(data.get("restore_hs_zeros"))
    db.add(profile)
    db.flush()
    audit.record(
        db, actor, "import.profile_create", object_type="import_profile", object_id=profile.id,
        after=profile.settings(), organisation_id=organisation.id,
    )  # fmt: skip
    return profile


def update_profile(
    db: Session, actor: Actor, profile_id: int, data: dict[str, Any], reason: str | None = None
) -> ImportProfile:
    """Change a saved mapping's settings (not its name or owner: batches refer to the name)."""
    profile = get_profile(db, actor, profile_id)
    before = profile.settings()
    merged = {**before, **{k: v for k, v in data.items() if k in EDITABLE}}
    _check(merged)
    for key in EDITABLE:
        if key in data:
            setattr(profile, key, merged[key])
    profile.restore_hs_zeros = bool(profile.restore_hs_zeros)
    db.flush()
    old, new = audit.diff(before, profile.settings())
    if old or new:
        audit.record(
            db, actor, "import.profile_update", object_type="import_profile",
            object_id=profile.id, before=old, after=new, reason=reason,
            organisation_id=profile.organisation_id,
        )  # fmt: skip
    return profile


def delete_profile(
    db: Session, actor: Actor, profile_id: int, reason: str | None = None
) -> ImportProfile:
    """Withdraw a mapping from use; its name stays reserved and its batches stay correctable."""
    profile = get_profile(db, actor, profile_id)
    profile.deleted_at = utcnow()
    db.flush()
    audit.record(
        db, actor, "import.profile_delete", object_type="import_profile", object_id=profile.id,
        before=profile.settings(), reason=reason, organisation_id=profile.organisation_id,
    )  # fmt: skip
    return profile
