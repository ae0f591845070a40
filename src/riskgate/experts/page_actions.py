"""Console actions of the expert committee beyond creating things (see `pages.py`): edit a
panel, end a declared conflict (the expert's own, or a member's by the secretary), take an
expert off a review, edit a meeting's agenda and cancel a meeting. Plain HTML forms (CSRF);
on a refused action the page is shown again with the error on top (422)."""

from __future__ import annotations

from typing import Any

from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response

from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.experts import meetings, panels, service
from riskgate.experts.pages import _fail, _meeting_page, _overview, _panel_page, _workspace
from riskgate.experts.schemas import ConflictEndIn, PanelPatch, WithdrawIn
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, clean, optional_int, parse
from riskgate.web.routing import page_router

router = page_router()


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) <= 10]


# --- A panel -------------------------------------------------------------------------------


@router.post("/console/experts/panels/{panel_id:int}", response_class=HTMLResponse)
def panel_edit(
    panel_id: IntId,
    name_zh: str = FormField(default="", max_length=400),
    name_en: str = FormField(default="", max_length=400),
    field: str = FormField(default="", max_length=40),
    description: str = FormField(default="", max_length=10000),
    decision_rule: str = FormField(default="", max_length=20),
    quorum: str = FormField(default="", max_length=5),
    hs_chapters: str = FormField(default="", max_length=400),
    active: str = FormField(default="", max_length=5),
    reason: str = FormField(default="", max_length=1000),
    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE),
) -> Response:
    data: dict[str, Any] = {
        "name_zh": clean(name_zh), "name_en": clean(name_en), "field": clean(field),
        "description": clean(description), "decision_rule": clean(decision_rule),
        "quorum": clean(quorum), "active": bool(active), "reason": clean(reason),
        "hs_chapters": [c for c in (hs_chapters or "").replace(",", " ").split() if c]}
    form = Form(values={**data, "hs_chapters": hs_chapters})
    body = parse(form, PanelPatch, data, ctx.language)
    done = False
    try:
        if body is not None:
            changes = body.model_dump(exclude={"reason"})
            changes = {k: v for k, v in changes.items()
                       if v is not None or k in ("name_en", "description")}
            panels.update_panel(ctx.db, ctx.actor, panel_id, changes, body.reason)
            done = True
    except DomainError as error:
        _fail(ctx, form, error, tuple(data))
    if not done or form.invalid:
        _fail(ctx, form)
        return _panel_page(ctx, panel_id, status_code=422, action_form=form)
    return redirect(ctx.request, f"/console/experts/panels/{panel_id}",
                    gettext("The panel was saved.", ctx.language))


# --- Ending a declared conflict ------------------------------------------------------------


def _end(ctx: RequestContext, user_id: int, conflict_id: int, reason: str,
         ended_on: str) -> Form | None:
    """End the conflict; the form with its errors when refused, else None."""
    form = Form(values={"reason": reason, "ended_on": ended_on})
    body = parse(form, ConflictEndIn, {"reason": clean(reason), "ended_on": clean(ended_on)},
                 ctx.language)
    try:
        if body is not None:
            panels.end_conflict(ctx.db, ctx.actor, user_id, conflict_id, reason=body.reason,
                                ended_on=body.ended_on)
            return None
    except DomainError as error:
        _fail(ctx, form, error, ("reason", "ended_on"))
    _fail(ctx, form)
    return form


@router.post("/console/experts/conflicts/{conflict_id:int}/end", response_class=HTMLResponse)
def conflict_end(
    conflict_id: IntId,
    reason: str = FormField(default="", max_length=4000),
    ended_on: str = FormField(default="", max_length=10),
    ctx: RequestContext = require(Permission.EXPERT_VOTE),
) -> Response:
    form = _end(ctx, ctx.actor.user_id or 0, conflict_id, reason, ended_on)
    if form is not None:
        return _workspace(ctx, status_code=422, action_form=form)
    return redirect(ctx.request, "/console/experts/workspace",
                    gettext("The conflict of interest was ended.", ctx.language))


@router.post("/console/experts/panels/{panel_id:int}/members/{user_id:int}/conflicts/{conflict_id:int}/end",
             response_class=HTMLResponse)
def member_conflict_end(
    panel_id: IntId,
    user_id: IntId,
    conflict_id: IntId,
    reason: str = FormField(default="", max_length=4000),
    ended_on: str = FormField(default="", max_length=10),
    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE),
) -> Response:
    panels.managed_panel(ctx.db, ctx.actor, panel_id)
    form = _end(ctx, user_id, conflict_id, reason, ended_on)
    if form is not None:
        return _panel_page(ctx, panel_id, status_code=422, action_form=form)
    return redirect(ctx.request, f"/console/experts/panels/{panel_id}",
                    gettext("The conflict of interest was ended.", ctx.language))


# --- Taking an expert off a review ---------------------------------------------------------


@router.post("/console/experts/reviews/{review_id:int}/withdraw", response_class=HTMLResponse)
def review_withdraw(
    review_id: IntId,
    user_id: str = FormField(default="", max_length=12),
    reason: str = FormField(default="", max_length=4000),
    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE),
) -> Response:
    form = Form(values={"user_id": user_id, "reason": reason})
    body = parse(form, WithdrawIn, {"reason": clean(reason)}, ctx.language)
    done = False
    try:
        expert = optional_int(user_id)
        if not isinstance(expert, int):
            form.add("user_id", gettext("This field is required.", ctx.language))
        elif body is not None:
            service.withdraw_assignment(ctx.db, ctx.actor, review_id, expert, body.reason)
            done = True
    except DomainError as error:
        _fail(ctx, form, error, ("user_id", "reason"))
    if not done or form.invalid:
        _fail(ctx, form)
        return _overview(ctx, {"action": form}, 422)
    return redirect(ctx.request, "/console/experts",
                    gettext("The expert was taken off the review.", ctx.language))


# --- A meeting -----------------------------------------------------------------------------


@router.post("/console/experts/meetings/{meeting_id:int}/agenda", response_class=HTMLResponse)
def meeting_agenda(
    meeting_id: IntId,
    add: list[str] = FormField(default=[], max_length=200),
    remove: list[str] = FormField(default=[], max_length=200),
    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE),
) -> Response:
    form = Form()
    try:
        meetings.edit_agenda(ctx.db, ctx.actor, meeting_id, add_review_ids=_ids(add),
                             remove_item_ids=_ids(remove))
    except DomainError as error:
        _fail(ctx, form, error, ("add", "remove"))
        return _meeting_page(ctx, meeting_id, status_code=422, action_form=form)
    return redirect(ctx.request, f"/console/experts/meetings/{meeting_id}",
                    gettext("The agenda was saved.", ctx.language))


@router.post("/console/experts/meetings/{meeting_id:int}/cancel", response_class=HTMLResponse)
def meeting_cancel(
    meeting_id: IntId,
    reason: str = FormField(default="", max_length=4000),
    ctx: RequestContext = require(Permission.COMMITTEE_MANAGE),
) -> Response:
    form = Form(values={"reason": reason})
    body = parse(form, WithdrawIn, {"reason": clean(reason)}, ctx.language)
    done = False
    try:
        if body is not None:
            meetings.cancel_meeting(ctx.db, ctx.actor, meeting_id, body.reason)
            done = True
    except DomainError as error:
        _fail(ctx, form, error, ("reason",))
    if not done or form.invalid:
        _fail(ctx, form)
        return _meeting_page(ctx, meeting_id, status_code=422, action_form=form)
    return redirect(ctx.request, f"/console/experts/meetings/{meeting_id}",
                    gettext("The meeting was cancelled.", ctx.language))

