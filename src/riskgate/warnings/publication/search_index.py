"""Full-text index of published warnings (portal search), in Chinese and English.

The same analysis as the records' index (`riskgate.search`): text folded (NFKC, case,
traditional → simplified) and segmented with jieba into words plus single Chinese characters;
queries become the same terms, every one of which must match. One row per published warning:

- SQLite: `search_fts_warning`, an FTS5 table, rowid = warning id (a trigger drops the row when
  the warning is deleted).
- PostgreSQL: `search_document_warning(warning_id, tsv)` with a GIN index.

What is indexed: number, title and title_en, summary and summary_en, hazard, the products'
name, brand, model, category and barcode, and the catalogue names (zh and en) of the origin
countries, so that "德国" finds an English notice about Germany and "Germany" a Chinese one.
Only published warnings are in the index; `index_warning` runs after publication and every
follow-up (publication.service.on_warning_issued follows `warning.issued`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Float, Integer, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from riskgate.core.db import is_postgresql
from riskgate.search.backends import fts5_query, tsquery, tsvector
from riskgate.search.documents import labels
from riskgate.search.tokens import Term, document_text, query_terms
from riskgate.warnings.enums import PUBLISHED_STATES
from riskgate.warnings.models import PublicWarning, WarningProduct

FTS_TABLE = "search_fts_warning"
PG_TABLE = "search_document_warning"
REINDEX_CHUNK = 1000


def warning_text(warning: PublicWarning, products: Sequence[WarningProduct]) -> str:
    """The index text of one warning (its words, then its Chinese characters)."""
    parts: list[str | None] = [
        warning.number, warning.title, warning.title_en, warning.summary, warning.summary_en,
        warning.hazard,
    ]
    for product in products:
        parts += [product.name, product.brand, product.model, product.category, product.barcode]
    own = document_text(parts)
    catalogue = " ".join(
        labels({"origin_country": code}) for code in (warning.origin_countries or [])
    ).strip()
    hazard = labels({"hazard_class": warning.hazard_class}) if warning.hazard_class else ""
    return " ".join(p for p in (own, catalogue, hazard) if p)


def _delete(db: Session, warning_ids: Sequence[int]) -> None:
    if not warning_ids:
        return
    if is_postgresql(db):
        db.execute(text(f"DELETE FROM {PG_TABLE} WHERE warning_id = :id"),
                   [{"id": i} for i in warning_ids])
    else:
        db.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"),
                   [{"id": i} for i in warning_ids])


def store(db: Session, documents: Sequence[tuple[int, str]]) -> None:
    """Replace the index rows of these warnings (warning id, index text): one executemany."""
    if not documents:
        return
    if is_postgresql(db):
        db.execute(
            text(f"INSERT INTO {PG_TABLE} (warning_id, tsv) VALUES (:id, CAST(:tsv AS tsvector))"
                 " ON CONFLICT (warning_id) DO UPDATE SET tsv = EXCLUDED.tsv"),
            [{"id": warning_id, "tsv": tsvector(body)} for warning_id, body in documents],
        )
        return
    _delete(db, [warning_id for warning_id, _body in documents])
    db.execute(text(f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (:id, :body)"),
               [{"id": warning_id, "body": body} for warning_id, body in documents])


def _products(db: Session, warning_ids: Sequence[int]) -> dict[int, list[WarningProduct]]:
    found: dict[int, list[WarningProduct]] = {i: [] for i in warning_ids}
    rows = db.execute(select(WarningProduct).where(WarningProduct.warning_id.in_(warning_ids))
                      .order_by(WarningProduct.warning_id, WarningProduct.position))
    for product in rows.scalars():
        found[product.warning_id].append(product)
    return found


def index_warning(db: Session, warning: PublicWarning) -> None:
    """(Re)index a warning in the caller's transaction: published ones are (re)written, any other
    state is dropped from the index. Run after publication and every follow-up."""
    db.flush()
    if warning.status not in PUBLISHED_STATES:
        _delete(db, [warning.id])
        return
    store(db, [(warning.id, warning_text(warning, _products(db, [warning.id])[warning.id]))])


def reindex_all(db: Session) -> int:
    """Rebuild the whole index from the published warnings; returns how many were indexed."""
    db.execute(text(f"DELETE FROM {PG_TABLE if is_postgresql(db) else FTS_TABLE}"))
    done = 0
    last = 0
    while True:
        warnings = list(db.execute(
            select(PublicWarning).where(PublicWarning.id > last,
                                        PublicWarning.status.in_(PUBLISHED_STATES),
                                        PublicWarning.published_at.is_not(None))
            .order_by(PublicWarning.id).limit(REINDEX_CHUNK)
        ).scalars())  # fmt: skip
        if not warnings:
            break
        products = _products(db, [w.id for w in warnings])
        store(db, [(w.id, warning_text(w, products[w.id])) for w in warnings])
        last = warnings[-1].id
        done += len(warnings)
        db.expunge_all()
    if is_postgresql(db):
        db.execute(text(f"ANALYZE {PG_TABLE}"))
    else:
        db.execute(text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')"))
    return done


def hits(db: Session, terms: Sequence[Term]) -> Subquery:
    """The warnings matching every term: a subquery of (warning_id, rank), lower = better."""
    if is_postgresql(db):
        stmt = text(
            f"SELECT warning_id, -ts_rank(tsv, CAST(:words AS tsquery)) AS rank FROM {PG_TABLE}"
            " WHERE tsv @@ CAST(:query AS tsquery)"
        ).bindparams(query=tsquery(terms), words=" | ".join(_lexeme(t.word) for t in terms))
    else:
        stmt = text(
            f"SELECT rowid AS warning_id, bm25({FTS_TABLE}) AS rank FROM {FTS_TABLE}"
            f" WHERE {FTS_TABLE} MATCH :query"
        ).bindparams(query=fts5_query(terms))
    return stmt.columns(warning_id=Integer, rank=Float).subquery("warning_hits")


def _lexeme(token: str) -> str:
    return tsquery([Term(token)])


def search_warning_ids(db: Session, query: str) -> list[int]:
    """Ids of the indexed warnings matching every term of `query` (best first); [] for no
    terms. For lists, join `hits` instead."""
    terms = query_terms(query)
    if not terms:
        return []
    found = hits(db, terms)
    return list(db.execute(select(found.c.warning_id).order_by(found.c.rank,
                                                               found.c.warning_id.desc()))
                .scalars())
