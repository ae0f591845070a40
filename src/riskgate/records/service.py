"""Storing and querying unified risk records.

`store_drafts` is the one place records are written, for file imports and pushed records alike:
it drops exact duplicates (same source channel + external reference, or the same content hash),
hands out record numbers and bulk-inserts the rest. Services flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, String, Table, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.enums import HazardClass, SourceChannel
from riskgate.core.context import Actor
from riskgate.core.db import bulk_insert, is_postgresql, utcnow
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.events import announce
from riskgate.core.i18n import N_
from riskgate.identity.scope import ShareColumns, get_in_scope, scoped
from riskgate.records.events import NewRecord, RecordDrafted, RecordsStored
from riskgate.records.models import RecordEnterprise, RecordSequence, RiskRecord
from riskgate.records.standard import Problems, finish, map_standard

# Records shared by exchange agreements and one-off shares (riskgate.identity.scope): their
# object type and the columns an agreement's filters are matched against.
RECORD_TYPE = "risk_record"
RECORD_SHARE = ShareColumns(hazard=RiskRecord.hazard_class, product=RiskRecord.hs_code,
                            channel=RiskRecord.source_channel, region=RiskRecord.region_code)

HASH_EXCLUDED = frozenset({"enterprises"})
CHUNK = 500
MAX_PUSH = 500


@dataclass(frozen=True)
class Stored:
    """What became of one draft: created, or a duplicate of an existing record."""

    record_id: int | None
    record_number: str | None
    created: bool

    def known(self) -> tuple[int, str]:
        """The record's id and number: `store_drafts` always gives them (a new record, or the
        one the draft duplicates); only `push_records` hides those of records out of scope."""
        if self.record_id is None or self.record_number is None:
            raise ValueError("the stored record's id and number are withheld")
        return self.record_id, self.record_number


def content_hash(channel: SourceChannel | str, draft: dict[str, Any]) -> str:
    """A fingerprint of the normalised content: the same record read twice hashes the same."""
    payload = {k: v for k, v in draft.items() if k not in HASH_EXCLUDED}
    payload["enterprises"] = sorted(
        json.dumps(e, sort_keys=True, default=str) for e in draft.get("enterprises", [])
    )
    text = json.dumps([str(channel), payload], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def allocate_numbers(db: Session, year: int, count: int) -> list[str]:
    """Reserve `count` consecutive record numbers RR-<year>-NNNNNN (locks the year's counter)."""
    if count == 0:
        return []
    stmt = select(RecordSequence).where(RecordSequence.year == year).with_for_update()
    sequence = db.execute(stmt).scalar_one_or_none()
    if sequence is None:
        try:
            with db.begin_nested():
                db.add(RecordSequence(year=year, last_value=0))
        except IntegrityError:
            pass  # another transaction created it first
        sequence = db.execute(stmt).scalar_one()
    first = sequence.last_value + 1
    sequence.last_value += count
    db.flush()
    return [f"RR-{year}-{n:06d}" for n in range(first, first + count)]


def _among(db: Session, column: Any, values: list[str]) -> Any:
    """`column IN values`; on PostgreSQL `= ANY(array)`, one parameter whose plan stays good.

    psycopg prepares a statement run five times; the generic plan of `IN ($1 … $500)` is a
    sequential scan comparing every row with every value (0.2 s per chunk at 20k rows), while
    `= ANY($1)` keeps the index.
    """
    if is_postgresql(db):
        return column == any_(bindparam(None, values, type_=ARRAY(String)))
    return column.in_(values)


def _existing(db: Session, keyed: list[tuple[str, str | None, str]]) -> dict[Any, Stored]:
    """Records already stored under any of the (channel, reference) or hash keys given."""
    found: dict[Any, Stored] = {}
    columns = (RiskRecord.id, RiskRecord.record_number, RiskRecord.source_channel,
               RiskRecord.external_reference, RiskRecord.content_hash)  # fmt: skip
    by_channel: dict[str, list[str]] = {}
    for channel, reference, _hash in keyed:
        if reference:
            by_channel.setdefault(channel, []).append(reference)
    for channel, references in by_channel.items():
        rows = db.execute(
            select(*columns).where(
                RiskRecord.source_channel == channel,
                _among(db, RiskRecord.external_reference, references),
            )
        )
        for row in rows:
            found[(str(row.source_channel), row.external_reference)] = Stored(
                row.id, row.record_number, False
            )
    hashes = [h for _c, _r, h in keyed]
    for row in db.execute(select(*columns).where(_among(db, RiskRecord.content_hash, hashes))):
        found[row.content_hash] = Stored(row.id, row.record_number, False)
    return found


def store_drafts(
    db: Session,
    drafts: Sequence[tuple[dict[str, Any], str | None]],
    *,
    channel: SourceChannel | None,
    organisation_id: int,
    batch_id: int | None = None,
    received_at: dt.datetime | None = None,
) -> list[Stored]:
    """Insert the drafts that are not exact duplicates; one result per draft, in order.

    Each draft is a dict of record fields (from a profile, after `finish`) with its raw payload.
    `channel` overrides the draft's own `source_channel` (feeds have a fixed channel).
    """
    received = received_at or utcnow()
    results: list[Stored | None] = [None] * len(drafts)
    prepared = []
    for draft, raw in drafts:
        source = channel or draft["source_channel"]
        # Hashed before the pipeline completes the draft: a suggestion (which a retrained model
        # may change) must not make the same source row look new.
        digest = content_hash(source, draft)
        prepared.append((str(SourceChannel(source)), draft.get("external_reference"), digest, raw))
    known = _existing(db, [(c, r, h) for c, r, h, _raw in prepared])
    fresh: list[int] = []
    for index, (source, reference, digest, _raw) in enumerate(prepared):
        key = (source, reference) if reference else None
        hit = (known.get(key) if key else None) or known.get(digest)
        if hit is not None:
            results[index] = hit
            continue
        fresh.append(index)
        placeholder = Stored(-1 - index, "", False)  # later copies in this chunk are duplicates
        if key:
            known[key] = placeholder
        known[digest] = placeholder
    for index in fresh:  # only new records: a re-import skips this work
        announce(db, RecordDrafted(drafts[index][0]))
    numbers = allocate_numbers(db, received.year, len(fresh))
    rows = []
    for number, index in zip(numbers, fresh, strict=True):
        draft, raw = drafts[index]
        source, _reference, digest, _raw = prepared[index]
        values = {k: v for k, v in draft.items() if k not in ("enterprises", "source_channel")}
        rows.append({
            **values, "record_number": number, "source_channel": source,
            "organisation_id": organisation_id, "import_batch_id": batch_id,
            "content_hash": digest, "received_at": received, "raw_payload": raw,
        })  # fmt: skip
    # One executemany needs the same keys in every row (drafts of different profiles differ).
    keys = {key for row in rows for key in row}
    rows = [{key: row.get(key) for key in keys} for row in rows]
    ids: list[int] = []
    if rows:
        # A plain executemany, then the ids by record number: with RETURNING in parameter order
        # SQLAlchemy sends one statement per row on SQLite (no sentinel column).
        bulk_insert(db, cast(Table, RiskRecord.__table__), rows)
        found = dict(
            db.execute(
                select(RiskRecord.record_number, RiskRecord.id).where(
                    _among(db, RiskRecord.record_number, numbers)
                )
            ).all()
        )
        ids = [found[number] for number in numbers]
    enterprise_rows = []
    for record_id, number, index in zip(ids, numbers, fresh, strict=True):
        results[index] = Stored(record_id, number, True)
        for item in drafts[index][0].get("enterprises", []):
            enterprise_rows.append({
                "record_id": record_id, "role": item["role"], "uscc": item.get("uscc"),
                "name": item.get("name"), "country": item.get("country"),
            })  # fmt: skip
    if enterprise_rows:
        bulk_insert(db, cast(Table, RecordEnterprise.__table__), enterprise_rows)
    if ids:
        announce(db, RecordsStored([
            NewRecord(record_id, organisation_id, prepared[index][0], drafts[index][0])
            for record_id, index in zip(ids, fresh, strict=True)
        ]))
    # Duplicates of a record created in this same chunk point at it.
    for index, result in enumerate(results):
        if result is not None and result.record_id is not None and result.record_id < 0:
            original = results[-1 - result.record_id]
            assert original is not None
            results[index] = Stored(original.record_id, original.record_number, False)
    db.flush()
    return [r for r in results if r is not None]


def _problems_to_fields(problems: list[dict[str, Any]], prefix: str = "") -> list[FieldProblem]:
    return [
        FieldProblem(f"{prefix}{p['field']}", p["message"], p.get("params") or {}) for p in problems
    ]


def _draft_from_input(data: dict[str, Any], prefix: str,
                      fields: list[FieldProblem]) -> dict[str, Any]:
    problems = Problems()
    draft = finish(map_standard(data, problems), problems)
    fields.extend(_problems_to_fields(problems.items, prefix))
    return draft


def push_records(
    db: Session, actor: Actor, items: list[dict[str, Any]], *, batch: bool = False
) -> list[Stored]:
    """Store records pushed through the API (all valid, or none: 422 naming each bad field).

    Re-sending a record already stored is a no-op that returns the existing record.
    """
    if actor.organisation_id is None:
        raise ValidationFailed(
            fields=[FieldProblem("organisation", N_("Records must belong to an organisation."))]
        )
    if len(items) > MAX_PUSH:
        raise ValidationFailed(
            fields=[FieldProblem("items", N_("At most {max} records per request."),
                                 {"max": MAX_PUSH})]
        )  # fmt: skip
    fields: list[FieldProblem] = []
    drafts = []
    for index, data in enumerate(items):
        prefix = f"items.{index}." if batch else ""
        raw = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
        drafts.append((_draft_from_input(data, prefix, fields), raw))
    if fields:
        raise ValidationFailed(fields=fields)
    results = store_drafts(db, drafts, channel=None, organisation_id=actor.organisation_id)
    results = _hide_out_of_scope(db, actor, results)
    created = [r for r in results if r.created]
    if created:
        audit.record(
            db, actor, "record.create",
            object_type="risk_record",
            object_id=created[0].record_id if len(created) == 1 else None,
            after={
                "records": [r.record_number for r in created][:100],
                "created": len(created),
                "duplicates": len(results) - len(created),
            },
        )  # fmt: skip
    return results


def _hide_out_of_scope(db: Session, actor: Actor, results: list[Stored]) -> list[Stored]:
    """Duplicates of records another organisation holds, outside the actor's scope, answer
    without that record's id and number: the pusher learns the record is known (the source's
    reference is unique platform-wide), not which record it is or whose."""
    duplicate_ids = {r.record_id for r in results if not r.created and r.record_id is not None}
    if not duplicate_ids:
        return results
    visible = set(
        db.execute(
            scoped(select(RiskRecord.id), actor, RiskRecord.organisation_id).where(
                RiskRecord.id.in_(duplicate_ids)
            )
        ).scalars()
    )
    return [
        r if r.created or r.record_id in visible else Stored(None, None, False) for r in results
    ]


def records_statement(
    actor: Actor,
    *,
    channel: SourceChannel | None = None,
    hazard_class: HazardClass | None = None,
    country: str | None = None,
    hs_prefix: str | None = None,
    occurred_from: dt.date | None = None,
    occurred_to: dt.date | None = None,
    batch_id: int | None = None,
) -> Select[Any]:
    """Records the actor may see, filtered; the list route paginates it."""
    stmt = scoped(select(RiskRecord), actor, RiskRecord.organisation_id,
                  object_type=RECORD_TYPE, share=RECORD_SHARE)
    if channel is not None:
        stmt = stmt.where(RiskRecord.source_channel == channel)
    if hazard_class is not None:
        stmt = stmt.where(RiskRecord.hazard_class == hazard_class)
    if country:
        stmt = stmt.where(RiskRecord.origin_country == country.upper())
    if hs_prefix:
        # An index range rather than LIKE: codes are digits only (see identity.scope).
        upper = hs_prefix[:-1] + chr(ord(hs_prefix[-1]) + 1)
        stmt = stmt.where(RiskRecord.hs_code >= hs_prefix, RiskRecord.hs_code < upper)
    if occurred_from is not None:
        stmt = stmt.where(RiskRecord.occurred_on >= occurred_from)
    if occurred_to is not None:
        stmt = stmt.where(RiskRecord.occurred_on <= occurred_to)
    if batch_id is not None:
        stmt = stmt.where(RiskRecord.import_batch_id == batch_id)
    return stmt


def get_record(db: Session, actor: Actor, record_id: int, *, to_act: bool = False
               ) -> RiskRecord:
    return get_in_scope(
        db, RiskRecord, record_id, actor, RiskRecord.organisation_id, object_name=N_("risk record"),
        object_type=RECORD_TYPE, share=RECORD_SHARE, to_act=to_act,
    )
