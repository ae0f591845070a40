"""Monitoring plans, sampling tasks and results (M1), monitoring points (M4).

monitoring_plan holds one unit's annual plan and monitoring_plan_version its versions (targets,
quotas, schedule); sampling_task the samples of one target in one period; sampling_result the
test items measured; monitoring_point the registry of points and monitoring_point_record the
records attributed to a point (a link table: risk_record is unchanged).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import riskgate.core.db
from riskgate.catalog.enums import HazardType
from riskgate.monitoring.enums import Comparison, PlanStatus, PointType, SchedulePeriod, TaskStatus

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_NOW = sa.text("(CURRENT_TIMESTAMP)")


def _enum(enum_cls: type, name: str, length: int) -> sa.Enum:
    # VARCHAR without a CHECK constraint (native_enum=False): the values only document.
    return sa.Enum(*(m.value for m in enum_cls), name=name, native_enum=False, length=length)


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=_NOW, nullable=False),
        sa.Column("updated_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=_NOW, nullable=False),
    ]


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, riskgate.core.db.UTCDateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str,
        ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], ondelete=ondelete,
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "monitoring_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("point_type", _enum(PointType, "pointtype", 30), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("port_code", sa.String(length=40), nullable=True),
        sa.Column("hs_chapters", sa.JSON(), nullable=False),
        sa.Column("product_categories", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        _fk("monitoring_point", "organisation_id", "organisation"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_point")),
        sa.UniqueConstraint("code", name=op.f("uq_monitoring_point_code")),
    )
    _index("monitoring_point", "organisation_id")
    op.create_table(
        "monitoring_point_record",
        sa.Column("point_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        _when("attributed_at", nullable=False),
        sa.ForeignKeyConstraint(["point_id"], ["monitoring_point.id"], ondelete="CASCADE",
                                name=op.f("fk_monitoring_point_record_point_id_monitoring_point")),
        sa.ForeignKeyConstraint(["record_id"], ["risk_record.id"], ondelete="CASCADE",
                                name=op.f("fk_monitoring_point_record_record_id_risk_record")),
        sa.PrimaryKeyConstraint("point_id", "record_id", name=op.f("pk_monitoring_point_record")),
    )
    _index("monitoring_point_record", "record_id")
    op.create_table(
        "monitoring_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", _enum(PlanStatus, "planstatus", 20), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        _when("closed_at"),
        *_timestamps(),
        _fk("monitoring_plan", "organisation_id", "organisation"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_plan")),
        sa.UniqueConstraint("organisation_id", "year",
                            name=op.f("uq_monitoring_plan_organisation_id_year")),
    )
    _index("monitoring_plan", "organisation_id")
    op.create_table(
        "monitoring_plan_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("period", _enum(SchedulePeriod, "scheduleperiod", 10), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        _when("created_at", nullable=False),
        _when("approved_at"),
        sa.Column("approved_by", sa.String(length=100), nullable=True),
        _fk("monitoring_plan_version", "plan_id", "monitoring_plan", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_plan_version")),
        sa.UniqueConstraint("plan_id", "version",
                            name=op.f("uq_monitoring_plan_version_plan_id_version")),
    )
    op.create_table(
        "sampling_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("target_key", sa.String(length=40), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("samples_planned", sa.Integer(), nullable=False),
        sa.Column("samples_taken", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", _enum(TaskStatus, "taskstatus", 20), nullable=False),
        sa.Column("assignee_user_id", sa.Integer(), nullable=True),
        sa.Column("monitoring_point_id", sa.Integer(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        _when("done_at"),
        *_timestamps(),
        _fk("sampling_task", "plan_id", "monitoring_plan"),
        _fk("sampling_task", "organisation_id", "organisation"),
        _fk("sampling_task", "assignee_user_id", "app_user"),
        _fk("sampling_task", "monitoring_point_id", "monitoring_point"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sampling_task")),
        sa.UniqueConstraint("plan_id", "target_key", "period",
                            name=op.f("uq_sampling_task_plan_id_target_key_period")),
    )
    _index("sampling_task", "due_on", "organisation_id", "plan_id", "status")
    op.create_table(
        "sampling_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("sample_code", sa.String(length=60), nullable=False),
        sa.Column("test_item", sa.String(length=200), nullable=False),
        sa.Column("hazard_type", _enum(HazardType, "hazardtype", 40), nullable=True),
        sa.Column("measured_value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=True),
        sa.Column("limit_value", sa.Float(), nullable=True),
        sa.Column("comparison", _enum(Comparison, "comparison", 10), nullable=False),
        sa.Column("computed_passed", sa.Boolean(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("lab_name", sa.String(length=200), nullable=True),
        sa.Column("tested_on", sa.Date(), nullable=True),
        sa.Column("product_name", sa.String(length=500), nullable=False),
        sa.Column("origin_country", sa.String(length=2), nullable=True),
        sa.Column("port_code", sa.String(length=40), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("enterprise_uscc", sa.String(length=18), nullable=True),
        sa.Column("enterprise_name", sa.String(length=300), nullable=True),
        sa.Column("monitoring_point_id", sa.Integer(), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=100), nullable=False),
        *_timestamps(),
        _fk("sampling_result", "task_id", "sampling_task"),
        _fk("sampling_result", "organisation_id", "organisation"),
        _fk("sampling_result", "monitoring_point_id", "monitoring_point"),
        _fk("sampling_result", "record_id", "risk_record"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sampling_result")),
        sa.UniqueConstraint("task_id", "sample_code", "test_item",
                            name=op.f("uq_sampling_result_task_id_sample_code_test_item")),
    )
    _index("sampling_result", "organisation_id", "task_id")


def _drop(table: str, *indexed: str) -> None:
    if indexed:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in indexed:
                batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
    op.drop_table(table)


def downgrade() -> None:
    _drop("sampling_result", "organisation_id", "task_id")
    _drop("sampling_task", "due_on", "organisation_id", "plan_id", "status")
    _drop("monitoring_plan_version")
    _drop("monitoring_plan", "organisation_id")
    _drop("monitoring_point_record", "record_id")
    _drop("monitoring_point", "organisation_id")
