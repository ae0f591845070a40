"""Panels of the expert committee, their members, and the experts' declared conflicts.

Scope: a panel belongs to the organisation whose committee it is (the lead agency). The
secretary (COMMITTEE_MANAGE) manages panels in their organisation's subtree; anyone with
COMMITTEE_READ sees those panels, and an expert also sees the panels they are a member of,
whatever their own organisation (experts often sit in labs, universities or other agencies).

The expert registry is global: any active user with the expert role may be made a member — the
secretary sees their name and organisation, nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.permissions import Role
from riskgate.experts.enums import ConflictKind, MemberRole
from riskgate.experts.models import ExpertConflict, ExpertPanel, PanelMember
from riskgate.identity import service as identity
from riskgate.identity.models import Organisation, User, UserRole
from riskgate.identity.scope import get_in_scope, scope_condition, scoped

PANEL = N_("expert panel")
EXPERT = N_("expert")
CONFLICT = N_("conflict of interest")
PANEL_FIELDS = ("name_zh", "name_en", "field", "description", "hazard_classes", "hs_chapters",
                "decision_rule", "quorum", "active")


def today() -> dt.date:
    return utcnow().date()


def my_panel_ids(actor: Actor) -> Select[Any]:
    return select(PanelMember.panel_id).where(PanelMember.user_id == actor.user_id)


def readable(stmt: Select[Any], actor: Actor, org_column: Any, panel_column: Any) -> Select[Any]:
    """Limit `stmt` to the actor's organisation scope, or to panels the actor is a member of."""
    condition = scope_condition(actor, org_column)
    if condition is None:
        return stmt
    return stmt.where(or_(condition, panel_column.in_(my_panel_ids(actor))))


def panels_statement(actor: Actor, *, active_only: bool = False) -> Select[Any]:
    stmt = readable(select(ExpertPanel), actor, ExpertPanel.organisation_id, ExpertPanel.id)
    return stmt.where(ExpertPanel.active.is_(True)) if active_only else stmt


def get_panel(db: Session, actor: Actor, panel_id: int) -> ExpertPanel:
    """A panel the actor may read (scope or membership), else NotFound."""
    found: ExpertPanel | None = db.execute(
        panels_statement(actor).where(ExpertPanel.id == panel_id)).scalar()
    if found is None:
        raise NotFound(PANEL)
    return found


def managed_panel(db: Session, actor: Actor, panel_id: int) -> ExpertPanel:
    """A panel in the actor's organisation scope (membership alone does not let one manage)."""
    return get_in_scope(db, ExpertPanel, panel_id, actor, ExpertPanel.organisation_id,
                        object_name=PANEL)


def _snapshot(panel: ExpertPanel) -> dict[str, Any]:
    return {name: getattr(panel, name) for name in PANEL_FIELDS}


def _check_chapters(chapters: list[str]) -> list[str]:
    for chapter in chapters:
        if len(chapter) != 2 or not chapter.isdigit() or not 1 <= int(chapter) <= 97:
            raise ValidationFailed(fields=[FieldProblem(
                "hs_chapters", N_("{chapter} is not an HS chapter (01 to 97)."),
                {"chapter": chapter})])
    return sorted(set(chapters))


def create_panel(db: Session, actor: Actor, data: dict[str, Any]) -> ExpertPanel:
    """A new panel of the committee of `organisation_id` (default: the actor's organisation)."""
    organisation = identity.get_organisation(
        db, actor, data.pop("organisation_id", None) or actor.organisation_id or 0)
    data["hs_chapters"] = _check_chapters(list(data.get("hs_chapters") or []))
    data["hazard_classes"] = sorted({str(h) for h in data.get("hazard_classes") or []})
    panel = ExpertPanel(organisation_id=organisation.id, **data)
    db.add(panel)
    db.flush()
    audit.record(db, actor, "experts.panel_created", object_type="expert_panel",
                 object_id=panel.id, after=_snapshot(panel), organisation_id=organisation.id)
    return panel


def update_panel(db: Session, actor: Actor, panel_id: int, changes: dict[str, Any],
                 reason: str | None = None) -> ExpertPanel:
    panel = managed_panel(db, actor, panel_id)
    before = _snapshot(panel)
    if "hs_chapters" in changes:
        changes["hs_chapters"] = _check_chapters(list(changes["hs_chapters"] or []))
    if "hazard_classes" in changes:
        changes["hazard_classes"] = sorted({str(h) for h in changes["hazard_classes"] or []})
    for name, value in changes.items():
        if name in PANEL_FIELDS:
            setattr(panel, name, value)
    db.flush()
    old, new = audit.diff(before, _snapshot(panel))
    if new:
        audit.record(db, actor, "experts.panel_updated", object_type="expert_panel",
                     object_id=panel.id, before=old, after=new, reason=reason,
                     organisation_id=panel.organisation_id)
    return panel


# --- Members -------------------------------------------------------------------------------


def candidates(db: Session) -> list[User]:
    """Active users holding the expert role (the committee's registry of experts)."""
    return list(db.execute(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.EXPERT, User.active.is_(True)).order_by(User.id)
    ).scalars().unique())  # fmt: skip


def _expert(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None or not user.active or Role.EXPERT not in user.roles:
        raise ValidationFailed(fields=[FieldProblem(
            "user_id", N_("The user is not an active expert."))])
    return user


def set_member(db: Session, actor: Actor, panel_id: int, user_id: int, *, role: MemberRole,
               term_start: dt.date, term_end: dt.date | None) -> PanelMember:
    """Add an expert to a panel or change their role or term; a new chair replaces the old one
    (who stays a member)."""
    panel = managed_panel(db, actor, panel_id)
    user = _expert(db, user_id)
    if term_end is not None and term_end < term_start:
        raise ValidationFailed(fields=[FieldProblem(
            "term_end", N_("The term cannot end before it starts."))])
    member = next((m for m in panel.members if m.user_id == user.id), None)
    before = None if member is None else {"role": member.role, "term_start": member.term_start,
                                          "term_end": member.term_end}
    if member is None:
        member = PanelMember(panel_id=panel.id, user_id=user.id, role=role,
                             term_start=term_start, term_end=term_end)
        panel.members.append(member)
    if role == MemberRole.chair:
        for other in panel.members:
            if other is not member and other.role == MemberRole.chair:
                other.role = MemberRole.member
    member.role, member.term_start, member.term_end = role, term_start, term_end
    db.flush()
    after = {"role": role, "term_start": term_start, "term_end": term_end, "user": user.username}
    audit.record(db, actor, "experts.member_set", object_type="expert_panel", object_id=panel.id,
                 before=before, after=after, organisation_id=panel.organisation_id)
    return member


def serving_members(panel: ExpertPanel, day: dt.date | None = None) -> list[PanelMember]:
    day = day or today()
    return [m for m in panel.members if m.serving_on(day)]


def chair_of(panel: ExpertPanel, day: dt.date | None = None) -> PanelMember | None:
    return next((m for m in serving_members(panel, day) if m.role == MemberRole.chair), None)


def users_by_id(db: Session, ids: list[int] | set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in db.execute(select(User).where(User.id.in_(ids))).scalars()}


def organisation_names(db: Session, ids: set[int]) -> dict[int, Organisation]:
    if not ids:
        return {}
    return {o.id: o for o in db.execute(
        select(Organisation).where(Organisation.id.in_(ids))).scalars()}


# --- Conflicts of interest -----------------------------------------------------------------


def _visible_expert(db: Session, actor: Actor, user_id: int) -> User:
    """The expert themself, or a member of a panel in the actor's organisation scope."""
    if actor.user_id == user_id or actor.is_system:
        user = db.get(User, user_id)
        if user is not None:
            return user
    member = db.execute(scoped(
        select(PanelMember.user_id).join(ExpertPanel, ExpertPanel.id == PanelMember.panel_id)
        .where(PanelMember.user_id == user_id), actor, ExpertPanel.organisation_id)
    ).first()  # fmt: skip
    if member is None:
        raise NotFound(EXPERT)
    user = db.get(User, user_id)
    assert user is not None  # a member is a user (foreign key)
    return user


def conflicts_of(db: Session, actor: Actor, user_id: int) -> list[ExpertConflict]:
    _visible_expert(db, actor, user_id)
    return list(db.execute(
        select(ExpertConflict).where(ExpertConflict.user_id == user_id)
        .order_by(ExpertConflict.declared_on.desc(), ExpertConflict.id.desc())
    ).scalars())  # fmt: skip


def _check_conflict(data: dict[str, Any]) -> None:
    kind = ConflictKind(data["kind"])
    needs = {
        ConflictKind.enterprise: (data.get("enterprise_uscc") or data.get("enterprise_name"),
                                  "enterprise_name",
                                  N_("Name the enterprise by its USCC or by name and country.")),
        ConflictKind.country: (data.get("country"), "country", N_("Name the country.")),
        ConflictKind.product_area: (data.get("hs_chapter") or data.get("product_area"),
                                    "product_area",
                                    N_("Name the product area or the HS chapter.")),
        ConflictKind.other: (data.get("description"), "description",
                             N_("Describe the conflict of interest.")),
    }
    present, loc, message = needs[kind]
    if not present:
        raise ValidationFailed(fields=[FieldProblem(loc, message)])
    if data.get("hs_chapter"):
        _check_chapters([data["hs_chapter"]])


def record_conflict(db: Session, actor: Actor, user_id: int,
                    data: dict[str, Any]) -> ExpertConflict:
    """Record a declared conflict (by the expert, or by the secretary on their behalf), audited.
    Declaring one also withdraws the assignments it concerns: `service.declare_conflict`."""
    user = _visible_expert(db, actor, user_id)
    if Role.EXPERT not in user.roles:
        raise ValidationFailed(fields=[FieldProblem(
            "user_id", N_("The user is not an active expert."))])
    _check_conflict(data)
    conflict = ExpertConflict(
        user_id=user.id, kind=ConflictKind(data["kind"]),
        enterprise_uscc=(data.get("enterprise_uscc") or None),
        enterprise_name=data.get("enterprise_name") or None,
        country=(data.get("country") or "").upper() or None,
        hs_chapter=data.get("hs_chapter") or None,
        product_area=data.get("product_area") or None,
        description=data.get("description") or None,
        declared_on=data.get("declared_on") or today(),
        recorded_by=actor.username, created_at=utcnow(),
    )  # fmt: skip
    db.add(conflict)
    db.flush()
    audit.record(db, actor, "experts.conflict_declared", object_type="expert_conflict",
                 object_id=conflict.id, after={
                     "user": user.username, "kind": conflict.kind,
                     "enterprise_uscc": conflict.enterprise_uscc,
                     "enterprise_name": conflict.enterprise_name, "country": conflict.country,
                     "hs_chapter": conflict.hs_chapter, "product_area": conflict.product_area,
                     "declared_on": conflict.declared_on})  # fmt: skip
    return conflict


def end_conflict(db: Session, actor: Actor, user_id: int, conflict_id: int, *,
                 reason: str, ended_on: dt.date | None = None) -> ExpertConflict:
    """End a declared conflict (the interest ceased), by the expert or the secretary: it stays
    on record but no longer blocks assignments. Audited; an ended conflict cannot end again."""
    user = _visible_expert(db, actor, user_id)
    conflict = db.get(ExpertConflict, conflict_id)
    if conflict is None or conflict.user_id != user.id:
        raise NotFound(CONFLICT)
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(fields=[FieldProblem(
            "reason", N_("Give the reason for ending the conflict of interest."))])
    if conflict.ended_on is not None:
        raise Conflict(N_("The conflict of interest already ended on {ended_on}."),
                       ended_on=conflict.ended_on.isoformat())
    day = ended_on or today()
    if day < conflict.declared_on or day > today():
        raise ValidationFailed(fields=[FieldProblem("ended_on", N_(
            "The end date must be between the declaration and today."))])
    conflict.ended_on, conflict.end_reason, conflict.ended_by = day, text, actor.username
    db.flush()
    audit.record(db, actor, "experts.conflict_ended", object_type="expert_conflict",
                 object_id=conflict.id, before={"ended_on": None},
                 after={"user": user.username, "ended_on": day}, reason=text)
    return conflict
