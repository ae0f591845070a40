"""Cost of the machine-readable formats of warnings: CAP 1.2 per message and Atom per feed.

    .venv/bin/python bench/bench_warning_formats.py [--messages 2000] [--db-warnings 60]
                                                    [--db sqlite|postgresql|both]

1. Pure building (no database): `--messages` CAP messages from realistic, varied content
   (Chinese and English text, 1–4 products, countries, regions and ports, publications and
   follow-ups with their references) — µs per message, median and p95; Atom feeds of 50 entries
   built from the same content — µs per feed and per entry.
2. With the database read: `--db-warnings` announcements published through the real life-cycle
   services (a third adjusted, a sixth lifted) in a throw-away database; then
   `feeds.cap_document` (visibility check, warning, organisation, follow-ups, build) for every
   message, repeated until `--messages` samples, and the feed of 50 entries with its validator
   query (what a poll that finds nothing new costs).

Single-threaded; the machine's other work shows in the p95. Keep runs short: 2 cores are shared.
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.warnings.helpers (the world built through services)

from databases import create_database, drop_database  # noqa: E402

from riskgate.composition import wire  # noqa: E402
from riskgate.core.context import Actor  # noqa: E402
from riskgate.warnings.publication.atom import AtomFeed, build_atom  # noqa: E402
from riskgate.warnings.publication.cap import CapArea, CapMessage, CapReference, build_cap  # noqa: E402

wire()  # every model and stage follower, as in the server

HOST = "warnings.example.cn"
PRODUCTS = [("塑料洋娃娃", "950300", "玩具"), ("婴幼儿配方奶粉", "040210", "食品"),
            ("电暖器", "851629", "家用电器"), ("儿童汽车安全座椅", "940120", "儿童用品"),
            ("锂离子电池移动电源", "850760", "电子产品"), ("化妆品面霜", "330499", "化妆品")]
COUNTRIES = ["CN", "VN", "DE", "US", "JP", "KR", "FR", "IT", "TH", "MY"]
AREAS = [CapArea("310000", "上海市", "Shanghai", True),
         CapArea("440000", "广东省", "Guangdong", True),
         CapArea("CNSHA", "上海港", "Port of Shanghai", False),
         CapArea("CNYTN", "盐田港", "Yantian Port", False)]
TEXT = ("抽检发现该批次产品存在安全隐患，可能导致使用者受伤。请立即停止使用并联系经销商退货。"
        "Tests found a hazard that may injure users; stop using the product at once. ")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(function: Callable[[], object], repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - start) / repeat


def synthetic_messages(count: int, seed: int = 7) -> list[CapMessage]:
    rng = random.Random(seed)
    base = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
    messages = []
    for n in range(count):
        products = rng.sample(PRODUCTS, rng.randint(1, 4))
        kind = rng.choices(["publication", "adjustment", "lifting", "withdrawal"],
                           [6, 2, 1, 0.3])[0]
        sequence = None if kind == "publication" else rng.randint(1, 4)
        identifier = f"riskgate:GACC:PW-2026-{n:06d}"
        sent = base + dt.timedelta(minutes=37 * n)
        references = () if sequence is None else tuple(
            CapReference(HOST, identifier + (f":u{i}" if i else ""),
                         sent - dt.timedelta(days=9 - i))
            for i in range(sequence))
        messages.append(CapMessage(
            identifier=identifier + (f":u{sequence}" if sequence else ""), sender=HOST, sent=sent,
            kind=kind, level=rng.choice(["I", "II", "III", "IV"]),
            warning_type=rng.choice(["bulletin", "notice", "announcement"]),
            number=f"PW-2026-{n:06d}", title=f"{products[0][0]}存在安全风险 {n}",
            title_en=f"Safety risk in {products[0][1]} products {n}",
            summary=TEXT * rng.randint(1, 3), summary_en=TEXT, hazard=TEXT[:60],
            consumer_instructions=TEXT[:80], web=f"https://{HOST}/warnings/{n}-PW-2026-{n:06d}",
            sender_name_zh="海关总署", sender_name_en="General Administration of Customs",
            effective_from=dt.date(2026, 1, 5), effective_until=dt.date(2026, 7, 5),
            hs_codes=tuple(p[1] for p in products), categories=tuple(p[2] for p in products),
            countries=tuple(rng.sample(COUNTRIES, rng.randint(1, 3))),
            areas=tuple(rng.sample(AREAS, rng.randint(0, 3))),
            reason="扩大范围至全部批次" if sequence else None, sequence=sequence,
            references=references))
    return messages


def bench_pure(count: int) -> list[str]:
    from riskgate.warnings.publication.atom import AtomEntry, AtomLink, tag_uri
    from riskgate.warnings.publication.feeds import _categories

    messages = synthetic_messages(count)
    for message in messages[:50]:
        build_cap(message)  # warm up
    samples = [timed(lambda m=m: build_cap(m)) * 1e6 for m in messages]
    size = statistics.mean(len(build_cap(m)) for m in messages[:200])
    entries = [AtomEntry(
        id=tag_uri(HOST, m.sent, f"warning/GACC/{m.number}"), title=m.title, updated=m.sent,
        published=m.sent, summary=m.summary or "", author="海关总署",
        links=(AtomLink(m.web, media_type="text/html"),
               AtomLink(m.web + "/cap.xml", media_type="application/cap+xml")),
        categories=_categories(m.level, m.warning_type, m.categories, "zh-CN", "https://" + HOST))
        for m in messages]
    feeds = [AtomFeed(id=f"tag:{HOST},2026-01-01:warnings/feed", title="预警", updated=dt.datetime
                      .now(dt.UTC), self_link=f"https://{HOST}/warnings/feed.atom",
                      author="riskgate", entries=tuple(entries[i:i + 50]))
             for i in range(0, len(entries) - 49, 50)]
    feed_samples = [timed(lambda f=f: build_atom(f)) * 1e6 for f in feeds]
    return [
        "## 1. Building, no database",
        "",
        f"- CAP 1.2: {len(samples)} messages (avg {size / 1024:.1f} KiB): "
        f"median **{statistics.median(samples):.0f} µs**, "
        f"p95 **{percentile(samples, 0.95):.0f} µs** per message",
        f"- Atom, 50 entries: {len(feed_samples)} feeds: median "
        f"**{statistics.median(feed_samples):.0f} µs** per feed "
        f"({statistics.median(feed_samples) / 50:.0f} µs per entry), p95 "
        f"{percentile(feed_samples, 0.95):.0f} µs",
    ]


def bench_database(kind: str, warnings: int, samples: int) -> list[str]:
    from sqlalchemy.orm import Session
    from tests.warnings.helpers import build_world, lift, make_published_warning

    from riskgate.core.db import make_engine, make_session_factory
    from riskgate.core.settings import Settings
    from riskgate.warnings.lifecycle import service
    from riskgate.warnings.lifecycle.schemas import AdjustmentIn
    from riskgate.warnings.publication import feeds
    from riskgate.warnings.publication.service import PortalFilters

    with tempfile.TemporaryDirectory() as workdir:
        url = create_database(kind, Path(workdir), "bench_warning_formats")
        engine = make_engine(url)
        try:
            settings = Settings(database_url=url, base_url=f"https://{HOST}")
            factory = make_session_factory(engine)
            started = time.perf_counter()
            messages: list[tuple[int, int | None]] = []
            with factory() as db:
                world = build_world(db, settings)
                rng = random.Random(11)
                for n in range(warnings):
                    name, hs, category = PRODUCTS[n % len(PRODUCTS)]
                    warning = make_published_warning(
                        world, level=rng.choice(["III", "IV"]),
                        products=[{"name": name, "hs_code": hs, "category": category}])
                    messages.append((warning.id, None))
                    if n % 3 == 0:
                        service.adjust(db, world.actor(world.approver), warning.id,
                                       AdjustmentIn.model_validate(
                                           {"reason": "扩大范围", "regions": ["440000"]}))
                        messages.append((warning.id, 1))
                        if n % 6 == 0:
                            lift(world, warning)
                            messages.append((warning.id, 2))
                    db.commit()
            setup = time.perf_counter() - started
            anonymous = Actor.anonymous()
            cap_samples = []
            with factory() as db:
                for warning_id, sequence in messages[:10]:
                    feeds.cap_document(db, anonymous, settings.base_url, warning_id, sequence)
                while len(cap_samples) < samples:
                    for warning_id, sequence in messages:
                        db.expire_all()  # read it from the database every time
                        cap_samples.append(timed(lambda w=warning_id, s=sequence: (
                            feeds.cap_document(db, anonymous, settings.base_url, w, s))) * 1e6)
                        if len(cap_samples) >= samples:
                            break
                filters = PortalFilters().check()

                def feed(db: Session = db) -> bytes:
                    db.expire_all()
                    _count, latest = feeds.feed_validator(db, filters)
                    return feeds.feed_document(db, filters, "zh-CN", settings.base_url,
                                               f"https://{HOST}/warnings/feed.atom", latest)

                feed()
                feed_samples = [timed(feed) * 1e3 for _ in range(40)]
                poll_samples = [timed(lambda: feeds.feed_validator(db, filters)) * 1e3
                                for _ in range(200)]
        finally:
            engine.dispose()
            drop_database(url)
    return [
        f"## 2. With the database read — {kind}",
        "",
        f"{warnings} announcements published through the services ({len(messages)} CAP "
        f"messages with follow-ups), set-up {setup:.0f} s.",
        "",
        f"- `cap_document` (visibility, warning, organisation, follow-ups, build): "
        f"{len(cap_samples)} calls: median **{statistics.median(cap_samples):.0f} µs**, "
        f"p95 **{percentile(cap_samples, 0.95):.0f} µs** per message",
        f"- Atom feed of 50 entries (validator query + 3 reads + build): median "
        f"**{statistics.median(feed_samples):.1f} ms**, "
        f"p95 {percentile(feed_samples, 0.95):.1f} ms",
        f"- A poll that finds nothing new (the validator query only, answered 304): median "
        f"**{statistics.median(poll_samples):.2f} ms**, "
        f"p95 {percentile(poll_samples, 0.95):.2f} ms",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--db-warnings", type=int, default=60)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both", "none"], default="both")
    args = parser.parse_args()
    lines = [f"# Warning formats — {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}", "",
             f"Python {platform.python_version()} on {platform.machine()}, "
             f"`{' '.join(sys.argv)}`", ""]
    lines += bench_pure(args.messages)
    kinds = {"both": ["sqlite", "postgresql"], "none": []}.get(args.db, [args.db])
    for kind in kinds:
        lines += [""] + bench_database(kind, args.db_warnings, args.messages)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
