"""The action forms of the warning page and their routes: comment window, submission, return,
approval, publication, adjustment, lifting, withdrawal, and the enterprises' replies.

Which forms show depends on the warning's status, the actor's permissions and whether the
warning was issued in the actor's subtree; the service decides in the end (a stale page posting
an action no longer allowed answers the warning page with the service's message).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends
from fastapi.responses import HTMLResponse, Response

from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.core.db import utcnow
from riskgate.core.errors import DomainError, NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.warnings import service
from riskgate.warnings.enums import IN_FORCE_STATES, WarningStatus
from riskgate.warnings.models import PublicWarning
from riskgate.warnings.schemas import AdjustmentIn, CommentIn, LiftIn, ReasonIn
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, Submitted, clean, parse, read_submitted
from riskgate.web.routing import page_router

router = page_router()

S = WarningStatus
ADJUST_LISTS = ("measures", "origin_countries", "regions", "ports")
ADJUST_TEXTS = ("consumer_instructions", "enterprise_instructions")


def _adjust_defaults(warning: PublicWarning) -> dict[str, Any]:
    values: dict[str, Any] = {name: list(getattr(warning, name) or []) for name in ADJUST_LISTS}
    values["level"] = warning.level.value
    values["effective_until"] = (warning.effective_until.isoformat()
                                 if warning.effective_until else "")
    for name in ADJUST_TEXTS:
        values[name] = getattr(warning, name) or ""
    values["reason"] = ""
    return values


def action_context(ctx: RequestContext, warning: PublicWarning, *, issuer: bool,
                   named: set[int], failed: str | None = None,
                   failed_form: Form | None = None) -> dict[str, Any]:
    """The action forms the actor may use now, each with its values (and errors after a failed
    attempt)."""
    can = ctx.actor.can
    status = S(warning.status)
    available: list[str] = []
    drafter = ctx.actor.user_id is not None and ctx.actor.user_id == warning.created_by_user_id
    if issuer and can(Permission.WARNING_DRAFT):
        if status == S.draft:
            available.append("edit")
            if (warning.level != WarningLevel.I and warning.warning_type != WarningType.bulletin
                    and named):
                available.append("comment_window")
        if status in (S.draft, S.commenting):
            available += ["submit", "discard"]
    if issuer and can(Permission.WARNING_APPROVE):
        if status in (S.in_review, S.approved):
            available.append("return")
        if status == S.in_review and not drafter:
            available.append("approve")
        if status == S.approved:
            available.append("publish")
        if status in IN_FORCE_STATES:
            available += ["adjust", "lift"]
        if status not in (S.draft, S.commenting, S.lifted, S.withdrawn):
            available.append("withdraw")
    deadline = warning.comment_deadline
    window_open = status == S.commenting and deadline is not None and utcnow() <= deadline
    may_comment = (can(Permission.WARNING_COMMENT) and ctx.actor.organisation_id in named
                   and status == S.commenting)
    if may_comment and window_open:
        available.append("comment")
    forms: dict[str, Form] = {name: Form() for name in available}
    if "adjust" in forms:
        forms["adjust"] = Form(values=_adjust_defaults(warning))
    if "comment_window" in forms:
        forms["comment_window"] = Form(values={"working_days": str(
            ctx.settings.warning_comment_days)})
    refused = None
    if failed is not None and failed_form is not None:
        forms[failed] = failed_form
        if failed not in available:  # no longer possible (e.g. the comment window closed)
            refused = failed_form.message
    return {"available": available, "forms": forms, "failed": failed, "refused": refused,
            "approval_blocked_for_drafter": (status == S.in_review and drafter
                                             and can(Permission.WARNING_APPROVE)),
            "comment_closed": may_comment and not window_open,
            "window_open": window_open}


def _done(ctx: RequestContext, warning_id: int, message: str) -> Response:
    return redirect(ctx.request, f"/console/warnings/{warning_id}",
                    gettext(message, ctx.language))


def _failed(ctx: RequestContext, warning_id: int, action: str, form: Form,
            error: DomainError | None = None, status_code: int = 422) -> Response:
    """The warning page again, the failed form showing the problems and the values sent."""
    from riskgate.warnings.pages import detail_page

    if error is not None:
        if isinstance(error, NotFound):
            raise error
        form.message = error.translated(ctx.language)
        for problem in error.fields:
            form.add(problem.loc.split(".")[0], problem.translated(ctx.language))
        status_code = error.status
    elif form.message is None:
        form.message = gettext("Some fields are invalid; see the field errors.", ctx.language)
    return detail_page(ctx, warning_id, failed=action, failed_form=form,
                       status_code=status_code)


def _run(ctx: RequestContext, warning_id: int, action: str, form: Form, call: Callable[[], Any],
         message: str) -> Response:
    try:
        call()
    except DomainError as error:
        return _failed(ctx, warning_id, action, form, error)
    return _done(ctx, warning_id, message)


@router.post("/console/warnings/{warning_id:int}/comment-window", response_class=HTMLResponse)
def warning_open_comment_window(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                                ctx: RequestContext = require(Permission.WARNING_DRAFT)
                                ) -> Response:
    days_text = (submitted.fields.get("working_days") or "").strip()
    form = Form(values={"working_days": days_text})
    if days_text and (not days_text.isdigit() or not 1 <= int(days_text) <= 30):
        form.add("working_days", gettext("Enter a whole number of working days from 1 to 30.",
                                         ctx.language))
        return _failed(ctx, warning_id, "comment_window", form)
    days = int(days_text) if days_text else None
    return _run(ctx, warning_id, "comment_window", form,
                lambda: service.open_comment_window(ctx.db, ctx.actor, warning_id, days,
                                                    settings=ctx.settings),
                N_("The draft is open for comment by the enterprises it names."))


@router.post("/console/warnings/{warning_id:int}/submit", response_class=HTMLResponse)
def warning_submit(warning_id: IntId,
                   ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    return _run(ctx, warning_id, "submit", Form(),
                lambda: service.submit_for_review(ctx.db, ctx.actor, warning_id),
                N_("The warning was submitted for review."))


def _reason_form(ctx: RequestContext, submitted: Submitted, names: tuple[str, ...],
                 model: Any) -> tuple[Form, Any]:
    values = {name: submitted.fields.get(name, "") for name in names}
    form = Form(values=values)
    data = {k: clean(v) for k, v in values.items() if clean(v) is not None}
    for name in names:
        if name not in data and name != "note":
            form.add(name, gettext("This field is required.", ctx.language))
    return form, parse(form, model, data, ctx.language)


@router.post("/console/warnings/{warning_id:int}/return", response_class=HTMLResponse)
def warning_return(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    form, body = _reason_form(ctx, submitted, ("reason",), ReasonIn)
    if body is None:
        return _failed(ctx, warning_id, "return", form)
    return _run(ctx, warning_id, "return", form,
                lambda: service.return_to_draft(ctx.db, ctx.actor, warning_id, body.reason),
                N_("The warning was returned to its drafter."))


@router.post("/console/warnings/{warning_id:int}/approve", response_class=HTMLResponse)
def warning_approve(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    note = clean(submitted.fields.get("note"))
    form = Form(values={"note": note or ""})
    if note and len(note) > 5000:
        form.add("note", gettext("At most {max} characters.", ctx.language, max=5000))
        return _failed(ctx, warning_id, "approve", form)
    return _run(ctx, warning_id, "approve", form,
                lambda: service.approve(ctx.db, ctx.actor, warning_id, note),
                N_("The warning was approved."))


@router.post("/console/warnings/{warning_id:int}/publish", response_class=HTMLResponse)
def warning_publish(warning_id: IntId,
                    ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    return _run(ctx, warning_id, "publish", Form(),
                lambda: service.publish(ctx.db, ctx.actor, warning_id),
                N_("The warning was published."))


@router.post("/console/warnings/{warning_id:int}/adjust", response_class=HTMLResponse)
def warning_adjust(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                   ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    """Only what differs from the warning in force is sent as the adjustment."""
    warning = service.get_warning(ctx.db, ctx.actor, warning_id)
    current = _adjust_defaults(warning)
    values: dict[str, Any] = {"reason": submitted.fields.get("reason", ""),
                              "level": submitted.fields.get("level", ""),
                              "effective_until": submitted.fields.get("effective_until", "")}
    for name in ADJUST_LISTS:
        values[name] = [v for v in dict.fromkeys(submitted.lists.get(name, [])) if v.strip()]
    for name in ADJUST_TEXTS:
        values[name] = submitted.fields.get(name, "")
    form = Form(values=values)
    data: dict[str, Any] = {}
    if clean(values["reason"]) is None:
        form.add("reason", gettext("This field is required.", ctx.language))
    else:
        data["reason"] = clean(values["reason"])
    for name, value in values.items():
        if name == "reason":
            continue
        if name in ADJUST_LISTS:
            if sorted(value) != sorted(current[name]):
                data[name] = value
        elif (clean(value) or "") != (current[name] or ""):
            data[name] = clean(value)
    body = parse(form, AdjustmentIn, data, ctx.language)
    if body is None:
        return _failed(ctx, warning_id, "adjust", form)
    return _run(ctx, warning_id, "adjust", form,
                lambda: service.adjust(ctx.db, ctx.actor, warning_id, body),
                N_("The adjustment was published as a follow-up."))


@router.post("/console/warnings/{warning_id:int}/lift", response_class=HTMLResponse)
def warning_lift(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                 ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    form, body = _reason_form(ctx, submitted, ("reason", "evaluation"), LiftIn)
    if body is None:
        return _failed(ctx, warning_id, "lift", form)
    return _run(ctx, warning_id, "lift", form,
                lambda: service.lift(ctx.db, ctx.actor, warning_id, body.reason,
                                     body.evaluation),
                N_("The warning was lifted."))


@router.post("/console/warnings/{warning_id:int}/withdraw", response_class=HTMLResponse)
def warning_withdraw(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.WARNING_APPROVE)) -> Response:
    form, body = _reason_form(ctx, submitted, ("reason",), ReasonIn)
    if body is None:
        return _failed(ctx, warning_id, "withdraw", form)
    return _run(ctx, warning_id, "withdraw", form,
                lambda: service.withdraw_published(ctx.db, ctx.actor, warning_id, body.reason),
                N_("The warning was withdrawn."))


@router.post("/console/warnings/{warning_id:int}/discard", response_class=HTMLResponse)
def warning_discard(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.WARNING_DRAFT)) -> Response:
    """Abandon a draft (nothing was published: no follow-up)."""
    form, body = _reason_form(ctx, submitted, ("reason",), ReasonIn)
    if body is None:
        return _failed(ctx, warning_id, "discard", form)
    warning = service.get_warning(ctx.db, ctx.actor, warning_id)
    if warning.status not in (S.draft, S.commenting):
        form.message = gettext("Only a draft can be abandoned; a published warning is withdrawn "
                               "by an approver.", ctx.language)
        return _failed(ctx, warning_id, "discard", form, status_code=409)
    return _run(ctx, warning_id, "discard", form,
                lambda: service.discard(ctx.db, ctx.actor, warning_id, body.reason),
                N_("The draft was abandoned."))


@router.post("/console/warnings/{warning_id:int}/comments", response_class=HTMLResponse)
def warning_comment(warning_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.WARNING_COMMENT)) -> Response:
    form, body = _reason_form(ctx, submitted, ("body",), CommentIn)
    if body is None:
        return _failed(ctx, warning_id, "comment", form)
    return _run(ctx, warning_id, "comment", form,
                lambda: service.add_comment(ctx.db, ctx.actor, warning_id, body.body),
                N_("Your reply was sent."))
