"""Signals: count series, detection runs, threshold rules, triage.

signal holds one early-warning signal (kind, series key, severity, triage status, deadline,
assignee, the assessment it led to, the signal it was merged into, dismissal and snooze, the
explanation of why it fired); signal_record the records behind it; signal_sequence the yearly
numbers SG-<year>-NNNN; detection_run one pass of the detection job per top-level organisation
and detection_result the outcome per tested series; signal_rule the overrides of the rule set
(riskgate.signals).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import riskgate.core.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

STATUSES = ("new", "triage", "assessment", "dismissed", "merged")
SEVERITIES = ("low", "medium", "high", "critical")
KINDS = ("statistical", "threshold_death_injury", "threshold_foreign_notices", "recurrence")
GRANULARITIES = ("week", "day")


def _enum(values: tuple[str, ...], name: str, length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, riskgate.core.db.UTCDateTime(timezone=True), nullable=nullable)


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
    ]  # fmt: skip


def _fk(table: str, column: str, target: str, ondelete: str | None = None):  # type: ignore[no-untyped-def]
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], ondelete=ondelete,
        name=op.f(f"fk_{table}_{column}_{target}"),
    )  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "signal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("root_organisation_id", sa.Integer(), nullable=False),
        sa.Column("status", _enum(STATUSES, "signalstatus", 12), nullable=False),
        sa.Column("severity", _enum(SEVERITIES, "severity", 10), nullable=False),
        sa.Column("kind", _enum(KINDS, "signalkind", 30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("series_key", sa.String(length=300), nullable=False),
        sa.Column("granularity", _enum(GRANULARITIES, "granularity", 5), nullable=True),
        sa.Column("hazard_class", sa.String(length=20), nullable=True),
        sa.Column("product", sa.String(length=200), nullable=True),
        sa.Column("origin_country", sa.String(length=2), nullable=True),
        sa.Column("source_channel", sa.String(length=40), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("algorithm", sa.String(length=40), nullable=True),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        _time("first_fired_at"),
        _time("last_fired_at"),
        sa.Column("fire_count", sa.Integer(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        _time("deadline_at", True),
        _time("overdue_notified_at", True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("dismissal_reason", sa.Text(), nullable=True),
        _time("snoozed_until", True),
        _time("decided_at", True),
        *_timestamps(),
        _fk("signal", "organisation_id", "organisation"),
        _fk("signal", "root_organisation_id", "organisation"),
        _fk("signal", "assignee_id", "app_user"),
        _fk("signal", "assessment_id", "risk_assessment"),
        _fk("signal", "merged_into_id", "signal"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal")),
        sa.UniqueConstraint("number", name=op.f("uq_signal_number")),
    )
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signal_organisation_id"), ["organisation_id"])
        batch_op.create_index(batch_op.f("ix_signal_status"), ["status"])
        batch_op.create_index(batch_op.f("ix_signal_first_fired_at"), ["first_fired_at"])
        batch_op.create_index(batch_op.f("ix_signal_assignee_id"), ["assignee_id"])
        batch_op.create_index("ix_signal_root_key_status",
                              ["root_organisation_id", "series_key", "status"])

    op.create_table(
        "signal_record",
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        _time("added_at"),
        _fk("signal_record", "signal_id", "signal", "CASCADE"),
        _fk("signal_record", "record_id", "risk_record", "CASCADE"),
        sa.PrimaryKeyConstraint("signal_id", "record_id", name=op.f("pk_signal_record")),
    )
    with op.batch_alter_table("signal_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signal_record_record_id"), ["record_id"])

    op.create_table(
        "signal_sequence",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_signal_sequence")),
    )

    op.create_table(
        "detection_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("root_organisation_id", sa.Integer(), nullable=False),
        sa.Column("granularity", _enum(GRANULARITIES, "granularity", 5), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        _time("started_at"),
        _time("finished_at", True),
        sa.Column("series_built", sa.Integer(), nullable=False),
        sa.Column("series_tested", sa.Integer(), nullable=False),
        sa.Column("alarms", sa.Integer(), nullable=False),
        sa.Column("signals_opened", sa.Integer(), nullable=False),
        sa.Column("signals_joined", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        _fk("detection_run", "root_organisation_id", "organisation"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detection_run")),
    )
    with op.batch_alter_table("detection_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_detection_run_root_organisation_id"),
                              ["root_organisation_id"])

    op.create_table(
        "detection_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("series_key", sa.String(length=300), nullable=False),
        sa.Column("algorithm", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("history", sa.Integer(), nullable=False),
        sa.Column("observed", sa.Integer(), nullable=False),
        sa.Column("upperbound", sa.Float(), nullable=True),
        sa.Column("alarm", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("signal_id", sa.Integer(), nullable=True),
        _fk("detection_result", "run_id", "detection_run", "CASCADE"),
        _fk("detection_result", "signal_id", "signal", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detection_result")),
    )
    with op.batch_alter_table("detection_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_detection_result_run_id"), ["run_id"])
        batch_op.create_index("ix_detection_result_key", ["series_key", "period_start"])

    op.create_table(
        "signal_rule",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        _time("updated_at"),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_signal_rule")),
    )


def downgrade() -> None:
    op.drop_table("signal_rule")
    op.drop_table("detection_result")
    op.drop_table("detection_run")
    op.drop_table("signal_sequence")
    op.drop_table("signal_record")
    op.drop_table("signal")
