"""Opening a signal, or joining an open one (deduplication), or staying quiet (snooze).

Rules, in order, for an alarm or a threshold hit on a series key within a top-level
organisation:

1. an open signal (new, triage, assessment) with the same key takes the new records, its
   last-fired time and count move on, and its severity rises if the new hit is more severe;
2. a statistical alarm also joins an open statistical signal of a *related* key — one that
   refines or rolls up the same cell (every dimension both keys fix is equal) — when they share
   a record, so one burst seen at several roll-up levels makes one signal, not five;
3. a dismissed signal of the same key snoozed until later suppresses the hit, unless the hit is
   more severe than the dismissed signal (e.g. a death after a dismissed count alarm);
4. otherwise a new signal opens, owned by the lowest common ancestor of its records'
   organisations, with a triage deadline by severity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.i18n import N_
from riskgate.identity.models import Organisation
from riskgate.outbox import service as outbox
from riskgate.records.models import RiskRecord
from riskgate.signals.enums import (
    OPEN_STATUSES,
    SEVERITY_RANK,
    Granularity,
    Severity,
    SignalKind,
    SignalStatus,
)
from riskgate.signals.models import Signal, SignalRecord, SignalSequence
from riskgate.signals.officers import officers_for
from riskgate.signals.series import parse_key

SIGNAL_ACTOR = Actor.system("signal-detection")
MAX_ALARMS_KEPT = 20
OPENED_TOPIC = "signal.opened"


@dataclass
class Hit:
    """What a detector found: a key, its kind and severity, the records, and why."""

    root_id: int
    key: str
    kind: SignalKind
    severity: Severity
    title: str
    record_ids: Sequence[int]
    granularity: Granularity | None = None
    algorithm: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    explanation: dict[str, Any] = field(default_factory=dict)
    dims: dict[str, str] = field(default_factory=dict)


def allocate_number(db: Session, year: int) -> str:
    stmt = select(SignalSequence).where(SignalSequence.year == year).with_for_update()
    sequence = db.execute(stmt).scalar_one_or_none()
    if sequence is None:
        try:
            with db.begin_nested():
                db.add(SignalSequence(year=year, last_value=0))
        except IntegrityError:
            pass  # created by another transaction first
        sequence = db.execute(stmt).scalar_one()
    sequence.last_value += 1
    db.flush()
    return f"SG-{year}-{sequence.last_value:04d}"


def owning_organisation(db: Session, record_ids: Sequence[int], root_id: int) -> int:
    """The lowest common ancestor of the records' organisations (the root if none)."""
    if not record_ids:
        return root_id
    paths = list(db.execute(
        select(Organisation.path).distinct()
        .join(RiskRecord, RiskRecord.organisation_id == Organisation.id)
        .where(RiskRecord.id.in_(list(record_ids)))).scalars())  # fmt: skip
    common: list[str] | None = None
    for path in paths:
        parts = path.strip("/").split("/")
        if common is None:
            common = parts
            continue
        n = 0
        while n < min(len(common), len(parts)) and common[n] == parts[n]:
            n += 1
        common = common[:n]
    return int(common[-1]) if common else root_id


def _related(a: str, b: str) -> bool:
    granularity_a, fixed_a = parse_key(a)
    granularity_b, fixed_b = parse_key(b)
    if granularity_a != granularity_b:
        return False
    shared = fixed_a.keys() & fixed_b.keys()
    return bool(shared) and all(fixed_a[d] == fixed_b[d] for d in shared)


def _record_ids(db: Session, signal_id: int) -> set[int]:
    return set(db.execute(select(SignalRecord.record_id)
                          .where(SignalRecord.signal_id == signal_id)).scalars())


def _records_behind_key(db: Session, hit: Hit) -> set[int]:
    return set(db.execute(
        select(SignalRecord.record_id).join(Signal, Signal.id == SignalRecord.signal_id)
        .where(Signal.root_organisation_id == hit.root_id, Signal.series_key == hit.key)
    ).scalars())  # fmt: skip


def add_records(db: Session, signal: Signal, record_ids: Sequence[int], now: dt.datetime) -> int:
    """Attach records not yet behind the signal; returns how many were new."""
    have = _record_ids(db, signal.id)
    new = [r for r in dict.fromkeys(record_ids) if r not in have]
    for record_id in new:
        db.add(SignalRecord(signal_id=signal.id, record_id=record_id, added_at=now))
    db.flush()
    signal.record_count = int(db.execute(
        select(func.count()).select_from(SignalRecord)
        .where(SignalRecord.signal_id == signal.id)).scalar_one())  # fmt: skip
    return len(new)


def deadline_for(severity: Severity, now: dt.datetime, rules: dict[str, Any]) -> dt.datetime:
    return now + dt.timedelta(hours=float(rules["deadline_hours"][severity.value]))


def _alarm_entry(hit: Hit, now: dt.datetime) -> dict[str, Any]:
    entry = {"at": now.isoformat(), "key": hit.key, "kind": hit.kind.value,
             "severity": hit.severity.value, "records": len(hit.record_ids)}
    for name in ("rule", "observed", "upperbound", "period", "algorithm"):
        if name in hit.explanation:
            entry[name] = hit.explanation[name]
    return entry


def _merged_target(db: Session, hit: Hit) -> Signal | None:
    """The open signal that a merged signal of this key was merged into (following a chain)."""
    merged = db.execute(select(Signal).where(
        Signal.root_organisation_id == hit.root_id, Signal.series_key == hit.key,
        Signal.status == SignalStatus.merged).order_by(Signal.id.desc())).scalars().first()
    seen: set[int] = set()
    while merged is not None and merged.merged_into_id and merged.id not in seen:
        seen.add(merged.id)
        merged = db.get(Signal, merged.merged_into_id)
        if merged is not None and merged.status in OPEN_STATUSES:
            return merged
    return None


def _find_open(db: Session, hit: Hit) -> Signal | None:
    same = db.execute(select(Signal).where(
        Signal.root_organisation_id == hit.root_id, Signal.series_key == hit.key,
        Signal.status.in_(list(OPEN_STATUSES))).order_by(Signal.id)).scalars().first()
    if same is None:
        same = _merged_target(db, hit)
    if same is not None or hit.kind != SignalKind.statistical or not hit.record_ids:
        return same
    candidates = db.execute(select(Signal).where(
        Signal.root_organisation_id == hit.root_id, Signal.kind == SignalKind.statistical,
        Signal.status.in_(list(OPEN_STATUSES))).order_by(Signal.id)).scalars()
    wanted = set(hit.record_ids)
    for candidate in candidates:
        if _related(candidate.series_key, hit.key) and _record_ids(db, candidate.id) & wanted:
            return candidate
    return None


def _snoozed(db: Session, hit: Hit, now: dt.datetime) -> Signal | None:
    return db.execute(select(Signal).where(
        Signal.root_organisation_id == hit.root_id, Signal.series_key == hit.key,
        Signal.status == SignalStatus.dismissed, Signal.snoozed_until > now,
    ).order_by(Signal.snoozed_until.desc())).scalars().first()  # fmt: skip


def raise_hit(db: Session, hit: Hit, now: dt.datetime,
              rules: dict[str, Any]) -> tuple[Signal | None, str]:
    """Apply the rules above; returns the signal and what happened: opened, joined, snoozed or
    unchanged (a re-run seeing only records already behind the key's signals)."""
    signal = _find_open(db, hit)
    if signal is not None:
        if not set(hit.record_ids) - _record_ids(db, signal.id) and (
                SEVERITY_RANK[hit.severity] <= SEVERITY_RANK[signal.severity]):
            return signal, "unchanged"  # the same records again (a re-run): nothing new
        return signal, _join(db, signal, hit, now, rules)
    if hit.record_ids and not set(hit.record_ids) - _records_behind_key(db, hit):
        return None, "unchanged"  # already decided on (dismissed): only new records reopen
    snoozed = _snoozed(db, hit, now)
    if snoozed is not None and SEVERITY_RANK[hit.severity] <= SEVERITY_RANK[snoozed.severity]:
        return None, "snoozed"
    return _open(db, hit, now, rules), "opened"


def _join(db: Session, signal: Signal, hit: Hit, now: dt.datetime, rules: dict[str, Any]) -> str:
    before = signal.snapshot() | {"last_fired_at": signal.last_fired_at}
    added = add_records(db, signal, hit.record_ids, now)
    signal.last_fired_at = now
    signal.fire_count += 1
    if SEVERITY_RANK[hit.severity] > SEVERITY_RANK[signal.severity]:
        signal.severity = hit.severity
        sooner = deadline_for(hit.severity, now, rules)
        if signal.deadline_at is None or sooner < signal.deadline_at:
            signal.deadline_at = sooner
            signal.overdue_notified_at = None
    signal.organisation_id = owning_organisation(
        db, list(_record_ids(db, signal.id)), signal.root_organisation_id)
    explanation = dict(signal.explanation or {})
    explanation["alarms"] = [*explanation.get("alarms", []), _alarm_entry(hit, now)][
        -MAX_ALARMS_KEPT:]
    signal.explanation = explanation
    db.flush()
    old, new = audit.diff(before, signal.snapshot() | {"last_fired_at": signal.last_fired_at})
    audit.record(db, SIGNAL_ACTOR, "signal.joined", object_type="signal", object_id=signal.id,
                 before=old, after=new | {"key": hit.key, "records_added": added},
                 organisation_id=signal.organisation_id)
    return "joined"


def _open(db: Session, hit: Hit, now: dt.datetime, rules: dict[str, Any]) -> Signal:
    dims = hit.dims or (parse_key(hit.key)[1] if hit.key.startswith(("w|", "d|")) else {})
    signal = Signal(
        number=allocate_number(db, now.year), root_organisation_id=hit.root_id,
        organisation_id=owning_organisation(db, hit.record_ids, hit.root_id),
        status=SignalStatus.new, severity=hit.severity, kind=hit.kind, title=hit.title[:300],
        series_key=hit.key[:300], granularity=hit.granularity,
        hazard_class=dims.get("hz"), product=dims.get("pr"), origin_country=dims.get("or"),
        source_channel=dims.get("sc"), region_code=dims.get("rg"), algorithm=hit.algorithm,
        parameters=hit.parameters, explanation={**hit.explanation,
                                                "alarms": [_alarm_entry(hit, now)]},
        first_fired_at=now, last_fired_at=now, fire_count=1, record_count=0,
        deadline_at=deadline_for(hit.severity, now, rules),
    )  # fmt: skip
    db.add(signal)
    db.flush()
    add_records(db, signal, hit.record_ids, now)
    audit.record(db, SIGNAL_ACTOR, "signal.opened", object_type="signal", object_id=signal.id,
                 after={"number": signal.number, "kind": signal.kind, "key": signal.series_key,
                        **signal.snapshot()}, organisation_id=signal.organisation_id)
    if signal.severity in (Severity.high, Severity.critical):
        _notify_opened(db, signal)
    return signal


def _notify_opened(db: Session, signal: Signal) -> None:
    for user in officers_for(db, signal):
        outbox.notify_user(
            db, user, topic=OPENED_TOPIC, subject=N_("New signal {number}: {title}"),
            body=N_("A {severity} signal was raised: {title}. Triage it before {deadline}."),
            params={"number": signal.number, "title": signal.title,
                    "severity": signal.severity.value,
                    "deadline": signal.deadline_at.strftime("%Y-%m-%d %H:%M UTC")
                    if signal.deadline_at else ""},
            link=f"/console/signals/{signal.id}", dedupe_key=f"signal:{signal.id}:opened:{user.id}",
        )  # fmt: skip
