"""Draft public warnings. A concluded `unsafe` assessment creates one; the organisation's
approvers are told through their inbox. Issue 5 adds review, publication and lifting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from riskgate.assessment.numbers import next_number
from riskgate.audit import service as audit
from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.core.context import Actor
from riskgate.core.i18n import N_
from riskgate.identity.models import User, UserRole
from riskgate.identity.permissions import Role
from riskgate.identity.scope import get_in_scope, scoped
from riskgate.outbox import service as outbox
from riskgate.warnings.enums import WarningStatus
from riskgate.warnings.models import PublicWarning

if TYPE_CHECKING:
    from riskgate.assessment.models import RiskAssessment

DRAFT_TOPIC = "warning.draft"
# An unsafe conclusion without a computed recommendation (the committee may conclude before the
# matrix was filled in) still gets a draft: the least severe level and a bulletin to regulators,
# which the approver revises when reviewing the draft.
FALLBACK_LEVEL = WarningLevel.IV
FALLBACK_TYPE = WarningType.bulletin


def approvers(db: Session, organisation_id: int) -> list[User]:
    """Active users with the approver role in the organisation."""
    return list(db.execute(
        select(User).join(UserRole, UserRole.user_id == User.id).where(
            User.organisation_id == organisation_id, User.active.is_(True),
            UserRole.role == Role.APPROVER,
        ).order_by(User.id)
    ).scalars().unique())  # fmt: skip


def create_draft_from_assessment(
    db: Session, actor: Actor, assessment: RiskAssessment
) -> PublicWarning:
    """Draft the warning an `unsafe` assessment calls for, audited; approvers get an inbox
    message (and e-mail) through the outbox."""
    warning = PublicWarning(
        number=next_number(db, "PW"),
        organisation_id=assessment.organisation_id,
        assessment_id=assessment.id,
        title=assessment.title,
        summary=assessment.conclusion_rationale,
        level=assessment.warning_level or FALLBACK_LEVEL,
        warning_type=assessment.warning_type or FALLBACK_TYPE,
        measures=list(assessment.measures or []),
        status=WarningStatus.draft,
        created_by=actor.username,
    )
    db.add(warning)
    db.flush()
    audit.record(db, actor, "warning.draft", object_type="public_warning", object_id=warning.id,
                 after=warning.snapshot(), organisation_id=warning.organisation_id)
    for user in approvers(db, warning.organisation_id):
        outbox.notify_user(
            db, user, topic=DRAFT_TOPIC,
            subject=N_("Draft warning {number} awaits review"),
            body=N_("Assessment {assessment} concluded that the product is unsafe; warning "
                    "{number} (level {level}) was drafted: {title}"),
            params={"number": warning.number, "assessment": assessment.number,
                    "level": WarningLevel(warning.level).value, "title": warning.title},
            link=f"/console/warnings/{warning.id}",
            dedupe_key=f"warning-draft:{warning.id}:{user.id}",
        )  # fmt: skip
    return warning


def warnings_statement(actor: Actor) -> Select[Any]:
    """Draft warnings in the actor's scope."""
    return scoped(select(PublicWarning), actor, PublicWarning.organisation_id)


def get_warning(db: Session, actor: Actor, warning_id: int) -> PublicWarning:
    return get_in_scope(db, PublicWarning, warning_id, actor, PublicWarning.organisation_id,
                        object_name=N_("warning"))


def warnings_for_assessment(db: Session, assessment_id: int) -> list[PublicWarning]:
    return list(db.execute(select(PublicWarning).where(
        PublicWarning.assessment_id == assessment_id).order_by(PublicWarning.id)).scalars())
