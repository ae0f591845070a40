"""JSON routes of the warning life cycle: drafts, the comment window, review, issuing and the
issuing-authority rules. Each route calls one service function."""

from __future__ import annotations

from typing import Any

from fastapi import Query, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select

from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.models import Organisation
from riskgate.warnings.enums import WarningStatus
from riskgate.warnings.lifecycle import authority, content, lifting, service
from riskgate.warnings.lifecycle.schemas import (
    AdjustmentIn,
    AdjustmentRequestIn,
    ApprovalIn,
    AuthorityRuleIn,
    AuthorityRuleOut,
    CommentIn,
    CommentOut,
    CommentWindowIn,
    FollowUpOut,
    LiftIn,
    ReasonIn,
    WarningIn,
    WarningOut,
    WarningSummaryOut,
)
from riskgate.warnings.models import PublicWarning

router = api_router(prefix="/api/v1", tags=["warnings"])


def detail(ctx: RequestContext, warning: PublicWarning) -> WarningOut:
    """The warning with its products, enterprises, evidence, follow-ups and comments. Comments
    are shown to the issuers, and to each enterprise only its own."""
    db = ctx.db
    enterprises = content.enterprises_of(db, warning.id)
    names = {row.id: row.name_zh for row in db.execute(select(
        Organisation.id, Organisation.name_zh).where(
        Organisation.id.in_([e.organisation_id for e in enterprises])))} if enterprises else {}
    comments = service.comments_of(db, warning.id)
    if ctx.actor.organisation_id in names:
        comments = [c for c in comments if c.organisation_id == ctx.actor.organisation_id]
    return WarningOut.model_validate({
        **{name: getattr(warning, name) for name in WarningOut.model_fields
           if hasattr(warning, name) and name not in ("products", "enterprises", "evidence",
                                                      "follow_ups", "comments")},
        "products": [p.snapshot() for p in content.products_of(db, warning.id)],
        "enterprises": [{"organisation_id": e.organisation_id, "role": e.role,
                         "name": names.get(e.organisation_id)} for e in enterprises],
        "evidence": [{"kind": e.kind, "object_id": e.object_id}
                     for e in content.evidence_of(db, warning.id)],
        "follow_ups": [FollowUpOut.model_validate(f)
                       for f in service.follow_ups_of(db, warning.id)],
        "comments": [CommentOut.model_validate(c) for c in comments],
    })  # fmt: skip


@router.get("/warnings", response_model=Page[WarningSummaryOut],
            summary="Warnings I may read: issued in my scope, or published to me")
def list_warnings(
    status: WarningStatus | None = None,
    level: WarningLevel | None = None,
    warning_type: WarningType | None = None,
    issued_only: bool = False,
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.WARNING_READ),
) -> Page[WarningSummaryOut]:
    stmt = service.warnings_statement(ctx.actor, status=status, level=level,
                                      warning_type=warning_type, issued_only=issued_only)
    rows, next_cursor = paginate(
        ctx.db, stmt, id_column=PublicWarning.id, allowed_sorts={"id": PublicWarning.id},
        sort=None, default_sort="-id", limit=limit, cursor=cursor)
    return Page(items=[WarningSummaryOut.model_validate(r) for r in rows],
                next_cursor=next_cursor)


@router.post("/warnings", response_model=WarningOut, status_code=201,
             summary="Draft a warning")
def create_warning(body: WarningIn,
                   ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    return idempotent(ctx, body, lambda: detail(ctx, service.create_warning(ctx.db, ctx.actor,
                                                                            body)))


@router.get("/warnings/{warning_id:int}", response_model=WarningOut)
def get_warning(warning_id: IntId,
                ctx: RequestContext = require(Permission.WARNING_READ)) -> WarningOut:
    return detail(ctx, service.get_warning(ctx.db, ctx.actor, warning_id))


@router.put("/warnings/{warning_id:int}", response_model=WarningOut,
            summary="Replace a draft's content")
def update_warning(warning_id: IntId, body: WarningIn,
                   ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> WarningOut:
    return detail(ctx, service.update_warning(ctx.db, ctx.actor, warning_id, body))


@router.post("/warnings/{warning_id:int}/comment-window", response_model=WarningOut,
             summary="Open the draft to the enterprises it names for comment")
def open_comment_window(warning_id: IntId, body: CommentWindowIn,
                        ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> WarningOut:
    return detail(ctx, service.open_comment_window(ctx.db, ctx.actor, warning_id,
                                                   body.working_days, settings=ctx.settings))


@router.post("/warnings/{warning_id:int}/comments", response_model=CommentOut, status_code=201,
             summary="Comment on a draft naming my enterprise, within the window")
def add_comment(warning_id: IntId, body: CommentIn,
                ctx: RequestContext = require(Permission.WARNING_COMMENT)) -> CommentOut:
    return CommentOut.model_validate(service.add_comment(ctx.db, ctx.actor, warning_id,
                                                         body.body))


@router.post("/warnings/{warning_id:int}/submit", response_model=WarningOut,
             summary="Submit a draft for review")
def submit(warning_id: IntId,
           ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> WarningOut:
    return detail(ctx, service.submit_for_review(ctx.db, ctx.actor, warning_id))


@router.post("/warnings/{warning_id:int}/discard", response_model=WarningOut,
             summary="Abandon a warning that was never published")
def discard(warning_id: IntId, body: ReasonIn,
            ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> WarningOut:
    return detail(ctx, service.discard(ctx.db, ctx.actor, warning_id, body.reason))


@router.post("/warnings/{warning_id:int}/return", response_model=WarningOut,
             summary="Send a warning in review back to its drafter")
def return_to_draft(warning_id: IntId, body: ReasonIn,
                    ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> WarningOut:
    return detail(ctx, service.return_to_draft(ctx.db, ctx.actor, warning_id, body.reason))


@router.post("/warnings/{warning_id:int}/approve", response_model=WarningOut,
             summary="Approve (issuing authority for the level; not the drafter)")
def approve(warning_id: IntId, body: ApprovalIn,
            ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> WarningOut:
    return detail(ctx, service.approve(ctx.db, ctx.actor, warning_id, body.note))


@router.post("/warnings/{warning_id:int}/publish", response_model=WarningOut,
             summary="Publish an approved warning (and push it)")
def publish(warning_id: IntId,
            ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> WarningOut:
    return detail(ctx, service.publish(ctx.db, ctx.actor, warning_id))


def _followed_up(ctx: RequestContext, warning_id: int, result: Any) -> Any:
    """The follow-up (201), or — a level I–II lifting or downgrading waiting for its second
    approver (R2) — 202 with the pending request."""
    if result == lifting.REQUESTED:
        warning = service.get_warning(ctx.db, ctx.actor, warning_id)
        return JSONResponse(status_code=202, content={
            "status": "requested", "warning_id": warning_id,
            "pending_change": warning.pending_change})
    return FollowUpOut.model_validate(result)


_REQUESTED: dict[int | str, dict[str, Any]] = {202: {
    "description": "Requested: a second approver of the issuing authority must confirm "
                   "(POST …/confirm-change)"}}


@router.post("/warnings/{warning_id:int}/adjustments", response_model=FollowUpOut, status_code=201,
             responses=_REQUESTED,
             summary="Adjust a warning in force (a numbered follow-up); lowering a level I–II "
                     "warning is requested first and confirmed by a second approver")
def adjust(warning_id: IntId, body: AdjustmentRequestIn,
           ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Any:
    data = AdjustmentIn.model_validate(body.model_dump(exclude={"against_reason"},
                                                       exclude_unset=True))
    return _followed_up(ctx, warning_id, lifting.adjust(ctx.db, ctx.actor, warning_id, data,
                                                        body.against_reason))


@router.post("/warnings/{warning_id:int}/lift", response_model=FollowUpOut, status_code=201,
             responses=_REQUESTED,
             summary="Lift a warning in force, with the evaluation behind it; a level I–II "
                     "warning is lifted when a second approver confirms")
def lift(warning_id: IntId, body: LiftIn,
         ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Any:
    return _followed_up(ctx, warning_id, lifting.lift(ctx.db, ctx.actor, warning_id, body.reason,
                                                      body.evaluation, body.against_reason))


@router.post("/warnings/{warning_id:int}/confirm-change", response_model=FollowUpOut,
             status_code=201,
             summary="Confirm, as the second approver, the requested lifting or downgrading")
def confirm_change(warning_id: IntId,
                   ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> FollowUpOut:
    return FollowUpOut.model_validate(lifting.confirm(ctx.db, ctx.actor, warning_id))


@router.post("/warnings/{warning_id:int}/cancel-change", response_model=WarningOut,
             summary="Cancel the requested lifting or downgrading, saying why")
def cancel_change(warning_id: IntId, body: ReasonIn,
                  ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> WarningOut:
    return detail(ctx, lifting.cancel(ctx.db, ctx.actor, warning_id, body.reason))


@router.post("/warnings/{warning_id:int}/withdraw", response_model=FollowUpOut, status_code=201,
             summary="Withdraw a warning published in error")
def withdraw(warning_id: IntId, body: ReasonIn,
             ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> FollowUpOut:
    return FollowUpOut.model_validate(service.withdraw_published(ctx.db, ctx.actor, warning_id,
                                                                 body.reason))


@router.get("/warning-authority", response_model=list[AuthorityRuleOut],
            summary="Which organisation levels may issue each warning level")
def authority_rules(ctx: RequestContext = require(Permission.WARNING_READ)
                    ) -> list[AuthorityRuleOut]:
    return [AuthorityRuleOut(level=level, org_levels=levels)
            for level, levels in authority.rules(ctx.db).items()]


@router.put("/warning-authority/{level}", response_model=AuthorityRuleOut,
            summary="Set which organisation levels may issue a warning level")
def update_authority_rule(level: WarningLevel, body: AuthorityRuleIn,
                          ctx: RequestContext = require(Permission.WARNING_AUTHORITY_MANAGE)
                          ) -> AuthorityRuleOut:
    rule = authority.update_rule(ctx.db, ctx.actor, level, body.org_levels)
    return AuthorityRuleOut(level=rule.level, org_levels=rule.org_levels)
