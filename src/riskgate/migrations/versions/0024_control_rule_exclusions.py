"""Control rules remember the enterprise codes that accepted lifting petitions took out of them
(`control_rule.excluded_enterprise_codes`), so that re-deriving a rule from its warning reads only
the border's own data; filled from the petitions accepted so far.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def _normalise(code: str) -> str:
    """As riskgate.border.codes.normalise_enterprise_code (copied: a migration keeps its rules)."""
    return "".join(code.split()).upper()


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite has it too), not a batch copy of the table: recreating
    # control_rule would fire ON DELETE SET NULL on lifting_petition.control_rule_id.
    op.add_column("control_rule", sa.Column("excluded_enterprise_codes", sa.JSON(),
                                            nullable=False, server_default=sa.text("'[]'")))
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT p.control_rule_id, o.uscc, o.foreign_registration_number "
        "FROM lifting_petition p JOIN organisation o ON o.id = p.organisation_id "
        "WHERE p.status = 'accepted' AND p.control_rule_id IS NOT NULL")).all()
    excluded: dict[int, set[str]] = {}
    for rule_id, uscc, foreign in rows:
        excluded.setdefault(rule_id, set()).update(_normalise(c) for c in (uscc, foreign) if c)
    rule = sa.table("control_rule", sa.column("id", sa.Integer),
                    sa.column("excluded_enterprise_codes", sa.JSON))
    for rule_id, codes in excluded.items():
        connection.execute(rule.update().where(rule.c.id == rule_id).values(
            excluded_enterprise_codes=sorted(codes)))


def downgrade() -> None:
    # DROP COLUMN in place on both databases (SQLite 3.35+), for the same reason.
    op.execute("ALTER TABLE control_rule DROP COLUMN excluded_enterprise_codes")
