"""Console pages of the warning life cycle: the list, the draft form (products, enterprises,
evidence, attachments), the warning with its history, follow-ups, comments and the action forms
its status allows now, the enterprises' replies during the comment window, and the
issuing-authority table.

Every action is a form posting to its own route (one permission each) that calls one service
function through the one form path (`web.forms.submit`, `attempt` for a button): on a problem
the warning page is rendered again with the message beside the form that caused it and what the
user typed in it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy import func, or_, select

from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.catalog.reference import (
    country,
    measure_type,
    port,
    region,
    warning_level,
    warning_type,
)
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.core.uploads import Upload, read_uploads
from riskgate.identity.enums import OrgType
from riskgate.identity.exchange import service as exchange
from riskgate.identity.models import Organisation
from riskgate.identity.scope import scope_condition
from riskgate.warnings.enums import AUDIT_LABELS, WarningStatus
from riskgate.warnings.enums import WarningStatus as S
from riskgate.warnings.lifecycle import (
    attachments,
    authority,
    content,
    forms,
    four_eyes,
    lifting,
    routing,
    service,
)
from riskgate.warnings.lifecycle.schemas import (
    AdjustmentIn,
    ApprovalIn,
    CommentIn,
    CommentWindowIn,
    LiftIn,
    ReasonIn,
    WarningIn,
)
from riskgate.warnings.lifecycle.workflow import OBJECT, WARNING_FLOW
from riskgate.warnings.models import PublicWarning
from riskgate.warnings.push.acknowledgement import delivery_summary
from riskgate.warnings.tracking.service import warning_tracking
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, Submitted, attempt, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

CHANGE_LABELS = {
    "level": N_("Warning level"), "measures": N_("Measures required"),
    "origin_countries": N_("Countries of origin"), "regions": N_("Regions in scope"),
    "ports": N_("Ports in scope"), "effective_until": N_("Effective until"),
    "consumer_instructions": N_("What consumers should do"),
    "enterprise_instructions": N_("What enterprises must do"), "products": N_("Products"),
    "status": N_("Status"),
}
# Fields a refused action may name (e.g. what submission for review still misses).
FIELD_LABELS = {**CHANGE_LABELS, "summary": N_("Summary"), "hazard": N_("Hazard"),
                "title": N_("Title"), "reason": N_("Reason"), "evaluation": N_("Evaluation")}
LIST_LIMIT = 200


def labels(language: str) -> dict[str, Any]:
    """The options and label helpers the warning templates share."""
    return {
        **forms.choices(language), "WarningStatus": WarningStatus,
        "statuses": WarningStatus.choices(language),
        # The history names each step as the audit trail does (the warnings' audit labels).
        "history_labels": AUDIT_LABELS, "change_labels": CHANGE_LABELS,
        "field_labels": FIELD_LABELS, "warning_level": warning_level,
        "warning_type": warning_type, "measure_type": measure_type, "country": country,
        "region": region, "port": port,
    }


# --- List ------------------------------------------------------------------------------------


@router.get("/console/warnings", response_class=HTMLResponse)
def warnings_list(status: str | None = Query(default=None, max_length=20),
                  level: str | None = Query(default=None, max_length=4),
                  warning_type: str | None = Query(default=None, max_length=20),
                  q: str | None = Query(default=None, max_length=100),
                  approvable: bool = False,
                  ctx: RequestContext = require(Permission.WARNING_READ)) -> Response:
    chosen_status = WarningStatus.parse(status)
    chosen_level = WarningLevel(level) if level and level in WarningLevel.__members__ else None
    chosen_type = (WarningType(warning_type)
                   if warning_type and warning_type in WarningType.__members__ else None)
    stmt = service.warnings_statement(ctx.actor, status=chosen_status, level=chosen_level,
                                      warning_type=chosen_type)
    if approvable:  # the approver's queue (the overview's to-do tile links here)
        stmt = stmt.where(authority.approval_queue_condition(ctx.db, ctx.actor))
    text = (q or "").strip()
    if text:
        folded = text.lower()
        stmt = stmt.where(or_(PublicWarning.number.contains(text, autoescape=True),
                              func.lower(PublicWarning.title).contains(folded, autoescape=True),
                              func.lower(PublicWarning.title_en).contains(folded,
                                                                          autoescape=True)))
    rows = list(ctx.db.execute(stmt.order_by(PublicWarning.updated_at.desc(),
                                             PublicWarning.id.desc())
                               .limit(LIST_LIMIT + 1)).scalars())
    filters = {name: (value.value if value is not None else None) for name, value in (
        ("status", chosen_status), ("level", chosen_level), ("warning_type", chosen_type))}
    return render(ctx.request, "console/warnings/list.html", {
        "warnings": rows[:LIST_LIMIT], "truncated": len(rows) > LIST_LIMIT,
        "origins": exchange.origins(ctx.db, ctx.actor, rows[:LIST_LIMIT], ctx.language),
        "filters": {**filters, "q": text}, **labels(ctx.language)})


# --- Draft form ------------------------------------------------------------------------------


def _form_page(ctx: RequestContext, form: Form, warning: PublicWarning | None = None,
               status_code: int = 200) -> Response:
    values = form.values
    if not values.get("products"):
        values["products"] = [{}]
    selected = [row.get("organisation_id", "") for row in values.get("enterprises", [])]
    existing = attachments.attachments_of(ctx.db, warning.id) if warning else []
    return render(ctx.request, "console/warnings/form.html", {
        "form": form, "warning": warning, "existing_attachments": existing,
        "enterprise_options": forms.enterprise_options(ctx, selected),
        **forms.code_choices(ctx.language), **labels(ctx.language)}, status_code=status_code)


def _store(ctx: RequestContext, warning: PublicWarning | None, body: WarningIn,
           uploads: list[Upload], public: bool) -> PublicWarning:
    """Create or update the draft and store its new attachments (one transaction: a refused
    attachment rolls the whole save back)."""
    saved = (service.create_warning(ctx.db, ctx.actor, body) if warning is None
             else service.update_warning(ctx.db, ctx.actor, warning.id, body))
    settings = ctx.settings
    attachments.add_attachments(ctx.db, ctx.actor, saved, uploads, root=settings.attachments_dir,
                                max_bytes=settings.attachment_max_bytes,
                                max_files=settings.attachment_max_files, public=public)
    return saved


def _save(ctx: RequestContext, submitted: Submitted, warning: PublicWarning | None) -> Response:
    """The draft form through the form path; its rows map their own problems (`forms`)."""
    values = forms.form_values(submitted)
    form = Form(values=values)
    payload = forms.to_payload(ctx.db, values, form, ctx.language)
    body = forms.parse_warning(form, payload, ctx.language)
    if body is None:
        return _form_page(ctx, form, warning, 422)
    uploads = read_uploads(submitted.files, ctx.settings.attachment_max_bytes)
    public = bool(values["attachment_public"])
    return attempt(
        ctx, form=form,
        act=lambda: forms.on_inputs(lambda: _store(ctx, warning, body, uploads, public),
                                    payload.evidence_fields),
        done=lambda saved: (f"/console/warnings/{saved.id}", N_("Draft warning {number} saved."),
                            {"number": saved.number}),
        again=lambda failed, status: _form_page(ctx, failed, warning, status))


@router.get("/console/warnings/new", response_class=HTMLResponse)
def warning_new(ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    return _form_page(ctx, Form(values={"level": "III", "warning_type": "notice",
                                        "attachment_public": True, "products": [{}],
                                        "enterprises": []}))


@router.post("/console/warnings", response_class=HTMLResponse)
def warning_create(submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    return _save(ctx, submitted, None)


@router.get("/console/warnings/product-row", response_class=HTMLResponse)
def warning_product_row(index: int = Query(ge=0, lt=200),
                        ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    """An empty product row and the "add" button for the next one (htmx)."""
    return render(ctx.request, "console/warnings/_product_row.html", {
        "i": index, "row": {}, "form": Form(), "oob": True})


@router.get("/console/warnings/enterprise-row", response_class=HTMLResponse)
def warning_enterprise_row(index: int = Query(ge=0, lt=200),
                           ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    """An empty enterprise row and the "add" button for the next one (htmx)."""
    return render(ctx.request, "console/warnings/_enterprise_row.html", {
        "i": index, "row": {}, "form": Form(), "oob": True,
        "enterprise_options": forms.enterprise_options(ctx), **forms.choices(ctx.language)})


@router.get("/console/warnings/{warning_id:int}/edit", response_class=HTMLResponse)
def warning_edit(warning_id: IntId,
                 ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    warning = service.get_warning(ctx.db, ctx.actor, warning_id)
    if not _in_subtree(ctx, warning):
        raise NotFound(object=OBJECT)
    if warning.status != S.draft:
        return redirect(ctx.request, f"/console/warnings/{warning.id}", gettext(
            "Only a draft can be edited.", ctx.language), "error")
    values = forms.values_from_warning(warning, content.products_of(ctx.db, warning.id),
                                       content.enterprises_of(ctx.db, warning.id),
                                       content.evidence_of(ctx.db, warning.id))
    return _form_page(ctx, Form(values=values), warning)


@router.post("/console/warnings/{warning_id:int}/edit", response_class=HTMLResponse)
def warning_update(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    return _save(ctx, submitted, service.get_warning(ctx.db, ctx.actor, warning_id))


@router.get("/console/warnings/{warning_id:int}/attachments/{attachment_id:int}")
def warning_attachment(warning_id: IntId, attachment_id: IntId,
                       ctx: RequestContext = require(Permission.WARNING_READ)) -> Response:
    attachment = attachments.get_attachment(ctx.db, ctx.actor, warning_id, attachment_id,
                                            public_only=_is_enterprise(ctx))
    data = attachments.read_file(ctx.settings.attachments_dir, attachment)
    return Response(data, media_type=attachment.media_type, headers={
        "Content-Disposition": "attachment; filename*=UTF-8''"
                               + quote(attachment.original_name, safe=""),
        "X-Content-Type-Options": "nosniff"})


# --- One warning -----------------------------------------------------------------------------


def _in_subtree(ctx: RequestContext, warning: PublicWarning) -> bool:
    """Issued in the actor's subtree, or routed to it for its issue (报送签发)."""
    condition = scope_condition(ctx.actor, PublicWarning.organisation_id)
    if condition is None:
        return True
    return ctx.db.execute(select(PublicWarning.id).where(
        PublicWarning.id == warning.id,
        or_(condition, routing.routed_condition(ctx.actor)))).first() is not None


def _is_enterprise(ctx: RequestContext) -> bool:
    if ctx.actor.organisation_id is None:
        return False
    org_type = ctx.db.execute(select(Organisation.org_type).where(
        Organisation.id == ctx.actor.organisation_id)).scalar()
    return org_type is not None and OrgType(org_type).is_enterprise


def _organisation_names(ctx: RequestContext, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = ctx.db.execute(select(Organisation).where(Organisation.id.in_(ids))).scalars()
    return {o.id: o.name(ctx.language) for o in rows}


def _delivery_and_tracking(ctx: RequestContext, warning: PublicWarning,
                           internal: bool) -> dict[str, Any]:
    """The push part's delivery log and the tracking part's figures, once issued."""
    parts: dict[str, Any] = {"deliveries": None, "tracking": None}
    if not internal or warning.published_at is None:
        return parts
    parts["deliveries"] = delivery_summary(ctx.db, ctx.actor, warning)
    if ctx.actor.can(Permission.WARNING_TRACKING_READ):
        parts["tracking"] = warning_tracking(ctx.db, ctx.actor, warning)
    return parts


def available_actions(ctx: RequestContext, warning: PublicWarning, *, issuer: bool,
                      named: set[int]) -> list[str]:
    """The action forms the actor may use now: the moves `WARNING_FLOW` allows from the
    warning's status, for an actor of the issuer with the permission each needs."""
    can = ctx.actor.can
    status = S(warning.status)
    moves = WARNING_FLOW.next_states(warning)
    unpublished = status in (S.draft, S.commenting)
    drafter = ctx.actor.user_id is not None and ctx.actor.user_id == warning.created_by_user_id
    available: list[str] = []
    if issuer and can(Permission.WARNING_DRAFT):
        if status == S.draft:
            available.append("edit")
        if (S.commenting in moves and warning.level != WarningLevel.I
                and warning.warning_type != WarningType.bulletin and named):
            available.append("comment_window")
        if S.in_review in moves:
            available.append("submit")
        if unpublished and S.withdrawn in moves:
            available.append("discard")
    # Approving, publishing and every follow-up need the authority for the warning's level:
    # an approver whose organisation lacks it is not offered them (the page says where the
    # warning waits instead).
    if issuer and can(Permission.WARNING_APPROVE) and routing.may_issue(ctx.db, ctx.actor,
                                                                         warning):
        if S.draft in moves and not unpublished:
            available.append("return")
        if S.approved in moves and not drafter:
            available.append("approve")
        if S.published in moves:
            available.append("publish")
        available += [name for name, target in (("adjust", S.adjusted), ("lift", S.lifted))
                      if target in moves]
        if S.withdrawn in moves and not unpublished:
            available.append("withdraw")
        if warning.pending_change and status in (S.published, S.adjusted):
            available.append("cancel_change")
            if warning.pending_change.get("requested_by_user_id") != ctx.actor.user_id:
                available.append("confirm_change")
    if (can(Permission.WARNING_COMMENT) and ctx.actor.organisation_id in named
            and _window_open(warning)):
        available.append("comment")
    return available


def _window_open(warning: PublicWarning) -> bool:
    deadline = warning.comment_deadline
    return warning.status == S.commenting and deadline is not None and utcnow() <= deadline


def action_context(ctx: RequestContext, warning: PublicWarning, *, issuer: bool,
                   named: set[int], failed: str | None = None,
                   failed_form: Form | None = None) -> dict[str, Any]:
    """The action forms the actor may use now, each with its values (and problems after a
    failed attempt)."""
    available = available_actions(ctx, warning, issuer=issuer, named=named)
    forms_by_name: dict[str, Form] = {name: Form() for name in available}
    if "adjust" in forms_by_name:
        forms_by_name["adjust"] = Form(values=forms.adjust_defaults(warning))
    if "comment_window" in forms_by_name:
        forms_by_name["comment_window"] = Form(values={"working_days": str(
            ctx.settings.warning_comment_days)})
    refused = None
    if failed is not None and failed_form is not None:
        forms_by_name[failed] = failed_form
        if failed not in available:  # no longer possible (e.g. the comment window closed)
            refused = failed_form.message
    drafter = ctx.actor.user_id is not None and ctx.actor.user_id == warning.created_by_user_id
    may_comment = (ctx.actor.can(Permission.WARNING_COMMENT)
                   and ctx.actor.organisation_id in named and warning.status == S.commenting)
    waiting = routing.waiting_at(ctx.db, warning)
    approver = ctx.actor.can(Permission.WARNING_APPROVE)
    in_force = warning.status in (S.published, S.adjusted)
    return {"available": available, "forms": forms_by_name, "failed": failed,
            "refused": refused,
            "waiting_at": waiting.name(ctx.language) if waiting else None,
            # An approver here whose level lacks the authority: told why nothing is offered.
            "no_authority": (approver and warning.status in (S.in_review, S.approved)
                             and not routing.may_issue(ctx.db, ctx.actor, warning)),
            "proposal": lifting.latest_proposal(ctx.db, warning.id) if in_force else None,
            "pending": warning.pending_change if in_force else None,
            "pending_mine": bool(in_force and warning.pending_change and (
                warning.pending_change.get("requested_by_user_id") == ctx.actor.user_id)),
            "second_needed": four_eyes.needs_second(warning.level, four_eyes.LIFT),
            "approval_blocked_for_drafter": (warning.status == S.in_review and drafter
                                             and ctx.actor.can(Permission.WARNING_APPROVE)),
            "comment_closed": may_comment and not _window_open(warning),
            "window_open": _window_open(warning)}


def detail_page(ctx: RequestContext, warning_id: int, *, failed: str | None = None,
                failed_form: Form | None = None, status_code: int = 200) -> Response:
    """The warning page; `failed` names the action form to show again with its problems."""
    warning = service.get_warning(ctx.db, ctx.actor, warning_id)
    enterprise_viewer = _is_enterprise(ctx)
    internal = not enterprise_viewer
    enterprises = content.enterprises_of(ctx.db, warning.id)
    comments = service.comments_of(ctx.db, warning.id)
    if enterprise_viewer:
        comments = [c for c in comments if c.organisation_id == ctx.actor.organisation_id]
    names = _organisation_names(ctx, {e.organisation_id for e in enterprises}
                                | {c.organisation_id for c in comments})
    history = list(reversed(service.history(ctx.db, warning))) if internal else []
    actions = action_context(ctx, warning, issuer=_in_subtree(ctx, warning),
                             named={e.organisation_id for e in enterprises},
                             failed=failed, failed_form=failed_form)
    return render(ctx.request, "console/warnings/detail.html", {
        "warning": warning, "products": content.products_of(ctx.db, warning.id),
        "enterprises": enterprises, "names": names, "comments": comments,
        "evidence": content.evidence_of(ctx.db, warning.id) if internal else [],
        "attachments": attachments.attachments_of(ctx.db, warning.id,
                                                  public_only=enterprise_viewer),
        "follow_ups": list(reversed(service.follow_ups_of(ctx.db, warning.id))),
        "history": history, "internal": internal, "actions": actions,
        **_delivery_and_tracking(ctx, warning, internal), **forms.code_choices(ctx.language),
        **labels(ctx.language)}, status_code=status_code)


@router.get("/console/warnings/{warning_id:int}", response_class=HTMLResponse)
def warning_detail(warning_id: IntId,
                   ctx: RequestContext = require(Permission.WARNING_READ)) -> Response:
    return detail_page(ctx, warning_id)


# --- The action forms of the warning page ----------------------------------------------------


def _act(ctx: RequestContext, warning_id: int, action: str, submitted: Submitted | None,
         model: type[BaseModel] | None, call: Callable[..., Any], message: str, *,
         form: Form | None = None, data: dict[str, Any] | None = None) -> Response:
    """One action form of the warning page: its fields through `model` (none for a button), the
    service call, back to the warning page — or the page again with the form's problems."""
    def again(failed_form: Form, status: int) -> Response:
        return detail_page(ctx, warning_id, failed=action, failed_form=failed_form,
                           status_code=status)

    def done(_result: Any) -> tuple[str, str]:
        return f"/console/warnings/{warning_id}", message

    if model is None:
        return attempt(ctx, act=call, done=done, again=again)
    return submit(ctx, submitted, model, act=call, done=done, again=again, form=form,
                  data=data)


@router.post("/console/warnings/{warning_id:int}/comment-window", response_class=HTMLResponse)
def warning_open_comment_window(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                                ctx: RequestContext = require(Permission.WARNING_DRAFT)
                                ) -> Response:
    return _act(ctx, warning_id, "comment_window", submitted, CommentWindowIn,
                lambda body: service.open_comment_window(ctx.db, ctx.actor, warning_id,
                                                         body.working_days,
                                                         settings=ctx.settings),
                N_("The draft is open for comment by the enterprises it names."))


@router.post("/console/warnings/{warning_id:int}/submit", response_class=HTMLResponse)
def warning_submit(warning_id: IntId,
                   ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    return _act(ctx, warning_id, "submit", None, None,
                lambda: service.submit_for_review(ctx.db, ctx.actor, warning_id),
                N_("The warning was submitted for review."))


@router.post("/console/warnings/{warning_id:int}/return", response_class=HTMLResponse)
def warning_return(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    return _act(ctx, warning_id, "return", submitted, ReasonIn,
                lambda body: service.return_to_draft(ctx.db, ctx.actor, warning_id,
                                                     body.reason),
                N_("The warning was returned to its drafter."))


@router.post("/console/warnings/{warning_id:int}/approve", response_class=HTMLResponse)
def warning_approve(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    return _act(ctx, warning_id, "approve", submitted, ApprovalIn,
                lambda body: service.approve(ctx.db, ctx.actor, warning_id, body.note),
                N_("The warning was approved."))


@router.post("/console/warnings/{warning_id:int}/publish", response_class=HTMLResponse)
def warning_publish(warning_id: IntId,
                    ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    return _act(ctx, warning_id, "publish", None, None,
                lambda: service.publish(ctx.db, ctx.actor, warning_id),
                N_("The warning was published."))


def _changed(result: Any, done: str) -> str:
    """The flash message of a lifting or downgrading: done, or waiting for a second approver."""
    if result == lifting.REQUESTED:
        return N_("Requested: another approver of the issuing authority must confirm it.")
    return done


@router.post("/console/warnings/{warning_id:int}/adjust", response_class=HTMLResponse)
def warning_adjust(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    """Only what differs from the warning in force is sent as the adjustment; a downgrade of a
    level I–II warning is requested first and confirmed by a second approver (R2)."""
    warning = service.get_warning(ctx.db, ctx.actor, warning_id)
    form, data = forms.adjustment_input(submitted, warning)
    against = submitted.fields.get("against_reason", "")
    form.values["against_reason"] = against
    url = f"/console/warnings/{warning_id}"
    return submit(ctx, submitted, AdjustmentIn, form=form, data=data,
                  act=lambda body: lifting.adjust(ctx.db, ctx.actor, warning_id, body, against),
                  done=lambda result: (url, _changed(
                      result, N_("The adjustment was published as a follow-up."))),
                  again=lambda failed_form, status: detail_page(
                      ctx, warning_id, failed="adjust", failed_form=failed_form,
                      status_code=status))


@router.post("/console/warnings/{warning_id:int}/lift", response_class=HTMLResponse)
def warning_lift(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                 ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    url = f"/console/warnings/{warning_id}"
    return submit(ctx, submitted, LiftIn,
                  act=lambda body: lifting.lift(ctx.db, ctx.actor, warning_id, body.reason,
                                                body.evaluation, body.against_reason),
                  done=lambda result: (url, _changed(result, N_("The warning was lifted."))),
                  again=lambda failed_form, status: detail_page(
                      ctx, warning_id, failed="lift", failed_form=failed_form,
                      status_code=status))


@router.post("/console/warnings/{warning_id:int}/confirm-change", response_class=HTMLResponse)
def warning_confirm_change(warning_id: IntId,
                           ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    """The second approver confirms the lifting or downgrading another approver requested."""
    return _act(ctx, warning_id, "confirm_change", None, None,
                lambda: lifting.confirm(ctx.db, ctx.actor, warning_id),
                N_("Confirmed: the follow-up was published."))


@router.post("/console/warnings/{warning_id:int}/cancel-change", response_class=HTMLResponse)
def warning_cancel_change(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                          ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    return _act(ctx, warning_id, "cancel_change", submitted, ReasonIn,
                lambda body: lifting.cancel(ctx.db, ctx.actor, warning_id, body.reason),
                N_("The request was cancelled."))


@router.post("/console/warnings/{warning_id:int}/withdraw", response_class=HTMLResponse)
def warning_withdraw(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    return _act(ctx, warning_id, "withdraw", submitted, ReasonIn,
                lambda body: service.withdraw_published(ctx.db, ctx.actor, warning_id,
                                                        body.reason),
                N_("The warning was withdrawn."))


def _discard_draft(ctx: RequestContext, warning_id: int, reason: str) -> PublicWarning:
    """The page abandons only a draft (the API's discard also takes a warning in review)."""
    warning = service.get_warning(ctx.db, ctx.actor, warning_id)
    if warning.status not in (S.draft, S.commenting):
        raise Conflict(N_("Only a draft can be abandoned; a published warning is withdrawn by "
                          "an approver."))
    return service.discard(ctx.db, ctx.actor, warning_id, reason)


@router.post("/console/warnings/{warning_id:int}/discard", response_class=HTMLResponse)
def warning_discard(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    """Abandon a draft (nothing was published: no follow-up)."""
    return _act(ctx, warning_id, "discard", submitted, ReasonIn,
                lambda body: _discard_draft(ctx, warning_id, body.reason),
                N_("The draft was abandoned."))


@router.post("/console/warnings/{warning_id:int}/comments", response_class=HTMLResponse)
def warning_comment(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.WARNING_COMMENT)) -> Response:
    return _act(ctx, warning_id, "comment", submitted, CommentIn,
                lambda body: service.add_comment(ctx.db, ctx.actor, warning_id, body.body),
                N_("Your reply was sent."))
