"""Search latency over 100,000 risk records with two-word Chinese queries, against a LIKE scan.

    .venv/bin/python bench/bench_search.py [--database sqlite|postgresql|both] [--records 100000]
        [--rounds 5] [--write]

For each database, a fresh migrated database is filled through the real writer (so every record
is indexed by the `after_store` step, as in production): the three real files (RASFF 2020-2024,
the Safety Gate sample, the CPSC recalls) through their import profiles, then Chinese records
synthesised from the catalogue (HS chapter names, hazard type names, country names) with a fixed
seed until the total is reached; one record in ten belongs to a second organisation. The RASFF
file is imported twice more into throw-away databases, with and without the search step, to
give the cost of indexing during ingest.

Each query runs through `search.service.list_records` (fold, tokenise, match, rank, scope,
first page of 50 records with their enterprises) in a fresh session, like a request; the
baseline is the obvious alternative on the same rows in the same run: `LIKE '%word%'` on title,
description and product name for both words, in scope, newest first, 50 rows. `--write` writes
bench/RESULTS_search.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from databases import create_database, drop_database
from sqlalchemy import and_, func, or_, select

from riskgate.catalog import reference
from riskgate.composition import wire
from riskgate.core.context import Actor
from riskgate.core.db import make_engine, make_session_factory, transaction
from riskgate.core.events import suspended
from riskgate.core.permissions import Role
from riskgate.identity import service as identity
from riskgate.identity.auth_service import actor_for
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.models import User
from riskgate.intake.service import ingest_batch
from riskgate.records.models import RiskRecord
from riskgate.records.service import store_drafts
from riskgate.records.standard import Problems, finish, map_standard
from riskgate.search import service as search
from riskgate.search.tokens import warm_up

wire()  # every model and stage follower, as in the server

DATA = Path("/work/shared/data")
FILES = [
    ("rasff", DATA / "rasff_2020_2024" / "rasff_2020_to_2024-10-30.csv"),
    ("safety_gate", DATA / "eu_safety_gate_sample" / "safety_gate_alerts.csv"),
    ("cpsc", DATA / "cpsc_recalls" / "cpsc_recalls_2023-12_2026-04.json"),
]
SYSTEM = Actor.system("bench")
QUERIES = [
    "玩具 铅", "儿童 窒息", "奶粉 沙门氏菌", "电池 起火", "塑料 甲醛", "越南 玩具",
    "化妆品 汞", "食品 霉菌毒素", "服装 偶氮", "电器 触电", "德国 汽车", "鞋 铬",
    "婴儿 哽噎", "家具 甲醛", "水产品 兽药", "玩具 小零件", "灯具 火灾", "茶叶 农药",
    "儿童 勒颈", "美国 召回",
]
# Words the synthesised texts draw on besides the catalogue's names.
PRODUCTS = [
    "玩具", "毛绒玩具", "塑料玩具", "儿童服装", "婴儿奶粉", "奶粉", "电动滑板车", "锂电池",
    "充电宝", "电热水壶", "吹风机", "化妆品", "口红", "面霜", "儿童鞋", "皮鞋", "家具",
    "儿童座椅", "婴儿床", "灯具", "插线板", "茶叶", "水产品", "冻虾", "坚果", "饼干", "汽车",
    "自行车头盔", "餐具", "保温杯", "服装", "床上用品", "文具", "橡皮擦", "电器", "手机充电器",
]
SUBSTANCES = ["铅", "镉", "汞", "铬", "邻苯二甲酸酯", "甲醛", "偶氮染料", "沙门氏菌",
              "李斯特菌", "黄曲霉毒素", "霉菌毒素", "农药残留", "兽药残留", "二氧化硫"]
DEFECTS = ["小零件易脱落，儿童误吞可致窒息", "电池过热可能起火", "绝缘不良存在触电风险",
           "绳带过长可致儿童勒颈", "结构强度不足可能倒塌", "标签缺少中文说明",
           "被境外主管部门召回", "检出{substance}超标", "{substance}含量超过限值"]


def vocabulary() -> dict[str, list[str]]:
    chapters = [e.name_zh for e in reference.hs_chapters() if e.name_zh]
    parts = sorted({p.strip() for name in chapters
                    for p in name.replace("；", "、").replace("，", "、").replace("及", "、")
                    .split("、") if 2 <= len(p.strip()) <= 12})  # fmt: skip
    return {
        "hs": parts,
        "hazards": [h.name_zh for h in reference.hazard_types() if h.name_zh],
        "countries": [c.name_zh for c in reference.countries() if c.name_zh],
        "codes": [c.code for c in reference.countries()][:200],
        "hazard_codes": [h.code.value for h in reference.hazard_types()],
    }


def synthetic(n: int, rng: random.Random, words: dict[str, list[str]]) -> dict:
    product = rng.choice(PRODUCTS + words["hs"])
    country = rng.choice(words["countries"])
    substance = rng.choice(SUBSTANCES)
    defect = rng.choice(DEFECTS).format(substance=substance)
    hazard = rng.choice(words["hazards"])
    day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000))
    return {
        "source_channel": rng.choice(["inspection_supervision", "market_spot_check",
                                      "hotline_12315", "foreign_notice", "lab_result"]),
        "external_reference": f"SYN-{n:07d}",
        "occurred_on": day.isoformat(),
        "title": f"{country}产{product}{defect}",
        "description": (f"{day:%Y年%m月}，在{rng.choice(words['hs'])}类商品抽查中发现{country}"
                        f"产{product}存在{hazard}风险：{defect}。涉及批次{rng.randrange(10**6)}，"
                        f"已责令{rng.choice(['下架', '召回', '退运', '销毁'])}。"),
        "product_name": product,
        "brand": rng.choice(["ＡＢＣ", "星光", "Happy Kids", "小熊", None]),
        "hazard_type": rng.choice(words["hazard_codes"]),
        "hazard_substance": substance,
        "origin_country": rng.choice(words["codes"]),
        "trade_direction": rng.choice(["import", "export", "domestic"]),
    }


def make_orgs(factory) -> tuple[int, int, Actor]:  # type: ignore[no-untyped-def]
    with transaction(factory) as db:
        orgs = []
        for code, name in (("GACC", "海关总署"), ("OTHER", "其他机构")):
            orgs.append(identity.create_organisation(
                db, SYSTEM, identity.OrganisationInput(
                    code=code, name_zh=name, name_en=code, org_type=OrgType.CUSTOMS_HEAD_OFFICE,
                    level=OrgLevel.NATIONAL, parent_id=None)).id)  # fmt: skip
    return orgs[0], orgs[1], SYSTEM


def officer_of(factory, settings_url: str, org_id: int) -> Actor:  # type: ignore[no-untyped-def]
    from riskgate.core.settings import Settings

    settings = Settings(database_url=settings_url, _env_file=None)  # type: ignore[call-arg]
    with transaction(factory) as db:
        user = identity.create_user(db, SYSTEM, settings, identity.UserInput(
            username="bench_officer", display_name="基准", organisation_id=org_id,
            password="Bench-Password-2026!", roles=[Role.RISK_OFFICER], language="zh-CN"))
        user_id = user.id
    with transaction(factory) as db:
        return actor_for(db.get(User, user_id), "zh-CN")


def fill(factory, owner: int, other: int, total: int, seed: int = 20261121) -> dict:  # type: ignore[no-untyped-def]
    timings = {}
    for profile, path in FILES:
        start = time.perf_counter()
        with transaction(factory) as db, path.open("rb") as binary:
            ingest_batch(db, SYSTEM, profile_name=profile, binary=binary, file_name=path.name,
                         organisation_id=owner)
        timings[profile] = time.perf_counter() - start
    with transaction(factory) as db:
        have = db.execute(select(func.count()).select_from(RiskRecord)).scalar_one()
    rng = random.Random(seed)
    words = vocabulary()
    start = time.perf_counter()
    n = 0
    while have < total:
        chunk = min(500, total - have)
        drafts = {owner: [], other: []}
        for _ in range(chunk):
            n += 1
            problems = Problems()
            draft = finish(map_standard(synthetic(n, rng, words), problems), problems)
            drafts[other if n % 10 == 0 else owner].append((draft, None))
        with transaction(factory) as db:
            for org_id, items in drafts.items():
                if items:
                    store_drafts(db, items, channel=None, organisation_id=org_id)
        have += chunk
    timings["synthetic"] = time.perf_counter() - start
    timings["synthetic_count"] = n
    return timings


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99),
            "mean": statistics.fmean(ordered) * 1000}  # fmt: skip


def like_baseline(db, actor: Actor, query: str) -> list[RiskRecord]:  # type: ignore[no-untyped-def]
    from riskgate.identity.scope import scoped

    conditions = []
    for word in query.split():
        pattern = f"%{word}%"
        conditions.append(or_(RiskRecord.title.like(pattern), RiskRecord.description.like(pattern),
                              RiskRecord.product_name.like(pattern)))
    stmt = scoped(select(RiskRecord), actor, RiskRecord.organisation_id)
    stmt = stmt.where(and_(*conditions)).order_by(RiskRecord.id.desc()).limit(50)
    return list(db.execute(stmt).scalars())


def measure(factory, actor: Actor, rounds: int) -> dict:  # type: ignore[no-untyped-def]
    filters = search.RecordFilters()
    results: dict[str, dict] = {"search": {}, "like": {}}
    samples: dict[str, list[float]] = {"search": [], "like": []}
    hits: dict[str, list[int]] = {"search": [], "like": []}
    for round_ in range(rounds + 1):  # round 0 warms caches and is not counted
        for query in QUERIES:
            for name, run in (
                ("search", lambda db, q: search.list_records(db, actor, q, filters, limit=50)[0]),
                ("like", lambda db, q: like_baseline(db, actor, q)),
            ):
                start = time.perf_counter()
                with transaction(factory) as db:
                    rows = run(db, query)
                elapsed = time.perf_counter() - start
                if round_:
                    samples[name].append(elapsed)
                    if round_ == 1:
                        hits[name].append(len(rows))
    for name in samples:
        results[name] = {**percentiles(samples[name]), "queries": len(samples[name]),
                         "with_results": sum(1 for h in hits[name] if h)}  # fmt: skip
    return results


def index_cost(kind: str, workdir: Path, repeat: int = 2) -> dict:
    """RASFF ingest with and without the search step (each in a fresh database); best of
    `repeat`, alternating, so that a burst of load elsewhere does not decide the share."""
    path = FILES[0][1]
    out: dict[str, dict] = {}
    for n, label in enumerate(("with_index", "without_index") * repeat):
        url = create_database(kind, workdir, f"rg_bench_search_ingest_{n}")
        engine = make_engine(url)
        factory = make_session_factory(engine)
        owner, _other, _sys = make_orgs(factory)
        # Without the search index: the records stage's other followers still run.
        left_out = (search.on_records_stored,) if label == "without_index" else ()
        try:
            start = time.perf_counter()
            with (suspended(*left_out), transaction(factory) as db,
                  path.open("rb") as binary):
                batch = ingest_batch(db, SYSTEM, profile_name="rasff", binary=binary,
                                     file_name=path.name, organisation_id=owner)
                rows = batch.imported
            seconds = time.perf_counter() - start
            if label not in out or seconds < out[label]["seconds"]:
                out[label] = {"seconds": seconds, "records": rows}
        finally:
            engine.dispose()
            drop_database(url)
    return out


def run(kind: str, total: int, rounds: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        cost = index_cost(kind, workdir)
        url = create_database(kind, workdir, "rg_bench_search")
        engine = make_engine(url)
        factory = make_session_factory(engine)
        try:
            owner, other, _sys = make_orgs(factory)
            fill_times = fill(factory, owner, other, total)
            with transaction(factory) as db:
                count = db.execute(select(func.count()).select_from(RiskRecord)).scalar_one()
                mine = db.execute(select(func.count()).select_from(RiskRecord).where(
                    RiskRecord.organisation_id == owner)).scalar_one()
            actor = officer_of(factory, url, owner)
            if kind == "postgresql":
                with transaction(factory) as db:
                    db.execute(__import__("sqlalchemy").text("ANALYZE"))
            latency = measure(factory, actor, rounds)
            return {"records": count, "in_scope": mine, "fill": fill_times, "latency": latency,
                    "index_cost": cost}
        finally:
            engine.dispose()
            drop_database(url)


def markdown(results: dict[str, dict], command: str, total: int) -> str:
    today = dt.date.today().isoformat()
    lines = [
        "# Search benchmark", "",
        f"Command: `{command}` — {today}, {platform.machine()}, Python "
        f"{platform.python_version()}, {len(QUERIES)} two-word Chinese queries × rounds.", "",
        f"{total:,} risk records per database: the three real files through their profiles "
        "plus Chinese records synthesised from the catalogue, one in ten of them owned by "
        "another organisation (the officer's scope excludes them). Latency in milliseconds "
        "per query, first page of 50, in a fresh transaction (what a request pays, without "
        "HTTP).", "",
        "| database | method | p50 | p95 | p99 | mean | queries with results |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for kind, result in results.items():
        for name, label in (("search", "search service (FTS5 / tsvector, ranked)"),
                            ("like", "baseline: LIKE '%w%' ×2, newest first")):
            r = result["latency"][name]
            lines.append(f"| {kind} | {label} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f}"
                         f" | {r['mean']:.1f} | {r['with_results']}/{len(QUERIES)} |")
    lines += ["", "## Cost of indexing during ingest (RASFF, 21,871 rows, best of 2)", "",
              "| database | with the search step (s) | without (s) | indexing share |",
              "|---|---:|---:|---:|"]
    for kind, result in results.items():
        cost = result["index_cost"]
        with_, without = cost["with_index"]["seconds"], cost["without_index"]["seconds"]
        lines.append(f"| {kind} | {with_:.1f} | {without:.1f} | {(with_ - without) / with_:.0%} |")
    lines += ["", "## Filling the databases", "", "| database | records | in scope | RASFF (s) | "
              "Safety Gate (s) | CPSC (s) | synthetic (s) |", "|---|---:|---:|---:|---:|---:|---:|"]
    for kind, result in results.items():
        f = result["fill"]
        lines.append(f"| {kind} | {result['records']:,} | {result['in_scope']:,} | "
                     f"{f['rasff']:.1f} | {f['safety_gate']:.1f} | {f['cpsc']:.1f} | "
                     f"{f['synthetic']:.1f} |")
    lines += ["", "Queries: " + ", ".join(f"「{q}」" for q in QUERIES), "", NOTES]
    return "\n".join(lines)


NOTES = """## How to read this

- The queries that take longest are the broad ones: 「儿童 窒息」, 「电池 起火」 and 「儿童 勒颈」
  match about 8,000 records each, and every match is ranked before the first page is
  cut. The other queries match 1–600 records and answer in 2–15 ms.
- Each Chinese term matches its jieba word or, failing that, the phrase of its
  characters (documents also index their characters in order), so 「玩具 铅」 finds
  「含铅量超标」 although jieba never cuts a word 「铅」 there. On PostgreSQL the match uses
  the phrases but the rank only the words: ranking phrase alternatives doubled the
  cost of broad queries (about 85 → 25 ms in our trials) without changing much; and
  the ranked hits are sorted before the join so that the planner walks them in order
  and stops at the page (before that, it sorted wide rows on disk).
- The LIKE baseline is not equivalent: it cannot rank, misses traditional
  characters, full-width letters and the catalogue's names (「德国 汽车」 finds its one
  record only through the catalogue's Chinese name of the country — hence 19/20),
  and stops early only because it needs the newest 50, not the best. It still has to
  scan until it has found them: 53–75 ms on 100,000 rows, growing with the table.
- Indexing during ingest costs 45–60 µs per record on SQLite and ~100 µs on
  PostgreSQL (tokenising, two chunk queries, the tsvector literal, one executemany
  per chunk); for the English RASFF file that is a third (SQLite) to a half
  (PostgreSQL) of the ingest time.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    warm_up()
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = {}
    for kind in kinds:
        print(f"{kind}: filling {args.records:,} records…", file=sys.stderr)
        results[kind] = run(kind, args.records, args.rounds)
        print(results[kind], file=sys.stderr)
    command = "python bench/bench_search.py " + " ".join(sys.argv[1:])
    text = markdown(results, command.strip(), args.records)
    print(text)
    if args.write:
        (Path(__file__).parent / "RESULTS_search.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
