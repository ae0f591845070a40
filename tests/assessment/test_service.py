"""The assessment workflow through the real services: audit, scope, transitions, warnings."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from riskgate.assessment import service
from riskgate.assessment.enums import AssessmentStatus, Conclusion, RiskLevel
from riskgate.audit.models import AuditEntry
from riskgate.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from riskgate.outbox.models import OutboxEvent
from riskgate.warnings.models import PublicWarning
from tests.assessment.conftest import LOW, MEDIUM, SERIOUS, open_draft


def _audit(db, assessment_id):  # type: ignore[no-untyped-def]
    return list(db.execute(select(AuditEntry).where(
        AuditEntry.object_type == "risk_assessment",
        AuditEntry.object_id == str(assessment_id)).order_by(AuditEntry.id)).scalars())


def test_open_assessment_numbers_links_records_and_audits(db, aw):  # type: ignore[no-untyped-def]
    first = open_draft(db, aw, signal_id=77, hazard_class="physical", origin_country="cn")
    second = open_draft(db, aw)
    assert re.fullmatch(r"RA-\d{4}-0001", first.number)
    assert second.number.endswith("-0002")
    assert first.status == AssessmentStatus.draft and first.signal_id == 77
    assert first.origin_country == "CN"
    assert service.record_ids(db, first.id) == sorted(aw.records_a)
    (entry,) = _audit(db, first.id)
    assert entry.action == "assessment.open"
    assert entry.after["record_ids"] == sorted(aw.records_a)


def test_open_refuses_records_and_organisations_outside_scope(db, aw):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as error:
        open_draft(db, aw, record_ids=aw.records_b)
    assert error.value.fields[0].loc == "record_ids"
    with pytest.raises(ValidationFailed) as error:
        open_draft(db, aw, organisation_id=aw.b.id)
    assert error.value.fields[0].loc == "organisation_id"
    with pytest.raises(ValidationFailed):
        open_draft(db, aw, title="  ")
    # A child organisation is in the officer's subtree.
    assert open_draft(db, aw, organisation_id=aw.a_child.id).organisation_id == aw.a_child.id


def test_scenarios_are_computed_stored_and_audited(db, aw):  # type: ignore[no-untyped-def]
    draft = open_draft(db, aw)
    actor = aw.actor(aw.officer_a)
    service.update_assessment(db, actor, draft.id, {
        "scenarios": [LOW, SERIOUS], "urgency": "immediate", "impact_scope": "regional"})
    assert draft.risk_level == RiskLevel.serious
    assert draft.severity == 4 and draft.probability == pytest.approx(0.001)
    assert draft.warning_level == "I" and draft.warning_type == "announcement"
    assert "port_control" in draft.measures
    assert draft.matrix_result["decisive_scenario"] == 1
    assert draft.scenarios[1]["steps"][0]["probability"] == pytest.approx(0.01)
    entry = _audit(db, draft.id)[-1]
    assert entry.action == "assessment.update"
    assert entry.before["risk_level"] is None and entry.after["risk_level"] == "serious"
    # Scope wider: local only → level II.
    service.update_assessment(db, actor, draft.id, {"impact_scope": "local"})
    assert draft.warning_level == "II"
    assert _audit(db, draft.id)[-1].after == {"impact_scope": "local", "warning_level": "II"}


@pytest.mark.parametrize("probability", [0, -0.5, 1.5, "2/1", "abc", float("nan"), "1/0"])
def test_probabilities_outside_zero_one_are_refused(db, aw, probability):  # type: ignore[no-untyped-def]
    draft = open_draft(db, aw)
    bad = {**MEDIUM, "steps": [{"description": "x", "probability": probability}]}
    with pytest.raises(ValidationFailed) as error:
        service.update_assessment(db, aw.actor(aw.officer_a), draft.id, {"scenarios": [bad]})
    assert error.value.fields[0].loc == "scenarios/0/steps/0/probability"
    assert draft.scenarios == []


def test_severity_out_of_range_is_refused(db, aw):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as error:
        service.what_if([{**MEDIUM, "severity": 5}])
    assert error.value.fields[0].loc == "scenarios/0/severity"
    with pytest.raises(ValidationFailed) as error:
        service.what_if([])
    assert error.value.fields[0].loc == "scenarios"


def test_committee_decision_unsafe_drafts_a_warning_and_tells_approvers(db, aw):  # type: ignore[no-untyped-def]
    draft = open_draft(db, aw)
    actor = aw.actor(aw.officer_a)
    service.update_assessment(db, actor, draft.id, {"scenarios": [SERIOUS]})
    service.submit_to_committee(db, actor, draft.id)
    assert draft.status == AssessmentStatus.in_review and draft.submitted_at is not None
    with pytest.raises(Conflict):
        service.update_assessment(db, actor, draft.id, {"title": "late edit"})
    service.record_committee_decision(db, actor, draft.id, decision=Conclusion.unsafe,
                                      rationale="Live parts reachable", meeting_id=5)
    assert draft.status == AssessmentStatus.concluded
    assert draft.conclusion == Conclusion.unsafe and draft.committee_meeting_id == 5
    (warning,) = db.execute(select(PublicWarning)).scalars()
    assert warning.assessment_id == draft.id and warning.organisation_id == aw.a.id
    assert warning.level == "I" and warning.warning_type == "announcement"
    assert re.fullmatch(r"RW-\d{4}-0001", warning.number) and warning.status == "draft"
    events = list(db.execute(select(OutboxEvent).where(
        OutboxEvent.topic == "warning.draft")).scalars())
    assert {e.target for e in events} == {str(aw.approver_a.id), "approver-a@example.cn"}
    actions = [e.action for e in _audit(db, draft.id)]
    assert actions[-2:] == ["assessment.submit", "assessment.committee_decision"]
    assert db.execute(select(AuditEntry).where(AuditEntry.action == "warning.draft")).scalar()
    # Concluded is final.
    with pytest.raises(InvalidTransition):
        service.withdraw(db, actor, draft.id, reason="too late")


def test_committee_decision_needs_in_review_and_rationale(db, aw):  # type: ignore[no-untyped-def]
    draft = open_draft(db, aw)
    actor = aw.actor(aw.officer_a)
    with pytest.raises(InvalidTransition):
        service.record_committee_decision(db, actor, draft.id, decision=Conclusion.safe,
                                          rationale="x", meeting_id=None)
    service.submit_to_committee(db, actor, draft.id)
    with pytest.raises(ValidationFailed):
        service.record_committee_decision(db, actor, draft.id, decision=Conclusion.safe,
                                          rationale=" ", meeting_id=None)
    service.record_committee_decision(db, actor, draft.id, decision=Conclusion.safe,
                                      rationale="Compliant", meeting_id=None)
    assert db.execute(select(PublicWarning)).first() is None


def test_officer_concludes_only_low_or_medium_risk(db, aw):  # type: ignore[no-untyped-def]
    actor = aw.actor(aw.officer_a)
    uncomputed = open_draft(db, aw)
    with pytest.raises(Conflict):
        service.conclude(db, actor, uncomputed.id, conclusion=Conclusion.safe, rationale="ok")
    serious = open_draft(db, aw)
    service.update_assessment(db, actor, serious.id, {"scenarios": [SERIOUS]})
    with pytest.raises(Conflict) as error:
        service.conclude(db, actor, serious.id, conclusion=Conclusion.unsafe, rationale="x")
    assert error.value.type_slug == "assessment-needs-committee"
    medium = open_draft(db, aw)
    service.update_assessment(db, actor, medium.id, {"scenarios": [MEDIUM],
                                                     "urgency": "immediate"})
    assert medium.risk_level == RiskLevel.medium
    service.conclude(db, actor, medium.id, conclusion=Conclusion.unsafe, rationale="Sharp edge")
    assert medium.status == AssessmentStatus.concluded
    (warning,) = db.execute(select(PublicWarning)).scalars()
    assert warning.level == "III" and warning.warning_type == "bulletin"
    low = open_draft(db, aw)
    service.update_assessment(db, actor, low.id, {"scenarios": [LOW]})
    service.conclude(db, actor, low.id, conclusion=Conclusion.safe, rationale="Minor")
    assert low.conclusion == Conclusion.safe


def test_withdraw_from_draft_and_in_review(db, aw):  # type: ignore[no-untyped-def]
    actor = aw.actor(aw.officer_a)
    draft = open_draft(db, aw)
    with pytest.raises(ValidationFailed):
        service.withdraw(db, actor, draft.id, reason="")
    service.withdraw(db, actor, draft.id, reason="Duplicate")
    assert draft.status == AssessmentStatus.withdrawn and draft.withdrawn_reason == "Duplicate"
    reviewed = open_draft(db, aw)
    service.submit_to_committee(db, actor, reviewed.id)
    service.transition(db, actor, reviewed.id, status="withdrawn", reason="Signal dismissed")
    assert reviewed.status == AssessmentStatus.withdrawn
    with pytest.raises(InvalidTransition):
        service.submit_to_committee(db, actor, reviewed.id)


def test_scope_hides_other_organisations(db, aw):  # type: ignore[no-untyped-def]
    draft = open_draft(db, aw)
    other = aw.actor(aw.officer_b)
    with pytest.raises(NotFound):
        service.get_assessment(db, other, draft.id)
    with pytest.raises(NotFound):
        service.submit_to_committee(db, other, draft.id)
    visible = db.execute(service.assessments_statement(other)).scalars().all()
    assert draft not in visible
    assert draft in db.execute(service.assessments_statement(aw.actor(aw.officer_a))).scalars()
