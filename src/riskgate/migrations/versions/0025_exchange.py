"""Issue 13 slot 0025 (exchange): exchange agreements and their terms; one-off shares get a kind,
a reason and the sharing organisation.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import riskgate.core.db

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=False),
        sa.Column("access", sa.Enum("read", "act", name="exchangeaccess", native_enum=False,
                                    length=10), nullable=False),
        sa.Column("status", sa.Enum("proposed", "accepted", "rejected", "revoked",
                                    name="agreementstatus", native_enum=False, length=20),
                  nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("proposed_by_org_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_user_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", riskgate.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("created_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["organisation.id"],
                                name=op.f("fk_exchange_agreement_provider_id_organisation")),
        sa.ForeignKeyConstraint(["receiver_id"], ["organisation.id"],
                                name=op.f("fk_exchange_agreement_receiver_id_organisation")),
        sa.ForeignKeyConstraint(["proposed_by_org_id"], ["organisation.id"],
                                name=op.f("fk_exchange_agreement_proposed_by_org_id_organisation")),
        sa.ForeignKeyConstraint(["proposed_by_user_id"], ["app_user.id"],
                                name=op.f("fk_exchange_agreement_proposed_by_user_id_app_user")),
        sa.ForeignKeyConstraint(["decided_by_user_id"], ["app_user.id"],
                                name=op.f("fk_exchange_agreement_decided_by_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_agreement")),
    )
    op.create_index(op.f("ix_exchange_agreement_provider_id"), "exchange_agreement",
                    ["provider_id"], unique=False)
    op.create_index("ix_exchange_agreement_receiver_status", "exchange_agreement",
                    ["receiver_id", "status"], unique=False)
    op.create_table(
        "agreement_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.Enum("category", "hazard", "product", "channel", "region",
                                       name="termdimension", native_enum=False, length=20),
                  nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["exchange_agreement.id"],
                                name=op.f("fk_agreement_term_agreement_id_exchange_agreement"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_term")),
    )
    op.create_index("ix_agreement_term_lookup", "agreement_term",
                    ["agreement_id", "dimension", "code"], unique=False)
    # Nothing points at scope_grant, so batch mode (SQLite recreates the table) is safe here.
    with op.batch_alter_table("scope_grant", schema=None) as batch:
        batch.add_column(sa.Column("kind", sa.Enum("transfer", "copy", "routed", name="sharekind",
                                                   native_enum=False, length=20),
                                   server_default="copy", nullable=False))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("granted_by_org_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_scope_grant_granted_by_org_id_organisation"),
                                 "organisation", ["granted_by_org_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("scope_grant", schema=None) as batch:
        batch.drop_constraint(batch.f("fk_scope_grant_granted_by_org_id_organisation"),
                              type_="foreignkey")
        batch.drop_column("granted_by_org_id")
        batch.drop_column("reason")
        batch.drop_column("kind")
    op.drop_index("ix_agreement_term_lookup", table_name="agreement_term")
    op.drop_table("agreement_term")
    op.drop_index("ix_exchange_agreement_receiver_status", table_name="exchange_agreement")
    op.drop_index(op.f("ix_exchange_agreement_provider_id"), table_name="exchange_agreement")
    op.drop_table("exchange_agreement")
