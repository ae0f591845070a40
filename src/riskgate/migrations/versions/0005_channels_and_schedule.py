"""Channels: scheduled jobs, feed subscriptions, channel health, quarterly unit submissions.

scheduled_job holds the shared state of the jobs registered in code (core/schedule.py);
feed_subscription the polled addresses; submission_unit and quarterly_submission the M5 unit
submissions; channel_expectation and channel_silence the M3 channel-health check.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import riskgate.core.db
from riskgate.catalog.enums import SourceChannel

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Enums are VARCHAR without a CHECK constraint (native_enum=False): the values only document.
_CHANNELS = tuple(c.value for c in SourceChannel)
_NOW = sa.text("(CURRENT_TIMESTAMP)")


def _channel() -> sa.Enum:
    return sa.Enum(*_CHANNELS, name="sourcechannel", native_enum=False, length=40)


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=_NOW, nullable=False),
        sa.Column("updated_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=_NOW, nullable=False),
    ]


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, riskgate.core.db.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "scheduled_job",
        sa.Column("name", sa.String(length=100), nullable=False),
        _when("next_due", nullable=False),
        _when("last_started"),
        _when("last_finished"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_summary", sa.JSON(), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        _when("lease_until"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduled_job")),
    )
    op.create_table(
        "channel_expectation",
        sa.Column("source_channel", _channel(), nullable=False),
        sa.Column("cadence_days", sa.Integer(), nullable=False),
        sa.Column("monitored", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("source_channel", name=op.f("pk_channel_expectation")),
    )
    op.create_table(
        "channel_silence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_channel", _channel(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        _when("last_record_at", nullable=False),
        sa.Column("cadence_days", sa.Integer(), nullable=False),
        _when("detected_at", nullable=False),
        _when("cleared_at"),
        sa.Column("notified_users", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_channel_silence_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_silence")),
    )
    with op.batch_alter_table("channel_silence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_silence_organisation_id"),
                              ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_channel_silence_source_channel"),
                              ["source_channel"], unique=False)

    op.create_table(
        "submission_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_submission_unit_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_unit")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_submission_unit_organisation_id")),
    )
    op.create_table(
        "quarterly_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("status", sa.Enum("missing", "submitted", "late", name="submissionstatus",
                                    native_enum=False, length=10), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        _when("submitted_at"),
        sa.Column("submitted_by", sa.String(length=100), nullable=True),
        sa.Column("batch_ids", sa.JSON(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"],
            name=op.f("fk_quarterly_submission_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarterly_submission")),
        sa.UniqueConstraint("organisation_id", "year", "quarter",
                            name=op.f("uq_quarterly_submission_organisation_id_year_quarter")),
    )
    with op.batch_alter_table("quarterly_submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarterly_submission_organisation_id"),
                              ["organisation_id"], unique=False)

    op.create_table(
        "feed_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("format", sa.Enum("atom", "rss", "json", name="feedformat", native_enum=False,
                                    length=10), nullable=False),
        sa.Column("source_channel", _channel(), nullable=False),
        sa.Column("poll_minutes", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("defaults", sa.JSON(), nullable=False),
        sa.Column("field_map", sa.JSON(), nullable=False),
        _when("next_poll_at"),
        _when("last_polled_at"),
        _when("last_success_at"),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("last_sha256", sa.String(length=64), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_batch_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["last_batch_id"], ["import_batch.id"],
                                name=op.f("fk_feed_subscription_last_batch_id_import_batch"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_feed_subscription_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_subscription")),
    )
    with op.batch_alter_table("feed_subscription", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_subscription_next_poll_at"), ["next_poll_at"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_feed_subscription_organisation_id"),
                              ["organisation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feed_subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_subscription_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_feed_subscription_next_poll_at"))
    op.drop_table("feed_subscription")
    with op.batch_alter_table("quarterly_submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarterly_submission_organisation_id"))
    op.drop_table("quarterly_submission")
    op.drop_table("submission_unit")
    with op.batch_alter_table("channel_silence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_silence_source_channel"))
        batch_op.drop_index(batch_op.f("ix_channel_silence_organisation_id"))
    op.drop_table("channel_silence")
    op.drop_table("channel_expectation")
    op.drop_table("scheduled_job")
