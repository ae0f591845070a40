"""Full-text index of published warnings for the public portal (SQLite FTS5 / PostgreSQL
tsvector), beside the records' index and built the same way (see riskgate.search.backends).

Not SQLAlchemy models: the table names start with the records' index names
(`search_fts…`, `search_document…`), so tests/core/test_schema.py leaves them out of its
comparison. `riskgate.warnings.search_index.reindex_all` rebuilds it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE search_document_warning ("
            " warning_id INTEGER PRIMARY KEY REFERENCES public_warning (id) ON DELETE CASCADE,"
            " tsv TSVECTOR NOT NULL)"
        )
        op.execute(
            "CREATE INDEX ix_search_document_warning_tsv ON search_document_warning USING gin (tsv)"
        )
        return
    op.execute(
        "CREATE VIRTUAL TABLE search_fts_warning USING fts5("
        "body, tokenize = 'unicode61 remove_diacritics 0')"
    )
    op.execute(
        "CREATE TRIGGER search_fts_warning_deleted AFTER DELETE ON public_warning "
        "BEGIN DELETE FROM search_fts_warning WHERE rowid = old.id; END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS search_document_warning")
        return
    op.execute("DROP TRIGGER IF EXISTS search_fts_warning_deleted")
    op.execute("DROP TABLE IF EXISTS search_fts_warning")
