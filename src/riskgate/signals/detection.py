"""The statistical detection run: build the series, test the active ones, raise signals.

Scope: one run per top-level organisation over its whole subtree's records (national bodies
see national patterns; a signal is then owned by the lowest common ancestor of its records'
organisations, see `raising`). Activity rule (`rules.DEFAULTS`): a series is tested only when
it holds at least `min_total` records in its history and at least one in the evaluated period —
a series without a record this period cannot exceed an upper bound, and zero-only series are
never tested. An alarm opens (or joins) a signal only when the period holds at least
`min_signal_count` records. Each tested series leaves one `detection_result` row (observed,
upper bound, alarm, or the reason it could not be evaluated, e.g. too little history).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import insert
from sqlalchemy.orm import Session

from riskgate.core.db import utcnow
from riskgate.core.i18n import N_
from riskgate.identity.models import Organisation
from riskgate.signals import evaluate, raising
from riskgate.signals.enums import Granularity, Severity, SignalKind
from riskgate.signals.models import DetectionResult, DetectionRun
from riskgate.signals.rules import rule_set
from riskgate.signals.series import STEP_DAYS, SeriesSet, build_series, parse_key, records_of

CHART_POINTS = {Granularity.week: 52, Granularity.day: 60}
RULE_TEXT = N_("{algorithm}: {observed} records in the period {period} against an upper bound "
               "of {bound}")


def _title(key: str) -> str:
    _granularity, values = parse_key(key)
    return " · ".join(values[d] for d in ("hz", "pr", "or", "sc", "rg") if d in values)


def _severity(observed: int, bound: float | None, rules: dict[str, Any]) -> Severity:
    strong = bound is not None and observed >= 2 * max(bound, 1.0)
    if strong and observed >= 2 * rules["min_signal_count"]:
        return Severity.high
    return Severity.medium


def run_detection(db: Session, *, granularity: Granularity, as_of: dt.date, timezone: str,
                  now: dt.datetime | None = None,
                  root_ids: set[int] | None = None) -> dict[str, int]:
    """Test the series of every top-level organisation (or of `root_ids`) at `as_of`."""
    now = now or utcnow()
    rules = rule_set(db)
    history = rules["weekly_history" if granularity == Granularity.week else "daily_history"]
    sets = build_series(db, granularity=granularity, as_of=as_of, history=int(history),
                        timezone=timezone, root_ids=root_ids)
    totals = {"roots": 0, "series": 0, "tested": 0, "alarms": 0, "opened": 0, "joined": 0,
              "snoozed": 0, "unchanged": 0}
    for _root_id, series_set in sorted(sets.items()):
        summary = _run_root(db, series_set, as_of, timezone, now, rules)
        totals["roots"] += 1
        for name, value in summary.items():
            totals[name] += value
    return totals


def _run_root(db: Session, sset: SeriesSet, as_of: dt.date, timezone: str, now: dt.datetime,
              rules: dict[str, Any]) -> dict[str, int]:
    root = db.get(Organisation, sset.root_id)
    assert root is not None
    run = DetectionRun(root_organisation_id=sset.root_id, granularity=sset.granularity,
                       as_of=as_of, started_at=now, rules=rules)
    db.add(run)
    db.flush()
    last = sset.periods[-1]
    keys = [k for k, c in sset.counts.items()
            if c.get(last, 0) >= 1 and sum(c.values()) >= int(rules["min_total"])]
    matrix = (np.vstack([evaluate.fill(sset.counts[k], sset.periods) for k in keys])
              if keys else np.zeros((0, len(sset.periods))))
    plans = _plans(sset.granularity, len(sset.periods), rules)
    rows: list[dict[str, Any]] = []
    counts = {"series": len(sset.counts), "tested": len(keys), "alarms": 0, "opened": 0,
              "joined": 0, "snoozed": 0, "unchanged": 0}
    for algorithm, params in plans:
        outcomes = evaluate.evaluate_last(matrix, algorithm, params)
        for index, (key, outcome) in enumerate(zip(keys, outcomes, strict=True)):
            row = {"run_id": run.id, "series_key": key, "algorithm": outcome.algorithm,
                   "period_start": last, "history": len(sset.periods),
                   "observed": outcome.observed, "upperbound": outcome.upperbound,
                   "alarm": outcome.alarm, "reason": outcome.reason, "signal_id": None}
            rows.append(row)
            if not outcome.alarm:
                continue
            counts["alarms"] += 1
            if outcome.observed < int(rules["min_signal_count"]):
                continue
            hit = _hit(db, sset, root, key, matrix[index], algorithm, params, outcome, timezone,
                       rules)
            signal, what = raising.raise_hit(db, hit, now, rules)
            counts[what] += 1
            row["signal_id"] = signal.id if signal is not None else None
    if rows:
        db.execute(insert(DetectionResult), rows)
    run.finished_at = utcnow()
    run.series_built, run.series_tested = counts["series"], counts["tested"]
    run.alarms, run.signals_opened, run.signals_joined = (counts["alarms"], counts["opened"],
                                                          counts["joined"])
    db.flush()
    return counts


def _plans(granularity: Granularity, length: int,
           rules: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    if granularity == Granularity.day:
        return [(rules["daily"]["algorithm"], dict(rules["daily"]["params"]))]
    plans = [evaluate.choose_weekly(length, rules)]
    if rules["cusum"].get("enabled"):
        plans.append(("cusum", dict(rules["cusum"]["params"])))
    return plans


def _hit(db: Session, sset: SeriesSet, root: Organisation, key: str, counts: np.ndarray,
         algorithm: str, params: dict[str, Any], outcome: evaluate.Outcome, timezone: str,
         rules: dict[str, Any]) -> raising.Hit:
    granularity = sset.granularity
    last = sset.periods[-1]
    period_end = last + dt.timedelta(days=STEP_DAYS[granularity] - 1)
    record_ids = records_of(db, root_path=root.path, key=key, first=last, last=period_end,
                            timezone=timezone)
    points = CHART_POINTS[granularity]
    bounds = evaluate.bound_line(counts, algorithm, params, points)
    shown = sset.periods[-len(bounds):]
    bound_text = "—" if outcome.upperbound is None else f"{outcome.upperbound:.2f}"
    explanation = {
        "rule": RULE_TEXT,
        "rule_params": {"algorithm": algorithm, "observed": outcome.observed,
                        "period": last.isoformat(), "bound": bound_text},
        "algorithm": algorithm, "observed": outcome.observed,
        "upperbound": outcome.upperbound, "period": last.isoformat(),
        "series": {"periods": [p.isoformat() for p in shown],
                   "counts": [int(c) for c in counts[-len(bounds):]], "upper": bounds},
    }
    return raising.Hit(
        root_id=sset.root_id, key=key, kind=SignalKind.statistical,
        severity=_severity(outcome.observed, outcome.upperbound, rules), title=_title(key),
        record_ids=record_ids, granularity=granularity, algorithm=algorithm,
        parameters=params, explanation=explanation,
    )  # fmt: skip
