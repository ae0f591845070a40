"""Signals for the API, the console and other domains: listing in scope, the explanation view,
running detection (scheduled or on demand), rule overrides, and `signals_in_period`.

Scope: a signal is owned by the lowest common ancestor of its records' organisations and is
visible, through the ordinary data scope, to that organisation and every organisation above it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import FieldProblem, NotFound, ValidationFailed, translate
from riskgate.core.i18n import N_
from riskgate.core.schedule import make_due
from riskgate.identity.scope import scope_condition, scoped
from riskgate.monitoring.detection import DetectionInputError
from riskgate.records.enums import InjurySeverity
from riskgate.records.events import RecordsStored
from riskgate.records.models import RiskRecord
from riskgate.signals import detection, evaluate, thresholds
from riskgate.signals.enums import (
    CLOCK_STATUSES,
    Granularity,
    Severity,
    SignalKind,
    SignalStatus,
)
from riskgate.signals.models import DetectionResult, Signal, SignalRule
from riskgate.signals.rules import DEFAULTS, rule_set
from riskgate.signals.triage import SIGNAL_SHARE, get_signal, record_ids

WEEKLY_JOB = "signals.detect_weekly"
DAILY_JOB = "signals.detect_daily"
THRESHOLD_JOB = "signals.thresholds"
RUN_JOBS = (WEEKLY_JOB, DAILY_JOB, THRESHOLD_JOB)


@dataclass(frozen=True)
class SignalFilter:
    status: SignalStatus | None = None
    kind: SignalKind | None = None
    severity: Severity | None = None
    assignee_id: int | None = None
    overdue: bool = False
    open_only: bool = False


def signals_statement(actor: Actor, filters: SignalFilter | None = None,
                      now: dt.datetime | None = None) -> Select[Any]:
    """The signals the actor may see, filtered."""
    f = filters or SignalFilter()
    stmt = scoped(select(Signal), actor, Signal.organisation_id, object_type="signal",
                  share=SIGNAL_SHARE)
    if f.status is not None:
        stmt = stmt.where(Signal.status == f.status)
    if f.open_only:
        stmt = stmt.where(Signal.status.in_([SignalStatus.new, SignalStatus.triage,
                                             SignalStatus.assessment]))
    if f.kind is not None:
        stmt = stmt.where(Signal.kind == f.kind)
    if f.severity is not None:
        stmt = stmt.where(Signal.severity == f.severity)
    if f.assignee_id is not None:
        stmt = stmt.where(Signal.assignee_id == f.assignee_id)
    if f.overdue:
        stmt = stmt.where(Signal.status.in_(list(CLOCK_STATUSES)),
                          Signal.deadline_at < (now or utcnow()))
    return stmt


def signals_in_period(db: Session, actor: Actor, start: dt.date, end: dt.date,
                      timezone: str = "Asia/Shanghai") -> list[Signal]:
    """Signals first fired between two local days (inclusive) in the actor's scope, oldest
    first — for quarterly and per-category reports."""
    zone = ZoneInfo(timezone)
    low = dt.datetime.combine(start, dt.time(), zone).astimezone(dt.UTC)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.UTC)
    stmt = signals_statement(actor).where(Signal.first_fired_at >= low,
                                          Signal.first_fired_at < high)
    return list(db.execute(stmt.order_by(Signal.first_fired_at, Signal.id)).scalars())


def records_behind(db: Session, actor: Actor, signal: Signal, limit: int = 200) -> list[Any]:
    """The signal's records that the actor may see (a signal owned higher up may hold records
    of sibling units the viewer cannot open)."""
    ids = record_ids(db, signal.id)
    if not ids:
        return []
    stmt = select(RiskRecord.id, RiskRecord.record_number, RiskRecord.title,
                  RiskRecord.source_channel, RiskRecord.occurred_on, RiskRecord.received_at,
                  RiskRecord.injury_severity).where(RiskRecord.id.in_(ids))
    condition = scope_condition(actor, RiskRecord.organisation_id)
    if condition is not None:
        stmt = stmt.where(condition)
    return list(db.execute(stmt.order_by(RiskRecord.id).limit(limit)).all())


def detection_history(db: Session, signal: Signal, limit: int = 50) -> list[DetectionResult]:
    """The stored detection results that fed the signal."""
    return list(db.execute(select(DetectionResult).where(DetectionResult.signal_id == signal.id)
                           .order_by(DetectionResult.id.desc()).limit(limit)).scalars())


def rule_text(signal: Signal, language: str) -> str | None:
    """The rule that fired, in the reader's language (None for a signal without one)."""
    explanation = signal.explanation or {}
    if not explanation.get("rule"):
        return None
    return translate(explanation["rule"], language, explanation.get("rule_params") or {})


def detail(db: Session, actor: Actor, signal_id: int) -> dict[str, Any]:
    signal = get_signal(db, actor, signal_id)
    return {"signal": signal, "records": records_behind(db, actor, signal),
            "results": detection_history(db, signal)}


# --- running detection -----------------------------------------------------------------------


def local_today(timezone: str, now: dt.datetime | None = None) -> dt.date:
    return (now or utcnow()).astimezone(ZoneInfo(timezone)).date()


def run_weekly(db: Session, timezone: str, now: dt.datetime | None = None,
               as_of: dt.date | None = None) -> dict[str, int]:
    now = now or utcnow()
    return detection.run_detection(db, granularity=Granularity.week, timezone=timezone,
                                   as_of=as_of or local_today(timezone, now), now=now)


def run_daily(db: Session, timezone: str, now: dt.datetime | None = None,
              as_of: dt.date | None = None) -> dict[str, int]:
    now = now or utcnow()
    return detection.run_detection(db, granularity=Granularity.day, timezone=timezone,
                                   as_of=as_of or local_today(timezone, now), now=now)


def run_thresholds(db: Session, timezone: str, now: dt.datetime | None = None,
                   as_of: dt.date | None = None) -> dict[str, int]:
    now = now or utcnow()
    as_of = as_of or local_today(timezone, now)
    rules = rule_set(db)
    summary: dict[str, int] = {}
    since = as_of - dt.timedelta(days=int(rules["death_injury_lookback_days"]))
    for name, part in (
        ("death", thresholds.death_injury(db, now, rules, since=since, timezone=timezone)),
        ("foreign", thresholds.foreign_notices(db, now, as_of, rules, timezone=timezone)),
        ("recurrence", thresholds.recurrence(db, now, as_of, rules)),
    ):
        for what, n in part.items():
            summary[f"{name}_{what}"] = n
    return summary


def request_run(db: Session, actor: Actor) -> list[str]:
    """"Run detection now": make the detection jobs due; the worker's next tick runs them."""
    for name in RUN_JOBS:
        make_due(db, name)
    audit.record(db, actor, "signal.run_requested", object_type="scheduled_job",
                 object_id=",".join(RUN_JOBS))
    return list(RUN_JOBS)


def on_records_stored(db: Session, event: RecordsStored) -> None:
    """Follows `record.stored`: a fatal or serious injury that occurred within the lookback
    (30 days) raises a signal at once."""
    wanted = {"fatal", "serious"}
    ids = [c.record_id for c in event.records
           if str(getattr(c.draft.get("injury_severity"), "value",
                          c.draft.get("injury_severity"))) in wanted]
    if ids:
        # Only recent ones: importing an archive of old accidents must not flood the queue.
        rules = rule_set(db)
        since = utcnow().date() - dt.timedelta(days=int(rules["death_injury_lookback_days"]))
        thresholds.death_injury(db, utcnow(), rules, record_ids=ids, since=since)


# --- rule overrides --------------------------------------------------------------------------


def set_rule(db: Session, actor: Actor, name: str, value: Any, reason: str | None) -> Any:
    """Override one rule setting (audited); the value must have the default's shape."""
    if name not in DEFAULTS:
        raise NotFound(N_("signal rule"))
    default = DEFAULTS[name]
    problem = _shape_problem(default, value) or _algorithm_problem(name, value)
    if problem:
        raise ValidationFailed(fields=[FieldProblem("value", problem, {"name": name})])
    before = rule_set(db)[name]
    row = db.get(SignalRule, name)
    if row is None:
        row = SignalRule(name=name, value=value, updated_at=utcnow(), updated_by=actor.username)
        db.add(row)
    else:
        row.value, row.updated_at, row.updated_by = value, utcnow(), actor.username
    db.flush()
    audit.record(db, actor, "signal.rule", object_type="signal_rule", object_id=name,
                 before={"value": before}, after={"value": rule_set(db)[name]}, reason=reason)
    return rule_set(db)[name]


WRONG_FORM = N_("The value of {name} does not have the expected form.")


def _algorithm_problem(name: str, value: Any) -> str | None:
    """An algorithm setting must run: try it on a small made-up series. Severities must be
    injury severities."""
    if name == "death_injury_severities":
        known = {s.value for s in InjurySeverity}
        return None if value and set(value) <= known else WRONG_FORM
    if name not in ("weekly_long", "weekly_short", "daily", "cusum"):
        return None
    merged = {**DEFAULTS[name], **value}
    algorithm = merged.get("algorithm", "cusum")
    params = {**DEFAULTS[name]["params"], **(value.get("params") or {})}
    counts = np.tile(np.array([1.0, 2.0, 0.0, 3.0]), (1, 60))
    try:
        evaluate.evaluate_last(counts, algorithm, params)
    except (DetectionInputError, TypeError, ValueError, ArithmeticError):
        return WRONG_FORM
    return None


def _shape_problem(default: Any, value: Any) -> str | None:
    wrong = WRONG_FORM
    if isinstance(default, bool):
        return None if isinstance(value, bool) else wrong
    if isinstance(default, int | float):
        whole = isinstance(value, int) or not isinstance(default, int)
        ok = (isinstance(value, int | float) and not isinstance(value, bool) and whole
              and 0 < value <= 10000)
        return None if ok else wrong
    if isinstance(default, list):
        return None if isinstance(value, list) and all(isinstance(v, str) for v in value) \
            else wrong
    if isinstance(default, dict):
        if not isinstance(value, dict) or not set(value) <= set(default):
            return wrong
        for key, item in value.items():
            if key in ("params",):
                if not isinstance(item, dict):
                    return wrong
                continue
            if key == "algorithm" and item not in ("ears_C1", "ears_C2", "ears_C3",
                                                   "farrington_flexible", "cusum"):
                return wrong
            if key != "algorithm" and _shape_problem(default[key], item):
                return wrong
        return None
    return wrong
