"""Warning tracking: time of the performance view and of one warning's tracking panel.

Seeds a year of published warnings across issuing organisations, each resting on a chain
record → signal → assessment, with deliveries (some acknowledged, some overdue) and follow-ups.
The rows are inserted directly (the life cycle itself is measured by its own tests); then
`tracking.performance` over the year and `tracking.warning_tracking` of single warnings are
timed through the real functions, as the national head office (which sees every organisation).

    .venv/bin/python bench/bench_tracking.py [--warnings 5000] [--deliveries 8] [--no-postgresql]

The machine's two cores are shared: keep the defaults modest; the figures are medians of a few
runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from databases import create_database, drop_database  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from riskgate.assessment.models import RiskAssessment, RiskAssessmentRecord  # noqa: E402
from riskgate.composition import wire  # noqa: E402
from riskgate.core.context import Actor  # noqa: E402
from riskgate.core.db import make_engine, make_session_factory, transaction  # noqa: E402
from riskgate.core.settings import Settings  # noqa: E402
from riskgate.identity import service as identity  # noqa: E402
from riskgate.identity.enums import OrgLevel, OrgType  # noqa: E402
from riskgate.identity.models import Organisation  # noqa: E402
from riskgate.records.models import RiskRecord  # noqa: E402
from riskgate.signals.models import Signal, SignalRecord  # noqa: E402
from riskgate.warnings.models import (  # noqa: E402
    PublicWarning,
    WarningDelivery,
    WarningEvidence,
    WarningFollowUp,
)
from riskgate.warnings.tracking import service as tracking  # noqa: E402

wire()  # every model and stage follower, as in the server

SYSTEM = Actor.system("bench")
LEVELS = ("I", "II", "III", "IV")
TYPES = ("bulletin", "notice", "announcement")


def seed(url: str, warnings: int, deliveries: int) -> tuple[int, list[int]]:
    """Organisations (a root and 20 units) and `warnings` chains; returns (root id, warning ids)."""
    rng = random.Random(5)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    now = dt.datetime.now(dt.UTC)
    with transaction(factory) as db:
        root = identity.create_organisation(db, SYSTEM, identity.OrganisationInput(
            code="BENCH", name_zh="海关总署（基准）", name_en="GACC (bench)",
            org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL))
        units = [identity.create_organisation(db, SYSTEM, identity.OrganisationInput(
            code=f"BU{n:02d}", name_zh=f"直属海关{n}", name_en=f"District {n}",
            org_type=OrgType.DISTRICT_CUSTOMS, level=OrgLevel.PROVINCIAL, parent_id=root.id))
            for n in range(20)]  # fmt: skip
        root_id, unit_ids = root.id, [u.id for u in units]
    records, signals, assessments, published, evidence, links = [], [], [], [], [], []
    signal_links, delivery_rows, follow_ups = [], [], []
    for n in range(1, warnings + 1):
        org = rng.choice(unit_ids)
        published_at = now - dt.timedelta(days=rng.uniform(1, 360))
        first = published_at - dt.timedelta(hours=rng.uniform(48, 24 * 30))
        records.append({"id": n, "record_number": f"RR-B-{n:06d}",
                        "source_channel": "hotline_12315",
                        "organisation_id": org, "content_hash": f"{n:064d}", "received_at": first,
                        "title": "基准记录", "language": "zh-CN", "product_name": "基准产品",
                        "hazard_types": [], "trade_direction": "import",
                        "confidentiality": "internal"})
        signals.append({"id": n, "number": f"SG-B-{n:06d}", "organisation_id": org,
                        "root_organisation_id": root_id, "status": "assessment",
                        "severity": "high", "kind": "statistical", "title": "基准信号",
                        "series_key": f"b{n}", "parameters": {}, "explanation": {},
                        "first_fired_at": first + dt.timedelta(hours=6),
                        "last_fired_at": first + dt.timedelta(hours=6), "fire_count": 1,
                        "record_count": 1, "assessment_id": None})
        signal_links.append({"signal_id": n, "record_id": n, "added_at": first})
        assessments.append({"id": n, "number": f"RA-B-{n:06d}", "organisation_id": org,
                            "title": "基准评估", "status": "concluded", "signal_id": n,
                            "scenarios": [], "measures": [],
                            "created_at": first + dt.timedelta(hours=20),
                            "updated_at": first + dt.timedelta(hours=20),
                            "concluded_at": published_at - dt.timedelta(hours=30)})
        links.append({"assessment_id": n, "record_id": n})
        published.append({"id": n, "number": f"PW-B-{n:06d}", "organisation_id": org,
                          "assessment_id": n, "title": "基准预警", "level": rng.choice(LEVELS),
                          "warning_type": rng.choice(TYPES), "measures": ["defect_recall"],
                          "origin_countries": [], "regions": [], "ports": [],
                          "status": "published", "published_at": published_at,
                          "follow_up_count": 0, "created_at": published_at,
                          "updated_at": published_at})
        evidence.append({"warning_id": n, "kind": "assessment", "object_id": n})
        for d in range(deliveries):
            acknowledged = rng.random() < 0.7
            delivery_rows.append({
                "warning_id": n, "follow_up_id": None, "recipient_key": f"org:{d}",
                "reason": "subscription", "organisation_id": rng.choice(unit_ids),
                "channel": "inbox", "state": "acknowledged" if acknowledged else "pending",
                "created_at": published_at,
                "ack_deadline": published_at + dt.timedelta(hours=24),
                "acknowledged_at": published_at + dt.timedelta(hours=3) if acknowledged else None,
            })
        if rng.random() < 0.2:
            follow_ups.append({"warning_id": n, "sequence": 1, "kind": "adjustment",
                               "reason": "基准调整", "changes": {"level": ["III", "II"]},
                               "level_after": "II",
                               "created_at": published_at + dt.timedelta(days=3)})
    with transaction(factory) as db:
        for model, rows in ((RiskRecord, records), (Signal, signals), (SignalRecord, signal_links),
                            (RiskAssessment, assessments), (RiskAssessmentRecord, links),
                            (PublicWarning, published), (WarningEvidence, evidence),
                            (WarningDelivery, delivery_rows), (WarningFollowUp, follow_ups)):
            for start in range(0, len(rows), 2000):
                db.execute(insert(model), rows[start:start + 2000])
    engine.dispose()
    return root_id, [p["id"] for p in published]


def timed(function, repeat: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def run(kind: str, warnings: int, deliveries: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as workdir:
        url = create_database(kind, Path(workdir), "bench_tracking")
        try:
            started = time.perf_counter()
            root_id, ids = seed(url, warnings, deliveries)
            seeded = time.perf_counter() - started
            engine = make_engine(url)
            factory = make_session_factory(engine)
            with transaction(factory) as db:
                root = db.get(Organisation, root_id)
                actor = Actor.for_user(user_id=1, username="bench", organisation_id=root.id,
                                       organisation_path=root.path, roles=frozenset())
                today = dt.date.today()
                year = timed(lambda: tracking.performance(
                    db, actor, start=today - dt.timedelta(days=365), end=today), 3)
                quarter = timed(lambda: tracking.performance(
                    db, actor, start=today - dt.timedelta(days=90), end=today), 3)
                sample = random.Random(1).sample(ids, 20)
                warnings_rows = [db.get(PublicWarning, i) for i in sample]
                single = statistics.median(
                    timed(lambda w=w: tracking.warning_tracking(db, actor, w), 1)
                    for w in warnings_rows)
                result = tracking.performance(db, actor, start=today - dt.timedelta(days=365),
                                              end=today)
                assert result["totals"]["issued"] == warnings, result["totals"]
            engine.dispose()
            return {"seed_s": seeded, "year_ms": year, "quarter_ms": quarter,
                    "single_ms": single}
        finally:
            drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warnings", type=int, default=5000)
    parser.add_argument("--deliveries", type=int, default=8)
    parser.add_argument("--no-postgresql", action="store_true")
    args = parser.parse_args()
    Settings()  # fail early on a broken environment
    kinds = ["sqlite"] + ([] if args.no_postgresql else ["postgresql"])
    print(f"{args.warnings} published warnings, {args.deliveries} deliveries each")
    print("| database | performance, 1 year | performance, 90 days | one warning's tracking |")
    print("|---|---|---|---|")
    for kind in kinds:
        figures = run(kind, args.warnings, args.deliveries)
        print(f"| {kind} | {figures['year_ms']:.0f} ms | {figures['quarter_ms']:.0f} ms | "
              f"{figures['single_ms']:.1f} ms |  (seeded in {figures['seed_s']:.0f} s)")


if __name__ == "__main__":
    main()
