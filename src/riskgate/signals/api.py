"""JSON routes for signals: the queue, a signal with its explanation, triage, run now, rules."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from fastapi.responses import JSONResponse

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId, IntIdQuery
from riskgate.signals import service, triage
from riskgate.signals.enums import Severity, SignalKind, SignalStatus
from riskgate.signals.models import Signal
from riskgate.signals.rules import rule_set
from riskgate.signals.schemas import (
    AssignIn,
    RecordRef,
    ResultOut,
    RuleIn,
    RuleOut,
    RunOut,
    SignalDetailOut,
    SignalOut,
    TransitionIn,
)

router = api_router(prefix="/api/v1", tags=["signals"])
SORTS = {"id": Signal.id, "first_fired_at": Signal.first_fired_at,
         "deadline_at": Signal.deadline_at}


def signal_out(signal: Signal) -> SignalOut:
    out = SignalOut.model_validate(signal)
    out.overdue = triage.is_overdue(signal)
    return out


@router.get("/signals/rules", response_model=list[RuleOut],
            summary="The detection and threshold rules in force")
def list_rules(ctx: RequestContext = require(Permission.SIGNAL_READ)) -> list[RuleOut]:
    return [RuleOut(name=k, value=v) for k, v in rule_set(ctx.db).items()]


@router.put("/signals/rules/{name}", response_model=RuleOut,
            summary="Override one detection or threshold rule")
def set_rule(body: RuleIn, name: Annotated[str, Path(max_length=60)],
             ctx: RequestContext = require(Permission.SIGNAL_CONFIGURE)) -> RuleOut:
    return RuleOut(name=name, value=service.set_rule(ctx.db, ctx.actor, name, body.value,
                                                     body.reason))


@router.post("/signals/run", response_model=RunOut, status_code=202,
             summary="Run detection and the threshold rules at the worker's next tick")
def run_now(ctx: RequestContext = require(Permission.SIGNAL_TRIAGE)) -> JSONResponse:
    jobs = service.request_run(ctx.db, ctx.actor)
    return JSONResponse({"jobs": jobs}, status_code=202)


@router.get("/signals", response_model=Page[SignalOut], summary="Signals in my scope")
def list_signals(
    status: SignalStatus | None = None,
    kind: SignalKind | None = None,
    severity: Severity | None = None,
    assignee_id: IntIdQuery = None,
    overdue: bool = False,
    open_only: bool = False,
    sort: str | None = Query(default=None, max_length=40),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.SIGNAL_READ),
) -> Page[SignalOut]:
    filters = service.SignalFilter(status=status, kind=kind, severity=severity,
                                   assignee_id=assignee_id, overdue=overdue, open_only=open_only)
    rows, next_cursor = paginate(
        ctx.db, service.signals_statement(ctx.actor, filters), id_column=Signal.id,
        allowed_sorts=SORTS, sort=sort, default_sort="-id", limit=limit, cursor=cursor,
    )  # fmt: skip
    return Page(items=[signal_out(r) for r in rows], next_cursor=next_cursor)


def _detail(ctx: RequestContext, signal_id: int) -> SignalDetailOut:
    view = service.detail(ctx.db, ctx.actor, signal_id)
    signal = view["signal"]
    out = SignalDetailOut.model_validate(signal)
    out.overdue = triage.is_overdue(signal)
    out.rule_text = service.rule_text(signal, ctx.language)
    out.records = [RecordRef.model_validate(r) for r in view["records"]]
    out.results = [ResultOut.model_validate(r) for r in view["results"]]
    return out


@router.get("/signals/{signal_id:int}", response_model=SignalDetailOut,
            summary="A signal with why it fired and the records behind it")
def get_signal(signal_id: IntId,
               ctx: RequestContext = require(Permission.SIGNAL_READ)) -> SignalDetailOut:
    return _detail(ctx, signal_id)


@router.post("/signals/{signal_id:int}/transition", response_model=SignalOut,
             summary="Triage: move the signal to triage, assessment, dismissed or merged")
def transition(signal_id: IntId, body: TransitionIn,
               ctx: RequestContext = require(Permission.SIGNAL_TRIAGE)) -> SignalOut:
    signal = triage.transition(ctx.db, ctx.actor, signal_id, status=body.status,
                               reason=body.reason, snooze_days=body.snooze_days,
                               merge_into=body.merge_into)
    return signal_out(signal)


@router.post("/signals/{signal_id:int}/assign", response_model=SignalOut,
             summary="Assign the signal to an officer (or to nobody)")
def assign(signal_id: IntId, body: AssignIn,
           ctx: RequestContext = require(Permission.SIGNAL_TRIAGE)) -> SignalOut:
    return signal_out(triage.assign(ctx.db, ctx.actor, signal_id, body.assignee_id))
