"""Search index over risk records (SQLite FTS5 / PostgreSQL tsvector).

Not SQLAlchemy models (see riskgate.search.backends): an FTS5 table on SQLite, a table with a
tsvector column and a GIN index on PostgreSQL. Existing records are indexed by
`riskgate search reindex`.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE search_document ("
            " record_id INTEGER PRIMARY KEY REFERENCES risk_record (id) ON DELETE CASCADE,"
            " tsv TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX ix_search_document_tsv ON search_document USING gin (tsv)")
        return
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "body, tokenize = 'unicode61 remove_diacritics 0')"
    )
    op.execute(
        "CREATE TRIGGER search_fts_record_deleted AFTER DELETE ON risk_record "
        "BEGIN DELETE FROM search_fts WHERE rowid = old.id; END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS search_document")
        return
    op.execute("DROP TRIGGER IF EXISTS search_fts_record_deleted")
    op.execute("DROP TABLE IF EXISTS search_fts")
