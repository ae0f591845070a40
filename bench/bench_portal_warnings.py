"""Latency of the public warnings portal and its JSON API with 100,000 warnings, under wrk.

    .venv/bin/python bench/bench_portal_warnings.py [--database sqlite|postgresql|both]
        [--warnings 100000] [--seconds 10] [--connections 50] [--web-workers 2]

For each database: a fresh migrated database; 100,000 published warnings (70 % announcements,
the rest bulletins and notices; levels, statuses, countries, categories and dates spread out)
with one product each and their filter facets, bulk-inserted with `core.db.bulk_insert`; the
portal's search index built by `warnings.search_index.reindex_all`. Then `riskgate serve` (the
worker off) and wrk at 50 connections against the list page, a filtered page, a Chinese search,
the permalink page and the JSON API (list, search, detail). Prints p50/p95/p99 and writes
bench/out/portal_warnings.md. Target (issue 5): p95 < 100 ms at 50 concurrent clients.

The machine is shared: keep --seconds short. Facet counts are cached per process for a minute,
so after the first request of each URL the counts are not recomputed (see warnings/portal.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx
from bench_http import free_port, run_wrk, start_server
from databases import create_database, drop_database

from riskgate.composition import wire

wire()  # every model and stage follower, as in the server

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 5000
PRODUCTS = [
    ("移动电源", "电池", "电子产品", "850760", "power bank battery"),
    ("儿童玩具", "邻苯二甲酸酯", "玩具", "950300", "toy phthalates"),
    ("电暖器", "过热起火", "家用电器", "851629", "heater overheating fire"),
    ("婴儿奶粉", "阪崎肠杆菌", "食品", "190110", "infant formula bacteria"),
    ("儿童服装", "绳带勒颈", "服装", "611120", "children's clothing cords"),
    ("化妆品", "汞超标", "化妆品", "330499", "cosmetics mercury"),
    ("电动自行车", "电池起火", "交通工具", "871160", "e-bike battery fire"),
    ("餐具", "铅迁移", "食品接触材料", "691200", "tableware lead"),
]
COUNTRIES = ["DE", "US", "JP", "KR", "VN", "TH", "FR", "IT", "GB", "IN", "MY", "ID"]
LEVELS = ["I", "II", "III", "IV"]


def seed(url: str, count: int) -> None:
    """Bulk-insert `count` published warnings with products and facets; index them."""
    from riskgate.core.context import Actor
    from riskgate.core.db import bulk_insert, make_engine, make_session_factory, transaction
    from riskgate.identity import service as identity
    from riskgate.identity.enums import OrgLevel, OrgType
    from riskgate.warnings.models import PublicWarning, WarningFacet, WarningProduct
    from riskgate.warnings.publication import search_index

    engine = make_engine(url)
    factory = make_session_factory(engine)
    rng = random.Random(20261121)
    with transaction(factory) as db:
        org = identity.create_organisation(db, Actor.system("bench"), identity.OrganisationInput(
            code="BENCHGACC", name_zh="基准海关总署", name_en="Bench head office",
            org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL, parent_id=None))
        org_id = org.id
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    started = time.monotonic()
    for offset in range(0, count, CHUNK):
        warnings, products, facets = [], [], []
        for i in range(offset, min(offset + CHUNK, count)):
            wid = i + 1
            name, hazard, category, hs, english = PRODUCTS[i % len(PRODUCTS)]
            kind = "announcement" if rng.random() < 0.7 else rng.choice(["bulletin", "notice"])
            status = rng.choices(["published", "adjusted", "lifted", "withdrawn"],
                                 [70, 10, 18, 2])[0]
            published = start + dt.timedelta(minutes=i * 9 + rng.randint(0, 5))
            countries = rng.sample(COUNTRIES, rng.randint(1, 2))
            warnings.append({
                "id": wid, "number": f"PW-{published.year}-{wid:06d}", "organisation_id": org_id,
                "title": f"{name}{hazard}风险警示 {wid}",
                "title_en": f"{english.capitalize()} risk warning {wid}",
                "summary": f"抽检发现进口{name}存在{hazard}问题，请消费者注意。",
                "summary_en": f"Imported {english} found unsafe.",
                "hazard": f"{hazard}可能造成伤害。", "level": rng.choice(LEVELS),
                "warning_type": kind, "measures": ["suspend_sales"],
                "origin_countries": countries, "regions": [], "ports": [],
                "effective_from": published.date(),
                "consumer_instructions": "停止使用，联系销售商。",
                "status": status, "published_at": published, "created_at": published,
                "updated_at": published, "original": {"title": f"{name}{hazard}风险警示 {wid}"},
                "follow_up_count": 0,
                "closed_at": published if status in ("lifted", "withdrawn") else None,
            })
            products.append({"warning_id": wid, "position": 0, "name": name, "hs_code": hs,
                             "category": category, "brand": f"品牌{i % 500}",
                             "model": f"M-{i % 997}", "batch": None, "barcode": None})
            rows = {("category", category), ("hs", hs), ("chapter", hs[:2])}
            rows |= {("country", c) for c in countries}
            facets += [{"warning_id": wid, "facet": f, "value": v} for f, v in sorted(rows)]
        with transaction(factory) as db:
            bulk_insert(db, PublicWarning.__table__, warnings)
            bulk_insert(db, WarningProduct.__table__, products)
            bulk_insert(db, WarningFacet.__table__, facets)
    inserted = time.monotonic() - started
    with transaction(factory) as db:
        if url.startswith("postgresql"):
            from sqlalchemy import text

            db.execute(text("SELECT setval(pg_get_serial_sequence('public_warning', 'id'), "
                            ":n)").bindparams(n=count))
            for table in ("public_warning", "warning_product", "warning_facet"):
                db.execute(text(f"ANALYZE {table}"))
        indexed = search_index.reindex_all(db)
    print(f"  inserted {count} warnings in {inserted:.0f} s; indexed {indexed} in "
          f"{time.monotonic() - started - inserted:.0f} s", flush=True)
    engine.dispose()



def bench_database(kind: str, args: argparse.Namespace) -> list[dict]:
    workdir = Path(tempfile.mkdtemp(prefix="rgbench"))
    url = create_database(kind, workdir, f"rgbench_portal_{os.getpid()}")
    rows = []
    server = None
    try:
        print(f"[{kind}] seeding {args.warnings} warnings …", flush=True)
        seed(url, args.warnings)
        port = free_port()
        server = start_server(url, port, args.web_workers)
        base = f"http://127.0.0.1:{port}"
        detail = httpx.get(f"{base}/api/v1/public/warnings?limit=1").json()["items"][0]
        targets = [
            ("portal list page", "/warnings"),
            ("portal filtered page", "/warnings?level=II&country=DE&state=in_force"),
            ("portal search 电池", "/warnings?q=" + quote("电池")),
            ("portal permalink page", detail["url"]),
            ("API list (50)", "/api/v1/public/warnings?limit=50"),
            ("API search battery", "/api/v1/public/warnings?q=battery&limit=50"),
            ("API search 儿童 玩具", "/api/v1/public/warnings?q=" + quote("儿童 玩具")),
            ("API detail", f"/api/v1/public/warnings/{detail['id']}"),
        ]
        for label, path in targets:
            # Warm up: every worker process computes its facet counts for the URL once.
            for _ in range(2 * args.web_workers):
                status = httpx.get(base + path, timeout=60)
            if status.status_code != 200:
                print(f"  skip {path}: {status.status_code}")
                continue
            result = run_wrk(base + path, None, args.seconds, args.connections)
            result.update(database=kind, label=label, path=path,
                          rps=result["requests"] / (result["duration_us"] / 1e6))
            rows.append(result)
            print(f"  {label:26s} p50 {result['p50_us'] / 1000:7.1f} ms  p95 "
                  f"{result['p95_us'] / 1000:7.1f} ms  p99 {result['p99_us'] / 1000:7.1f} ms  "
                  f"{result['rps']:7.0f} req/s  errors {result['errors']}", flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        drop_database(url)
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--warnings", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--web-workers", type=int, default=2,
                        help="uvicorn processes (2 on this 2-core machine)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    rows = [row for kind in kinds for row in bench_database(kind, args)]
    out = ROOT / "bench/out"
    out.mkdir(exist_ok=True)
    lines = [
        f"Measured {dt.date.today()} on {os.cpu_count()} cores, {args.warnings} warnings, "
        f"{args.connections} connections; command: `{' '.join(['.venv/bin/python', *sys.argv])}`",
        "",
        "| database | target | p50 ms | p95 ms | p99 ms | req/s | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['database']} | {r['label']} | {r['p50_us'] / 1000:.1f} | "
                     f"{r['p95_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | {r['rps']:.0f} | "
                     f"{r['errors']} |")
    (out / "portal_warnings.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
