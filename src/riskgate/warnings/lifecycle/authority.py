"""Issuing authority (W3): which organisation levels may approve, publish, adjust to or lift a
warning of each level. The rules live in `issuing_authority_rule` (seeded by migration 0015:
I national; II national or provincial; III and IV down to city) and supervisors change them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.enums import WarningLevel
from riskgate.core.context import Actor
from riskgate.core.errors import DomainError, FieldProblem, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.identity.enums import OrgLevel
from riskgate.identity.models import Organisation
from riskgate.warnings.models import IssuingAuthorityRule

ISSUING_LEVELS = (OrgLevel.NATIONAL, OrgLevel.PROVINCIAL, OrgLevel.CITY, OrgLevel.COUNTY)


class NoIssuingAuthority(DomainError):
    status = 403
    type_slug = "no-issuing-authority"
    title = N_("No issuing authority")
    message = N_("A {org_level} organisation may not issue a level {level} warning; the rules "
                 "allow: {allowed}.")


def rules(db: Session) -> dict[WarningLevel, list[str]]:
    found = {row.level: list(row.org_levels or [])
             for row in db.execute(select(IssuingAuthorityRule)).scalars()}
    return {level: found.get(level, []) for level in WarningLevel}


def check(db: Session, organisation_id: int | None, level: WarningLevel) -> None:
    """Raise NoIssuingAuthority unless the organisation's level may issue `level`."""
    org_level = None
    if organisation_id is not None:
        org_level = db.execute(select(Organisation.level).where(
            Organisation.id == organisation_id)).scalar_one_or_none()
    allowed = rules(db)[WarningLevel(level)]
    if org_level is None or OrgLevel(org_level).value not in allowed:
        raise NoIssuingAuthority(org_level=str(OrgLevel(org_level).value if org_level else "-"),
                                 level=WarningLevel(level).value,
                                 allowed=", ".join(allowed) or "-")


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
