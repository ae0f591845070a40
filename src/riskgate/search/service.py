"""Searching risk records: indexing new and existing records, and the query with its filters.

One interface over both databases (`search.backends`). A query is folded and tokenised like the
documents; every term must match; results are ranked (bm25 / ts_rank), then newest first, and
always limited to the actor's data scope by starting from `records.service.records_statement`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Integer, Select, any_, bindparam, exists, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from riskgate.catalog.enums import HazardClass, SourceChannel
from riskgate.core.context import Actor
from riskgate.core.db import is_postgresql
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from riskgate.records import service as records
from riskgate.records.events import RecordsStored
from riskgate.records.models import RecordEnterprise, RiskRecord
from riskgate.search import backends
from riskgate.search.documents import record_text
from riskgate.search.tokens import query_terms

MAX_QUERY = 200
MAX_RANKED = 1000  # ranked results are paged by offset; deeper than this, refine the query
INDEX_CHUNK = 1000
_TEXT_COLUMNS = (
    "id", "record_number", "external_reference", "title", "description", "product_name",
    "brand", "model", "batch_number", "barcode", "hazard_substance", "product_category",
    "origin_country", "notifying_country", "hazard_class", "hazard_type", "hazard_types",
    "hs_code",
)  # fmt: skip


@dataclass(frozen=True)
class RecordFilters:
    """The filters of the record list, search and export (all optional, all combined)."""

    channel: SourceChannel | None = None
    hazard_class: HazardClass | None = None
    country: str | None = None
    hs_prefix: str | None = None
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None
    batch_id: int | None = None
    enterprise: str | None = None  # a USCC, or part of an enterprise's name

    def __post_init__(self) -> None:
        # NUL cannot reach PostgreSQL (text or JSON); it means nothing in a name anyway.
        if self.enterprise is not None:
            object.__setattr__(self, "enterprise", self.enterprise.replace("\x00", "").strip())

    def described(self) -> dict[str, Any]:
        """The filters in use, for the audit trail."""
        return {k: (str(v) if v is not None else None) for k, v in asdict(self).items()
                if v not in (None, "")}  # fmt: skip


# --- indexing -------------------------------------------------------------------------------


def _ids_among(db: Session, column: Any, ids: Sequence[int]) -> Any:
    if is_postgresql(db):
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))
    return column.in_(ids)


def _documents(db: Session, ids: Sequence[int]) -> list[tuple[int, str]]:
    """The index text of each record, loaded in two queries (columns, then enterprises)."""
    columns = [getattr(RiskRecord, name) for name in _TEXT_COLUMNS]
    rows = {
        row.id: dict(row._mapping, enterprises=[])
        for row in db.execute(select(*columns).where(_ids_among(db, RiskRecord.id, ids)))
    }
    enterprises = select(
        RecordEnterprise.record_id, RecordEnterprise.name, RecordEnterprise.uscc,
        RecordEnterprise.country,
    ).where(_ids_among(db, RecordEnterprise.record_id, ids))  # fmt: skip
    for item in db.execute(enterprises):
        rows[item.record_id]["enterprises"].append(dict(item._mapping))
    return [(record_id, record_text(row)) for record_id, row in rows.items()]


def index_records(db: Session, ids: Sequence[int], *, replace: bool = True) -> None:
    """(Re)index the given records; call after changing a record's searchable fields."""
    for start in range(0, len(ids), INDEX_CHUNK):
        backends.store(db, _documents(db, ids[start:start + INDEX_CHUNK]), replace=replace)


def on_records_stored(db: Session, event: RecordsStored) -> None:
    """Follows `record.stored`: index the records just inserted, in the same transaction."""
    index_records(db, [c.record_id for c in event.records], replace=False)


def reindex_all(db: Session, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the records (CLI `riskgate search reindex`); returns count."""
    total = db.execute(select(func.count()).select_from(RiskRecord)).scalar_one()
    backends.clear(db)
    done = 0
    last = 0
    while True:
        ids = list(db.execute(
            select(RiskRecord.id).where(RiskRecord.id > last).order_by(RiskRecord.id)
            .limit(INDEX_CHUNK)
        ).scalars())  # fmt: skip
        if not ids:
            break
        backends.store(db, _documents(db, ids))
        last = ids[-1]
        done += len(ids)
        if progress is not None:
            progress(done, total)
    backends.optimise(db)
    db.flush()
    return done


# --- querying -------------------------------------------------------------------------------


def check_query(query: str | None) -> str | None:
    """The query stripped, None when empty; too long is a 422."""
    if query is None or not query.replace("\x00", "").strip():
        return None
    if len(query) > MAX_QUERY:
        raise ValidationFailed(fields=[FieldProblem(
            "q", N_("The search text may have at most {max} characters."), {"max": MAX_QUERY})])
    return query.replace("\x00", "").strip()


def search_statement(
    db: Session, actor: Actor, query: str | None, filters: RecordFilters
) -> tuple[Select[Any], Subquery | None]:
    """Records in the actor's scope matching the filters and every query term; with the hits
    subquery (for ranking) when there was a query with terms."""
    stmt = records.records_statement(
        actor, channel=filters.channel, hazard_class=filters.hazard_class,
        country=filters.country, hs_prefix=filters.hs_prefix,
        occurred_from=filters.occurred_from, occurred_to=filters.occurred_to,
        batch_id=filters.batch_id,
    )  # fmt: skip
    if filters.enterprise and filters.enterprise.strip():
        value = filters.enterprise.strip()
        pattern = "%" + value.lower().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        stmt = stmt.where(exists().where(
            RecordEnterprise.record_id == RiskRecord.id,
            (RecordEnterprise.uscc == value.upper())
            | func.lower(RecordEnterprise.name).like(pattern, escape="\\"),
        ))  # fmt: skip
    terms = query_terms(query) if query else []
    if not terms:
        return stmt, None
    hits = backends.hits(db, terms)
    return stmt.join(hits, hits.c.record_id == RiskRecord.id), hits


def _encode_offset(offset: int) -> str:
    raw = json.dumps({"ranked": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        offset = json.loads(base64.urlsafe_b64decode(padded.encode()))["ranked"]
        if not isinstance(offset, int) or not 0 <= offset <= MAX_RANKED:
            raise ValueError
        return offset
    except (ValueError, TypeError, KeyError, json.JSONDecodeError) as error:
        raise ValidationFailed(fields=[FieldProblem(
            "cursor", N_("The cursor is not valid; start again from the first page."))]
        ) from error


def ranked_page(
    db: Session, stmt: Select[Any], hits: Subquery, *, limit: int | None, cursor: str | None
) -> tuple[list[RiskRecord], str | None]:
    """One page of ranked results: best match first, then newest; the cursor holds an offset.

    Ranks are not a stable key (they change as records arrive), so ranked results are paged by
    offset, up to MAX_RANKED deep; keyset cursors serve the plain, sorted list.
    """
    size = DEFAULT_LIMIT if limit is None else limit
    if not 1 <= size <= MAX_LIMIT:
        raise ValidationFailed(fields=[FieldProblem(
            "limit", N_("limit must be between 1 and {max}."), {"max": MAX_LIMIT})])
    offset = _decode_offset(cursor)
    ordered = stmt.order_by(hits.c.rank, RiskRecord.id.desc()).offset(offset).limit(size + 1)
    rows = list(db.execute(ordered).unique().scalars())
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        if offset + size < MAX_RANKED:
            next_cursor = _encode_offset(offset + size)
    return rows, next_cursor


def ordered_for_export(stmt: Select[Any], hits: Subquery | None) -> Select[Any]:
    if hits is None:
        return stmt.order_by(RiskRecord.id.desc())
    return stmt.order_by(hits.c.rank, RiskRecord.id.desc())


def count_up_to(db: Session, stmt: Select[Any], cap: int) -> int:
    """How many rows `stmt` yields, counting no further than cap + 1."""
    limited = stmt.with_only_columns(RiskRecord.id).order_by(None).limit(cap + 1).subquery()
    return int(db.execute(select(func.count()).select_from(limited)).scalar_one())


def iterate(db: Session, stmt: Select[Any], chunk: int = 1000) -> Iterator[RiskRecord]:
    """The rows of `stmt` in chunks, without holding them all (exports)."""
    yield from db.execute(stmt.execution_options(yield_per=chunk)).scalars()



# Not occurred_on: it may be empty, and a cursor cannot step over NULLs.
RECORD_SORTS = {
    "id": RiskRecord.id,
    "received_at": RiskRecord.received_at,
    "record_number": RiskRecord.record_number,
}


def list_records(
    db: Session, actor: Actor, query: str | None, filters: RecordFilters, *,
    sort: str | None = None, limit: int | None = None, cursor: str | None = None,
) -> tuple[list[RiskRecord], str | None]:
    """One page of the record list: ranked when there is a query and no explicit sort (offset
    cursor), else keyset-paginated by the sort (newest first by default)."""
    stmt, hits = search_statement(db, actor, check_query(query), filters)
    if hits is not None and sort is None:
        return ranked_page(db, stmt, hits, limit=limit, cursor=cursor)
    return paginate(
        db, stmt, id_column=RiskRecord.id, allowed_sorts=RECORD_SORTS, sort=sort,
        default_sort="-id", limit=limit, cursor=cursor,
    )  # fmt: skip
