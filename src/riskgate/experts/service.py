"""Reviews: an assessment referred to a panel, its experts, their votes, and the decision.

Rules (see also `rules.py` and `conflicts.py`):
- The secretary (COMMITTEE_MANAGE) refers an assessment that is `in_review` and in their scope to
  a panel of a committee whose organisation holds the assessment's organisation, and assigns
  experts who serve on that panel. An expert with a declared conflict matching the assessment or
  its records cannot be assigned (409, the conflict named). A conflict declared later withdraws
  the expert's open assignments it concerns (audited), and their vote no longer counts.
- An assignment grants its expert read access to that assessment only (checked explicitly in
  `my_review`; the expert's organisation scope plays no part). Withdrawn: access ends.
- One vote per expert per review; a second is refused (409). Before the decision a vote may be
  changed only through `revise_vote`, with a reason; the audit trail keeps the old vote.
- The decision is made automatically by the vote that satisfies the panel's rule; a deadlock
  (or anything still open) goes to a meeting, where the secretary records the meeting's
  decision per agenda item (quorum of panel members present). Either way
  `assessment.service.record_committee_decision` concludes the assessment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from riskgate.assessment import service as assessments
from riskgate.assessment.enums import AssessmentStatus, Conclusion
from riskgate.assessment.events import AssessmentWithdrawn
from riskgate.assessment.models import RiskAssessment, RiskAssessmentRecord
from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.workflow import move
from riskgate.experts import conflicts as matching
from riskgate.experts import rules
from riskgate.experts.enums import AssignmentStatus, ReviewStatus, Vote
from riskgate.experts.models import (
    ExpertAssignment,
    ExpertConflict,
    ExpertPanel,
    ExpertReview,
    ExpertVote,
)
from riskgate.experts.panels import chair_of, managed_panel, record_conflict, serving_members
from riskgate.experts.workflow import ASSIGNMENT_FLOW, REVIEW, REVIEW_FLOW
from riskgate.identity.models import Organisation, User
from riskgate.identity.scope import get_in_scope, scoped
from riskgate.outbox import service as outbox
from riskgate.records.models import RecordEnterprise, RiskRecord

ASSIGNED_TOPIC = "experts.assigned"


class ConflictOfInterest(Conflict):
    type_slug = "conflict-of-interest"
    title = N_("Conflict of interest")
    message = N_("{expert} cannot be assigned: declared conflict of interest ({kind}: {detail}, "
                 "declared on {declared_on}).")


class AlreadyVoted(Conflict):
    type_slug = "already-voted"
    title = N_("Already voted")
    message = N_("You have already voted on this assessment; to change your vote, revise it "
                 "with a reason.")


# --- Reading -------------------------------------------------------------------------------


def reviews_statement(actor: Actor, *, status: ReviewStatus | None = None,
                      panel_id: int | None = None) -> Select[Any]:
    stmt = scoped(select(ExpertReview), actor, ExpertReview.organisation_id)
    if status is not None:
        stmt = stmt.where(ExpertReview.status == status)
    if panel_id is not None:
        stmt = stmt.where(ExpertReview.panel_id == panel_id)
    return stmt


def get_review(db: Session, actor: Actor, review_id: int) -> ExpertReview:
    review = get_in_scope(db, ExpertReview, review_id, actor, ExpertReview.organisation_id,
                          object_name=REVIEW)
    return review


def my_review(db: Session, actor: Actor, review_id: int) -> ExpertReview:
    """A review the actor is (still) assigned to — the only way an expert reaches it."""
    found = db.execute(
        select(ExpertReview).join(ExpertAssignment, ExpertAssignment.review_id == ExpertReview.id)
        .where(ExpertReview.id == review_id, ExpertAssignment.user_id == actor.user_id,
               ExpertAssignment.status == AssignmentStatus.active)
    ).scalar()  # fmt: skip
    if found is None or actor.user_id is None:
        raise NotFound(REVIEW)
    return found


def on_assessment_withdrawn(db: Session, event: AssessmentWithdrawn) -> None:
    """Follows `assessment.withdrawn`: its open reviews close with it."""
    close_reviews_of_withdrawn(db, event.actor, event.assessment_id)


def close_reviews_of_withdrawn(db: Session, actor: Actor,
                               assessment_id: int | None = None) -> int:
    """Close the open reviews whose assessment was withdrawn (of one assessment, or all).

    Run in the withdrawal's own transaction (following `assessment.withdrawn`), audited as the
    withdrawing actor; reads never write. Returns how many reviews were closed."""
    stmt = (select(ExpertReview)
            .join(RiskAssessment, RiskAssessment.id == ExpertReview.assessment_id)
            .where(ExpertReview.status == ReviewStatus.open,
                   RiskAssessment.status == AssessmentStatus.withdrawn))  # fmt: skip
    if assessment_id is not None:
        stmt = stmt.where(ExpertReview.assessment_id == assessment_id)
    closed = 0
    for review in db.execute(stmt.order_by(ExpertReview.id)).scalars().all():
        move(db, REVIEW_FLOW, review, ReviewStatus.closed, actor=actor,
             action="experts.review_closed", reason="assessment withdrawn")
        closed += 1
    return closed


def my_reviews_statement(actor: Actor, *, pending_only: bool = True) -> Select[Any]:
    """The reviews assigned to the actor; pending: open and not yet voted by them."""
    stmt = (select(ExpertReview)
            .join(ExpertAssignment, ExpertAssignment.review_id == ExpertReview.id)
            .where(ExpertAssignment.user_id == actor.user_id,
                   ExpertAssignment.status == AssignmentStatus.active))  # fmt: skip
    if pending_only:
        voted = select(ExpertVote.review_id).where(ExpertVote.user_id == actor.user_id)
        stmt = stmt.where(ExpertReview.status == ReviewStatus.open,
                          ExpertReview.id.not_in(voted))
    return stmt


def assessment_of(db: Session, review: ExpertReview) -> RiskAssessment:
    """The review's assessment, loaded by id: callers have checked access to the review."""
    assessment = db.get(RiskAssessment, review.assessment_id)
    assert assessment is not None  # a review's assessment is never deleted (foreign key)
    return assessment


def records_of(db: Session, review: ExpertReview) -> list[RiskRecord]:
    """The records behind the review's assessment (the assignment grants reading them)."""
    return list(db.execute(
        select(RiskRecord).join(RiskAssessmentRecord,
                                RiskAssessmentRecord.record_id == RiskRecord.id)
        .where(RiskAssessmentRecord.assessment_id == review.assessment_id)
        .order_by(RiskRecord.id)
    ).scalars())  # fmt: skip


def active_assignments(review: ExpertReview) -> list[ExpertAssignment]:
    return [a for a in review.assignments if a.status == AssignmentStatus.active]


def counted_votes(review: ExpertReview) -> list[ExpertVote]:
    """Votes of the experts still assigned (a withdrawn expert's vote no longer counts)."""
    active = {a.user_id for a in active_assignments(review)}
    return [v for v in review.votes if v.user_id in active]


def outcome(review: ExpertReview, panel: ExpertPanel) -> rules.Outcome:
    votes = counted_votes(review)
    chair = chair_of(panel)
    chair_vote = next((v.vote for v in votes if chair and v.user_id == chair.user_id), None)
    return rules.evaluate(panel.decision_rule, panel.quorum, len(active_assignments(review)),
                          [v.vote for v in votes], chair_vote)


# --- Conflicts against an assessment -------------------------------------------------------


def facts_of(db: Session, assessment: RiskAssessment) -> matching.Facts:
    facts = matching.Facts()
    facts.add_product(assessment.hs_code, assessment.product_category, assessment.origin_country)
    record_ids = select(RiskAssessmentRecord.record_id).where(
        RiskAssessmentRecord.assessment_id == assessment.id)
    for hs_code, category, origin in db.execute(
        select(RiskRecord.hs_code, RiskRecord.product_category, RiskRecord.origin_country)
        .where(RiskRecord.id.in_(record_ids))
    ):  # fmt: skip
        facts.add_product(hs_code, category, origin)
    for uscc, name, country in db.execute(
        select(RecordEnterprise.uscc, RecordEnterprise.name, RecordEnterprise.country)
        .where(RecordEnterprise.record_id.in_(record_ids))
    ):  # fmt: skip
        facts.add_enterprise(uscc, name, country)
    return facts


def conflict_with(db: Session, user_id: int, assessment: RiskAssessment,
                  conflicts: list[ExpertConflict] | None = None
                  ) -> tuple[ExpertConflict, str] | None:
    """The first declared conflict of the expert that concerns the assessment, with what."""
    if conflicts is None:
        conflicts = list(db.execute(select(ExpertConflict).where(
            ExpertConflict.user_id == user_id).order_by(ExpertConflict.id)).scalars())
    conflicts = [c for c in conflicts if c.ended_on is None]  # an ended conflict is not matched
    if not conflicts:
        return None
    found = matching.matching(conflicts, facts_of(db, assessment))
    return found[0] if found else None


def _refuse_conflicted(db: Session, user: User, assessment: RiskAssessment) -> None:
    hit = conflict_with(db, user.id, assessment)
    if hit is not None:
        conflict, detail = hit
        raise ConflictOfInterest(expert=user.display_name, kind=conflict.kind.msgid,
                                 detail=detail, declared_on=conflict.declared_on.isoformat(),
                                 field="user_id")


# --- Referring and assigning ---------------------------------------------------------------


def _open(review: ExpertReview) -> None:
    if review.status != ReviewStatus.open:
        raise Conflict(N_("The review is {status}; it can no longer change."),
                       status=ReviewStatus(review.status).msgid)


def refer(db: Session, actor: Actor, *, assessment_id: int, panel_id: int,
          expert_ids: list[int]) -> ExpertReview:
    """Refer an assessment under review to a panel and assign experts of that panel."""
    assessment = assessments.get_assessment(db, actor, assessment_id)
    if assessment.status != AssessmentStatus.in_review:
        raise Conflict(N_("Only an assessment submitted to the expert committee can be referred "
                          "to a panel."), field="assessment_id")
    panel = managed_panel(db, actor, panel_id)
    if not panel.active:
        raise ValidationFailed(fields=[FieldProblem("panel_id", N_("The panel is inactive."))])
    committee = db.get(Organisation, panel.organisation_id)
    owner = db.get(Organisation, assessment.organisation_id)
    if committee is None or owner is None or not owner.path.startswith(committee.path):
        raise ValidationFailed(fields=[FieldProblem("panel_id", N_(
            "The assessment's organisation is outside this panel's committee."))])
    if db.execute(select(ExpertReview.id).where(
            ExpertReview.assessment_id == assessment.id,
            ExpertReview.status == ReviewStatus.open)).first():
        raise Conflict(N_("The assessment is already with a panel."), field="assessment_id")
    review = ExpertReview(organisation_id=panel.organisation_id, assessment_id=assessment.id,
                          panel_id=panel.id, status=ReviewStatus.open,
                          referred_by=actor.username)
    db.add(review)
    db.flush()
    audit.record(db, actor, "experts.referred", object_type="expert_review", object_id=review.id,
                 after={"assessment": assessment.number, "panel_id": panel.id},
                 organisation_id=review.organisation_id)
    for user_id in dict.fromkeys(expert_ids):
        _assign(db, actor, review, panel, assessment, user_id)
    return review


def assign_expert(db: Session, actor: Actor, review_id: int, user_id: int) -> ExpertAssignment:
    review = get_review(db, actor, review_id)
    _open(review)
    panel = db.get(ExpertPanel, review.panel_id)
    assert panel is not None  # a review's panel is never deleted (foreign key)
    return _assign(db, actor, review, panel, assessment_of(db, review), user_id)


def _assign(db: Session, actor: Actor, review: ExpertReview, panel: ExpertPanel,
            assessment: RiskAssessment, user_id: int) -> ExpertAssignment:
    if user_id not in {m.user_id for m in serving_members(panel)}:
        raise ValidationFailed(fields=[FieldProblem(
            "user_id", N_("The expert does not serve on this panel."))])
    user = db.get(User, user_id)
    assert user is not None
    existing = next((a for a in review.assignments if a.user_id == user_id), None)
    if existing is not None and existing.status == AssignmentStatus.active:
        raise Conflict(N_("{expert} is already assigned."), expert=user.display_name,
                       field="user_id")
    _refuse_conflicted(db, user, assessment)
    if existing is None:
        existing = ExpertAssignment(user_id=user_id, assigned_by=actor.username,
                                    status=AssignmentStatus.active)
        review.assignments.append(existing)
    else:  # taken off earlier, assigned again: the assignment's own move, audited on its own
        move(db, ASSIGNMENT_FLOW, existing, AssignmentStatus.active, actor=actor,
             action="experts.assigned", withdrawn_at=None, withdrawn_reason=None)
    db.flush()
    audit.record(db, actor, "experts.assigned", object_type="expert_review", object_id=review.id,
                 after={"user": user.username, "assessment": assessment.number},
                 organisation_id=review.organisation_id)
    outbox.notify_user(
        db, user, topic=ASSIGNED_TOPIC,
        subject=N_("Assessment assigned to you: {number}"),
        body=N_("The expert committee asks for your opinion and vote on {number}: {title}."),
        params={"number": assessment.number, "title": assessment.title},
        link=f"/console/experts/workspace/{review.id}",
    )  # fmt: skip
    return existing


def _withdraw(db: Session, actor: Actor, review: ExpertReview, assignment: ExpertAssignment,
              reason: str) -> None:
    """Take the expert off the review: the assignment's move (audited on the assignment), and
    the review's entry that names the expert."""
    move(db, ASSIGNMENT_FLOW, assignment, AssignmentStatus.withdrawn, actor=actor,
         action="experts.assignment_withdrawn", reason=reason, withdrawn_at=utcnow(),
         withdrawn_reason=reason)
    audit.record(db, actor, "experts.assignment_withdrawn", object_type="expert_review",
                 object_id=review.id, before={"user_id": assignment.user_id, "status": "active"},
                 after={"user_id": assignment.user_id, "status": "withdrawn"}, reason=reason,
                 organisation_id=review.organisation_id)


def withdraw_assignment(db: Session, actor: Actor, review_id: int, user_id: int,
                        reason: str) -> ExpertReview:
    """Take an expert off an open review (their vote stops counting); may settle the review."""
    review = get_review(db, actor, review_id)
    _open(review)
    assignment = next((a for a in active_assignments(review) if a.user_id == user_id), None)
    if assignment is None:
        raise NotFound(N_("assignment"))
    _withdraw(db, actor, review, assignment, reason)
    _settle(db, actor, review)
    return review


def declare_conflict(db: Session, actor: Actor, user_id: int,
                     data: dict[str, Any]) -> ExpertConflict:
    """Record a declared conflict (by the expert, or by the secretary on their behalf) and
    withdraw the expert's open assignments it concerns (each withdrawal audited)."""
    conflict = record_conflict(db, actor, user_id, data)
    user = db.get(User, conflict.user_id)
    assert user is not None  # record_conflict found them
    withdraw_conflicted(db, actor, user, conflict)
    return conflict


def withdraw_conflicted(db: Session, actor: Actor, user: User, conflict: ExpertConflict) -> int:
    """After a new declaration: withdraw the expert's open assignments the conflict concerns."""
    withdrawn = 0
    for assignment in db.execute(
        select(ExpertAssignment).join(ExpertReview, ExpertReview.id == ExpertAssignment.review_id)
        .where(ExpertAssignment.user_id == user.id,
               ExpertAssignment.status == AssignmentStatus.active,
               ExpertReview.status == ReviewStatus.open)
    ).scalars().all():  # fmt: skip
        review = assignment.review
        hit = conflict_with(db, user.id, assessment_of(db, review), [conflict])
        if hit is None:
            continue
        reason = f"conflict of interest #{conflict.id} ({conflict.kind.value}: {hit[1]})"
        _withdraw(db, actor, review, assignment, reason)
        _settle(db, actor, review)
        withdrawn += 1
    return withdrawn


# --- Voting --------------------------------------------------------------------------------


def _text(value: str | None, loc: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(fields=[FieldProblem(loc, message)])
    return text


def _votable(db: Session, actor: Actor, review_id: int) -> ExpertReview:
    review = my_review(db, actor, review_id)
    _open(review)
    if assessment_of(db, review).status != AssessmentStatus.in_review:
        raise Conflict(N_("The assessment is no longer with the expert committee."))
    return review


def cast_vote(db: Session, actor: Actor, review_id: int, *, vote: Vote, rationale: str,
              opinion: str | None = None) -> ExpertVote:
    """The expert's one vote on an assigned review; may decide the review."""
    text = _text(rationale, "rationale", N_("Give the rationale for your vote."))
    review = _votable(db, actor, review_id)
    if any(v.user_id == actor.user_id for v in review.votes):
        raise AlreadyVoted()
    cast = ExpertVote(user_id=actor.user_id, vote=Vote(vote), rationale=text,
                      opinion=(opinion or "").strip() or None, cast_at=utcnow(), revisions=0)
    try:
        with db.begin_nested():
            review.votes.append(cast)
            db.flush()
    except IntegrityError as error:  # a concurrent second vote
        raise AlreadyVoted() from error
    audit.record(db, actor, "experts.vote_cast", object_type="expert_review", object_id=review.id,
                 after={"vote": cast.vote, "rationale": text},
                 organisation_id=review.organisation_id)
    _settle(db, actor, review)
    return cast


def revise_vote(db: Session, actor: Actor, review_id: int, *, vote: Vote, rationale: str,
                reason: str, opinion: str | None = None) -> ExpertVote:
    """Change one's vote before the decision, with a reason (the old vote stays in the audit)."""
    text = _text(rationale, "rationale", N_("Give the rationale for your vote."))
    why = _text(reason, "reason", N_("Give the reason for revising your vote."))
    review = _votable(db, actor, review_id)
    cast = next((v for v in review.votes if v.user_id == actor.user_id), None)
    if cast is None:
        raise Conflict(N_("You have not voted on this assessment yet."))
    before = {"vote": cast.vote, "rationale": cast.rationale}
    cast.vote, cast.rationale = Vote(vote), text
    if opinion is not None:
        cast.opinion = opinion.strip() or None
    cast.revisions += 1
    cast.revised_at = utcnow()
    db.flush()
    audit.record(db, actor, "experts.vote_revised", object_type="expert_review",
                 object_id=review.id, before=before, after={"vote": cast.vote, "rationale": text},
                 reason=why, organisation_id=review.organisation_id)
    _settle(db, actor, review)
    return cast


# --- Deciding ------------------------------------------------------------------------------


def _settle(db: Session, actor: Actor, review: ExpertReview) -> rules.Outcome:
    """Decide the review when its panel's rule is satisfied by the votes that count."""
    panel = db.get(ExpertPanel, review.panel_id)
    assert panel is not None
    result = outcome(review, panel)
    if result.state == rules.DECIDED and result.decision is not None:
        names = {u.id: u.display_name for u in db.execute(select(User).where(
            User.id.in_([v.user_id for v in counted_votes(review)]))).scalars()}
        lines = [f"{panel.name_zh} ({panel.decision_rule.value}): "
                 + ", ".join(f"{k} {n}" for k, n in result.tally.items() if n)]
        lines += [f"- {names.get(v.user_id, v.user_id)}: {v.vote.value} — {v.rationale}"
                  for v in counted_votes(review)]
        decide(db, actor, review, result.decision, "\n".join(lines),
               via="casting_vote" if result.casting_vote else "votes", tally=result.tally)
    return result


def committee_actor(db: Session, actor: Actor, review: ExpertReview) -> Actor:
    """The actor, acting within the committee's organisation for this review only: an expert's
    own organisation (a lab, a university) does not hold the assessment."""
    committee = db.get(Organisation, review.organisation_id)
    assert committee is not None
    return dataclasses.replace(actor, organisation_id=committee.id,
                               organisation_path=committee.path)


def decide(db: Session, actor: Actor, review: ExpertReview, decision: Vote, rationale: str, *,
           via: str, tally: dict[str, int] | None = None,
           meeting_id: int | None = None) -> ExpertReview:
    """Close the review with the decision and conclude the assessment (the one place)."""
    decided = Vote(decision)
    counted = tally if tally is not None else rules.tally_of(
        [v.vote for v in counted_votes(review)])
    move(db, REVIEW_FLOW, review, ReviewStatus.decided, actor=actor, action="experts.decided",
         noted={"decision": decided, "via": via, "tally": counted, "meeting_id": meeting_id})
    review.decision, review.decision_rationale = decided, rationale
    review.decided_at, review.decided_by, review.decided_via = utcnow(), actor.username, via
    review.meeting_id, review.tally = meeting_id, counted
    db.flush()
    assessments.record_committee_decision(
        db, committee_actor(db, actor, review), review.assessment_id,
        decision=Conclusion(decided.value), rationale=rationale, meeting_id=meeting_id)
    return review


# --- For reports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeDecision:
    review_id: int
    assessment_id: int
    assessment_number: str
    assessment_title: str
    panel_id: int
    panel_name_zh: str
    panel_name_en: str | None
    decision: Conclusion
    decided_at: dt.datetime
    decided_via: str
    meeting_id: int | None
    tally: dict[str, int]
    votes_cast: int
    experts_assigned: int


def decisions_in_period(db: Session, actor: Actor, start: dt.date, end: dt.date, *,
                        timezone: str = "Asia/Shanghai") -> list[CommitteeDecision]:
    """Committee decisions in the actor's scope taken on local days start..end (inclusive)."""
    zone = ZoneInfo(timezone)
    low = dt.datetime.combine(start, dt.time(), tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    rows = db.execute(
        reviews_statement(actor, status=ReviewStatus.decided)
        .add_columns(RiskAssessment, ExpertPanel)
        .join(RiskAssessment, RiskAssessment.id == ExpertReview.assessment_id)
        .join(ExpertPanel, ExpertPanel.id == ExpertReview.panel_id)
        .where(ExpertReview.decided_at >= low, ExpertReview.decided_at < high)
        .order_by(ExpertReview.decided_at, ExpertReview.id)
    ).all()  # fmt: skip
    return [CommitteeDecision(
        review_id=review.id, assessment_id=assessment.id, assessment_number=assessment.number,
        assessment_title=assessment.title, panel_id=panel.id, panel_name_zh=panel.name_zh,
        panel_name_en=panel.name_en, decision=Conclusion(review.decision.value),
        decided_at=review.decided_at, decided_via=review.decided_via or "",
        meeting_id=review.meeting_id, tally=dict(review.tally or {}),
        votes_cast=len(counted_votes(review)), experts_assigned=len(active_assignments(review)),
    ) for review, assessment, panel in rows]  # fmt: skip
