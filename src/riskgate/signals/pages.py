"""Console pages of signals: the queue with filters and overdue marks, a signal with its chart,
explanation and records, and the triage forms (status, assignment, run detection now)."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, Response

from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.exchange import service as exchange
from riskgate.identity.models import Organisation, User
from riskgate.signals import service, triage
from riskgate.signals.enums import OPEN_STATUSES, Severity, SignalKind, SignalStatus
from riskgate.signals.models import Signal
from riskgate.signals.officers import assignable_officers
from riskgate.signals.schemas import AssignIn, TransitionIn
from riskgate.signals.workflow import SIGNAL_FLOW
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, Submitted, clean, form_data, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25


@router.get("/console/signals", response_class=HTMLResponse)
def signal_queue(
    status: str | None = Query(default=None, max_length=20),
    kind: str | None = Query(default=None, max_length=40),
    severity: str | None = Query(default=None, max_length=20),
    mine: str | None = Query(default=None, max_length=5),
    overdue: str | None = Query(default=None, max_length=5),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.SIGNAL_READ),
) -> Response:
    chosen = service.SignalFilter(
        status=SignalStatus.parse(status), kind=SignalKind.parse(kind),
        severity=Severity.parse(severity),
        assignee_id=ctx.actor.user_id if mine else None, overdue=bool(overdue),
        open_only=not status,
    )  # fmt: skip
    rows, next_cursor = paginate(ctx.db, service.signals_statement(ctx.actor, chosen),
                                 id_column=Signal.id, allowed_sorts={"id": Signal.id},
                                 sort="-id", default_sort="-id", limit=PAGE_SIZE, cursor=cursor)
    lang = ctx.language
    return render(ctx.request, "console/signals/list.html", {
        "signals": rows, "next_cursor": next_cursor,
        "filters": {"status": status or "", "kind": kind or "", "severity": severity or "",
                    "mine": bool(mine), "overdue": bool(overdue)},
        "statuses": SignalStatus.choices(lang), "kinds": SignalKind.choices(lang),
        "severities": Severity.choices(lang), "is_overdue": triage.is_overdue,
        "origins": exchange.origins(ctx.db, ctx.actor, rows, lang),
    })


def _chart(signal: Signal, lang: str) -> dict[str, Any] | None:
    series = (signal.explanation or {}).get("series")
    if not series:
        return None
    return {**series, "labels": {
        "counts": gettext("Records per period", lang),
        "upper": gettext("Upper bound ({algorithm})", lang, algorithm=signal.algorithm or ""),
        "title": gettext("Series and upper bound", lang)}}


@router.get("/console/signals/{signal_id:int}", response_class=HTMLResponse)
def signal_detail(signal_id: IntId,
                  ctx: RequestContext = require(Permission.SIGNAL_READ)) -> Response:
    return _detail_page(ctx, signal_id)


def _detail_page(ctx: RequestContext, signal_id: int, transition_form: Form | None = None,
                 status_code: int = 200) -> Response:
    """The signal's page; `transition_form`: a refused triage form, shown with its errors."""
    view = service.detail(ctx.db, ctx.actor, signal_id)
    signal: Signal = view["signal"]
    lang = ctx.language
    assignee = ctx.db.get(User, signal.assignee_id) if signal.assignee_id else None
    merged_into = ctx.db.get(Signal, signal.merged_into_id) if signal.merged_into_id else None
    rule_text = service.rule_text(signal, lang)
    alarms = [{**a, "rule_text": rule_text} for a in (signal.explanation or {}).get("alarms", [])]
    return render(ctx.request, "console/signals/detail.html", {
        "signal": signal, "records": view["records"], "results": view["results"],
        "chart": _chart(signal, lang), "rule_text": rule_text, "alarms": alarms,
        "organisation": ctx.db.get(Organisation, signal.organisation_id),
        "assignee": assignee, "merged_into": merged_into,
        "officers": assignable_officers(ctx.db, signal),
        "targets": SignalStatus.choices(lang, sorted(SIGNAL_FLOW.next_states(signal))),
        "assignable": signal.status in OPEN_STATUSES, "is_overdue": triage.is_overdue,
        "transition_form": transition_form or Form(),
    }, status_code=status_code)


def _refused(ctx: RequestContext, signal_id: int, form: Form) -> Response:
    """A refused triage form: back to the signal with what was wrong as an error message (the
    signal page has several small forms, so the problems travel as one flash message)."""
    ctx.db.rollback()
    triage.get_signal(ctx.db, ctx.actor, signal_id)  # 404 outside scope
    parts = [form.message] if form.message else []
    parts += [message for _name, message in form.summary() if message not in parts]
    return redirect(ctx.request, f"/console/signals/{signal_id}", " ".join(parts), "error")


@router.post("/console/signals/run")
def signal_run(ctx: RequestContext = require(Permission.SIGNAL_TRIAGE)) -> Response:
    service.request_run(ctx.db, ctx.actor)
    return redirect(ctx.request, "/console/signals", gettext(
        "Detection will run at the worker's next tick.", ctx.language))


@router.post("/console/signals/{signal_id:int}/transition")
def signal_transition(signal_id: IntId, submitted: Submitted = Depends(read_submitted),
                      ctx: RequestContext = require(Permission.SIGNAL_TRIAGE)) -> Response:
    # The page names the target by its number ("SG-2026-0001") as well as by its id, so
    # `merge_into` is passed as typed rather than through the API's integer field.
    values, data = form_data(TransitionIn, submitted, ("status", "reason", "snooze_days"))
    merge_into = clean(submitted.fields.get("merge_into"))
    return submit(
        ctx, None, TransitionIn, form=Form(values=values), data=data,
        act=lambda body: triage.transition(ctx.db, ctx.actor, signal_id, status=body.status,
                                           reason=body.reason, snooze_days=body.snooze_days,
                                           merge_into=merge_into),
        done=lambda signal: (f"/console/signals/{signal_id}", N_("Status changed to {status}."),
                             {"status": signal.status.label(ctx.language)}),
        again=lambda form, _status: _transition_refused(ctx, signal_id, form, merge_into))


def _transition_refused(ctx: RequestContext, signal_id: int, form: Form,
                        merge_into: str | None) -> Response:
    """The triage form again, each problem beside its field and what was typed kept (no status
    is chosen for the officer: a blank one is refused here, not defaulted)."""
    ctx.db.rollback()
    form.values["merge_into"] = merge_into or ""
    return _detail_page(ctx, signal_id, transition_form=form, status_code=422)


@router.post("/console/signals/{signal_id:int}/assign")
def signal_assign(signal_id: IntId, submitted: Submitted = Depends(read_submitted),
                  ctx: RequestContext = require(Permission.SIGNAL_TRIAGE)) -> Response:
    return submit(
        ctx, submitted, AssignIn,
        act=lambda body: triage.assign(ctx.db, ctx.actor, signal_id, body.assignee_id),
        done=lambda _signal: (f"/console/signals/{signal_id}", N_("Assignment saved.")),
        again=lambda form, _status: _refused(ctx, signal_id, form))
