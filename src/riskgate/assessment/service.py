"""The assessment workflow: open a draft, edit its scenarios and inputs, compute the matrix,
submit to the expert committee, conclude, withdraw.

Statuses move only through `workflow.ASSESSMENT_FLOW` (`core.workflow.move`); every change is
audited with the values before and after. Rule for concluding without the committee
(`conclude`): an officer may conclude a draft alone only when its computed risk level is low or
medium; serious and high risks go to the expert committee (`submit_to_committee`, then
`record_committee_decision`). A conclusion is announced (`AssessmentConcluded`): an `unsafe` one,
either way, drafts a public warning in the warnings stage.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from riskgate.assessment import matrix
from riskgate.assessment.config import warning_map
from riskgate.assessment.enums import (
    AssessmentStatus,
    Conclusion,
    ImpactScope,
    RiskLevel,
    Urgency,
)
from riskgate.assessment.events import AssessmentConcluded, AssessmentWithdrawn
from riskgate.assessment.models import RiskAssessment, RiskAssessmentRecord
from riskgate.assessment.workflow import ASSESSMENT_FLOW, OBJECT, OBJECT_TYPE
from riskgate.audit import service as audit
from riskgate.catalog.enums import HazardClass, WarningLevel, WarningType
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, FieldProblem, InvalidTransition, ValidationFailed
from riskgate.core.events import announce
from riskgate.core.i18n import N_
from riskgate.core.numbers import next_number
from riskgate.core.workflow import move
from riskgate.identity.models import Organisation
from riskgate.identity.scope import get_in_scope, org_in_scope, scoped
from riskgate.records.models import RiskRecord
from riskgate.signals import triage
from riskgate.signals.events import SignalEscalated

# Risk levels an officer may conclude without the expert committee.
OFFICER_LEVELS = frozenset({RiskLevel.low, RiskLevel.medium})
MAX_RECORDS = 500

S = AssessmentStatus


class OfficerMayNotConclude(Conflict):
    type_slug = "assessment-needs-committee"
    title = N_("Expert committee required")
    message = N_("Only a computed low or medium risk may be concluded without the expert "
                 "committee; submit this assessment to the committee.")


# --- Reading ---------------------------------------------------------------------------------


def assessments_statement(actor: Actor, *, status: AssessmentStatus | None = None,
                          signal_id: int | None = None) -> Select[Any]:
    """Assessments in the actor's scope, optionally of one status or signal."""
    stmt = scoped(select(RiskAssessment), actor, RiskAssessment.organisation_id)
    if status is not None:
        stmt = stmt.where(RiskAssessment.status == status)
    if signal_id is not None:
        stmt = stmt.where(RiskAssessment.signal_id == signal_id)
    return stmt


def get_assessment(db: Session, actor: Actor, assessment_id: int) -> RiskAssessment:
    """One assessment in scope (NotFound outside it)."""
    return get_in_scope(db, RiskAssessment, assessment_id, actor, RiskAssessment.organisation_id,
                        object_name=OBJECT)


def record_ids(db: Session, assessment_id: int) -> list[int]:
    """The ids of the records an assessment rests on."""
    return list(db.execute(
        select(RiskAssessmentRecord.record_id)
        .where(RiskAssessmentRecord.assessment_id == assessment_id)
        .order_by(RiskAssessmentRecord.record_id)
    ).scalars())  # fmt: skip


def records_of(db: Session, actor: Actor, assessment_id: int) -> list[RiskRecord]:
    """The records an assessment rests on that the actor may see."""
    stmt = scoped(
        select(RiskRecord).join(RiskAssessmentRecord,
                                RiskAssessmentRecord.record_id == RiskRecord.id)
        .where(RiskAssessmentRecord.assessment_id == assessment_id),
        actor, RiskRecord.organisation_id,
    ).order_by(RiskRecord.id)  # fmt: skip
    return list(db.execute(stmt).scalars())


# --- Creating and editing --------------------------------------------------------------------


def _check_records(db: Session, actor: Actor, ids: list[int]) -> list[int]:
    wanted = sorted(set(ids))
    if len(wanted) > MAX_RECORDS:
        raise ValidationFailed(fields=[FieldProblem(
            "record_ids", N_("At most {max} records per assessment."), {"max": MAX_RECORDS})])
    if not wanted:
        return []
    found = set(db.execute(scoped(select(RiskRecord.id).where(RiskRecord.id.in_(wanted)),
                                  actor, RiskRecord.organisation_id)).scalars())
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValidationFailed(fields=[FieldProblem(
            "record_ids", N_("Unknown risk records: {ids}."),
            {"ids": ", ".join(str(i) for i in missing[:20])})])
    return wanted


def _check_organisation(db: Session, actor: Actor, organisation_id: int) -> None:
    organisation = db.get(Organisation, organisation_id)
    if organisation is None or not org_in_scope(actor, organisation):
        raise ValidationFailed(fields=[FieldProblem(
            "organisation_id", N_("The organisation is unknown or outside your scope."))])


def _link_records(db: Session, assessment_id: int, ids: list[int]) -> None:
    db.execute(delete(RiskAssessmentRecord).where(
        RiskAssessmentRecord.assessment_id == assessment_id))
    db.add_all(RiskAssessmentRecord(assessment_id=assessment_id, record_id=i) for i in ids)
    db.flush()


def open_assessment(
    db: Session,
    actor: Actor,
    *,
    title: str,
    organisation_id: int,
    record_ids: list[int],
    signal_id: int | None = None,
    hazard_class: str | None = None,
    product_category: str | None = None,
    hs_code: str | None = None,
    origin_country: str | None = None,
    description: str | None = None,
) -> RiskAssessment:
    """Open a draft assessment of the given records (signals triage calls this). Audited."""
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(fields=[FieldProblem("title", N_("A title is required."))])
    _check_organisation(db, actor, organisation_id)
    ids = _check_records(db, actor, record_ids)
    assessment = RiskAssessment(
        number=next_number(db, "RA"),
        organisation_id=organisation_id,
        title=title[:300],
        description=description,
        status=AssessmentStatus.draft,
        signal_id=signal_id,
        hazard_class=HazardClass(hazard_class) if hazard_class else None,
        product_category=product_category,
        hs_code=hs_code,
        origin_country=origin_country.upper() if origin_country else None,
        scenarios=[],
        measures=[],
        created_by=actor.username,
    )
    db.add(assessment)
    db.flush()
    _link_records(db, assessment.id, ids)
    audit.record(db, actor, "assessment.open", object_type=OBJECT_TYPE, object_id=assessment.id,
                 after={**assessment.snapshot(), "record_ids": ids},
                 organisation_id=organisation_id)
    return assessment


def _matrix_failed(error: matrix.MatrixInputError) -> ValidationFailed:
    return ValidationFailed(fields=[FieldProblem(p.loc, p.message, p.params)
                                    for p in error.problems])


def what_if(scenarios: list[Any], urgency: Urgency | None = None,
            impact_scope: ImpactScope | None = None) -> matrix.MatrixResult:
    """Run the matrix on inputs without storing anything (the live form, "what if")."""
    try:
        return matrix.assess(scenarios, urgency=urgency, impact_scope=impact_scope,
                             warning_map=warning_map())
    except matrix.MatrixInputError as error:
        raise _matrix_failed(error) from error


def _apply_matrix(assessment: RiskAssessment, scenarios: list[Any]) -> None:
    """Store the (normalised) scenarios and what the matrix makes of them; no scenarios clears
    the outputs."""
    if not scenarios:
        assessment.scenarios = []
        assessment.severity = assessment.probability = assessment.risk_level = None
        assessment.warning_level = assessment.warning_type = None
        assessment.measures, assessment.matrix_result, assessment.computed_at = [], None, None
        return
    try:
        parsed = matrix.parse_scenarios(scenarios)
    except matrix.MatrixInputError as error:
        raise _matrix_failed(error) from error
    result = what_if(list(parsed), assessment.urgency, assessment.impact_scope)
    recommendation = result.recommendation
    assessment.scenarios = [s.to_dict() for s in parsed]
    assessment.severity = result.severity
    assessment.probability = result.probability
    assessment.risk_level = result.level
    assessment.warning_level = (WarningLevel(recommendation.warning_level)
                                if recommendation.warning_level else None)
    assessment.warning_type = (WarningType(recommendation.warning_type)
                               if recommendation.warning_type else None)
    assessment.measures = list(recommendation.measures)
    assessment.matrix_result = result.to_dict()
    assessment.computed_at = utcnow()


def _require_draft(assessment: RiskAssessment) -> None:
    if assessment.status != S.draft:
        raise Conflict(N_("Only a draft assessment can be edited."))


_ENUMS: dict[str, Any] = {"hazard_class": HazardClass, "urgency": Urgency,
                          "impact_scope": ImpactScope}
_EDITABLE = ("title", "description", "hazard_class", "product_category", "hs_code",
             "origin_country", "urgency", "impact_scope")


def create_assessment(db: Session, actor: Actor, data: dict[str, Any]) -> RiskAssessment:
    """Open a draft (in the actor's own organisation unless another in scope is given) and,
    when scenarios come with it, compute them."""
    organisation_id = data.get("organisation_id") or actor.organisation_id
    if organisation_id is None:
        raise ValidationFailed(fields=[FieldProblem(
            "organisation_id", N_("The organisation is unknown or outside your scope."))])
    assessment = open_assessment(
        db, actor, title=data["title"], organisation_id=organisation_id,
        record_ids=data.get("record_ids") or [], signal_id=data.get("signal_id"),
        hazard_class=data.get("hazard_class"), product_category=data.get("product_category"),
        hs_code=data.get("hs_code"), origin_country=data.get("origin_country"),
        description=data.get("description"),
    )  # fmt: skip
    if data.get("scenarios") or data.get("urgency") or data.get("impact_scope"):
        update_assessment(db, actor, assessment.id, {
            k: data[k] for k in ("scenarios", "urgency", "impact_scope") if data.get(k)})
    return assessment


def update_assessment(db: Session, actor: Actor, assessment_id: int, changes: dict[str, Any],
                      reason: str | None = None) -> RiskAssessment:
    """Edit a draft: descriptive fields, linked records, scenarios, urgency and scope. The
    matrix is recomputed whenever its inputs change. Audited with before/after."""
    assessment = get_assessment(db, actor, assessment_id)
    _require_draft(assessment)
    before = {**assessment.snapshot(), "record_ids": record_ids(db, assessment.id)}
    for name in _EDITABLE:
        if name in changes:
            value = changes[name]
            if name == "title" and not (value or "").strip():
                raise ValidationFailed(fields=[FieldProblem("title", N_("A title is required."))])
            if name == "origin_country" and value:
                value = value.upper()
            if name in _ENUMS and value:
                value = _ENUMS[name](value)
            setattr(assessment, name, value)
    if changes.get("record_ids") is not None:
        _link_records(db, assessment.id, _check_records(db, actor, changes["record_ids"]))
    if any(k in changes for k in ("scenarios", "urgency", "impact_scope")):
        scenarios = changes["scenarios"] if changes.get("scenarios") is not None \
            else assessment.scenarios
        _apply_matrix(assessment, list(scenarios))
    db.flush()
    after = {**assessment.snapshot(), "record_ids": record_ids(db, assessment.id)}
    old, new = audit.diff(before, after)
    if old or new:
        audit.record(db, actor, "assessment.update", object_type=OBJECT_TYPE,
                     object_id=assessment.id, before=old, after=new, reason=reason,
                     organisation_id=assessment.organisation_id)
    return assessment


def compute_assessment(db: Session, actor: Actor, assessment_id: int) -> RiskAssessment:
    """Recompute a draft's stored outputs from its stored inputs (e.g. after the warning map
    changed). Audited when anything changed."""
    assessment = get_assessment(db, actor, assessment_id)
    _require_draft(assessment)
    if not assessment.scenarios:
        raise ValidationFailed(fields=[FieldProblem(
            "scenarios", N_("Describe at least one harm scenario."))])
    before = assessment.snapshot()
    _apply_matrix(assessment, list(assessment.scenarios))
    db.flush()
    old, new = audit.diff(before, assessment.snapshot())
    audit.record(db, actor, "assessment.compute", object_type=OBJECT_TYPE,
                 object_id=assessment.id, before=old, after=new,
                 organisation_id=assessment.organisation_id)
    return assessment


def on_signal_escalated(db: Session, event: SignalEscalated) -> None:
    """Follows `signal.escalated`: open a draft assessment of the signal's records and attach it
    to the signal."""
    assessment = open_assessment(
        db, event.actor, title=event.title, organisation_id=event.organisation_id,
        record_ids=event.record_ids, signal_id=event.signal_id, hazard_class=event.hazard_class,
        product_category=event.product_category, hs_code=event.hs_code,
        origin_country=event.origin_country)
    triage.attach_assessment(db, event.signal_id, assessment.id)


# --- Transitions -----------------------------------------------------------------------------


def _refuse(assessment: RiskAssessment, target: AssessmentStatus) -> InvalidTransition:
    """The 409 of a move this step does not make from the assessment's status (the table may
    allow it by another step: only the committee concludes what is in review)."""
    return InvalidTransition(object=OBJECT, current=S(assessment.status).msgid,
                             target=target.msgid)


def _rationale(rationale: str | None) -> str:
    text = (rationale or "").strip()
    if not text:
        raise ValidationFailed(fields=[FieldProblem(
            "rationale", N_("Give the rationale for the conclusion."))])
    return text


def _concluded_by(db: Session, actor: Actor, assessment: RiskAssessment) -> None:
    """Who concluded and when (kept on the assessment; the audit entry has its own time and
    actor), then the later stages follow the conclusion."""
    assessment.concluded_at = utcnow()
    assessment.concluded_by = actor.username
    db.flush()
    announce(db, AssessmentConcluded(actor, assessment))


def submit_to_committee(db: Session, actor: Actor, assessment_id: int) -> RiskAssessment:
    """draft → in_review: the expert committee takes the assessment up."""
    assessment = get_assessment(db, actor, assessment_id)
    move(db, ASSESSMENT_FLOW, assessment, S.in_review, actor=actor, action="assessment.submit")
    assessment.submitted_at = utcnow()
    db.flush()
    return assessment


def record_committee_decision(db: Session, actor: Actor, assessment_id: int, *,
                              decision: Conclusion, rationale: str,
                              meeting_id: int | None) -> RiskAssessment:
    """in_review → concluded with the committee's decision (the experts package calls this);
    `unsafe` drafts a public warning."""
    assessment = get_assessment(db, actor, assessment_id)
    if assessment.status != S.in_review:
        raise _refuse(assessment, S.concluded)
    text = _rationale(rationale)
    move(db, ASSESSMENT_FLOW, assessment, S.concluded, actor=actor,
         action="assessment.committee_decision", reason=text, conclusion=Conclusion(decision),
         conclusion_rationale=text, committee_meeting_id=meeting_id)
    _concluded_by(db, actor, assessment)
    return assessment


def conclude(db: Session, actor: Actor, assessment_id: int, *, conclusion: Conclusion,
             rationale: str) -> RiskAssessment:
    """draft → concluded by the officer alone: only for a computed low or medium risk."""
    assessment = get_assessment(db, actor, assessment_id)
    if assessment.status != S.draft:
        raise _refuse(assessment, S.concluded)
    if assessment.risk_level not in OFFICER_LEVELS:
        raise OfficerMayNotConclude()
    text = _rationale(rationale)
    move(db, ASSESSMENT_FLOW, assessment, S.concluded, actor=actor,
         action="assessment.conclude", reason=text, conclusion=Conclusion(conclusion),
         conclusion_rationale=text)
    _concluded_by(db, actor, assessment)
    return assessment


def withdraw(db: Session, actor: Actor, assessment_id: int, *, reason: str) -> RiskAssessment:
    """draft / in_review → withdrawn, with a reason."""
    assessment = get_assessment(db, actor, assessment_id)
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(fields=[FieldProblem(
            "reason", N_("Give the reason for withdrawing."))])
    move(db, ASSESSMENT_FLOW, assessment, S.withdrawn, actor=actor, action="assessment.withdraw",
         reason=text, withdrawn_reason=text)
    announce(db, AssessmentWithdrawn(actor, assessment_id))  # its open reviews close with it
    return assessment


def transition(db: Session, actor: Actor, assessment_id: int, *, status: str,
               conclusion: Conclusion | None = None, rationale: str | None = None,
               reason: str | None = None) -> RiskAssessment:
    """The API's one entry to the workflow: in_review, concluded (officer) or withdrawn."""
    if status == S.in_review:
        return submit_to_committee(db, actor, assessment_id)
    if status == S.concluded:
        if conclusion is None:
            raise ValidationFailed(fields=[FieldProblem(
                "conclusion", N_("Choose a conclusion."))])
        return conclude(db, actor, assessment_id, conclusion=conclusion,
                        rationale=rationale or "")
    if status == S.withdrawn:
        return withdraw(db, actor, assessment_id, reason=reason or rationale or "")
    raise ValidationFailed(fields=[FieldProblem("status", N_("Unknown status."))])
