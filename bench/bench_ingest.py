"""Ingest throughput of the full RASFF file (21,871 rows) against a bare insert of the same rows.

    .venv/bin/python bench/bench_ingest.py [--database sqlite|postgresql|both] [--repeat 3]
        [--file PATH] [--write]

For each database and each repetition, two fresh migrated databases: in one, `ingest_batch`
reads, validates, normalises, deduplicates and stores the file as one batch in one transaction;
in the other, the same rows are read with the csv module and inserted into `risk_record` with no
checks at all (executemany on SQLite, COPY on PostgreSQL). Both times include reading the file
and the commit. Re-importing the file (every row a duplicate) is timed too. The best of the
repetitions is reported; `--write` writes bench/RESULTS_ingest.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from databases import create_database, drop_database
from sqlalchemy import func, select

from riskgate.composition import wire
from riskgate.core.context import Actor
from riskgate.core.db import make_engine, make_session_factory, transaction
from riskgate.identity import service as identity
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.intake.classify import prepare_draft
from riskgate.intake.service import ingest_batch
from riskgate.records.models import RiskRecord
from riskgate.search.tokens import warm_up as warm_up_search

wire()  # every model and stage follower, as in the server

RASFF = Path("/work/shared/data/rasff_2020_2024/rasff_2020_to_2024-10-30.csv")
BARE_COLUMNS = (
    "record_number", "source_channel", "organisation_id", "external_reference", "content_hash",
    "received_at", "title", "language", "product_name", "hazard_types", "trade_direction",
    "confidentiality", "raw_payload", "created_at", "updated_at",
)  # fmt: skip
SYSTEM = Actor.system("bench")


def make_owner(factory) -> int:  # type: ignore[no-untyped-def]
    with transaction(factory) as db:
        org = identity.create_organisation(
            db, SYSTEM,
            identity.OrganisationInput(
                code="GACC", name_zh="海关总署", name_en="GACC",
                org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL, parent_id=None,
            ),
        )  # fmt: skip
        return org.id


def timed_ingest(factory, path: Path, owner: int) -> tuple[float, dict]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    with transaction(factory) as db, path.open("rb") as binary:
        batch = ingest_batch(
            db, SYSTEM, profile_name="rasff", binary=binary, file_name=path.name,
            organisation_id=owner,
        )  # fmt: skip
        counts = batch.counts()
    return time.perf_counter() - start, counts


def bare_rows(path: Path, owner: int):  # type: ignore[no-untyped-def]
    now = dt.datetime.now(dt.UTC)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for n, row in enumerate(reader, start=1):
            raw = ",".join(row)
            yield (
                f"RR-2026-{n:06d}", "feed_rasff", owner, row[1],
                hashlib.sha256(raw.encode()).hexdigest(), now, row[4], "en", row[4][:500],
                "[]", "unknown", "public", raw, now, now,
            )  # fmt: skip


def timed_bare_insert(kind: str, engine, path: Path, owner: int) -> float:  # type: ignore[no-untyped-def]
    columns = ", ".join(BARE_COLUMNS)
    start = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if kind == "sqlite":
            cursor.execute("BEGIN")
            marks = ", ".join("?" for _ in BARE_COLUMNS)
            cursor.executemany(
                f"INSERT INTO risk_record ({columns}) VALUES ({marks})", bare_rows(path, owner)
            )
        else:
            with cursor.copy(f"COPY risk_record ({columns}) FROM STDIN") as copy:
                for row in bare_rows(path, owner):
                    copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
    return time.perf_counter() - start


def warm_up() -> None:
    """Load what a running server loads at start (catalogue indexes, jieba's dictionary, the
    classifier's model), so that the runs time the import, not one-off start-up work."""

    warm_up_search()
    prepare_draft({"title": "toy", "product_name": "toy", "language": "en"})


def run(kind: str, path: Path, repeat: int) -> dict:
    warm_up()
    best: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for attempt in range(repeat):
            url = create_database(kind, Path(tmp), f"rgbench_ingest_ingest{attempt}")
            engine = make_engine(url)
            factory = make_session_factory(engine)
            owner = make_owner(factory)
            seconds, counts = timed_ingest(factory, path, owner)
            again, again_counts = timed_ingest(factory, path, owner)
            with factory() as db:
                stored = db.execute(select(func.count()).select_from(RiskRecord)).scalar_one()
            engine.dispose()
            drop_database(url)
            bare_url = create_database(kind, Path(tmp), f"rgbench_ingest_bare{attempt}")
            bare_engine = make_engine(bare_url)
            bare_owner = make_owner(make_session_factory(bare_engine))
            bare = timed_bare_insert(kind, bare_engine, path, bare_owner)
            bare_engine.dispose()
            drop_database(bare_url)
            rows = counts["rows_read"]
            result = {
                "rows": rows, "counts": counts, "again": again_counts, "stored": stored,
                "ingest_s": seconds, "reimport_s": again, "bare_s": bare,
                "ingest_rps": rows / seconds, "reimport_rps": rows / again,
                "bare_rps": rows / bare, "ratio": bare / seconds,
            }  # fmt: skip
            print(kind, attempt, json.dumps({k: v for k, v in result.items()}, default=str))
            if not best or result["ingest_s"] < best["ingest_s"]:
                best = result
    return best


def markdown(results: dict[str, dict], command: str) -> str:
    lines = [
        "# Ingest benchmark (issue 3)",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({platform.machine()}, Python {platform.python_version()}):",
        "",
        f"    {command}",
        "",
        "The full RASFF file (21,871 rows, 3.6 MB): `ingest_batch` reads the CSV (encoding "
        "detection, verbatim row text), validates and normalises each row (dates, countries "
        "through the catalogue, hazard categories to hazard classes and types), drops exact "
        "duplicates (source + external reference, content hash), numbers the records and "
        "bulk-inserts them in chunks of 500, then runs the records stage's followers on each "
        "chunk — classification (hazard, product category, HS chapter suggestions), search "
        "indexing (jieba + OpenCC folding into FTS5 / tsvector), near-duplicate linkage keys and "
        "recurrence flags, the death/serious-injury signal rule — and writes one audit entry "
        "for the batch, all in one transaction, commit included. One-off start-up work "
        "(jieba's dictionary, the classifier's model, module imports) is done before timing, "
        "as a server does at start. The bare insert reads the same rows with the csv module and "
        "inserts them into the same `risk_record` table with no checks (executemany on SQLite, "
        "COPY on PostgreSQL), commit included. Best of the runs.",
        "",
        "| database | ingest rows/s | ingest s | bare insert rows/s | bare s | ratio ingest/bare "
        "| re-import (all duplicates) rows/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, r in results.items():
        lines.append(
            f"| {kind} | {r['ingest_rps']:,.0f} | {r['ingest_s']:.2f} | {r['bare_rps']:,.0f} "
            f"| {r['bare_s']:.2f} | {r['ratio']:.2f}× | {r['reimport_rps']:,.0f} |"
        )
    lines += [
        "",
        "Counts of each run: first import "
        + "; ".join(f"{k}: {r['counts']}" for k, r in results.items())
        + ". Re-import: "
        + "; ".join(f"{k}: {r['again']}" for k, r in results.items())
        + ".",
        "",
        "Target: ingest at least 0.5× the bare insert.",
        "",
        "Where the time goes (cProfile): no single hot spot — per row, CSV reading and "
        "mapping, classification, search tokens (jieba), linkage keys and the content hash "
        "are each 20–60 µs of Python; the database work is a few bulk statements per chunk "
        "(`core.db.bulk_insert`: one driver-level executemany on SQLite, COPY on PostgreSQL, "
        "also for the search index). The bare insert does none of this work, which is why the "
        "ratio is far from the target.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--file", type=Path, default=RASFF)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"{args.file} not found")
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = {kind: run(kind, args.file, args.repeat) for kind in kinds}
    command = ".venv/bin/python bench/bench_ingest.py " + " ".join(sys.argv[1:])
    text = markdown(results, command.strip())
    print(text)
    if args.write:
        (Path(__file__).parent / "RESULTS_ingest.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
