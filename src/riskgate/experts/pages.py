"""Console pages of the expert committee: panels (secretary), the expert's workspace with the
vote form, and the meeting page with agenda, attendance, minutes and decisions."""

from __future__ import annotations

from typing import Any

from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from riskgate.assessment.enums import AssessmentStatus
from riskgate.assessment.models import RiskAssessment
from riskgate.assessment.service import assessments_statement
from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.experts import meetings, panels, service
from riskgate.experts.enums import (
    CONFLICT_LABELS,
    FIELD_LABELS,
    MEETING_LABELS,
    REVIEW_LABELS,
    ROLE_LABELS,
    RULE_LABELS,
    VOTE_LABELS,
    DecisionRule,
    MemberRole,
    ReviewStatus,
    Vote,
)
from riskgate.experts.models import CommitteeMeeting, ExpertPanel, ExpertReview
from riskgate.experts.schemas import ConflictIn, MeetingIn, MemberIn, PanelIn, VoteIn
from riskgate.identity.scope import scoped
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, apply_domain_error, clean, optional_int, parse
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

LABELS = {"field": FIELD_LABELS, "rule": RULE_LABELS, "role": ROLE_LABELS,
          "conflict": CONFLICT_LABELS, "vote": VOTE_LABELS, "review": REVIEW_LABELS,
          "meeting": MEETING_LABELS}


def _options(labels: dict[Any, str], lang: str) -> list[tuple[str, str]]:
    return [(k.value, gettext(v, lang)) for k, v in labels.items()]


def _fail(ctx: RequestContext, form: Form, error: DomainError | None = None,
          fields: tuple[str, ...] = ()) -> None:
    if error is not None:
        apply_domain_error(form, error, ctx.language, fields)
    ctx.db.rollback()


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
    referable = []
    if ctx.actor.can(Permission.COMMITTEE_MANAGE):
        referable = ctx.db.execute(
            assessments_statement(ctx.actor, status=AssessmentStatus.in_review)
            .order_by(RiskAssessment.id.desc()).limit(200)).scalars().all()
    return render(ctx.request, "console/experts/overview.html", {
        "panels": panel_rows, "reviews": reviews, "meetings": meeting_rows,
        "assessments": assessments, "referable": referable, "labels": LABELS,
        "panel_form": forms.get("panel", Form(values={"decision_rule": "majority",
                                                      "quorum": 2})),
        "refer_form": forms.get("refer", Form()), "meeting_form": forms.get("meeting", Form()),
        "action_form": forms.get("action"),
        "users": panels.users_by_id(ctx.db, {a.user_id for r in reviews for a in r.assignments}),
        "field_options": _options(FIELD_LABELS, ctx.language),
        "rule_options": _options(RULE_LABELS, ctx.language),
        "panel_options": [(p.id, p.name(ctx.language)) for p in panel_rows if p.active],
        "experts": [(str(u.id), f"{u.display_name} ({u.username})")
                    for u in panels.candidates(ctx.db)]
        if ctx.actor.can(Permission.COMMITTEE_MANAGE) else [],
    }, status_code=status_code)


@router.get("/console/experts", response_class=HTMLResponse)
def committee_overview(ctx: RequestContext = require(Permission.COMMITTEE_READ)) -> Response:
    return _overview(ctx)


@router.post("/console/experts/panels", response_class=HTMLResponse)
def panel_create(
    name_zh: str = FormField(default="", max_length=400),
    name_en: str = FormField(default="", max_length=400),
    field: str = FormField(default="", max_length=40),
    decision_rule: str = FormField(default="majority", max_length=20),
    quorum: str = FormField(default="2", max_length=5),
    hs_chapters: str = FormField(default="", max_length=400),
    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE),
) -> Response:
    data: dict[str, Any] = {
        "name_zh": clean(name_zh), "name_en": clean(name_en), "field": clean(field),
        "decision_rule": clean(decision_rule) or DecisionRule.majority.value,
        "quorum": clean(quorum) or 2,
        "hs_chapters": [c for c in (hs_chapters or "").replace(",", " ").split() if c]}
    form = Form(values={**data, "hs_chapters": hs_chapters})
    body = parse(form, PanelIn, data, ctx.language)
    panel = None
    try:
        if body is not None:
            panel = panels.create_panel(ctx.db, ctx.actor, body.model_dump())
    except DomainError as error:
        _fail(ctx, form, error, tuple(data))
    if panel is None or form.invalid:
        _fail(ctx, form)
        return _overview(ctx, {"panel": form}, 422)
    return redirect(ctx.request, f"/console/experts/panels/{panel.id}",
                    gettext("The panel was created.", ctx.language))


@router.post("/console/experts/reviews", response_class=HTMLResponse)
def review_create(
    assessment_id: str = FormField(default="", max_length=12),
    panel_id: str = FormField(default="", max_length=12),
    expert_ids: list[str] = FormField(default=[], max_length=50),
    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE),
) -> Response:
    form = Form(values={"assessment_id": assessment_id, "panel_id": panel_id})
    review = None
    try:
        ids = [int(i) for i in expert_ids if i.isdigit()]
        assessment, panel = optional_int(assessment_id), optional_int(panel_id)
        if isinstance(assessment, int) and isinstance(panel, int):
            review = service.refer(ctx.db, ctx.actor, assessment_id=assessment, panel_id=panel,
                                   expert_ids=ids)
        else:
            form.add("assessment_id", gettext("This field is required.", ctx.language))
    except DomainError as error:
        _fail(ctx, form, error, ("assessment_id", "panel_id", "user_id"))
    if review is None or form.invalid:
        _fail(ctx, form)
        return _overview(ctx, {"refer": form}, 422)
    return redirect(ctx.request, "/console/experts",
                    gettext("The assessment was referred to the panel.", ctx.language))


@router.post("/console/experts/meetings", response_class=HTMLResponse)
def meeting_create(
    title: str = FormField(default="", max_length=600),
    scheduled_at: str = FormField(default="", max_length=40),
    location: str = FormField(default="", max_length=600),
    panel_id: str = FormField(default="", max_length=12),
    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE),
) -> Response:
    form = Form(values={"title": title, "scheduled_at": scheduled_at, "location": location,
                        "panel_id": panel_id})
    when = clean(scheduled_at)
    if when and len(when) <= 16:  # a datetime-local field: local time, no zone
        when = when + ":00+08:00" if ctx.settings.timezone == "Asia/Shanghai" else when + "Z"
    body = parse(form, MeetingIn, {"title": clean(title), "scheduled_at": when,
                                   "location": clean(location),
                                   "panel_id": optional_int(panel_id)}, ctx.language)
    meeting = None
    try:
        if body is not None:
            meeting = meetings.create_meeting(
                ctx.db, ctx.actor, title=body.title, scheduled_at=body.scheduled_at,
                panel_id=body.panel_id, location=body.location)
    except DomainError as error:
        _fail(ctx, form, error, ("title", "scheduled_at", "location", "panel_id"))
    if meeting is None or form.invalid:
        _fail(ctx, form)
        return _overview(ctx, {"meeting": form}, 422)
    return redirect(ctx.request, f"/console/experts/meetings/{meeting.id}",
                    gettext("The meeting was scheduled and the members notified.", ctx.language))


# --- A panel -------------------------------------------------------------------------------


def _panel_page(ctx: RequestContext, panel_id: int, form: Form | None = None,
                status_code: int = 200, action_form: Form | None = None) -> Response:
    panel = panels.get_panel(ctx.db, ctx.actor, panel_id)
    users = panels.users_by_id(ctx.db, {m.user_id for m in panel.members})
    orgs = panels.organisation_names(ctx.db, {u.organisation_id for u in users.values()})
    conflicts = {}
    if ctx.actor.can(Permission.COMMITTEE_MANAGE):
        for user_id in users:
            conflicts[user_id] = panels.conflicts_of(ctx.db, ctx.actor, user_id)
    return render(ctx.request, "console/experts/panel.html", {
        "panel": panel, "users": users, "orgs": orgs, "conflicts": conflicts, "labels": LABELS,
        "today": panels.today(), "form": form or Form(values={
            "role": "member", "term_start": panels.today().isoformat()}),
        "experts": [(u.id, f"{u.display_name} ({u.username})")
                    for u in panels.candidates(ctx.db)]
        if ctx.actor.can(Permission.COMMITTEE_MANAGE) else [],
        "role_options": _options(ROLE_LABELS, ctx.language),
        "action_form": action_form, "edit_form": Form(values={
            **{k: getattr(panel, k) for k in ("name_zh", "name_en", "field", "description",
                                              "decision_rule", "quorum")},
            "field": panel.field.value, "decision_rule": panel.decision_rule.value,
            "hs_chapters": " ".join(panel.hs_chapters)}),
        "field_options": _options(FIELD_LABELS, ctx.language),
        "rule_options": _options(RULE_LABELS, ctx.language),
    }, status_code=status_code)


@router.get("/console/experts/panels/{panel_id:int}", response_class=HTMLResponse)
def panel_detail(panel_id: IntId,
                 ctx: RequestContext = require(Permission.COMMITTEE_READ)) -> Response:
    return _panel_page(ctx, panel_id)


@router.post("/console/experts/panels/{panel_id:int}/members", response_class=HTMLResponse)
def panel_member(
    panel_id: IntId,
    user_id: str = FormField(default="", max_length=12),
    role: str = FormField(default="member", max_length=10),
    term_start: str = FormField(default="", max_length=10),
    term_end: str = FormField(default="", max_length=10),
    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE),
) -> Response:
    form = Form(values={"user_id": user_id, "role": role, "term_start": term_start,
                        "term_end": term_end})
    body = parse(form, MemberIn, {"role": clean(role) or MemberRole.member.value,
                                  "term_start": clean(term_start),
                                  "term_end": clean(term_end)}, ctx.language)
    done = False
    try:
        member = optional_int(user_id)
        if body is not None and isinstance(member, int):
            panels.set_member(ctx.db, ctx.actor, panel_id, member, role=body.role,
                              term_start=body.term_start, term_end=body.term_end)
            done = True
        elif body is not None:
            form.add("user_id", gettext("This field is required.", ctx.language))
    except DomainError as error:
        _fail(ctx, form, error, ("user_id", "role", "term_start", "term_end"))
    if not done or form.invalid:
        _fail(ctx, form)
        return _panel_page(ctx, panel_id, form, 422)
    return redirect(ctx.request, f"/console/experts/panels/{panel_id}",
                    gettext("The membership was saved.", ctx.language))


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
        "labels": LABELS, "form": form or Form(values={"kind": "enterprise"}),
        "kind_options": _options(CONFLICT_LABELS, ctx.language),
        "action_form": action_form, "today": panels.today(),
    }, status_code=status_code)


@router.get("/console/experts/workspace", response_class=HTMLResponse)
def workspace(ctx: RequestContext = require(Permission.EXPERT_VOTE)) -> Response:
    return _workspace(ctx)


@router.post("/console/experts/conflicts", response_class=HTMLResponse)
def conflict_declare(
    kind: str = FormField(default="", max_length=20),
    enterprise_uscc: str = FormField(default="", max_length=40),
    enterprise_name: str = FormField(default="", max_length=600),
    country: str = FormField(default="", max_length=10),
    hs_chapter: str = FormField(default="", max_length=10),
    product_area: str = FormField(default="", max_length=400),
    description: str = FormField(default="", max_length=10000),
    ctx: RequestContext = require(Permission.EXPERT_VOTE),
) -> Response:
    data = {"kind": clean(kind), "enterprise_uscc": clean(enterprise_uscc),
            "enterprise_name": clean(enterprise_name), "country": clean(country),
            "hs_chapter": clean(hs_chapter), "product_area": clean(product_area),
            "description": clean(description)}
    form = Form(values=dict(data))
    body = parse(form, ConflictIn, data, ctx.language)
    done = False
    try:
        if body is not None:
            panels.declare_conflict(ctx.db, ctx.actor, ctx.actor.user_id or 0, body.model_dump())
            done = True
    except DomainError as error:
        _fail(ctx, form, error, tuple(data))
    if not done or form.invalid:
        _fail(ctx, form)
        return _workspace(ctx, form, 422)
    return redirect(ctx.request, "/console/experts/workspace",
                    gettext("Your declaration was recorded.", ctx.language))


def _review_page(ctx: RequestContext, review_id: int, form: Form | None = None,
                 status_code: int = 200) -> Response:
    review = service.my_review(ctx.db, ctx.actor, review_id)
    panel = ctx.db.get(ExpertPanel, review.panel_id)
    mine = next((v for v in review.votes if v.user_id == ctx.actor.user_id), None)
    return render(ctx.request, "console/experts/review.html", {
        "review": review, "panel": panel, "assessment": service.assessment_of(ctx.db, review),
        "records": service.records_of(ctx.db, review), "mine": mine, "labels": LABELS,
        "votes_cast": len(service.counted_votes(review)),
        "assigned": len(service.active_assignments(review)),
        "form": form or Form(values={"vote": mine.vote.value if mine else ""}),
        "vote_options": _options(VOTE_LABELS, ctx.language),
        "open": review.status == ReviewStatus.open,
    }, status_code=status_code)


@router.get("/console/experts/workspace/{review_id:int}", response_class=HTMLResponse)
def workspace_review(review_id: IntId,
                     ctx: RequestContext = require(Permission.EXPERT_VOTE)) -> Response:
    return _review_page(ctx, review_id)


@router.post("/console/experts/workspace/{review_id:int}/vote", response_class=HTMLResponse)
def workspace_vote(
    review_id: IntId,
    vote: str = FormField(default="", max_length=30),
    rationale: str = FormField(default="", max_length=20000),
    opinion: str = FormField(default="", max_length=40000),
    reason: str = FormField(default="", max_length=4000),
    revise: str = FormField(default="", max_length=5),
    ctx: RequestContext = require(Permission.EXPERT_VOTE),
) -> Response:
    form = Form(values={"vote": vote, "rationale": rationale, "opinion": opinion,
                        "reason": reason})
    body = parse(form, VoteIn, {"vote": clean(vote), "rationale": clean(rationale),
                                "opinion": clean(opinion)}, ctx.language)
    done = False
    try:
        if body is not None and revise:
            service.revise_vote(ctx.db, ctx.actor, review_id, vote=body.vote,
                                rationale=body.rationale, reason=reason, opinion=body.opinion)
            done = True
        elif body is not None:
            service.cast_vote(ctx.db, ctx.actor, review_id, vote=body.vote,
                              rationale=body.rationale, opinion=body.opinion)
            done = True
    except DomainError as error:
        _fail(ctx, form, error, ("vote", "rationale", "opinion", "reason"))
    if not done or form.invalid:
        _fail(ctx, form)
        return _review_page(ctx, review_id, form, 422)
    return redirect(ctx.request, f"/console/experts/workspace/{review_id}",
                    gettext("Your vote was recorded.", ctx.language))


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
        "panel": panel, "labels": LABELS, "manage": manage,
        "form": form or Form(values={"minutes": meeting.minutes or ""}),
        "vote_options": _options(VOTE_LABELS, ctx.language),
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
def meeting_record(
    meeting_id: IntId,
    minutes: str = FormField(default="", max_length=200000),
    present: list[str] = FormField(default=[], max_length=500),
    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE),
) -> Response:
    form = Form(values={"minutes": minutes})
    try:
        meetings.record_meeting(ctx.db, ctx.actor, meeting_id, minutes=minutes,
                                present_user_ids=[int(p) for p in present if p.isdigit()])
    except DomainError as error:
        _fail(ctx, form, error, ("minutes", "present"))
        return _meeting_page(ctx, meeting_id, form, 422)
    return redirect(ctx.request, f"/console/experts/meetings/{meeting_id}",
                    gettext("The minutes and attendance were saved.", ctx.language))


@router.post("/console/experts/meetings/{meeting_id:int}/approve", response_class=HTMLResponse)
def meeting_approve(meeting_id: IntId,
                    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE)) -> Response:
    form = Form()
    try:
        meetings.approve_minutes(ctx.db, ctx.actor, meeting_id)
    except DomainError as error:
        _fail(ctx, form, error)
        return _meeting_page(ctx, meeting_id, form, 422)
    return redirect(ctx.request, f"/console/experts/meetings/{meeting_id}",
                    gettext("The minutes were approved.", ctx.language))


@router.post("/console/experts/meetings/{meeting_id:int}/items/{item_id:int}/decision",
             response_class=HTMLResponse)
def meeting_decision(
    meeting_id: IntId,
    item_id: IntId,
    decision: str = FormField(default="", max_length=30),
    rationale: str = FormField(default="", max_length=20000),
    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE),
) -> Response:
    form = Form(values={"decision": decision, "rationale": rationale})
    try:
        if clean(decision) not in {v.value for v in Vote}:
            form.add("decision", gettext("This field is required.", ctx.language))
            raise _Invalid
        meetings.decide_item(ctx.db, ctx.actor, meeting_id, item_id, decision=Vote(decision),
                             rationale=rationale)
    except _Invalid:
        _fail(ctx, form)
        return _meeting_page(ctx, meeting_id, form, 422)
    except DomainError as error:
        _fail(ctx, form, error, ("decision", "rationale"))
        return _meeting_page(ctx, meeting_id, form, 422)
    return redirect(ctx.request, f"/console/experts/meetings/{meeting_id}",
                    gettext("The decision was recorded and the assessment concluded.",
                            ctx.language))


class _Invalid(Exception):
    """A form field was invalid before any service call."""


from riskgate.experts import page_actions as _page_actions  # noqa: E402,F401  (registers routes)
