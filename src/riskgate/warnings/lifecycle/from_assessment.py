"""The warning an `unsafe` assessment drafts (follows `assessment.concluded`): a clean public
summary built from the hazard, the product and the measures — never the committee's rationale
with its vote tally and expert names — drafted in the name of the officer in charge of the
assessment (who concluded it, or who sent it to the committee), not of the last expert who
voted."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.assessment.enums import Conclusion
from riskgate.assessment.events import (
    AssessmentConcluded,
    DraftedWarning,
    WarningsOfAssessment,
)
from riskgate.assessment.models import RiskAssessment
from riskgate.audit import service as audit
from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.catalog.reference import hazard_class, measure_type
from riskgate.core.context import Actor
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission, Role
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import User
from riskgate.identity.service import active_users
from riskgate.outbox import service as outbox
from riskgate.warnings.enums import EvidenceKind
from riskgate.warnings.enums import WarningStatus as S
from riskgate.warnings.lifecycle import content
from riskgate.warnings.lifecycle.schemas import EvidenceIn
from riskgate.warnings.lifecycle.workflow import OBJECT_TYPE
from riskgate.warnings.models import PublicWarning
from riskgate.warnings.numbers import next_warning_number

DRAFT_TOPIC = "warning.draft"
# An unsafe conclusion without a computed recommendation (the committee may conclude before the
# matrix was filled in) still gets a draft: the least severe level and a bulletin to regulators,
# which the approver revises when reviewing the draft.
FALLBACK_LEVEL = WarningLevel.IV
FALLBACK_TYPE = WarningType.bulletin
INTERNAL_PREFIX = re.compile(r"^\s*[A-Z]{2}-\d{4}-\d+\s*")


def public_summary(product: str | None, hazard_class_name: str | None, hazard: str | None,
                   measures: list[str]) -> str:
    """The draft's summary for the public (Chinese): the product, the hazard, the measures."""
    parts = []
    subject = (product or "").strip() or "相关产品"
    kind = f"存在{hazard_class_name}" if hazard_class_name else "存在安全"
    parts.append(f"{subject}{kind}风险。")
    text = (hazard or "").strip()
    if text:
        parts.append(text if text.endswith(("。", ".", "！", "？")) else text + "。")
    if measures:
        parts.append("采取措施：" + "、".join(measures) + "。")
    return "".join(parts)


def _product_of(assessment: RiskAssessment) -> str:
    """The product as the public knows it: the category, or the title without the internal
    number a signal's assessment starts with ("SG-2026-0001 电热水壶")."""
    return assessment.product_category or INTERNAL_PREFIX.sub("", assessment.title).strip()


def _summary_of(assessment: RiskAssessment) -> str:
    entry = hazard_class(assessment.hazard_class) if assessment.hazard_class else None
    names = []
    for code in assessment.measures or []:
        measure = measure_type(code)
        names.append(measure.label("zh-CN") if measure else str(code))
    return public_summary(_product_of(assessment),
                          entry.label("zh-CN") if entry else None, assessment.description, names)


def drafter_of(db: Session, actor: Actor, assessment: RiskAssessment) -> Actor:
    """Who drafts: the actor when they may draft warnings (the officer who concluded), else the
    officer who opened the assessment (a committee decision is cast by an expert's vote)."""
    if actor.can(Permission.WARNING_DRAFT) or not assessment.created_by:
        return actor
    user = db.execute(select(User).where(User.username == assessment.created_by,
                                         User.active.is_(True))).scalar_one_or_none()
    return actor_for(user, user.language) if user is not None else actor


def on_assessment_concluded(db: Session, event: AssessmentConcluded) -> None:
    """Follows `assessment.concluded`: an `unsafe` conclusion drafts a public warning."""
    if event.assessment.conclusion == Conclusion.unsafe:
        create_draft_from_assessment(db, event.actor, event.assessment)


def warnings_for_assessment(db: Session, assessment_id: int) -> list[PublicWarning]:
    return list(db.execute(select(PublicWarning).where(
        PublicWarning.assessment_id == assessment_id).order_by(PublicWarning.id)).scalars())


def warnings_of_assessment(db: Session, query: WarningsOfAssessment) -> list[DraftedWarning]:
    """Answers `assessment.warnings`: the warnings drafted from the assessment."""
    return [DraftedWarning(w.id, w.number, w.title)
            for w in warnings_for_assessment(db, query.assessment_id)]


def create_draft_from_assessment(
    db: Session, actor: Actor, assessment: RiskAssessment
) -> PublicWarning:
    """Draft the warning an `unsafe` assessment calls for, audited; approvers get an inbox
    message (and e-mail) through the outbox."""
    drafter = drafter_of(db, actor, assessment)
    warning = PublicWarning(
        number=next_warning_number(db, assessment.organisation_id),
        organisation_id=assessment.organisation_id,
        assessment_id=assessment.id,
        title=assessment.title,
        summary=_summary_of(assessment),
        hazard=assessment.description,
        hazard_class=assessment.hazard_class,
        level=assessment.warning_level or FALLBACK_LEVEL,
        warning_type=assessment.warning_type or FALLBACK_TYPE,
        measures=list(assessment.measures or []),
        origin_countries=[assessment.origin_country] if assessment.origin_country else [],
        regions=[], ports=[],
        status=S.draft,
        created_by=drafter.username,
        created_by_user_id=drafter.user_id,
    )
    db.add(warning)
    db.flush()
    if assessment.hs_code or assessment.product_category:
        content.replace_products(db, warning, [{
            "name": assessment.product_category or assessment.title[:300],
            "hs_code": assessment.hs_code, "category": assessment.product_category,
            "brand": None, "model": None, "batch": None, "barcode": None}])
    evidence = [EvidenceIn(kind=EvidenceKind.assessment, object_id=assessment.id)]
    if assessment.signal_id:
        evidence.append(EvidenceIn(kind=EvidenceKind.signal, object_id=assessment.signal_id))
    content.replace_evidence(db, warning, evidence)
    audit.record(db, drafter, "warning.draft", object_type=OBJECT_TYPE, object_id=warning.id,
                 after=warning.snapshot(), organisation_id=warning.organisation_id)
    for user in active_users(db, warning.organisation_id, Role.APPROVER):
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
