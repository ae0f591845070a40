"""Committee meetings (quarterly): agenda, attendance, minutes, decisions per agenda item.

A meeting belongs to one panel, or to the whole committee of an organisation (panel_id None).
At creation its agenda is every open review of that panel (or of the committee's panels) whose
assessment is still with the committee; the secretary may then add or remove items while the
meeting is planned or held. Invited are the members serving on the panel(s), notified through
the outbox (inbox + e-mail). Status: planned → held (minutes and attendance recorded; decisions
per agenda item may then be recorded, with a quorum of the item's panel present) → minutes
approved (frozen); planned → cancelled.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from riskgate.assessment.enums import AssessmentStatus
from riskgate.assessment.models import RiskAssessment
from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.workflow import move
from riskgate.experts import service
from riskgate.experts.enums import MeetingStatus, ReviewStatus, Vote
from riskgate.experts.models import (
    AgendaItem,
    CommitteeMeeting,
    ExpertPanel,
    ExpertReview,
    MeetingAttendance,
    PanelMember,
)
from riskgate.experts.panels import managed_panel, my_panel_ids, serving_members, users_by_id
from riskgate.experts.workflow import MEETING, MEETING_FLOW
from riskgate.identity import service as identity
from riskgate.identity.scope import get_in_scope, scope_condition
from riskgate.outbox import service as outbox

SCHEDULED_TOPIC = "experts.meeting_scheduled"


def meetings_statement(actor: Actor, *, panel_id: int | None = None) -> Select[Any]:
    """Meetings in the actor's scope, or of the panels (or committees) the actor serves on."""
    stmt = select(CommitteeMeeting)
    condition = scope_condition(actor, CommitteeMeeting.organisation_id)
    if condition is not None:
        my_orgs = select(ExpertPanel.organisation_id).where(ExpertPanel.id.in_(my_panel_ids(actor)))
        stmt = stmt.where(or_(
            condition, CommitteeMeeting.panel_id.in_(my_panel_ids(actor)),
            CommitteeMeeting.panel_id.is_(None) & CommitteeMeeting.organisation_id.in_(my_orgs)))
    if panel_id is not None:
        stmt = stmt.where(CommitteeMeeting.panel_id == panel_id)
    return stmt


def get_meeting(db: Session, actor: Actor, meeting_id: int) -> CommitteeMeeting:
    found: CommitteeMeeting | None = db.execute(
        meetings_statement(actor).where(CommitteeMeeting.id == meeting_id)).scalar()
    if found is None:
        raise NotFound(MEETING)
    return found


def _managed(db: Session, actor: Actor, meeting_id: int) -> CommitteeMeeting:
    return get_in_scope(db, CommitteeMeeting, meeting_id, actor,
                        CommitteeMeeting.organisation_id, object_name=MEETING)


def _panels(db: Session, meeting: CommitteeMeeting) -> list[ExpertPanel]:
    stmt = select(ExpertPanel).where(ExpertPanel.active.is_(True))
    if meeting.panel_id is not None:
        stmt = select(ExpertPanel).where(ExpertPanel.id == meeting.panel_id)
    else:
        stmt = stmt.where(ExpertPanel.organisation_id == meeting.organisation_id)
    return list(db.execute(stmt.order_by(ExpertPanel.id)).scalars())


def pending_reviews(db: Session, meeting: CommitteeMeeting) -> list[ExpertReview]:
    """Open reviews of the meeting's panel(s) whose assessment is still with the committee."""
    return list(db.execute(
        select(ExpertReview).join(RiskAssessment, RiskAssessment.id == ExpertReview.assessment_id)
        .where(ExpertReview.panel_id.in_([p.id for p in _panels(db, meeting)] or [-1]),
               ExpertReview.status == ReviewStatus.open,
               RiskAssessment.status == AssessmentStatus.in_review)
        .order_by(ExpertReview.id)
    ).scalars())  # fmt: skip


def _move(db: Session, actor: Actor, meeting: CommitteeMeeting, event: str,
          reason: str | None = None) -> None:
    """One named step of the meeting (`MEETING_FLOW`), audited as `experts.meeting_<step>`."""
    move(db, MEETING_FLOW, meeting, event, actor=actor, action=f"experts.meeting_{event}",
         reason=reason)


def create_meeting(db: Session, actor: Actor, *, title: str, scheduled_at: dt.datetime,
                   panel_id: int | None = None, organisation_id: int | None = None,
                   location: str | None = None) -> CommitteeMeeting:
    """Schedule a meeting; its agenda is generated from the pending reviews; members notified."""
    if panel_id is not None:
        panel = managed_panel(db, actor, panel_id)
        organisation = identity.get_organisation(db, actor, panel.organisation_id)
    else:
        organisation = identity.get_organisation(
            db, actor, organisation_id or actor.organisation_id or 0)
    if scheduled_at.tzinfo is None:
        raise ValidationFailed(fields=[FieldProblem(
            "scheduled_at", N_("Give the time with its time zone."))])
    meeting = CommitteeMeeting(
        organisation_id=organisation.id, panel_id=panel_id, title=title.strip(),
        scheduled_at=scheduled_at, location=location, status=MeetingStatus.planned,
        created_by=actor.username,
    )  # fmt: skip
    db.add(meeting)
    db.flush()
    for position, review in enumerate(pending_reviews(db, meeting), start=1):
        meeting.agenda.append(AgendaItem(review_id=review.id, position=position))
    invited: dict[int, PanelMember] = {}
    for panel in _panels(db, meeting):
        for member in serving_members(panel, scheduled_at.date()):
            invited.setdefault(member.user_id, member)
    for user_id in invited:
        meeting.attendance.append(MeetingAttendance(user_id=user_id, present=False))
    db.flush()
    audit.record(db, actor, "experts.meeting_scheduled", object_type="committee_meeting",
                 object_id=meeting.id, after={
                     "title": meeting.title, "scheduled_at": scheduled_at, "panel_id": panel_id,
                     "agenda": [i.review_id for i in meeting.agenda],
                     "invited": sorted(invited)}, organisation_id=organisation.id)
    for user in users_by_id(db, set(invited)).values():
        outbox.notify_user(
            db, user, topic=SCHEDULED_TOPIC, subject=N_("Committee meeting scheduled: {title}"),
            body=N_("The expert committee meets on {when} at {location}. The agenda has "
                    "{count} assessments."),
            params={"title": meeting.title, "when": scheduled_at.isoformat(timespec="minutes"),
                    "location": location or "-", "count": len(meeting.agenda)},
            link=f"/console/experts/meetings/{meeting.id}",
            dedupe_key=f"experts:meeting:{meeting.id}:{user.id}",
        )  # fmt: skip
    return meeting


def _editable(meeting: CommitteeMeeting) -> None:
    if meeting.status not in (MeetingStatus.planned, MeetingStatus.held):
        raise Conflict(N_("The meeting is {status}; it can no longer change."),
                       status=MeetingStatus(meeting.status).msgid)


def edit_agenda(db: Session, actor: Actor, meeting_id: int, *, add_review_ids: list[int],
                remove_item_ids: list[int]) -> CommitteeMeeting:
    """Add open reviews of the meeting's panel(s) to the agenda, or remove undecided items."""
    meeting = _managed(db, actor, meeting_id)
    _editable(meeting)
    pending = {r.id for r in pending_reviews(db, meeting)}
    present = {i.review_id for i in meeting.agenda}
    for review_id in add_review_ids:
        if review_id not in pending:
            raise ValidationFailed(fields=[FieldProblem("add", N_(
                "Review {id} is not an open review of this meeting's panels."), {"id": review_id})])
    for item_id in remove_item_ids:
        item = next((i for i in meeting.agenda if i.id == item_id), None)
        if item is None:
            raise ValidationFailed(fields=[FieldProblem("remove", N_(
                "Item {id} is not on this agenda."), {"id": item_id})])
        if item.decision is not None:
            raise Conflict(N_("A decided agenda item cannot be removed."))
        meeting.agenda.remove(item)
    position = max((i.position for i in meeting.agenda), default=0)
    for review_id in add_review_ids:
        if review_id not in present:
            position += 1
            meeting.agenda.append(AgendaItem(review_id=review_id, position=position))
            present.add(review_id)
    db.flush()
    audit.record(db, actor, "experts.agenda_edited", object_type="committee_meeting",
                 object_id=meeting.id, after={"agenda": [i.review_id for i in meeting.agenda]},
                 organisation_id=meeting.organisation_id)
    return meeting


def record_meeting(db: Session, actor: Actor, meeting_id: int, *, minutes: str | None,
                   present_user_ids: list[int]) -> CommitteeMeeting:
    """Record minutes and attendance; the first time, the meeting becomes held."""
    meeting = _managed(db, actor, meeting_id)
    _editable(meeting)
    invited = {a.user_id: a for a in meeting.attendance}
    unknown = [u for u in present_user_ids if u not in invited]
    if unknown:
        raise ValidationFailed(fields=[FieldProblem("present", N_(
            "Not invited to this meeting: {ids}."), {"ids": ", ".join(map(str, unknown))})])
    before = {"minutes": meeting.minutes,
              "present": sorted(u for u, a in invited.items() if a.present)}
    for user_id, row in invited.items():
        row.present = user_id in present_user_ids
    meeting.minutes = (minutes or "").strip() or None
    if meeting.status == MeetingStatus.planned:
        _move(db, actor, meeting, "hold")
        meeting.held_at = utcnow()
    db.flush()
    old, new = audit.diff(before, {"minutes": meeting.minutes,
                                   "present": sorted(set(present_user_ids))})
    audit.record(db, actor, "experts.meeting_recorded", object_type="committee_meeting",
                 object_id=meeting.id, before=old, after=new,
                 organisation_id=meeting.organisation_id)
    return meeting


def approve_minutes(db: Session, actor: Actor, meeting_id: int) -> CommitteeMeeting:
    meeting = _managed(db, actor, meeting_id)
    if meeting.status == MeetingStatus.held and not meeting.minutes:
        raise ValidationFailed(fields=[FieldProblem("minutes", N_(
            "Write the minutes before approving them."))])
    _move(db, actor, meeting, "approve_minutes")
    meeting.minutes_approved_at = utcnow()
    meeting.minutes_approved_by = actor.username
    db.flush()
    return meeting


def cancel_meeting(db: Session, actor: Actor, meeting_id: int, reason: str) -> CommitteeMeeting:
    meeting = _managed(db, actor, meeting_id)
    _move(db, actor, meeting, "cancel", reason=reason)
    return meeting


def decide_item(db: Session, actor: Actor, meeting_id: int, item_id: int, *, decision: Vote,
                rationale: str) -> AgendaItem:
    """Record the meeting's decision on one agenda item: concludes the assessment."""
    meeting = _managed(db, actor, meeting_id)
    if meeting.status != MeetingStatus.held:
        raise Conflict(N_("Decisions are recorded once the meeting is held and until its "
                          "minutes are approved."))
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item is None:
        raise NotFound(N_("agenda item"))
    text = (rationale or "").strip()
    if not text:
        raise ValidationFailed(fields=[FieldProblem("rationale", N_(
            "Give the rationale for the decision."))])
    review = db.get(ExpertReview, item.review_id)
    assert review is not None
    service.close_reviews_of_withdrawn(db, actor, review.assessment_id)
    panel = db.get(ExpertPanel, review.panel_id)
    assert panel is not None
    members = {m.user_id for m in panel.members}
    present = sum(1 for a in meeting.attendance if a.present and a.user_id in members)
    if present < panel.quorum:
        raise Conflict(N_("The quorum of {panel} is not present ({present} of {quorum})."),
                       panel=panel.name_zh, present=present, quorum=panel.quorum)
    service.decide(db, actor, review, Vote(decision), text, via="meeting",
                   meeting_id=meeting.id)
    item.decision, item.rationale = Vote(decision), text
    db.flush()
    return item
