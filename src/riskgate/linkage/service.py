"""Linking new records to near-duplicates, recurrence flags, and the officer's confirm / split.

`link_new_records` is the `after_store` step: per chunk of new records it writes their keys,
finds candidates by one indexed lookup on the keys, scores the pairs (`linkage.keys`), puts
matches into clusters and updates the recurrence flags of the chunk's keys. It never reads
records that share no key with the chunk.

Clusters may span organisations (a foreign notice imported by HQ and a local complaint), but a
viewer only ever sees the members in their scope, and a cluster only when at least two of its
members are — so neither a cluster nor a score reveals that an out-of-scope record exists.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import bulk_insert, utcnow
from riskgate.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.workflow import move
from riskgate.identity.scope import scope_condition
from riskgate.linkage.enums import (
    BLOCKING_KINDS,
    ClusterStatus,
    KeyKind,
    MemberState,
)
from riskgate.linkage.keys import (
    LINK_THRESHOLD,
    WINDOW_DAYS,
    Facts,
    blocking_keys,
    operator_keys,
    recurrence_keys,
    score_pair,
)
from riskgate.linkage.models import (
    RecordCluster,
    RecordClusterMember,
    RecordLinkKey,
    RecurrenceFlag,
)
from riskgate.linkage.workflow import (
    CLUSTER_FLOW,
    MEMBER_ACTIONS,
    MEMBER_FLOW,
    OBJECT,
    OBJECT_TYPE,
    decidable,
)
from riskgate.records.events import RecordsStored
from riskgate.records.models import RiskRecord

MAX_CANDIDATES_PER_KEY = 50
# Records with the same key within the window that make a flag (RASFF's recurrence check).
THRESHOLDS = {KeyKind.operator: 2, KeyKind.hazard_product: 3, KeyKind.origin_hazard: 3}


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return utcnow().date()


def _group(draft: dict[str, Any]) -> str | None:
    hs = draft.get("hs_code")
    if hs:
        return f"HS{str(hs)[:2]}"
    if draft.get("suggested_hs_chapter"):
        return f"HS{draft['suggested_hs_chapter']}"
    category = draft.get("product_category") or draft.get("suggested_product_category")
    return str(category)[:100].casefold() if category else None


def facts_from_draft(record_id: int, organisation_id: int, draft: dict[str, Any]) -> Facts:
    return Facts(
        record_id=record_id, organisation_id=organisation_id,
        day=_day(draft.get("occurred_on") or draft.get("received_at")),
        product_name=str(draft.get("product_name") or ""), brand=draft.get("brand"),
        model=draft.get("model"), batch=draft.get("batch_number"), barcode=draft.get("barcode"),
        hazard_class=str(draft["hazard_class"]) if draft.get("hazard_class") else None,
        hazard_type=str(draft["hazard_type"]) if draft.get("hazard_type") else None,
        origin=draft.get("origin_country"), product_group=_group(draft),
        operators=operator_keys(draft.get("enterprises") or []),
    )  # fmt: skip


def _facts_of_records(db: Session, ids: Sequence[int]) -> dict[int, Facts]:
    columns = (
        RiskRecord.id, RiskRecord.organisation_id, RiskRecord.occurred_on, RiskRecord.received_at,
        RiskRecord.product_name, RiskRecord.brand, RiskRecord.model, RiskRecord.batch_number,
        RiskRecord.barcode, RiskRecord.hazard_class, RiskRecord.hazard_type,
        RiskRecord.origin_country,
    )  # fmt: skip
    found = {}
    for row in db.execute(select(*columns).where(RiskRecord.id.in_(list(ids)))):
        found[row.id] = Facts(
            record_id=row.id, organisation_id=row.organisation_id,
            day=_day(row.occurred_on or row.received_at), product_name=row.product_name or "",
            brand=row.brand, model=row.model, batch=row.batch_number, barcode=row.barcode,
            hazard_class=str(row.hazard_class) if row.hazard_class else None,
            hazard_type=str(row.hazard_type) if row.hazard_type else None,
            origin=row.origin_country,
        )  # fmt: skip
    return found


# --- the after_store step --------------------------------------------------------------------


def on_records_stored(db: Session, event: RecordsStored) -> None:
    """Follows `record.stored`: write the keys of the new records, link near-duplicates, update
    recurrence flags."""
    created = event.records
    facts = [facts_from_draft(n.record_id, n.organisation_id, n.draft) for n in created]
    key_rows: list[dict[str, Any]] = []
    blocking: dict[int, list[str]] = {}
    recurrence: dict[tuple[KeyKind, str], list[tuple[dt.date, int, str]]] = defaultdict(list)
    for fact in facts:
        for kind, key in blocking_keys(fact):
            key_rows.append({"record_id": fact.record_id, "kind": kind, "key": key,
                             "day": fact.day})  # fmt: skip
            blocking.setdefault(fact.record_id, []).append(key)
        for kind, key, label in recurrence_keys(fact):
            key_rows.append({"record_id": fact.record_id, "kind": kind, "key": key,
                             "day": fact.day})  # fmt: skip
            recurrence[(kind, key)].append((fact.day, fact.record_id, label))
    if key_rows:
        bulk_insert(db, cast(Table, RecordLinkKey.__table__), key_rows)
    if blocking:
        _link(db, [f for f in facts if f.record_id in blocking], blocking)
    if recurrence:
        _update_flags(db, recurrence)


def _link(db: Session, facts: list[Facts], blocking: dict[int, list[str]]) -> None:
    days = [f.day for f in facts]
    low = min(days) - dt.timedelta(days=WINDOW_DAYS)
    high = max(days) + dt.timedelta(days=WINDOW_DAYS)
    keys = sorted({k for ks in blocking.values() for k in ks})
    by_key: dict[str, list[int]] = defaultdict(list)
    stmt = (
        select(RecordLinkKey.key, RecordLinkKey.record_id)
        .where(RecordLinkKey.key.in_(keys), RecordLinkKey.day >= low, RecordLinkKey.day <= high,
               RecordLinkKey.kind.in_([k.value for k in BLOCKING_KINDS]))
        .order_by(RecordLinkKey.id.desc())
    )  # fmt: skip
    for row in db.execute(stmt):
        if len(by_key[row.key]) < MAX_CANDIDATES_PER_KEY:
            by_key[row.key].append(row.record_id)
    new_ids = {f.record_id for f in facts}
    wanted = {r for ids in by_key.values() for r in ids} - new_ids
    known = _facts_of_records(db, sorted(wanted)) if wanted else {}
    known.update({f.record_id: f for f in facts})
    for fact in sorted(facts, key=lambda f: f.record_id):
        candidates = {r for key in blocking[fact.record_id] for r in by_key.get(key, ())}
        # Within a chunk, a record links to the ones stored before it (lower ids).
        candidates = {r for r in candidates if r < fact.record_id or r not in new_ids}
        best: tuple[float, int, list[dict[str, Any]]] | None = None
        for other in sorted(candidates):
            if other == fact.record_id or other not in known:
                continue
            score, reasons = score_pair(fact, known[other])
            if score >= LINK_THRESHOLD and (best is None or score > best[0]):
                best = (score, other, reasons)
        if best is not None:
            _join(db, fact, best[1], best[0], best[2], known[best[1]])


def _active_member(db: Session, record_id: int) -> RecordClusterMember | None:
    return db.execute(
        select(RecordClusterMember).where(
            RecordClusterMember.record_id == record_id,
            RecordClusterMember.state != MemberState.removed,
        )
    ).scalar_one_or_none()


def _join(
    db: Session, fact: Facts, other_id: int, score: float, reasons: list[dict[str, Any]],
    other: Facts,
) -> None:
    """Put `fact` in the cluster of the record it matched, or start one with both."""
    now = utcnow()
    member = _active_member(db, other_id)
    if member is None:
        cluster = RecordCluster(status=ClusterStatus.suggested, score=score)
        db.add(cluster)
        db.flush()
        db.add(RecordClusterMember(
            cluster_id=cluster.id, record_id=other_id, organisation_id=other.organisation_id,
            matched_record_id=fact.record_id, score=score, reasons=reasons,
            state=MemberState.suggested, joined_at=now,
        ))  # fmt: skip
    else:
        cluster = db.get_one(RecordCluster, member.cluster_id)
        cluster.score = max(cluster.score, score)
        if cluster.status != ClusterStatus.suggested:
            # A confirmed cluster that gains a suggested member needs a look again.
            _set_status(db, Actor.system("linkage"), cluster, ClusterStatus.suggested, None)
    db.add(RecordClusterMember(
        cluster_id=cluster.id, record_id=fact.record_id, organisation_id=fact.organisation_id,
        matched_record_id=other_id, score=score, reasons=reasons, state=MemberState.suggested,
        joined_at=now,
    ))  # fmt: skip
    db.flush()


_FLAG_COLUMNS = (
    "id", "kind", "key", "count_in_window", "total_count", "first_record_id", "last_record_id",
    "first_on", "last_on", "raised",
)  # fmt: skip


# What the records of a chunk say about one recurrence key: (day, record id, label) each.
Touched = dict[tuple[KeyKind, str], list[tuple[dt.date, int, str]]]


def _update_flags(db: Session, touched: Touched) -> None:
    """Insert new flags and update touched ones with two executemany statements (no ORM)."""
    table = cast(Table, RecurrenceFlag.__table__)
    keys = sorted({key for _kind, key in touched})
    existing = {
        (KeyKind(row.kind), row.key): dict(row._mapping)
        for row in db.execute(
            select(*(table.c[name] for name in _FLAG_COLUMNS)).where(table.c.key.in_(keys))
        )
    }
    window = dt.timedelta(days=WINDOW_DAYS)
    now = utcnow()
    fresh: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    recount: list[dict[str, Any]] = []
    for (kind, key), items in touched.items():
        items.sort()
        flag = existing.get((kind, key))
        if flag is None:
            last_on = items[-1][0]
            inside = [i for i in items if i[0] >= last_on - window]
            fresh.append({
                "kind": kind, "key": key, "label": items[0][2], "window_days": WINDOW_DAYS,
                "count_in_window": len(inside), "total_count": len(items),
                "first_record_id": inside[0][1], "last_record_id": items[-1][1],
                "first_on": inside[0][0], "last_on": last_on,
                "raised": len(inside) >= THRESHOLDS[kind], "created_at": now, "updated_at": now,
            })  # fmt: skip
            continue
        flag["total_count"] += len(items)
        if items[-1][0] > flag["last_on"]:
            recount.append(flag)  # the window moves: count again from the keys
        else:
            inside = [i for i in items if i[0] >= flag["last_on"] - window]
            flag["count_in_window"] += len(inside)
            if inside and inside[0][0] < flag["first_on"]:
                flag["first_on"], flag["first_record_id"] = inside[0][0], inside[0][1]
        changed.append(flag)
    if recount:
        _recount(db, recount, touched)
    if fresh:
        db.execute(insert(table), fresh)
    if changed:
        for flag in changed:
            flag["raised"] = flag["count_in_window"] >= THRESHOLDS[KeyKind(flag["kind"])]
            flag["updated_at"] = now
        columns = ("count_in_window", "total_count", "first_record_id", "last_record_id",
                   "first_on", "last_on", "raised", "updated_at")  # fmt: skip
        statement = (
            update(table)
            .where(table.c.id == bindparam("flag_id"))
            .values({name: bindparam(f"new_{name}") for name in columns})
        )
        db.execute(statement, [
            {"flag_id": f["id"], **{f"new_{name}": f[name] for name in columns}} for f in changed
        ])  # fmt: skip


def _recount(db: Session, flags: list[dict[str, Any]], touched: Touched) -> None:
    window = dt.timedelta(days=WINDOW_DAYS)
    ends = {flag["key"]: touched[(KeyKind(flag["kind"]), flag["key"])][-1] for flag in flags}
    low = min(end[0] for end in ends.values()) - window
    rows: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
    stmt = select(RecordLinkKey.key, RecordLinkKey.day, RecordLinkKey.record_id).where(
        RecordLinkKey.key.in_(list(ends)), RecordLinkKey.day >= low
    )
    for row in db.execute(stmt):
        rows[row.key].append((row.day, row.record_id))
    for flag in flags:
        end_day, end_record, _label = ends[flag["key"]]
        inside = sorted(r for r in rows[flag["key"]] if end_day - window <= r[0] <= end_day)
        flag["last_on"], flag["last_record_id"] = end_day, end_record
        flag["count_in_window"] = len(inside)
        first = inside[0] if inside else (end_day, end_record)
        flag["first_on"], flag["first_record_id"] = first


# --- what a viewer may see -------------------------------------------------------------------


def _visible_members(actor: Actor) -> Select[Any]:
    stmt = select(RecordClusterMember).where(RecordClusterMember.state != MemberState.removed)
    condition = scope_condition(actor, RecordClusterMember.organisation_id)
    return stmt if condition is None else stmt.where(condition)


def visible_clusters(actor: Actor) -> Select[Any]:
    """Ids of clusters with at least two (non-removed) members in the actor's scope."""
    members = _visible_members(actor).subquery()
    return (
        select(members.c.cluster_id)
        .group_by(members.c.cluster_id)
        .having(func.count() >= 2)
    )


def clusters_statement(actor: Actor, status: ClusterStatus | None = None) -> Select[Any]:
    stmt = select(RecordCluster).where(RecordCluster.id.in_(visible_clusters(actor)))
    if status is not None:
        stmt = stmt.where(RecordCluster.status == status)
    return stmt


@dataclass(frozen=True)
class ClusterView:
    """A cluster as one viewer sees it: only the members (and their reasons) in their scope."""

    cluster: RecordCluster
    members: list[tuple[RecordClusterMember, RiskRecord]]


def get_cluster(db: Session, actor: Actor, cluster_id: int) -> ClusterView:
    found = db.execute(
        clusters_statement(actor).where(RecordCluster.id == cluster_id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(OBJECT)
    return _view(db, actor, found)


def _view(db: Session, actor: Actor, cluster: RecordCluster) -> ClusterView:
    stmt = (
        _visible_members(actor)
        .where(RecordClusterMember.cluster_id == cluster.id)
        .order_by(RecordClusterMember.id)
    )
    members = list(db.execute(stmt).scalars())
    records = {
        r.id: r
        for r in db.execute(
            select(RiskRecord).where(RiskRecord.id.in_([m.record_id for m in members]))
        ).scalars()
    }
    return ClusterView(cluster, [(m, records[m.record_id]) for m in members])


def views(db: Session, actor: Actor, clusters: Sequence[RecordCluster]) -> list[ClusterView]:
    return [_view(db, actor, c) for c in clusters]


def record_cluster(db: Session, actor: Actor, record: RiskRecord) -> ClusterView | None:
    """The cluster of a record the actor may see (call after `records.service.get_record`)."""
    member = _active_member(db, record.id)
    if member is None:
        return None
    try:
        return get_cluster(db, actor, member.cluster_id)
    except NotFound:
        return None  # the other members are out of scope: say nothing about them


@dataclass(frozen=True)
class RecordLinkage:
    cluster: ClusterView | None
    flags: list[RecurrenceFlag]


def record_linkage(db: Session, actor: Actor, record: RiskRecord) -> RecordLinkage:
    """A visible record's cluster (if the actor sees two of its members) and raised flags."""
    return RecordLinkage(record_cluster(db, actor, record), record_flags(db, record.id))


def record_flags(db: Session, record_id: int, *, raised_only: bool = True) -> list[RecurrenceFlag]:
    """The recurrence flags of a record's keys."""
    keys = select(RecordLinkKey.kind, RecordLinkKey.key).where(
        RecordLinkKey.record_id == record_id
    )
    pairs = [(row.kind, row.key) for row in db.execute(keys)]
    if not pairs:
        return []
    stmt = select(RecurrenceFlag).where(RecurrenceFlag.key.in_([key for _k, key in pairs]))
    if raised_only:
        stmt = stmt.where(RecurrenceFlag.raised.is_(True))
    wanted = set(pairs)
    return [f for f in db.execute(stmt.order_by(RecurrenceFlag.id)).scalars()
            if (f.kind, f.key) in wanted]  # fmt: skip


# --- the officer's decisions -----------------------------------------------------------------


def _set_status(
    db: Session, actor: Actor, cluster: RecordCluster, status: ClusterStatus, reason: str | None
) -> None:
    """Move the cluster to the status its members give it (nothing when it has it already)."""
    if cluster.status == status:
        return
    move(db, CLUSTER_FLOW, cluster, status, actor=actor, action="cluster.status", reason=reason)


def _settle(db: Session, actor: Actor, cluster: RecordCluster, reason: str | None) -> None:
    """The cluster's status follows its members: split below two, confirmed when all are."""
    db.flush()
    states = [
        row[0]
        for row in db.execute(
            select(RecordClusterMember.state).where(RecordClusterMember.cluster_id == cluster.id)
        )
    ]
    active = [s for s in states if s != MemberState.removed]
    if len(active) < 2:
        target = ClusterStatus.split
    elif all(s == MemberState.confirmed for s in active):
        target = ClusterStatus.confirmed
    else:
        target = ClusterStatus.suggested
    _set_status(db, actor, cluster, target, reason)


def _decide(db: Session, member: RecordClusterMember, decision: str, actor: Actor,
            reason: str | None) -> bool:
    """Apply the officer's decision ("confirm" or "split") to one member, if it applies to the
    member's state; audited on the member. False when the member is left as it is."""
    if not decidable(member, decision):
        return False
    move(db, MEMBER_FLOW, member, decision, actor=actor, action=MEMBER_ACTIONS[decision],
         reason=reason, decided_at=utcnow(), decided_by_id=actor.user_id,
         decision_reason=reason)
    return True


def confirm(db: Session, actor: Actor, cluster_id: int, reason: str | None) -> ClusterView:
    """Confirm the links of the members the officer can see (those outside stay as they are)."""
    view = get_cluster(db, actor, cluster_id)
    if view.cluster.status == ClusterStatus.split:
        raise Conflict(N_("This cluster was split; it cannot be confirmed."))
    changed = [m.record_id for m, _r in view.members if _decide(db, m, "confirm", actor, reason)]
    audit.record(
        db, actor, "cluster.confirm", object_type=OBJECT_TYPE, object_id=cluster_id,
        after={"confirmed_records": changed}, reason=reason,
    )  # fmt: skip
    _settle(db, actor, view.cluster, reason)
    return _view(db, actor, view.cluster)


def split(
    db: Session, actor: Actor, cluster_id: int, record_id: int | None, reason: str | None
) -> ClusterView:
    """Remove one member (`record_id`) or, without one, every member the officer can see."""
    view = get_cluster(db, actor, cluster_id)
    if record_id is not None:
        chosen = [m for m, _r in view.members if m.record_id == record_id]
        if not chosen:
            raise ValidationFailed(
                fields=[FieldProblem("record_id", N_("This record is not in the cluster."))]
            )
    else:
        chosen = [m for m, _r in view.members]
    removed = [m.record_id for m in chosen if _decide(db, m, "split", actor, reason)]
    audit.record(
        db, actor, "cluster.split", object_type=OBJECT_TYPE, object_id=cluster_id,
        before={"records": removed}, after={"removed_records": removed}, reason=reason,
    )  # fmt: skip
    _settle(db, actor, view.cluster, reason)
    db.flush()
    try:
        return get_cluster(db, actor, cluster_id)
    except NotFound:
        return ClusterView(view.cluster, [])


def pending_count(db: Session, actor: Actor) -> int:
    stmt = clusters_statement(actor, ClusterStatus.suggested)
    return int(db.execute(select(func.count()).select_from(stmt.subquery())).scalar_one())
