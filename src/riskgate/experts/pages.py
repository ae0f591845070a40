"""Console pages of the expert committee: the overview (panels, reviews, meetings) with the
secretary's forms, a panel with its members and their declared conflicts, the expert's workspace
with the vote form, and the meeting page with agenda, attendance, minutes and decisions.

Every form goes through the one form path (`web.forms.submit` / `attempt`); a refused form shows
its page again with status 422 whatever the service's error was, the error on top and beside its
field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from riskgate.assessment import matrix
from riskgate.assessment.enums import AssessmentStatus
from riskgate.assessment.models import RiskAssessment
from riskgate.assessment.service import assessments_statement
from riskgate.catalog.warnings_and_measures import warning_level
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.experts import meetings, panels, service
from riskgate.experts.enums import (
    ConflictKind,
    DecisionRule,
    MemberRole,
    PanelField,
    ReviewStatus,
    Vote,
)
from riskgate.experts.models import CommitteeMeeting, ExpertPanel, ExpertReview
from riskgate.experts.schemas import (
    ConflictEndIn,
    ConflictIn,
    MeetingIn,
    MemberIn,
    PanelIn,
    PanelPatch,
    VoteIn,
    WithdrawIn,
)
from riskgate.experts.workflow import MEETING_FLOW
from riskgate.identity.scope import scoped
from riskgate.web.forms import Form, Submitted, attempt, clean, form_data, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

REQUIRED = N_("This field is required.")


def _refused(ctx: RequestContext,
             page: Callable[[Form], Response]) -> Callable[[Form, int], Response]:
    """The page again after a refused form: 422, the request's changes rolled back first."""
    def again(form: Form, _status: int) -> Response:
        ctx.db.rollback()
        return page(form)
    return again


def _chapters(submitted: Submitted) -> list[str]:
    """HS chapters as typed: two-digit codes separated by spaces or commas."""
    return [c for c in submitted.fields.get("hs_chapters", "").replace(",", " ").split() if c]


def _user_id(submitted: Submitted) -> int:
    """The expert a form names (a select of the page): required."""
    value = clean(submitted.fields.get("user_id"))
    if value is None or not value.isdigit() or len(value) > 10:
        raise ValidationFailed(fields=[FieldProblem("user_id", REQUIRED)])
    return int(value)


def _ids(submitted: Submitted, name: str) -> list[int]:
    """The ids ticked in a list of checkboxes (anything else is left out)."""
    return [int(v) for v in submitted.lists.get(name, []) if v.isdigit() and len(v) <= 10]


# --- Committee overview (secretary) --------------------------------------------------------


def _overview(ctx: RequestContext, forms: dict[str, Form] | None = None,
              status_code: int = 200) -> Response:
    forms = forms or {}
    panel_rows = ctx.db.execute(panels.panels_statement(ctx.actor)
                                .order_by(ExpertPanel.id).limit(200)).scalars().all()
    reviews = ctx.db.execute(service.reviews_statement(ctx.actor)
                             .order_by(ExpertReview.id.desc()).limit(100)).scalars().all()
    meeting_rows = ctx.db.execute(meetings.meetings_statement(ctx.actor)
                                  .order_by(CommitteeMeeting.scheduled_at.desc())
                                  .limit(50)).scalars().all()
    assessments = {a.id: a for a in ctx.db.execute(select(RiskAssessment).where(
        RiskAssessment.id.in_([r.assessment_id for r in reviews] or [-1]))).scalars()}
    manage = ctx.actor.can(Permission.COMMITTEE_MANAGE)
    referable: list[RiskAssessment] = []
    if manage:
        referable = list(ctx.db.execute(
            assessments_statement(ctx.actor, status=AssessmentStatus.in_review)
            .order_by(RiskAssessment.id.desc()).limit(200)).scalars())
    return render(ctx.request, "console/experts/overview.html", {
        "panels": panel_rows, "reviews": reviews, "meetings": meeting_rows,
        "assessments": assessments, "referable": referable,
        "panel_form": forms.get("panel", Form(values={"decision_rule": "majority",
                                                      "quorum": 2})),
        "refer_form": forms.get("refer", Form()), "meeting_form": forms.get("meeting", Form()),
        "action_form": forms.get("action"),
        "users": panels.users_by_id(ctx.db, {a.user_id for r in reviews for a in r.assignments}),
        "field_options": PanelField.choices(ctx.language),
        "rule_options": DecisionRule.choices(ctx.language),
        "panel_options": [(p.id, p.name(ctx.language)) for p in panel_rows if p.active],
        "experts": [(str(u.id), f"{u.display_name} ({u.username})")
                    for u in panels.candidates(ctx.db)] if manage else [],
    }, status_code=status_code)


@router.get("/console/experts", response_class=HTMLResponse)
def committee_overview(ctx: RequestContext = require(Permission.COMMITTEE_READ)) -> Response:
    return _overview(ctx)


PANEL_FIELDS = ("name_zh", "name_en", "field", "decision_rule", "quorum")


@router.post("/console/experts/panels", response_class=HTMLResponse)
def panel_create(submitted: Submitted = Depends(read_submitted),
                 ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    values, data = form_data(PanelIn, submitted, PANEL_FIELDS)
    data["hs_chapters"] = _chapters(submitted)
    values["hs_chapters"] = submitted.fields.get("hs_chapters", "")
    return submit(
        ctx, None, PanelIn, form=Form(values=values), data=data,
        act=lambda body: panels.create_panel(ctx.db, ctx.actor, body.model_dump()),
        done=lambda panel: (f"/console/experts/panels/{panel.id}", N_("The panel was created.")),
        again=_refused(ctx, lambda form: _overview(ctx, {"panel": form}, 422)))


@router.post("/console/experts/reviews", response_class=HTMLResponse)
def review_create(submitted: Submitted = Depends(read_submitted),
                  ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    fields = submitted.fields
    form = Form(values={"assessment_id": fields.get("assessment_id", ""),
                        "panel_id": fields.get("panel_id", "")})

    def act() -> ExpertReview:
        assessment, panel = clean(fields.get("assessment_id")), clean(fields.get("panel_id"))
        if not (assessment and assessment.isdigit() and panel and panel.isdigit()):
            raise ValidationFailed(fields=[FieldProblem("assessment_id", REQUIRED)])
        return service.refer(ctx.db, ctx.actor, assessment_id=int(assessment),
                             panel_id=int(panel), expert_ids=_ids(submitted, "expert_ids"))

    return attempt(
        ctx, form=form, act=act,
        done=lambda _review: ("/console/experts",
                              N_("The assessment was referred to the panel.")),
        again=_refused(ctx, lambda form: _overview(ctx, {"refer": form}, 422)))


@router.post("/console/experts/meetings", response_class=HTMLResponse)
def meeting_create(submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    values, data = form_data(MeetingIn, submitted, ("title", "scheduled_at", "location",
                                                    "panel_id"))
    when = data.get("scheduled_at")
    if when and len(when) <= 16:  # a datetime-local field: local time, no zone
        data["scheduled_at"] = (when + ":00+08:00" if ctx.settings.timezone == "Asia/Shanghai"
                                else when + "Z")
    return submit(
        ctx, None, MeetingIn, form=Form(values=values), data=data,
        act=lambda body: meetings.create_meeting(
            ctx.db, ctx.actor, title=body.title, scheduled_at=body.scheduled_at,
            panel_id=body.panel_id, location=body.location),
        done=lambda meeting: (f"/console/experts/meetings/{meeting.id}",
                              N_("The meeting was scheduled and the members notified.")),
        again=_refused(ctx, lambda form: _overview(ctx, {"meeting": form}, 422)))


@router.post("/console/experts/reviews/{review_id:int}/withdraw", response_class=HTMLResponse)
def review_withdraw(review_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    values, data = form_data(WithdrawIn, submitted)
    values["user_id"] = submitted.fields.get("user_id", "")
    return submit(
        ctx, None, WithdrawIn, form=Form(values=values), data=data,
        act=lambda body: service.withdraw_assignment(ctx.db, ctx.actor, review_id,
                                                     _user_id(submitted), body.reason),
        done=lambda _review: ("/console/experts", N_("The expert was taken off the review.")),
        again=_refused(ctx, lambda form: _overview(ctx, {"action": form}, 422)))


# --- A panel -------------------------------------------------------------------------------


def _panel_page(ctx: RequestContext, panel_id: int, form: Form | None = None,
                status_code: int = 200, action_form: Form | None = None) -> Response:
    panel = panels.get_panel(ctx.db, ctx.actor, panel_id)
    users = panels.users_by_id(ctx.db, {m.user_id for m in panel.members})
    orgs = panels.organisation_names(ctx.db, {u.organisation_id for u in users.values()})
    manage = ctx.actor.can(Permission.COMMITTEE_MANAGE)
    conflicts = {user_id: panels.conflicts_of(ctx.db, ctx.actor, user_id)
                 for user_id in users} if manage else {}
    return render(ctx.request, "console/experts/panel.html", {
        "panel": panel, "users": users, "orgs": orgs, "conflicts": conflicts,
        "today": panels.today(), "form": form or Form(values={
            "role": "member", "term_start": panels.today().isoformat()}),
        "experts": [(u.id, f"{u.display_name} ({u.username})")
                    for u in panels.candidates(ctx.db)] if manage else [],
        "role_options": MemberRole.choices(ctx.language),
        "action_form": action_form, "edit_form": Form(values={
            **{k: getattr(panel, k) for k in ("name_zh", "name_en", "description", "quorum")},
            "field": panel.field.value, "decision_rule": panel.decision_rule.value,
            "hs_chapters": " ".join(panel.hs_chapters)}),
        "field_options": PanelField.choices(ctx.language),
        "rule_options": DecisionRule.choices(ctx.language),
    }, status_code=status_code)


@router.get("/console/experts/panels/{panel_id:int}", response_class=HTMLResponse)
def panel_detail(panel_id: IntId,
                 ctx: RequestContext = require(Permission.COMMITTEE_READ)) -> Response:
    return _panel_page(ctx, panel_id)


PANEL_EDIT_FIELDS = ("name_zh", "name_en", "field", "description", "decision_rule", "quorum",
                     "active", "reason")


def _panel_changes(body: PanelPatch) -> dict[str, Any]:
    """The form's changes: every field of it, the optional texts emptied when left blank."""
    changes = body.model_dump(exclude={"reason"})
    return {k: v for k, v in changes.items() if v is not None or k in ("name_en", "description")}


@router.post("/console/experts/panels/{panel_id:int}", response_class=HTMLResponse)
def panel_edit(panel_id: IntId, submitted: Submitted = Depends(read_submitted),
               ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    values, data = form_data(PanelPatch, submitted, PANEL_EDIT_FIELDS)
    data["hs_chapters"] = _chapters(submitted)
    values["hs_chapters"] = submitted.fields.get("hs_chapters", "")
    return submit(
        ctx, None, PanelPatch, form=Form(values=values), data=data,
        act=lambda body: panels.update_panel(ctx.db, ctx.actor, panel_id, _panel_changes(body),
                                             body.reason),
        done=lambda _panel: (f"/console/experts/panels/{panel_id}", N_("The panel was saved.")),
        again=_refused(ctx, lambda form: _panel_page(ctx, panel_id, status_code=422,
                                                     action_form=form)))


@router.post("/console/experts/panels/{panel_id:int}/members", response_class=HTMLResponse)
def panel_member(panel_id: IntId, submitted: Submitted = Depends(read_submitted),
                 ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    values, data = form_data(MemberIn, submitted)
    values["user_id"] = submitted.fields.get("user_id", "")
    return submit(
        ctx, None, MemberIn, form=Form(values=values), data=data,
        act=lambda body: panels.set_member(ctx.db, ctx.actor, panel_id, _user_id(submitted),
                                           role=body.role, term_start=body.term_start,
                                           term_end=body.term_end),
        done=lambda _member: (f"/console/experts/panels/{panel_id}",
                              N_("The membership was saved.")),
        again=_refused(ctx, lambda form: _panel_page(ctx, panel_id, form, 422)))


@router.post("/console/experts/panels/{panel_id:int}/members/{user_id:int}/conflicts/"
             "{conflict_id:int}/end", response_class=HTMLResponse)
def member_conflict_end(panel_id: IntId, user_id: IntId, conflict_id: IntId,
                        submitted: Submitted = Depends(read_submitted),
                        ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    panels.managed_panel(ctx.db, ctx.actor, panel_id)
    return submit(
        ctx, submitted, ConflictEndIn,
        act=lambda body: panels.end_conflict(ctx.db, ctx.actor, user_id, conflict_id,
                                             reason=body.reason, ended_on=body.ended_on),
        done=lambda _conflict: (f"/console/experts/panels/{panel_id}",
                                N_("The conflict of interest was ended.")),
        again=_refused(ctx, lambda form: _panel_page(ctx, panel_id, status_code=422,
                                                     action_form=form)))


# --- The expert's workspace ----------------------------------------------------------------


def _workspace(ctx: RequestContext, form: Form | None = None, status_code: int = 200,
               action_form: Form | None = None) -> Response:
    pending = ctx.db.execute(service.my_reviews_statement(ctx.actor)
                             .order_by(ExpertReview.id.desc()).limit(200)).scalars().all()
    done = ctx.db.execute(service.my_reviews_statement(ctx.actor, pending_only=False)
                          .order_by(ExpertReview.id.desc()).limit(50)).scalars().all()
    done = [r for r in done if r not in pending]
    return render(ctx.request, "console/experts/workspace.html", {
        "awaiting": [(r, service.assessment_of(ctx.db, r)) for r in pending],
        "done": [(r, service.assessment_of(ctx.db, r)) for r in done],
        "conflicts": panels.conflicts_of(ctx.db, ctx.actor, ctx.actor.user_id or 0),
        "meetings": ctx.db.execute(meetings.meetings_statement(ctx.actor)
                                   .order_by(CommitteeMeeting.scheduled_at.desc())
                                   .limit(20)).scalars().all(),
        "form": form or Form(values={"kind": "enterprise"}),
        "kind_options": ConflictKind.choices(ctx.language),
        "action_form": action_form, "today": panels.today(),
    }, status_code=status_code)


@router.get("/console/experts/workspace", response_class=HTMLResponse)
def workspace(ctx: RequestContext = require(Permission.EXPERT_VOTE)) -> Response:
    return _workspace(ctx)


CONFLICT_FIELDS = ("kind", "enterprise_uscc", "enterprise_name", "country", "hs_chapter",
                   "product_area", "description")


@router.post("/console/experts/conflicts", response_class=HTMLResponse)
def conflict_declare(submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.EXPERT_VOTE)) -> Response:
    values, data = form_data(ConflictIn, submitted, CONFLICT_FIELDS)
    return submit(
        ctx, None, ConflictIn, form=Form(values=values), data=data,
        act=lambda body: service.declare_conflict(ctx.db, ctx.actor, ctx.actor.user_id or 0,
                                                  body.model_dump()),
        done=lambda _conflict: ("/console/experts/workspace",
                                N_("Your declaration was recorded.")),
        again=_refused(ctx, lambda form: _workspace(ctx, form, 422)))


@router.post("/console/experts/conflicts/{conflict_id:int}/end", response_class=HTMLResponse)
def conflict_end(conflict_id: IntId, submitted: Submitted = Depends(read_submitted),
                 ctx: RequestContext = require(Permission.EXPERT_VOTE)) -> Response:
    return submit(
        ctx, submitted, ConflictEndIn,
        act=lambda body: panels.end_conflict(ctx.db, ctx.actor, ctx.actor.user_id or 0,
                                             conflict_id, reason=body.reason,
                                             ended_on=body.ended_on),
        done=lambda _conflict: ("/console/experts/workspace",
                                N_("The conflict of interest was ended.")),
        again=_refused(ctx, lambda form: _workspace(ctx, status_code=422, action_form=form)))


def _review_page(ctx: RequestContext, review_id: int, form: Form | None = None,
                 status_code: int = 200) -> Response:
    review = service.my_review(ctx.db, ctx.actor, review_id)
    panel = ctx.db.get(ExpertPanel, review.panel_id)
    mine = next((v for v in review.votes if v.user_id == ctx.actor.user_id), None)
    return render(ctx.request, "console/experts/review.html", {
        "review": review, "panel": panel, "assessment": service.assessment_of(ctx.db, review),
        "records": service.records_of(ctx.db, review), "mine": mine,
        "votes_cast": len(service.counted_votes(review)),
        "assigned": len(service.active_assignments(review)),
        "form": form or Form(values={"vote": mine.vote.value if mine else ""}),
        "vote_options": Vote.choices(ctx.language), "warning_level": warning_level,
        "open": review.status == ReviewStatus.open,
        "fraction": matrix.format_probability, "severity_level": matrix.severity_level,
    }, status_code=status_code)


@router.get("/console/experts/workspace/{review_id:int}", response_class=HTMLResponse)
def workspace_review(review_id: IntId,
                     ctx: RequestContext = require(Permission.EXPERT_VOTE)) -> Response:
    return _review_page(ctx, review_id)


@router.post("/console/experts/workspace/{review_id:int}/vote", response_class=HTMLResponse)
def workspace_vote(review_id: IntId, submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.EXPERT_VOTE)) -> Response:
    values, data = form_data(VoteIn, submitted)
    values["reason"] = submitted.fields.get("reason", "")
    revise = bool(submitted.fields.get("revise"))

    def act(body: VoteIn) -> Any:
        if revise:
            return service.revise_vote(ctx.db, ctx.actor, review_id, vote=body.vote,
                                       rationale=body.rationale, opinion=body.opinion,
                                       reason=submitted.fields.get("reason", ""))
        return service.cast_vote(ctx.db, ctx.actor, review_id, vote=body.vote,
                                 rationale=body.rationale, opinion=body.opinion)

    return submit(
        ctx, None, VoteIn, form=Form(values=values), data=data, act=act,
        done=lambda _vote: (f"/console/experts/workspace/{review_id}",
                            N_("Your vote was recorded.")),
        again=_refused(ctx, lambda form: _review_page(ctx, review_id, form, 422)))


# --- A meeting -----------------------------------------------------------------------------


def _meeting_page(ctx: RequestContext, meeting_id: int, form: Form | None = None,
                  status_code: int = 200, action_form: Form | None = None) -> Response:
    meeting = meetings.get_meeting(ctx.db, ctx.actor, meeting_id)
    reviews = {r.id: r for r in ctx.db.execute(select(ExpertReview).where(
        ExpertReview.id.in_([i.review_id for i in meeting.agenda] or [-1]))).scalars()}
    assessments = {a.id: a for a in ctx.db.execute(select(RiskAssessment).where(
        RiskAssessment.id.in_([r.assessment_id for r in reviews.values()] or [-1]))).scalars()}
    users = panels.users_by_id(ctx.db, {a.user_id for a in meeting.attendance})
    panel = ctx.db.get(ExpertPanel, meeting.panel_id) if meeting.panel_id else None
    manage = ctx.actor.can(Permission.COMMITTEE_MANAGE) and ctx.db.execute(
        scoped(select(CommitteeMeeting.id).where(CommitteeMeeting.id == meeting.id),
               ctx.actor, CommitteeMeeting.organisation_id)).first() is not None
    return render(ctx.request, "console/experts/meeting.html", {
        "meeting": meeting, "reviews": reviews, "assessments": assessments, "users": users,
        "panel": panel, "manage": manage, "moves": MEETING_FLOW.next_states(meeting),
        "form": form or Form(values={"minutes": meeting.minutes or ""}),
        "vote_options": Vote.choices(ctx.language),
        "action_form": action_form, "addable": _addable(ctx, meeting) if manage else [],
    }, status_code=status_code)


def _addable(ctx: RequestContext, meeting: CommitteeMeeting) -> list[tuple[int, str]]:
    """Open reviews of the meeting's panel(s) not yet on its agenda, for the agenda form."""
    present = {i.review_id for i in meeting.agenda}
    rows = [r for r in meetings.pending_reviews(ctx.db, meeting) if r.id not in present]
    found = {a.id: a for a in ctx.db.execute(select(RiskAssessment).where(
        RiskAssessment.id.in_([r.assessment_id for r in rows] or [-1]))).scalars()}
    return [(r.id, f"{found[r.assessment_id].number} {found[r.assessment_id].title}")
            for r in rows if r.assessment_id in found]


@router.get("/console/experts/meetings/{meeting_id:int}", response_class=HTMLResponse)
def meeting_detail(meeting_id: IntId,
                   ctx: RequestContext = require(Permission.COMMITTEE_READ)) -> Response:
    return _meeting_page(ctx, meeting_id)


@router.post("/console/experts/meetings/{meeting_id:int}/record", response_class=HTMLResponse)
def meeting_record(meeting_id: IntId, submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    minutes = submitted.fields.get("minutes", "")
    return attempt(
        ctx, form=Form(values={"minutes": minutes}),
        act=lambda: meetings.record_meeting(ctx.db, ctx.actor, meeting_id, minutes=minutes,
                                            present_user_ids=_ids(submitted, "present")),
        done=lambda _meeting: (f"/console/experts/meetings/{meeting_id}",
                               N_("The minutes and attendance were saved.")),
        again=_refused(ctx, lambda form: _meeting_page(ctx, meeting_id, form, 422)))


@router.post("/console/experts/meetings/{meeting_id:int}/approve", response_class=HTMLResponse)
def meeting_approve(meeting_id: IntId,
                    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    return attempt(
        ctx, act=lambda: meetings.approve_minutes(ctx.db, ctx.actor, meeting_id),
        done=lambda _meeting: (f"/console/experts/meetings/{meeting_id}",
                               N_("The minutes were approved.")),
        again=_refused(ctx, lambda form: _meeting_page(ctx, meeting_id, form, 422)))


@router.post("/console/experts/meetings/{meeting_id:int}/items/{item_id:int}/decision",
             response_class=HTMLResponse)
def meeting_decision(meeting_id: IntId, item_id: IntId,
                     submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    fields = submitted.fields

    def act() -> Any:
        # The decision is one of the votes; the rationale is checked by the service.
        decision = Vote.parse(clean(fields.get("decision")))
        if decision is None:
            raise ValidationFailed(fields=[FieldProblem("decision", REQUIRED)])
        return meetings.decide_item(ctx.db, ctx.actor, meeting_id, item_id, decision=decision,
                                    rationale=fields.get("rationale", ""))

    return attempt(
        ctx, act=act, form=Form(values={"decision": fields.get("decision", ""),
                                        "rationale": fields.get("rationale", "")}),
        done=lambda _item: (f"/console/experts/meetings/{meeting_id}",
                            N_("The decision was recorded and the assessment concluded.")),
        again=_refused(ctx, lambda form: _meeting_page(ctx, meeting_id, form, 422)))


@router.post("/console/experts/meetings/{meeting_id:int}/agenda", response_class=HTMLResponse)
def meeting_agenda(meeting_id: IntId, submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    # Ticked checkboxes: ids that are not numbers are left out rather than refused.
    return attempt(
        ctx, act=lambda: meetings.edit_agenda(ctx.db, ctx.actor, meeting_id,
                                              add_review_ids=_ids(submitted, "add"),
                                              remove_item_ids=_ids(submitted, "remove")),
        done=lambda _meeting: (f"/console/experts/meetings/{meeting_id}",
                               N_("The agenda was saved.")),
        again=_refused(ctx, lambda form: _meeting_page(ctx, meeting_id, status_code=422,
                                                       action_form=form)))


@router.post("/console/experts/meetings/{meeting_id:int}/cancel", response_class=HTMLResponse)
def meeting_cancel(meeting_id: IntId, submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    return submit(
        ctx, submitted, WithdrawIn,
        act=lambda body: meetings.cancel_meeting(ctx.db, ctx.actor, meeting_id, body.reason),
        done=lambda _meeting: (f"/console/experts/meetings/{meeting_id}",
                               N_("The meeting was cancelled.")),
        again=_refused(ctx, lambda form: _meeting_page(ctx, meeting_id, status_code=422,
                                                       action_form=form)))
