"""Issuing authority (W3): which organisation levels may approve, publish, adjust to or lift a
warning of each level. The rules live in `issuing_authority_rule` (seeded by migration 0015:
I national; II national or provincial; III and IV down to city) and supervisors change them."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.enums import WarningLevel
from riskgate.core.context import Actor
from riskgate.core.errors import DomainError, FieldProblem, ValidationFailed, translate
from riskgate.core.i18n import N_, gettext
from riskgate.identity.enums import OrgLevel
from riskgate.identity.models import Organisation
from riskgate.warnings.enums import WarningStatus
from riskgate.warnings.models import IssuingAuthorityRule, PublicWarning

ISSUING_LEVELS = (OrgLevel.NATIONAL, OrgLevel.PROVINCIAL, OrgLevel.CITY, OrgLevel.COUNTY)


class NoIssuingAuthority(DomainError):
    """Shown with labels (省级, 国家级), never the stored codes: `org_level` is a label msgid
    and `allowed` a list of them, each translated in the reader's language."""

    status = 403
    type_slug = "no-issuing-authority"
    title = N_("No issuing authority")
    message = N_("A {org_level} organisation may not issue a level {level} warning; the rules "
                 "allow: {allowed}.")

    def translated(self, language: str) -> str:
        allowed = self.params.get("allowed")
        if isinstance(allowed, list):
            joined = "、".join(gettext(m, language) for m in allowed) if language.startswith(
                "zh") else ", ".join(gettext(m, language) for m in allowed)
            return translate(self.message, language, {**self.params, "allowed": joined or "-"})
        return super().translated(language)


def rules(db: Session) -> dict[WarningLevel, list[str]]:
    found = {row.level: list(row.org_levels or [])
             for row in db.execute(select(IssuingAuthorityRule)).scalars()}
    return {level: found.get(level, []) for level in WarningLevel}


def org_level_of(db: Session, organisation_id: int | None) -> str | None:
    if organisation_id is None:
        return None
    level = db.execute(select(Organisation.level).where(
        Organisation.id == organisation_id)).scalar_one_or_none()
    return OrgLevel(level).value if level else None


def level_msgid(code: str) -> str:
    """The label msgid of an organisation level code (the code itself when unknown)."""
    return OrgLevel(code).msgid if code in {lv.value for lv in OrgLevel} else code


def allows(db: Session, organisation_id: int | None, level: WarningLevel) -> bool:
    """Whether the organisation's level holds the authority to issue `level`."""
    org_level = org_level_of(db, organisation_id)
    return org_level is not None and org_level in rules(db)[WarningLevel(level)]


def check(db: Session, organisation_id: int | None, level: WarningLevel) -> None:
    """Raise NoIssuingAuthority unless the organisation's level may issue `level`."""
    if allows(db, organisation_id, level):
        return
    org_level = org_level_of(db, organisation_id)
    raise NoIssuingAuthority(org_level=level_msgid(org_level) if org_level else "-",
                             level=WarningLevel(level).value,
                             allowed=[level_msgid(lv) for lv in rules(db)[WarningLevel(level)]])


def update_rule(db: Session, actor: Actor, level: WarningLevel,
                org_levels: list[str]) -> IssuingAuthorityRule:
    """Set who may issue `level`; audited. At least one level, all of them administrative."""
    valid = {lv.value for lv in ISSUING_LEVELS}
    chosen = [lv for lv in dict.fromkeys(org_levels)]
    unknown = [lv for lv in chosen if lv not in valid]
    if unknown or not chosen:
        raise ValidationFailed(fields=[FieldProblem(
            "org_levels", N_("Choose one or more of: {choices}."),
            {"choices": ", ".join(sorted(valid))})])
    rule = db.get(IssuingAuthorityRule, WarningLevel(level))
    before = list(rule.org_levels) if rule else []
    if rule is None:
        rule = IssuingAuthorityRule(level=WarningLevel(level), org_levels=chosen)
        db.add(rule)
    rule.org_levels = chosen
    rule.updated_by = actor.username
    db.flush()
    audit.record(db, actor, "warning.authority.update", object_type="issuing_authority_rule",
                 object_id=None, before={"level": level, "org_levels": before},
                 after={"level": level, "org_levels": chosen})
    return rule


def approvable_levels(db: Session, organisation_id: int | None) -> list[WarningLevel]:
    """The warning levels the organisation's level holds the authority to approve."""
    org_level = None
    if organisation_id is not None:
        org_level = db.execute(select(Organisation.level).where(
            Organisation.id == organisation_id)).scalar_one_or_none()
    if org_level is None:
        return []
    code = OrgLevel(org_level).value
    return [level for level, allowed in rules(db).items() if code in allowed]


def approval_queue_condition(db: Session, actor: Actor) -> ColumnElement[bool]:
    """The approver's queue (added to the warnings the actor may read): in review, of a level
    the actor's organisation may approve, not drafted by the actor (four eyes). The overview's
    to-do tile and the warnings list's `approvable` filter both use it."""
    # Routed (报送签发) to the actor's organisation; a warning submitted before routing existed
    # waits wherever its level may be approved.
    waiting_here = or_(
        PublicWarning.routed_organisation_id == actor.organisation_id,
        and_(PublicWarning.routed_organisation_id.is_(None),
             PublicWarning.level.in_(approvable_levels(db, actor.organisation_id))))
    condition = and_(PublicWarning.status == WarningStatus.in_review, waiting_here)
    if actor.user_id is not None:
        condition = and_(condition, or_(PublicWarning.created_by_user_id.is_(None),
                                        PublicWarning.created_by_user_id != actor.user_id))
    return condition
