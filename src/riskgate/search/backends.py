"""The search index on each database: SQLite FTS5 and PostgreSQL tsvector, one interface.

Both hold one row per risk record, keyed by its id, with the tokens of `search.tokens` (already
folded and segmented: the databases only split on spaces and never parse Chinese).

- SQLite: `search_fts`, an FTS5 table (`unicode61` over our tokens), rowid = record id; ranked by
  `bm25()`. A trigger drops a record's row when the record is deleted.
- PostgreSQL: `search_document(record_id, tsv)` with a GIN index; the tsvector is built from our
  tokens with their positions (a `tsvector` literal, so the database's text parser and locale
  never see the Chinese), ranked by `ts_rank`.

Neither is an SQLAlchemy model: the migration creates them and `tests/core/test_schema.py`
leaves them out of its comparison (`SEARCH_TABLES`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Float, Integer, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from riskgate.core.db import is_postgresql
from riskgate.search.tokens import Term

# Tables of the search index (and FTS5's shadow tables, which all start with "search_fts").
SEARCH_TABLES = ("search_fts", "search_document")
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position


def _fts_phrase(tokens: Sequence[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def fts5_query(terms: Sequence[Term]) -> str:
    """An FTS5 MATCH expression requiring every term (a word, or else its characters' phrase)."""
    parts = []
    for term in terms:
        word = _fts_phrase([term.word])
        parts.append(f"({word} OR {_fts_phrase(term.chars)})" if term.chars else word)
    return " AND ".join(parts)


def _lexeme(token: str) -> str:
    if "'" in token or "\\" in token:
        token = token.replace("\\", "\\\\").replace("'", "''")
    return f"'{token}'"


def tsquery(terms: Sequence[Term]) -> str:
    """A tsquery literal requiring every term (a word, or else its characters' phrase)."""
    parts = []
    for term in terms:
        word = _lexeme(term.word)
        if term.chars:
            phrase = " <-> ".join(_lexeme(c) for c in term.chars)
            parts.append(f"({word} | ({phrase}))")
        else:
            parts.append(word)
    return " & ".join(parts)


def tsvector(document: str) -> str:
    """A tsvector literal of a document's tokens with their positions (ranking counts them; the
    phrase of a term's characters is matched with `<->`): at most 256 positions per token, the
    last ones capped at PostgreSQL's 16383."""
    positions: dict[str, list[int]] = {}
    for index, token in enumerate(document.split(), start=1):
        where = positions.get(token)
        if where is None:
            positions[token] = [min(index, MAX_POSITION)]
        elif len(where) < 256 and index <= MAX_POSITION:
            where.append(index)
    return " ".join(f"{_lexeme(t)}:{','.join(map(str, w))}" for t, w in positions.items())


def store(db: Session, documents: Sequence[tuple[int, str]], *, replace: bool = False) -> None:
    """Index documents (record id, index text): one executemany; `replace` drops old rows first."""
    if not documents:
        return
    if is_postgresql(db) and not replace:
        # New records (the import path): COPY parses each tsvector literal as CAST would.
        connection = db.connection().connection.dbapi_connection
        with (
            connection.cursor() as cursor,  # type: ignore[union-attr]  # checked out: never None
            cursor.copy("COPY search_document (record_id, tsv) FROM STDIN") as copy,
        ):
            for record_id, body in documents:
                copy.write_row((record_id, tsvector(body)))
        return
    if is_postgresql(db):
        db.execute(
            text(
                "INSERT INTO search_document (record_id, tsv) VALUES (:id, CAST(:tsv AS tsvector))"
                " ON CONFLICT (record_id) DO UPDATE SET tsv = EXCLUDED.tsv"
            ),
            [{"id": record_id, "tsv": tsvector(body)} for record_id, body in documents],
        )
        return
    if replace:
        db.execute(
            text("DELETE FROM search_fts WHERE rowid = :id"),
            [{"id": record_id} for record_id, _body in documents],
        )
    db.execute(
        text("INSERT INTO search_fts (rowid, body) VALUES (:id, :body)"),
        [{"id": record_id, "body": body} for record_id, body in documents],
    )


def clear(db: Session) -> None:
    """Empty the index (before a full rebuild)."""
    if is_postgresql(db):
        db.execute(text("TRUNCATE search_document"))
    else:
        db.execute(text("DELETE FROM search_fts"))


def optimise(db: Session) -> None:
    """Merge the index after a bulk load (FTS5 segments; PostgreSQL statistics)."""
    if is_postgresql(db):
        db.execute(text("ANALYZE search_document"))
    else:
        db.execute(text("INSERT INTO search_fts (search_fts) VALUES ('optimize')"))


def hits(db: Session, terms: Sequence[Term]) -> Subquery:
    """The records matching every term: a subquery of (record_id, rank), lower rank = better."""
    if is_postgresql(db):
        # Ranked by the words alone: ts_rank over the phrase alternatives costs twice as much
        # and adds nothing (a phrase-only match simply ranks lower). Sorted inside, so that the
        # planner walks the hits in rank order and stops at the page (nested loop + LIMIT)
        # instead of sorting wide rows or hashing the whole record table.
        stmt = text(
            "SELECT record_id, -ts_rank(tsv, CAST(:words AS tsquery)) AS rank"
            " FROM search_document WHERE tsv @@ CAST(:query AS tsquery)"
            " ORDER BY rank, record_id DESC"
        ).bindparams(query=tsquery(terms), words=" | ".join(_lexeme(t.word) for t in terms))
    else:
        stmt = text(
            "SELECT rowid AS record_id, bm25(search_fts) AS rank"
            " FROM search_fts WHERE search_fts MATCH :query"
        ).bindparams(query=fts5_query(terms))
    return stmt.columns(record_id=Integer, rank=Float).subquery("search_hits")


def count(db: Session) -> int:
    table = "search_document" if is_postgresql(db) else "search_fts"
    return int(db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
