"""Expert committee services: conflicts, majority with quorum, consensus, double votes,
decisions concluding the assessment, meetings, and what experts may see."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from riskgate.assessment.enums import AssessmentStatus, Conclusion
from riskgate.audit.models import AuditEntry
from riskgate.core.errors import Conflict, NotFound, ValidationFailed
from riskgate.experts import meetings, panels, service
from riskgate.experts.enums import (
    AssignmentStatus,
    ConflictKind,
    DecisionRule,
    MeetingStatus,
    ReviewStatus,
    Vote,
)
from riskgate.outbox.models import OutboxEvent
from riskgate.warnings.models import PublicWarning
from tests.experts.conftest import TOY_MAKER, build_committee


def _refer(c, assessment, experts=None):  # type: ignore[no-untyped-def]
    experts = c.experts if experts is None else experts
    return service.refer(c.db, c.secretary, assessment_id=assessment.id, panel_id=c.panel.id,
                         expert_ids=[e.id for e in experts])


def test_majority_with_quorum_decides_and_concludes(committee):
    c = committee
    assessment = c.assessment()
    review = _refer(c, assessment)
    service.cast_vote(c.db, c.actor(c.experts[0]), review.id, vote=Vote.unsafe,
                      rationale="小零件可被儿童吞咽")
    assert review.status == ReviewStatus.open
    service.cast_vote(c.db, c.actor(c.experts[1]), review.id, vote=Vote.unsafe,
                      rationale="符合 EN 71-1 小零件定义")
    assert review.status == ReviewStatus.decided and review.decision == Vote.unsafe
    assert review.decided_via == "votes" and review.tally["unsafe"] == 2
    c.db.refresh(assessment)
    assert assessment.status == AssessmentStatus.concluded
    assert assessment.conclusion == Conclusion.unsafe
    warning = c.db.execute(select(PublicWarning).where(
        PublicWarning.assessment_id == assessment.id)).scalar_one()
    assert warning.status == "draft"
    # The third expert can still see the decided review, but can no longer vote.
    with pytest.raises(Conflict):
        service.cast_vote(c.db, c.actor(c.experts[2]), review.id, vote=Vote.safe,
                          rationale="x")


def test_split_vote_waits_then_deadlocks(committee):
    c = committee
    review = _refer(c, c.assessment())
    service.cast_vote(c.db, c.actor(c.experts[1]), review.id, vote=Vote.unsafe, rationale="a")
    service.cast_vote(c.db, c.actor(c.experts[2]), review.id, vote=Vote.safe, rationale="b")
    assert review.status == ReviewStatus.open
    service.cast_vote(c.db, c.actor(c.experts[0]), review.id,
                      vote=Vote.insufficient_evidence, rationale="c")
    assert review.status == ReviewStatus.open  # 1-1-1: the meeting decides
    assert service.outcome(review, c.panel).state == "deadlock"


def test_consensus_needs_everyone(db, settings):
    c = build_committee(db, settings, rule=DecisionRule.consensus, quorum=2)
    review = _refer(c, c.assessment(), c.experts[:2])
    service.cast_vote(db, c.actor(c.experts[0]), review.id, vote=Vote.safe, rationale="a")
    assert review.status == ReviewStatus.open
    service.cast_vote(db, c.actor(c.experts[1]), review.id, vote=Vote.safe, rationale="b")
    assert review.status == ReviewStatus.decided and review.decision == Vote.safe


def test_second_vote_is_refused_and_revision_is_audited(committee):
    c = committee
    review = _refer(c, c.assessment())
    expert = c.actor(c.experts[0])
    service.cast_vote(c.db, expert, review.id, vote=Vote.safe, rationale="初步意见")
    with pytest.raises(Conflict) as error:
        service.cast_vote(c.db, expert, review.id, vote=Vote.unsafe, rationale="改主意")
    assert error.value.status == 409 and error.value.type_slug == "already-voted"
    with pytest.raises(ValidationFailed):
        service.revise_vote(c.db, expert, review.id, vote=Vote.unsafe, rationale="x", reason=" ")
    service.revise_vote(c.db, expert, review.id, vote=Vote.unsafe, rationale="新检测报告",
                        reason="收到实验室报告")
    entry = c.db.execute(select(AuditEntry).where(AuditEntry.action == "experts.vote_revised")
                         ).scalar_one()
    assert entry.before["vote"] == "safe" and entry.after["vote"] == "unsafe"
    assert entry.reason == "收到实验室报告"


def test_rationale_is_required(committee):
    c = committee
    review = _refer(c, c.assessment())
    with pytest.raises(ValidationFailed) as error:
        service.cast_vote(c.db, c.actor(c.experts[0]), review.id, vote=Vote.safe, rationale="  ")
    assert error.value.fields[0].loc == "rationale"


def test_expert_sees_only_assigned_reviews(committee):
    c = committee
    review = _refer(c, c.assessment(), c.experts[:2])
    outsider = c.actor(c.experts[2])
    with pytest.raises(NotFound):
        service.my_review(c.db, outsider, review.id)
    with pytest.raises(NotFound):
        service.cast_vote(c.db, outsider, review.id, vote=Vote.safe, rationale="x")
    assert c.db.execute(service.my_reviews_statement(outsider)).scalars().all() == []
    mine = c.db.execute(service.my_reviews_statement(c.actor(c.experts[0]))).scalars().all()
    assert [r.id for r in mine] == [review.id]
    # Experts' own organisation scope does not reach the assessment; the assignment does.
    assert service.assessment_of(c.db, service.my_review(
        c.db, c.actor(c.experts[0]), review.id)).id == review.assessment_id
    # Another organisation's secretary cannot see the review.
    with pytest.raises(NotFound):
        service.get_review(c.db, c.actor(c.other_officer), review.id)


def test_conflicted_expert_cannot_be_assigned(committee):
    c = committee
    service.declare_conflict(c.db, c.actor(c.experts[2]), c.experts[2].id, {
        "kind": ConflictKind.enterprise, "enterprise_uscc": TOY_MAKER,
        "description": "曾任该公司技术顾问"})
    assessment = c.assessment(enterprise_uscc=TOY_MAKER)
    with pytest.raises(Conflict) as error:
        _refer(c, assessment)
    assert error.value.type_slug == "conflict-of-interest"
    assert TOY_MAKER in error.value.translated("en")
    # Not conflicted on another enterprise's product.
    other = c.assessment()
    review = _refer(c, other)
    assert len(service.active_assignments(review)) == 3


@pytest.mark.parametrize("conflict", [
    {"kind": "country", "country": "de"},
    {"kind": "product_area", "hs_chapter": "95"},
    {"kind": "product_area", "product_area": "Toys"},
    {"kind": "enterprise", "enterprise_name": "MÜLLER Spielwaren GmbH", "country": "DE"},
])
def test_each_kind_of_conflict_matches(committee, conflict):
    c = committee
    service.declare_conflict(c.db, c.secretary, c.experts[0].id, conflict)
    with pytest.raises(Conflict):
        _refer(c, c.assessment(), c.experts[:1])


def test_other_conflicts_are_not_matched(committee):
    c = committee
    service.declare_conflict(c.db, c.secretary, c.experts[0].id,
                            {"kind": "other", "description": "与某检测机构有合作"})
    review = _refer(c, c.assessment(), c.experts[:1])
    assert len(service.active_assignments(review)) == 1


def test_later_conflict_withdraws_the_assignment_and_may_settle(committee):
    c = committee
    review = _refer(c, c.assessment())
    service.cast_vote(c.db, c.actor(c.experts[0]), review.id, vote=Vote.unsafe, rationale="a")
    service.cast_vote(c.db, c.actor(c.experts[1]), review.id, vote=Vote.safe, rationale="b")
    service.declare_conflict(c.db, c.actor(c.experts[1]), c.experts[1].id,
                            {"kind": "country", "country": "DE"})
    assignment = next(a for a in review.assignments if a.user_id == c.experts[1].id)
    assert assignment.status == AssignmentStatus.withdrawn
    assert "conflict of interest" in assignment.withdrawn_reason
    with pytest.raises(NotFound):
        service.my_review(c.db, c.actor(c.experts[1]), review.id)
    # 2 assigned, 1 counted vote: quorum 2 not reached yet.
    assert review.status == ReviewStatus.open
    service.cast_vote(c.db, c.actor(c.experts[2]), review.id, vote=Vote.unsafe, rationale="c")
    assert review.status == ReviewStatus.decided and review.tally["safe"] == 0


def test_assignment_needs_a_serving_member(committee):
    c = committee
    panels.set_member(c.db, c.secretary, c.panel.id, c.experts[2].id, role="member",
                      term_start=dt.date(2020, 1, 1), term_end=dt.date(2021, 1, 1))
    with pytest.raises(ValidationFailed):
        _refer(c, c.assessment(), c.experts[2:])


def test_only_assessments_in_review_are_referred(committee):
    c = committee
    draft = c.assessment(submit=False)
    with pytest.raises(Conflict):
        _refer(c, draft)


def test_assignment_notifies_the_expert(committee):
    c = committee
    _refer(c, c.assessment(), c.experts[:1])
    events = c.db.execute(select(OutboxEvent).where(OutboxEvent.topic == service.ASSIGNED_TOPIC)
                          ).scalars().all()
    assert {e.channel.value for e in events} == {"inbox", "email"}


def test_meeting_agenda_minutes_and_decision(committee):
    c = committee
    review = _refer(c, c.assessment())
    decided = _refer(c, c.assessment())
    for expert in c.experts[:2]:
        service.cast_vote(c.db, c.actor(expert), decided.id, vote=Vote.safe, rationale="ok")
    when = dt.datetime(2026, 12, 15, 2, 0, tzinfo=dt.UTC)
    meeting = meetings.create_meeting(c.db, c.secretary, title="2026年第四季度专家委员会会议",
                                      scheduled_at=when, panel_id=c.panel.id, location="会议室")
    assert [i.review_id for i in meeting.agenda] == [review.id]
    assert len(meeting.attendance) == 3
    invites = c.db.execute(select(OutboxEvent).where(
        OutboxEvent.topic == meetings.SCHEDULED_TOPIC)).scalars().all()
    assert len(invites) == 6  # inbox + e-mail for each of three members
    item = meeting.agenda[0]
    with pytest.raises(Conflict):  # not held yet
        meetings.decide_item(c.db, c.secretary, meeting.id, item.id, decision=Vote.unsafe,
                             rationale="x")
    meetings.record_meeting(c.db, c.secretary, meeting.id, minutes="讨论了积木小零件问题",
                            present_user_ids=[c.experts[0].id])
    assert meeting.status == MeetingStatus.held
    with pytest.raises(Conflict):  # quorum 2, one present
        meetings.decide_item(c.db, c.secretary, meeting.id, item.id, decision=Vote.unsafe,
                             rationale="x")
    meetings.record_meeting(c.db, c.secretary, meeting.id, minutes="讨论了积木小零件问题",
                            present_user_ids=[c.experts[0].id, c.experts[1].id])
    meetings.decide_item(c.db, c.secretary, meeting.id, item.id, decision=Vote.unsafe,
                         rationale="会议一致认为存在窒息风险")
    assert review.status == ReviewStatus.decided and review.decided_via == "meeting"
    assert review.meeting_id == meeting.id
    meetings.approve_minutes(c.db, c.secretary, meeting.id)
    assert meeting.status == MeetingStatus.minutes_approved
    with pytest.raises(Conflict):
        meetings.record_meeting(c.db, c.secretary, meeting.id, minutes="改", present_user_ids=[])
    found = service.decisions_in_period(c.db, c.secretary, dt.date.today() - dt.timedelta(1),
                                        dt.date.today() + dt.timedelta(1))
    assert {d.review_id for d in found} == {review.id, decided.id}
    by_id = {d.review_id: d for d in found}
    assert by_id[decided.id].tally["safe"] == 2 and by_id[decided.id].votes_cast == 2
    assert by_id[review.id].meeting_id == meeting.id
    assert service.decisions_in_period(c.db, c.actor(c.other_officer), dt.date(2000, 1, 1),
                                       dt.date(2100, 1, 1)) == []


def test_experts_see_their_panels_and_meetings(committee):
    c = committee
    expert = c.actor(c.experts[0])
    assert [p.id for p in c.db.execute(panels.panels_statement(expert)).scalars()] == [c.panel.id]
    meeting = meetings.create_meeting(c.db, c.secretary, title="Q4",
                                      scheduled_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert meetings.get_meeting(c.db, expert, meeting.id).id == meeting.id
    with pytest.raises(NotFound):
        meetings.get_meeting(c.db, c.actor(c.other_officer), meeting.id)
