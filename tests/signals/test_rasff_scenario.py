"""A scenario from real records: a slice of the RASFF notifications 2020–2024, then a burst of
notifications for one hazard × origin in the last week; the weekly detection raises a signal.
The registered job itself is exercised with a burst in the current week."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from riskgate.core.schedule import Scheduler
from riskgate.intake.service import ingest_batch
from riskgate.signals import service
from riskgate.signals.enums import SignalKind
from riskgate.signals.models import DetectionResult, Signal
from tests.signals.conftest import add_records

RASFF = Path("/work/shared/data/rasff_2020_2024/rasff_2020_to_2024-10-30.csv")
HEADER = ["Date of Case", "Reference", "Notification From", "Country Origin", "Product",
          "Product Category", "Hazard Substance", "Hazard Category"]


def _csv(rows: list[list[str]]) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode("utf-8"))


@pytest.mark.skipif(not RASFF.exists(), reason="shared RASFF data not present")
def test_rasff_slice_and_burst_raise_a_statistical_signal(db, tree):  # type: ignore[no-untyped-def]
    with RASFF.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))[1:]
    slice_ = rows[::6]  # every sixth notification, 2020-01 .. 2024-10
    actor = tree.actor(tree.root_officer)
    batch = ingest_batch(db, actor, profile_name="rasff", binary=_csv(slice_),
                         file_name="rasff-slice.csv", organisation_id=tree.unit_a.id)
    db.commit()
    assert batch.imported > 3000
    burst = [[f"Oct {day}, 2024", f"2024.99{n:02d}", "Germany", "India", "Basmati rice",
              "Cereals and bakery products", "tricyclazole - pesticide residues",
              "Pesticide residues"] for n, day in enumerate([28, 28, 29, 29, 29, 30, 30, 30,
                                                             30, 30, 30, 30])]
    ingest_batch(db, actor, profile_name="rasff", binary=_csv(burst),
                 file_name="rasff-burst.csv", organisation_id=tree.unit_b.id)
    db.commit()
    summary = service.run_weekly(db, "Asia/Shanghai", as_of=dt.date(2024, 10, 30))
    db.commit()
    assert summary["tested"] > 0 and summary["opened"] >= 1, summary
    signals = db.execute(select(Signal).where(Signal.kind == SignalKind.statistical)).scalars()
    india = [s for s in signals if s.origin_country == "IN"]
    assert india, "no signal for the burst of pesticide residues from India"
    signal = india[0]
    assert signal.hazard_class == "chemical"
    assert signal.algorithm == "farrington_flexible"  # nearly five years of weekly history
    assert signal.record_count >= 12 and signal.organisation_id in (tree.unit_b.id, tree.root.id)
    assert signal.explanation["series"]["counts"][-1] >= 12
    # Most tested series had no alarm: the slice itself is not one long false alarm.
    results = db.execute(select(DetectionResult)).scalars().all()
    assert sum(r.alarm for r in results) < len(results) / 2


def test_registered_job_runs_detection(app, db, tree, settings):  # type: ignore[no-untyped-def]
    today = dt.date.today()
    for week in range(1, 16):
        add_records(db, tree.unit_a.id, 1, day=today - dt.timedelta(weeks=week))
    add_records(db, tree.unit_a.id, 7, day=today)
    db.commit()
    scheduler = Scheduler(app.state.engine, settings, "test-worker")
    outcome = scheduler.run_job("signals.detect_weekly")
    assert outcome.ok and outcome.summary["opened"] == 1, outcome
    for name in ("signals.detect_daily", "signals.thresholds", "signals.overdue"):
        assert scheduler.run_job(name).ok
    db.rollback()
    assert db.execute(select(Signal)).scalars().first().kind == SignalKind.statistical
