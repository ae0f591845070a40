"""Console pages of signals: the queue with filters and overdue marks, a signal with its chart,
explanation and records, and the triage forms (status, assignment, run detection now)."""

from __future__ import annotations

from typing import Any

from fastapi import Form as FormField
from fastapi import Query
from fastapi.responses import HTMLResponse, Response

from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.models import Organisation, User
from riskgate.signals import service, triage
from riskgate.signals.api import rule_text
from riskgate.signals.enums import (
    KIND_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    Severity,
    SignalKind,
    SignalStatus,
)
from riskgate.signals.models import Signal
from riskgate.signals.schemas import AssignIn, TransitionIn
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, clean, parse
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25


def _choice(enum_cls: type, value: str | None) -> Any:
    return enum_cls(value) if value and value in enum_cls._value2member_map_ else None


def _labels(lang: str) -> dict[str, Any]:
    return {
        "status_label": lambda s: gettext(STATUS_LABELS[SignalStatus(s)], lang),
        "kind_label": lambda k: gettext(KIND_LABELS[SignalKind(k)], lang),
        "severity_label": lambda s: gettext(SEVERITY_LABELS[Severity(s)], lang),
        "is_overdue": triage.is_overdue,
    }


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
        status=_choice(SignalStatus, status), kind=_choice(SignalKind, kind),
        severity=_choice(Severity, severity),
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
        "statuses": [(s.value, gettext(STATUS_LABELS[s], lang)) for s in SignalStatus],
        "kinds": [(k.value, gettext(KIND_LABELS[k], lang)) for k in SignalKind],
        "severities": [(s.value, gettext(SEVERITY_LABELS[s], lang)) for s in Severity],
        **_labels(lang),
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
    view = service.detail(ctx.db, ctx.actor, signal_id)
    signal: Signal = view["signal"]
    lang = ctx.language
    assignee = ctx.db.get(User, signal.assignee_id) if signal.assignee_id else None
    merged_into = ctx.db.get(Signal, signal.merged_into_id) if signal.merged_into_id else None
    alarms = [{**a, "rule_text": rule_text(signal, lang)} for a in
              (signal.explanation or {}).get("alarms", [])]
    return render(ctx.request, "console/signals/detail.html", {
        "signal": signal, "records": view["records"], "results": view["results"],
        "chart": _chart(signal, lang), "rule_text": rule_text(signal, lang), "alarms": alarms,
        "organisation": ctx.db.get(Organisation, signal.organisation_id),
        "assignee": assignee, "merged_into": merged_into,
        "officers": triage.assignable_officers(ctx.db, signal),
        "targets": [(s.value, gettext(STATUS_LABELS[s], lang))
                    for s in sorted(triage.TRANSITIONS[signal.status])],
        **_labels(lang),
    })


def _form_error(form: Form) -> str:
    return " ".join(m for _n, m in form.summary())


def _error_message(error: DomainError, language: str) -> str:
    return " ".join([error.translated(language), *(f.translated(language) for f in error.fields)])


@router.post("/console/signals/run")
def signal_run(ctx: RequestContext = require(Permission.SIGNAL_TRIAGE)) -> Response:
    service.request_run(ctx.db, ctx.actor)
    return redirect(ctx.request, "/console/signals", gettext(
        "Detection will run at the worker's next tick.", ctx.language))


@router.post("/console/signals/{signal_id:int}/transition")
def signal_transition(
    signal_id: IntId,
    status: str = FormField(default="", max_length=20),
    reason: str = FormField(default="", max_length=2000),
    snooze_days: str = FormField(default="", max_length=5),
    merge_into: str = FormField(default="", max_length=30),
    ctx: RequestContext = require(Permission.SIGNAL_TRIAGE),
) -> Response:
    target = f"/console/signals/{signal_id}"
    form = Form(values={})
    body = parse(form, TransitionIn, {k: v for k, v in {
        "status": clean(status), "reason": clean(reason),
        "snooze_days": clean(snooze_days)}.items() if v is not None}, ctx.language)
    try:
        if body is None:
            triage.get_signal(ctx.db, ctx.actor, signal_id)  # 404 outside scope
            return redirect(ctx.request, target, _form_error(form), "error")
        signal = triage.transition(ctx.db, ctx.actor, signal_id, status=body.status,
                                   reason=body.reason, snooze_days=body.snooze_days,
                                   merge_into=clean(merge_into))
    except DomainError as error:
        ctx.db.rollback()
        triage.get_signal(ctx.db, ctx.actor, signal_id)
        return redirect(ctx.request, target, _error_message(error, ctx.language), "error")
    return redirect(ctx.request, target, gettext(
        "Status changed to {status}.", ctx.language,
        status=gettext(STATUS_LABELS[signal.status], ctx.language)))


@router.post("/console/signals/{signal_id:int}/assign")
def signal_assign(
    signal_id: IntId,
    assignee_id: str = FormField(default="", max_length=12),
    ctx: RequestContext = require(Permission.SIGNAL_TRIAGE),
) -> Response:
    target = f"/console/signals/{signal_id}"
    form = Form(values={})
    value = clean(assignee_id)
    body = parse(form, AssignIn, {"assignee_id": value} if value else {}, ctx.language)
    try:
        if body is None:
            triage.get_signal(ctx.db, ctx.actor, signal_id)
            return redirect(ctx.request, target, _form_error(form), "error")
        triage.assign(ctx.db, ctx.actor, signal_id, body.assignee_id)
    except DomainError as error:
        ctx.db.rollback()
        triage.get_signal(ctx.db, ctx.actor, signal_id)
        return redirect(ctx.request, target, _error_message(error, ctx.language), "error")
    return redirect(ctx.request, target, gettext("Assignment saved.", ctx.language))
