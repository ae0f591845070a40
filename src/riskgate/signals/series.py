"""Count series of risk records, built with GROUP BY queries (SQLite and PostgreSQL alike).

A series is the number of records per period (ISO week, or local day for the fast channels)
with the same values of some dimensions, within one top-level organisation's subtree:

* ``hz`` hazard class, ``pr`` product (HS chapter ``HS09`` from the HS code or the classifier's
  suggestion, else the product category text), ``or`` origin country, ``sc`` source channel,
  ``rg`` region (province: the first two digits of the administrative division code).
* Weekly levels: the finest cell (all five) and the roll-ups hazard × product × origin,
  hazard × product, hazard × origin, product × origin — the finest cells are mostly zeros.
* Daily levels (fast channels only: hotlines, media, portal, feeds): channel × hazard × product
  and channel × product.

A record's period is its `occurred_on`, or the local day it was received when that is unknown.
Records lacking a dimension's value are not counted in series keyed by it. A series key reads
``w|hz=chemical|pr=HS09|or=VN|sc=*|rg=*`` (``*`` = rolled up).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, cast, func, literal, select
from sqlalchemy.orm import Session

from riskgate.core.db import is_postgresql
from riskgate.identity.models import Organisation
from riskgate.identity.scope import in_subtree
from riskgate.records.models import RiskRecord
from riskgate.signals.enums import Granularity
from riskgate.signals.rules import FAST_CHANNELS

DIMENSIONS = ("hz", "pr", "or", "sc", "rg")
WEEKLY_LEVELS: tuple[tuple[str, ...], ...] = (
    ("hz", "pr", "or", "sc", "rg"), ("hz", "pr", "or"), ("hz", "pr"), ("hz", "or"), ("pr", "or"),
)
DAILY_LEVELS: tuple[tuple[str, ...], ...] = (("sc", "hz", "pr"), ("sc", "pr"))
PREFIX = {Granularity.week: "w", Granularity.day: "d"}
STEP_DAYS = {Granularity.week: 7, Granularity.day: 1}


def _product() -> Any:
    return func.coalesce(
        literal("HS") + func.substr(RiskRecord.hs_code, 1, 2),
        literal("HS") + RiskRecord.suggested_hs_chapter,
        func.substr(RiskRecord.product_category, 1, 120),
        func.substr(RiskRecord.suggested_product_category, 1, 120),
    )


def dimension_columns() -> dict[str, Any]:
    return {
        "hz": RiskRecord.hazard_class, "pr": _product(), "or": RiskRecord.origin_country,
        "sc": RiskRecord.source_channel, "rg": func.substr(RiskRecord.region_code, 1, 2),
    }  # fmt: skip


def day_expression(db: Session, timezone: str) -> Any:
    """A record's day: `occurred_on`, else the local calendar day it was received."""
    if is_postgresql(db):
        local = cast(func.timezone(timezone, RiskRecord.received_at), Date)
        return func.coalesce(RiskRecord.occurred_on, local)
    offset = dt.datetime.now(ZoneInfo(timezone)).utcoffset() or dt.timedelta()
    shifted = func.date(RiskRecord.received_at, f"{int(offset.total_seconds()) // 60:+d} minutes")
    return func.coalesce(RiskRecord.occurred_on, shifted)


def period_expression(db: Session, day: Any, granularity: Granularity) -> Any:
    if granularity == Granularity.day:
        return day
    if is_postgresql(db):
        return cast(func.date_trunc("week", day), Date)
    return func.date(day, "weekday 0", "-6 days")  # the Monday of the ISO week


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def bind_date(db: Session, value: dt.date) -> Any:
    """A date parameter comparable with `day_expression` (SQLite compares ISO strings)."""
    return value if is_postgresql(db) else value.isoformat()


def clean_value(value: Any) -> str:
    return str(getattr(value, "value", value)).replace("|", "/").replace("=", "-")[:120]


def make_key(granularity: Granularity, values: dict[str, str | None]) -> str:
    parts = [PREFIX[granularity]]
    parts += [f"{d}={values[d] if values.get(d) is not None else '*'}" for d in DIMENSIONS]
    return "|".join(parts)


def parse_key(key: str) -> tuple[Granularity, dict[str, str]]:
    """The granularity and the fixed (not rolled-up) dimensions of a series key."""
    head, *parts = key.split("|")
    granularity = Granularity.week if head == "w" else Granularity.day
    values = {}
    for part in parts:
        name, _, value = part.partition("=")
        if name in DIMENSIONS and value != "*":
            values[name] = value
    return granularity, values


def roots_by_org(db: Session) -> dict[int, int]:
    """Each organisation's top-level ancestor (from the materialised path)."""
    return {org_id: int(path.strip("/").split("/")[0])
            for org_id, path in db.execute(select(Organisation.id, Organisation.path))
            if path and path.strip("/")}


@dataclass
class SeriesSet:
    """The series of one top-level organisation on one time axis."""

    root_id: int
    granularity: Granularity
    periods: list[dt.date]
    counts: dict[str, dict[dt.date, int]] = field(default_factory=dict)


def build_series(db: Session, *, granularity: Granularity, as_of: dt.date, history: int,
                 timezone: str, root_ids: set[int] | None = None) -> dict[int, SeriesSet]:
    """Every series of every top-level organisation (or of `root_ids`), zero-filled.

    One GROUP BY per level over (organisation, period, dimensions); the rows are folded into
    their top-level organisation. A root's axis starts at its first period with any record in
    the window (so a new organisation has a short history, not years of invented zeros).
    """
    step = STEP_DAYS[granularity]
    last = as_date(as_of) if granularity == Granularity.day else _week(as_of)
    first = last - dt.timedelta(days=step * (history - 1))
    day = day_expression(db, timezone)
    period = period_expression(db, day, granularity)
    columns = dimension_columns()
    levels = WEEKLY_LEVELS if granularity == Granularity.week else DAILY_LEVELS
    root_of = roots_by_org(db)
    window = (day >= bind_date(db, first), day <= bind_date(db, as_date(as_of)))
    fast = (RiskRecord.source_channel.in_([c.value for c in FAST_CHANNELS]),)
    extra = fast if granularity == Granularity.day else ()

    sets: dict[int, SeriesSet] = {}
    starts: dict[int, dt.date] = {}
    for org_id, first_period in db.execute(
        select(RiskRecord.organisation_id, func.min(period)).where(*window, *extra)
        .group_by(RiskRecord.organisation_id)
    ):
        root = root_of.get(org_id)
        if root is None or (root_ids is not None and root not in root_ids):
            continue
        begin = as_date(first_period)
        starts[root] = min(starts.get(root, begin), begin)
    for root, begin in starts.items():
        count = (last - begin).days // step + 1
        sets[root] = SeriesSet(root, granularity,
                               [begin + dt.timedelta(days=step * i) for i in range(count)])

    for level in levels:
        dims = [columns[d] for d in level]
        stmt = (select(RiskRecord.organisation_id, period, *dims, func.count())
                .where(*window, *extra, *(c.is_not(None) for c in dims))
                .group_by(RiskRecord.organisation_id, period, *dims))
        folded: dict[tuple[int, str], dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
        for org_id, period_value, *values, n in db.execute(stmt):
            root = root_of.get(org_id)
            if root not in sets:
                continue
            key = make_key(granularity, {d: clean_value(v) for d, v in zip(level, values,
                                                                           strict=True)})
            folded[(root, key)][as_date(period_value)] += int(n)
        for (root, key), counts in folded.items():
            sets[root].counts[key] = dict(counts)
    return sets


def _week(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def key_conditions(db: Session, key: str) -> list[Any]:
    """WHERE conditions selecting the records of a series key (any period)."""
    granularity, values = parse_key(key)
    columns = dimension_columns()
    conditions = [columns[d] == v for d, v in values.items()]
    if granularity == Granularity.day:
        conditions.append(RiskRecord.source_channel.in_([c.value for c in FAST_CHANNELS]))
    return conditions


def subtree_org_ids(root_path: str) -> Any:
    return select(Organisation.id).where(in_subtree(Organisation.path, root_path))


def one_series(db: Session, *, root_path: str, key: str, first: dt.date, last: dt.date,
               timezone: str) -> dict[dt.date, int]:
    """The counts of one series between two periods (for a chart), by one GROUP BY."""
    granularity, _ = parse_key(key)
    day = day_expression(db, timezone)
    period = period_expression(db, day, granularity)
    end = last + dt.timedelta(days=STEP_DAYS[granularity] - 1)
    stmt = (select(period, func.count())
            .where(RiskRecord.organisation_id.in_(subtree_org_ids(root_path)),
                   day >= bind_date(db, first), day <= bind_date(db, end),
                   *key_conditions(db, key))
            .group_by(period))
    return {as_date(p): int(n) for p, n in db.execute(stmt)}


def records_of(db: Session, *, root_path: str, key: str | None, first: dt.date, last: dt.date,
               timezone: str, limit: int = 500, extra: tuple[Any, ...] = ()) -> list[int]:
    """Ids of the records of a series key (or of `extra` conditions) between two days."""
    day = day_expression(db, timezone)
    conditions = key_conditions(db, key) if key else []
    stmt = (select(RiskRecord.id)
            .where(RiskRecord.organisation_id.in_(subtree_org_ids(root_path)),
                   day >= bind_date(db, first), day <= bind_date(db, last), *conditions, *extra)
            .order_by(RiskRecord.id).limit(limit))
    return list(db.execute(stmt).scalars())
