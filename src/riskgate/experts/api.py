"""JSON routes of the expert committee: panels, members, conflicts, reviews (referrals and
assignments), the experts' workspace and votes, meetings, and decisions for reports."""

from __future__ import annotations

import datetime as dt

from fastapi import Query, Response

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.experts import meetings, panels, service
from riskgate.experts.enums import ReviewStatus
from riskgate.experts.models import CommitteeMeeting, ExpertPanel, ExpertReview
from riskgate.experts.schemas import (
    AgendaIn,
    AgendaItemOut,
    AssessmentSummary,
    AssignIn,
    AssignmentOut,
    ConflictEndIn,
    ConflictIn,
    ConflictOut,
    DecisionIn,
    DecisionOut,
    ExpertOut,
    MeetingIn,
    MeetingOut,
    MemberIn,
    MemberOut,
    PanelIn,
    PanelOut,
    PanelPatch,
    RecordMeetingIn,
    RecordSummary,
    ReferIn,
    ReviewOut,
    ReviseIn,
    VoteIn,
    VoteOut,
    WithdrawIn,
    WorkspaceDetailOut,
    WorkspaceItemOut,
)

router = api_router(prefix="/api/v1/experts", tags=["experts"])
Limit = Query(default=None, ge=1, le=200)
Cursor = Query(default=None, max_length=500)


# --- Panels and members --------------------------------------------------------------------


@router.get("/panels", response_model=Page[PanelOut], summary="Panels I may see")
def list_panels(limit: int | None = Limit, cursor: str | None = Cursor,
                ctx: RequestContext = require(Permission.COMMITTEE_READ)) -> Page[PanelOut]:
    rows, next_cursor = paginate(
        ctx.db, panels.panels_statement(ctx.actor), id_column=ExpertPanel.id,
        allowed_sorts={"id": ExpertPanel.id}, sort=None, default_sort="id", limit=limit,
        cursor=cursor)  # fmt: skip
    return Page(items=[PanelOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/panels", response_model=PanelOut, status_code=201, summary="Create a panel")
def create_panel(body: PanelIn,
                 ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    def create() -> PanelOut:
        return PanelOut.model_validate(panels.create_panel(ctx.db, ctx.actor, body.model_dump()))

    return idempotent(ctx, body, create)


@router.get("/panels/{panel_id:int}", response_model=PanelOut)
def get_panel(panel_id: IntId,
              ctx: RequestContext = require(Permission.COMMITTEE_READ)) -> PanelOut:
    return PanelOut.model_validate(panels.get_panel(ctx.db, ctx.actor, panel_id))


@router.patch("/panels/{panel_id:int}", response_model=PanelOut)
def update_panel(panel_id: IntId, body: PanelPatch,
                 ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> PanelOut:
    changes = body.model_dump(exclude_unset=True, exclude={"reason"})
    changes = {k: v for k, v in changes.items() if v is not None or k in ("name_en",
                                                                          "description")}
    return PanelOut.model_validate(
        panels.update_panel(ctx.db, ctx.actor, panel_id, changes, body.reason))


@router.put("/panels/{panel_id:int}/members/{user_id:int}", response_model=MemberOut,
            summary="Make an expert a member (or chair) of the panel, or change their term")
def set_member(panel_id: IntId, user_id: IntId, body: MemberIn,
               ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> MemberOut:
    return MemberOut.model_validate(panels.set_member(
        ctx.db, ctx.actor, panel_id, user_id, role=body.role, term_start=body.term_start,
        term_end=body.term_end))


@router.get("/candidates", response_model=list[ExpertOut],
            summary="Active users with the expert role (the registry of experts)")
def list_candidates(ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)
                    ) -> list[ExpertOut]:
    return [ExpertOut.model_validate(u) for u in panels.candidates(ctx.db)]


# --- Conflicts of interest -----------------------------------------------------------------


@router.get("/me/conflicts", response_model=list[ConflictOut], summary="My declared conflicts")
def my_conflicts(ctx: RequestContext = require(Permission.EXPERT_VOTE)) -> list[ConflictOut]:
    rows = panels.conflicts_of(ctx.db, ctx.actor, ctx.actor.user_id or 0)
    return [ConflictOut.model_validate(r) for r in rows]


@router.post("/me/conflicts", response_model=ConflictOut, status_code=201,
             summary="Declare a conflict of interest (withdraws assignments it concerns)")
def declare_my_conflict(body: ConflictIn,
                        ctx: RequestContext = require(Permission.EXPERT_VOTE)) -> Response:
    def create() -> ConflictOut:
        return ConflictOut.model_validate(service.declare_conflict(
            ctx.db, ctx.actor, ctx.actor.user_id or 0, body.model_dump()))

    return idempotent(ctx, body, create)


@router.get("/members/{user_id:int}/conflicts", response_model=list[ConflictOut],
            summary="An expert's declared conflicts (experts of panels in my scope)")
def member_conflicts(user_id: IntId, ctx: RequestContext = require(Permission.COMMITTEE_READ)
                     ) -> list[ConflictOut]:
    return [ConflictOut.model_validate(r) for r in panels.conflicts_of(ctx.db, ctx.actor, user_id)]


@router.post("/members/{user_id:int}/conflicts", response_model=ConflictOut, status_code=201,
             summary="Record a conflict an expert declared (on their behalf)")
def declare_member_conflict(user_id: IntId, body: ConflictIn,
                            ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)
                            ) -> Response:
    def create() -> ConflictOut:
        return ConflictOut.model_validate(
            service.declare_conflict(ctx.db, ctx.actor, user_id, body.model_dump()))

    return idempotent(ctx, body, create)


@router.post("/me/conflicts/{conflict_id:int}/end", response_model=ConflictOut,
             summary="End one of my declared conflicts (it no longer blocks assignments)")
def end_my_conflict(conflict_id: IntId, body: ConflictEndIn,
                    ctx: RequestContext = require(Permission.EXPERT_VOTE)) -> ConflictOut:
    return ConflictOut.model_validate(panels.end_conflict(
        ctx.db, ctx.actor, ctx.actor.user_id or 0, conflict_id, reason=body.reason,
        ended_on=body.ended_on))


@router.post("/members/{user_id:int}/conflicts/{conflict_id:int}/end", response_model=ConflictOut,
             summary="End an expert's declared conflict (on their behalf)")
def end_member_conflict(user_id: IntId, conflict_id: IntId, body: ConflictEndIn,
                        ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)
                        ) -> ConflictOut:
    return ConflictOut.model_validate(panels.end_conflict(
        ctx.db, ctx.actor, user_id, conflict_id, reason=body.reason, ended_on=body.ended_on))


# --- Reviews -------------------------------------------------------------------------------


@router.get("/reviews", response_model=Page[ReviewOut], summary="Reviews in my scope")
def list_reviews(status: ReviewStatus | None = None, panel_id: int | None = Query(
                     default=None, ge=1, le=2_147_483_647),
                 limit: int | None = Limit, cursor: str | None = Cursor,
                 ctx: RequestContext = require(Permission.COMMITTEE_READ)) -> Page[ReviewOut]:
    rows, next_cursor = paginate(
        ctx.db, service.reviews_statement(ctx.actor, status=status, panel_id=panel_id),
        id_column=ExpertReview.id, allowed_sorts={"id": ExpertReview.id}, sort=None,
        default_sort="-id", limit=limit, cursor=cursor)  # fmt: skip
    return Page(items=[ReviewOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/reviews", response_model=ReviewOut, status_code=201,
             summary="Refer an assessment under review to a panel and assign experts")
def refer(body: ReferIn, ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    def create() -> ReviewOut:
        return ReviewOut.model_validate(service.refer(
            ctx.db, ctx.actor, assessment_id=body.assessment_id, panel_id=body.panel_id,
            expert_ids=body.expert_ids))

    return idempotent(ctx, body, create)


@router.get("/reviews/{review_id:int}", response_model=ReviewOut)
def get_review(review_id: IntId,
               ctx: RequestContext = require(Permission.COMMITTEE_READ)) -> ReviewOut:
    return ReviewOut.model_validate(service.get_review(ctx.db, ctx.actor, review_id))


@router.post("/reviews/{review_id:int}/assignments", response_model=AssignmentOut, status_code=201,
             summary="Assign one more expert of the panel (refused when conflicted)")
def assign(review_id: IntId, body: AssignIn,
           ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> AssignmentOut:
    return AssignmentOut.model_validate(
        service.assign_expert(ctx.db, ctx.actor, review_id, body.user_id))


@router.post("/reviews/{review_id:int}/assignments/{user_id:int}/withdraw",
             response_model=ReviewOut,
             summary="Take an expert off the review, with a reason")
def withdraw(review_id: IntId, user_id: IntId, body: WithdrawIn,
             ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> ReviewOut:
    return ReviewOut.model_validate(
        service.withdraw_assignment(ctx.db, ctx.actor, review_id, user_id, body.reason))


# --- The expert's workspace ----------------------------------------------------------------


def workspace_item(ctx: RequestContext, review: ExpertReview) -> WorkspaceItemOut:
    """An assigned review as the expert's workspace lists it."""
    mine = next((v for v in review.votes if v.user_id == ctx.actor.user_id), None)
    return WorkspaceItemOut(
        review_id=review.id, panel_id=review.panel_id, status=review.status,
        assessment=AssessmentSummary.model_validate(service.assessment_of(ctx.db, review)),
        my_vote=VoteOut.model_validate(mine) if mine else None)


def workspace_detail_of(ctx: RequestContext, review: ExpertReview) -> WorkspaceDetailOut:
    """An assigned review with its records and how far the vote has come."""
    item = workspace_item(ctx, review)
    return WorkspaceDetailOut(
        review_id=item.review_id, panel_id=item.panel_id, status=item.status,
        assessment=item.assessment, my_vote=item.my_vote,
        records=[RecordSummary.model_validate(r) for r in service.records_of(ctx.db, review)],
        votes_cast=len(service.counted_votes(review)),
        experts_assigned=len(service.active_assignments(review)))


@router.get("/workspace", response_model=list[WorkspaceItemOut],
            summary="Assessments assigned to me (pending: open and not yet voted)")
def workspace(pending: bool = True, ctx: RequestContext = require(Permission.EXPERT_VOTE)
              ) -> list[WorkspaceItemOut]:
    stmt = service.my_reviews_statement(ctx.actor, pending_only=pending)
    rows = ctx.db.execute(stmt.order_by(ExpertReview.id.desc()).limit(200)).scalars().all()
    return [workspace_item(ctx, r) for r in rows]


@router.get("/workspace/{review_id:int}", response_model=WorkspaceDetailOut)
def workspace_detail(review_id: IntId, ctx: RequestContext = require(Permission.EXPERT_VOTE)
                     ) -> WorkspaceDetailOut:
    return workspace_detail_of(ctx, service.my_review(ctx.db, ctx.actor, review_id))


@router.post("/workspace/{review_id:int}/vote", response_model=VoteOut, status_code=201,
             summary="Cast my one vote with its rationale (a second vote is refused: 409)")
def vote(review_id: IntId, body: VoteIn,
         ctx: RequestContext = require(Permission.EXPERT_VOTE)) -> Response:
    def create() -> VoteOut:
        return VoteOut.model_validate(service.cast_vote(
            ctx.db, ctx.actor, review_id, vote=body.vote, rationale=body.rationale,
            opinion=body.opinion))

    return idempotent(ctx, body, create)


@router.post("/workspace/{review_id:int}/vote/revise", response_model=VoteOut,
             summary="Revise my vote before the decision, with a reason (audited)")
def revise(review_id: IntId, body: ReviseIn,
           ctx: RequestContext = require(Permission.EXPERT_VOTE)) -> VoteOut:
    return VoteOut.model_validate(service.revise_vote(
        ctx.db, ctx.actor, review_id, vote=body.vote, rationale=body.rationale,
        reason=body.reason, opinion=body.opinion))


# --- Meetings ------------------------------------------------------------------------------


@router.get("/meetings", response_model=Page[MeetingOut], summary="Committee meetings")
def list_meetings(limit: int | None = Limit, cursor: str | None = Cursor,
                  ctx: RequestContext = require(Permission.COMMITTEE_READ)) -> Page[MeetingOut]:
    rows, next_cursor = paginate(
        ctx.db, meetings.meetings_statement(ctx.actor), id_column=CommitteeMeeting.id,
        allowed_sorts={"id": CommitteeMeeting.id}, sort=None, default_sort="-id", limit=limit,
        cursor=cursor)  # fmt: skip
    return Page(items=[MeetingOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/meetings", response_model=MeetingOut, status_code=201,
             summary="Schedule a meeting (agenda: the pending reviews; members notified)")
def create_meeting(body: MeetingIn,
                   ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    def create() -> MeetingOut:
        return MeetingOut.model_validate(meetings.create_meeting(
            ctx.db, ctx.actor, title=body.title, scheduled_at=body.scheduled_at,
            panel_id=body.panel_id, organisation_id=body.organisation_id,
            location=body.location))

    return idempotent(ctx, body, create)


@router.get("/meetings/{meeting_id:int}", response_model=MeetingOut)
def get_meeting(meeting_id: IntId,
                ctx: RequestContext = require(Permission.COMMITTEE_READ)) -> MeetingOut:
    return MeetingOut.model_validate(meetings.get_meeting(ctx.db, ctx.actor, meeting_id))


@router.post("/meetings/{meeting_id:int}/agenda", response_model=MeetingOut,
             summary="Add reviews to or remove items from the agenda")
def edit_agenda(meeting_id: IntId, body: AgendaIn,
                ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> MeetingOut:
    return MeetingOut.model_validate(meetings.edit_agenda(
        ctx.db, ctx.actor, meeting_id, add_review_ids=body.add, remove_item_ids=body.remove))


@router.post("/meetings/{meeting_id:int}/record", response_model=MeetingOut,
             summary="Record minutes and attendance (the meeting becomes held)")
def record_meeting(meeting_id: IntId, body: RecordMeetingIn,
                   ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> MeetingOut:
    return MeetingOut.model_validate(meetings.record_meeting(
        ctx.db, ctx.actor, meeting_id, minutes=body.minutes, present_user_ids=body.present))


@router.post("/meetings/{meeting_id:int}/approve-minutes", response_model=MeetingOut)
def approve_minutes(meeting_id: IntId,
                    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> MeetingOut:
    return MeetingOut.model_validate(meetings.approve_minutes(ctx.db, ctx.actor, meeting_id))


@router.post("/meetings/{meeting_id:int}/cancel", response_model=MeetingOut)
def cancel_meeting(meeting_id: IntId, body: WithdrawIn,
                   ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> MeetingOut:
    return MeetingOut.model_validate(
        meetings.cancel_meeting(ctx.db, ctx.actor, meeting_id, body.reason))


@router.post("/meetings/{meeting_id:int}/agenda/{item_id:int}/decision",
             response_model=AgendaItemOut,
             summary="Record the meeting's decision on an agenda item (concludes the assessment)")
def decide_item(meeting_id: IntId, item_id: IntId, body: DecisionIn,
                ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> AgendaItemOut:
    return AgendaItemOut.model_validate(meetings.decide_item(
        ctx.db, ctx.actor, meeting_id, item_id, decision=body.decision,
        rationale=body.rationale))


# --- For reports ---------------------------------------------------------------------------


@router.get("/decisions", response_model=list[DecisionOut],
            summary="Committee decisions taken on local days start..end (inclusive)")
def decisions(start: dt.date, end: dt.date,
              ctx: RequestContext = require(Permission.COMMITTEE_READ)) -> list[DecisionOut]:
    rows = service.decisions_in_period(ctx.db, ctx.actor, start, end,
                                       timezone=ctx.settings.timezone)
    return [DecisionOut.model_validate(r) for r in rows]
