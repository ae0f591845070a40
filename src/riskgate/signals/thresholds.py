"""Threshold rules beside the statistics (settings in `rules.DEFAULTS`, overridable):

* **death or serious injury** — any record whose `injury_severity` is fatal or serious raises a
  signal at once (critical for a death, high for a serious injury), keyed by hazard × product ×
  origin so that further injuries with the same product join it. Run as a step after every
  record store (immediate) and by the threshold job over the last days (a safety net);
* **repeated foreign notices** — at least N records from foreign channels (foreign notices,
  foreign government notices, RASFF, Safety Gate, CPSC) of one product within the window: the
  same hazard class + product (HS chapter or category), or the same brand + model;
* **recurrence** — each raised `linkage` recurrence flag (same operator, hazard + product group,
  origin + hazard within its window) whose latest record is recent becomes a recurrence signal.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskgate.core.i18n import N_
from riskgate.identity.models import Organisation
from riskgate.linkage.enums import KeyKind
from riskgate.linkage.models import RecordLinkKey, RecurrenceFlag
from riskgate.records.enums import InjurySeverity
from riskgate.records.models import RiskRecord
from riskgate.signals import raising
from riskgate.signals.enums import Severity, SignalKind
from riskgate.signals.models import Signal, SignalRecord
from riskgate.signals.rules import FOREIGN_CHANNELS
from riskgate.signals.series import (
    bind_date,
    clean_value,
    day_expression,
    dimension_columns,
    records_of,
    roots_by_org,
)

DEATH_RULE = N_("Any death or serious injury raises a signal at once ({count} records).")
FOREIGN_RULE = N_("At least {threshold} foreign notices of one product within {days} days "
                  "({count} found).")
RECURRENCE_RULE = N_("Recurrence: {count} records with the same {what} within {days} days.")
RECURRENCE_WHAT = {KeyKind.operator: N_("operator"), KeyKind.hazard_product: N_("hazard and "
                   "product group"), KeyKind.origin_hazard: N_("origin and hazard")}


def _summarise(results: list[tuple[Any, str]]) -> dict[str, int]:
    summary: dict[str, int] = defaultdict(int)
    for _signal, what in results:
        summary[what] += 1
    return dict(summary)


def _key(prefix: str, values: dict[str, Any]) -> str:
    return "|".join([prefix, *(f"{k}={clean_value(v) if v is not None else '*'}"
                               for k, v in values.items())])


# --- death or serious injury -----------------------------------------------------------------


def death_injury(db: Session, now: dt.datetime, rules: dict[str, Any], *,
                 record_ids: Sequence[int] | None = None, since: dt.date | None = None,
                 timezone: str = "Asia/Shanghai") -> dict[str, int]:
    """Raise (or join) a signal for each fatal / serious-injury record not yet behind one."""
    severities = [InjurySeverity(s) for s in rules["death_injury_severities"]]
    columns = dimension_columns()
    already = select(SignalRecord.record_id).join(Signal, Signal.id == SignalRecord.signal_id) \
        .where(Signal.kind == SignalKind.threshold_death_injury)
    stmt = select(RiskRecord.id, RiskRecord.organisation_id, RiskRecord.injury_severity,
                  RiskRecord.product_name, columns["hz"], columns["pr"], columns["or"]).where(
        RiskRecord.injury_severity.in_(severities), RiskRecord.id.not_in(already))
    if record_ids is not None:
        stmt = stmt.where(RiskRecord.id.in_(list(record_ids)))
    if since is not None:
        stmt = stmt.where(day_expression(db, timezone) >= bind_date(db, since))
    root_of = roots_by_org(db)
    groups: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for row in db.execute(stmt.order_by(RiskRecord.id)):
        values = {"hz": row[4], "pr": row[5], "or": row[6]}
        groups[(root_of[row.organisation_id], _key("death", values))].append(row)
    results = []
    for (root_id, key), rows in groups.items():
        fatal = any(r.injury_severity == InjurySeverity.fatal for r in rows)
        hz, pr, origin = rows[0][4], rows[0][5], rows[0][6]
        hit = raising.Hit(
            root_id=root_id, key=key, kind=SignalKind.threshold_death_injury,
            severity=Severity.critical if fatal else Severity.high,
            title=rows[0].product_name or key, record_ids=[r.id for r in rows],
            explanation={"rule": DEATH_RULE, "rule_params": {"count": len(rows)}},
            dims={k: clean_value(v) for k, v in (("hz", hz), ("pr", pr), ("or", origin))
                  if v is not None},
        )  # fmt: skip
        results.append(raising.raise_hit(db, hit, now, rules))
    return _summarise(results)


# --- repeated foreign notices ----------------------------------------------------------------


def foreign_notices(db: Session, now: dt.datetime, as_of: dt.date, rules: dict[str, Any], *,
                    timezone: str) -> dict[str, int]:
    """≥ N foreign notices of one product (hazard + product, or brand + model) in the window."""
    threshold = int(rules["foreign_notices"]["count"])
    days = int(rules["foreign_notices"]["window_days"])
    first = as_of - dt.timedelta(days=days - 1)
    day = day_expression(db, timezone)
    columns = dimension_columns()
    window = (day >= bind_date(db, first), day <= bind_date(db, as_of),
              RiskRecord.source_channel.in_([c.value for c in FOREIGN_CHANNELS]))
    brand, model = func.lower(RiskRecord.brand), func.lower(RiskRecord.model)
    groupings = (
        ("hz", "pr", (columns["hz"], columns["pr"])),
        ("bm", None, (brand, model)),
    )
    root_of = roots_by_org(db)
    roots = {o.id: o for o in db.execute(select(Organisation).where(
        Organisation.parent_id.is_(None))).scalars()}
    results = []
    for _first_dim, second_dim, (a, b) in groupings:
        folded: dict[tuple[int, Any, Any], int] = defaultdict(int)
        stmt = (select(RiskRecord.organisation_id, a, b, func.count())
                .where(*window, a.is_not(None), b.is_not(None))
                .group_by(RiskRecord.organisation_id, a, b))
        for org_id, va, vb, n in db.execute(stmt):
            folded[(root_of[org_id], va, vb)] += int(n)
        for (root_id, va, vb), count in sorted(folded.items(), key=lambda x: str(x[0])):
            if count < threshold or root_id not in roots:
                continue
            if second_dim:
                dims = {"hz": clean_value(va), "pr": clean_value(vb)}
                key, extra = _key("foreign", dims), (a == va, b == vb)
                title = f"{dims['hz']} · {dims['pr']}"
            else:
                dims = {}
                key, extra = _key("foreign", {"bm": f"{va}/{vb}"}), (a == va, b == vb)
                title = f"{va} {vb}"
            record_ids = records_of(db, root_path=roots[root_id].path, key=None, first=first,
                                    last=as_of, timezone=timezone, extra=(*window, *extra))
            hit = raising.Hit(
                root_id=root_id, key=key, kind=SignalKind.threshold_foreign_notices,
                severity=Severity.high if count >= 2 * threshold else Severity.medium,
                title=title, record_ids=record_ids, dims=dims,
                explanation={"rule": FOREIGN_RULE, "rule_params": {
                    "threshold": threshold, "days": days, "count": count}},
            )  # fmt: skip
            results.append(raising.raise_hit(db, hit, now, rules))
    return _summarise(results)


# --- recurrence ------------------------------------------------------------------------------


def recurrence(db: Session, now: dt.datetime, as_of: dt.date, rules: dict[str, Any],
               lookback_days: int = 30) -> dict[str, int]:
    """Raised recurrence flags whose latest record is within `lookback_days` of `as_of`."""
    if not rules["recurrence"].get("enabled", True):
        return {}
    kinds = rules["recurrence"].get("kinds") or [k.value for k in KeyKind]
    cutoff = as_of - dt.timedelta(days=lookback_days)
    rows = db.execute(
        select(RecurrenceFlag.id, RecurrenceFlag.kind, RecurrenceFlag.key, RecurrenceFlag.label,
               RecurrenceFlag.window_days, RecurrenceFlag.last_on, RecordLinkKey.record_id,
               RecordLinkKey.day, RiskRecord.organisation_id)
        .join(RecordLinkKey, (RecordLinkKey.kind == RecurrenceFlag.kind)
              & (RecordLinkKey.key == RecurrenceFlag.key))
        .join(RiskRecord, RiskRecord.id == RecordLinkKey.record_id)
        .where(RecurrenceFlag.raised.is_(True), RecurrenceFlag.last_on >= cutoff,
               RecurrenceFlag.kind.in_(kinds))
        .order_by(RecurrenceFlag.id, RecordLinkKey.record_id)
    ).all()  # fmt: skip
    root_of = roots_by_org(db)
    groups: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for row in rows:
        if row.last_on - dt.timedelta(days=row.window_days) <= row.day <= row.last_on:
            groups[(root_of[row.organisation_id], row.id)].append(row)
    results = []
    for (root_id, _flag_id), members in groups.items():
        flag = members[0]
        kind = KeyKind(flag.kind)
        hit = raising.Hit(
            root_id=root_id, key=f"recur|{kind.value}|{flag.key}", kind=SignalKind.recurrence,
            severity=Severity.medium if kind == KeyKind.operator else Severity.low,
            title=flag.label, record_ids=sorted({m.record_id for m in members}),
            explanation={"rule": RECURRENCE_RULE, "rule_params": {
                "count": len(members), "what": RECURRENCE_WHAT.get(kind, kind.value),
                "days": flag.window_days}},
        )  # fmt: skip
        results.append(raising.raise_hit(db, hit, now, rules))
    return _summarise(results)
