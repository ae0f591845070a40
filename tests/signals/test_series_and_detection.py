"""Count series (GROUP BY on both databases), detection runs, deduplication across roll-ups."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import func, select

from riskgate.monitoring.detection import DetectionInputError, Reason
from riskgate.signals import evaluate, service
from riskgate.signals.enums import Granularity, SignalKind, SignalStatus
from riskgate.signals.models import DetectionResult, Signal, SignalRecord
from riskgate.signals.series import build_series, make_key, parse_key
from tests.signals.conftest import add_records

TZ = "Asia/Shanghai"
AS_OF = dt.date(2026, 6, 17)  # a Wednesday; its ISO week starts on 15 June
MONDAY = dt.date(2026, 6, 15)


def _history(db, org_id, weeks: int, per_week: int = 1, **kw):  # type: ignore[no-untyped-def]
    for w in range(1, weeks + 1):
        add_records(db, org_id, per_week, day=MONDAY - dt.timedelta(weeks=w) + dt.timedelta(
            days=w % 5), **kw)


def test_weekly_series_group_by_levels_and_zero_fill(db, tree):  # type: ignore[no-untyped-def]
    add_records(db, tree.unit_a.id, 2, day=AS_OF)
    add_records(db, tree.unit_b.id, 1, day=AS_OF - dt.timedelta(days=2))  # same ISO week
    add_records(db, tree.unit_a.id, 1, day=AS_OF - dt.timedelta(weeks=3), origin="TH")
    add_records(db, tree.other.id, 4, day=AS_OF)
    add_records(db, tree.unit_a.id, 1, day=AS_OF, hazard_class=None, title="Shipment 7",
                product_name="Shipment")  # no hazard: not in the hazard keys
    add_records(db, tree.unit_a.id, 1, day=AS_OF + dt.timedelta(days=7))  # future: ignored
    db.commit()
    sets = build_series(db, granularity=Granularity.week, as_of=AS_OF, history=10, timezone=TZ)
    root = sets[tree.root.id]
    assert root.periods[0] == MONDAY - dt.timedelta(weeks=3)
    assert root.periods[-1] == MONDAY and len(root.periods) == 4
    hz_pr = make_key(Granularity.week, {"hz": "chemical", "pr": "HS09"})
    assert root.counts[hz_pr] == {MONDAY: 3, MONDAY - dt.timedelta(weeks=3): 1}
    pr_or = make_key(Granularity.week, {"pr": "HS09", "or": "VN"})
    assert root.counts[pr_or] == {MONDAY: 4}  # the record without hazard counts here
    finest = make_key(Granularity.week, {"hz": "chemical", "pr": "HS09", "or": "VN",
                                         "sc": "inspection_supervision", "rg": "31"})
    assert root.counts[finest] == {MONDAY: 3}
    filled = evaluate.fill(root.counts[hz_pr], root.periods)
    assert filled.tolist() == [1.0, 0.0, 0.0, 3.0]  # missing weeks are zeros
    assert sets[tree.other.id].counts[hz_pr] == {MONDAY: 4}  # another tree, its own series
    assert parse_key(finest) == (Granularity.week, {"hz": "chemical", "pr": "HS09", "or": "VN",
                                                    "sc": "inspection_supervision", "rg": "31"})


def test_daily_series_only_for_fast_channels(db, tree):  # type: ignore[no-untyped-def]
    add_records(db, tree.unit_a.id, 2, day=AS_OF, channel="hotline_12315")
    add_records(db, tree.unit_a.id, 5, day=AS_OF, channel="inspection_supervision")
    db.commit()
    sets = build_series(db, granularity=Granularity.day, as_of=AS_OF, history=30, timezone=TZ)
    keys = sets[tree.root.id].counts
    assert all("sc=hotline_12315" in k for k in keys)
    assert keys[make_key(Granularity.day, {"sc": "hotline_12315", "pr": "HS09"})] == {AS_OF: 2}


def test_burst_raises_one_signal_and_rerun_changes_nothing(db, tree):  # type: ignore[no-untyped-def]
    _history(db, tree.unit_a.id, 20)
    burst = add_records(db, tree.unit_a.id, 6, day=AS_OF)
    db.commit()
    summary = service.run_weekly(db, TZ, as_of=AS_OF)
    db.commit()
    assert summary["alarms"] >= 1 and summary["opened"] == 1, summary
    signal = db.execute(select(Signal)).scalar_one()
    assert signal.kind == SignalKind.statistical and signal.status == SignalStatus.new
    assert signal.algorithm == "ears_C2"  # 21 weeks: too short for farringtonFlexible
    assert signal.organisation_id == tree.unit_a.id  # all records from unit A
    assert signal.root_organisation_id == tree.root.id
    behind = set(db.execute(select(SignalRecord.record_id)).scalars())
    assert behind == set(burst)
    series = signal.explanation["series"]
    assert series["counts"][-1] == 6 and series["upper"][-1] is not None
    assert len(series["periods"]) == len(series["counts"]) == len(series["upper"])
    assert signal.deadline_at is not None and signal.number.startswith("SG-")
    results = db.execute(select(DetectionResult).where(DetectionResult.alarm.is_(True))).scalars()
    assert {r.signal_id for r in results} == {signal.id}
    again = service.run_weekly(db, TZ, as_of=AS_OF)
    db.commit()
    assert again["opened"] == 0 and again["joined"] == 0, again
    assert db.execute(select(func.count()).select_from(Signal)).scalar_one() == 1
    # A new record of the same burst joins the open signal.
    extra = add_records(db, tree.unit_b.id, 2, day=AS_OF)
    db.commit()
    third = service.run_weekly(db, TZ, as_of=AS_OF)
    db.commit()
    assert third["opened"] == 0 and third["joined"] >= 1, third
    db.refresh(signal)
    assert signal.record_count == 8 and signal.fire_count >= 2
    assert signal.organisation_id == tree.root.id  # records of two units: owned by the root
    assert set(extra) <= set(db.execute(select(SignalRecord.record_id)).scalars())


def test_long_history_uses_farrington_flexible(db, tree):  # type: ignore[no-untyped-def]
    _history(db, tree.unit_a.id, 115, per_week=1)
    add_records(db, tree.unit_a.id, 9, day=AS_OF)
    db.commit()
    service.run_weekly(db, TZ, as_of=AS_OF)
    db.commit()
    signal = db.execute(select(Signal)).scalars().first()
    assert signal is not None and signal.algorithm == "farrington_flexible"
    assert signal.parameters["b"] == 2


def test_quiet_series_make_no_signal_and_short_history_is_recorded(db, tree):  # type: ignore[no-untyped-def]
    add_records(db, tree.unit_a.id, 6, day=AS_OF - dt.timedelta(weeks=2))
    add_records(db, tree.unit_a.id, 3, day=AS_OF)
    db.commit()
    service.run_weekly(db, TZ, as_of=AS_OF)
    db.commit()
    assert db.execute(select(Signal)).first() is None
    reasons = set(db.execute(select(DetectionResult.reason)).scalars())
    assert reasons == {Reason.SHORT_HISTORY}  # 3 weeks: no baseline, no alarm made up


def test_evaluation_boundary_refuses_bad_counts_and_handles_zeros() -> None:
    zeros = np.zeros((2, 30))
    outcomes = evaluate.evaluate_last(zeros, "ears_C2", {"baseline": 7, "min_sigma": 1.0})
    assert [o.alarm for o in outcomes] == [False, False]
    short = evaluate.evaluate_last(np.ones((1, 5)), "ears_C2", {"baseline": 7})
    assert short[0].reason == Reason.SHORT_HISTORY and not short[0].alarm
    with pytest.raises(DetectionInputError, match="negative"):
        evaluate.evaluate_last(np.array([[1.0] * 20 + [-1.0]]), "ears_C2", {})
    with pytest.raises(DetectionInputError, match="fractional"):
        evaluate.evaluate_last(np.array([[1.0] * 20 + [1.5]]), "ears_C3", {})
    with pytest.raises(DetectionInputError):
        evaluate.run_algorithm("nope", {}, zeros, [29])
