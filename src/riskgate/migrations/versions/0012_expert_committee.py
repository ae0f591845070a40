"""Expert committee: panels, members, conflicts, opinions and votes, meetings (A2).

expert_panel and expert_panel_member hold the panels by field with their members and terms;
expert_conflict the conflicts of interest the experts declared; expert_review an assessment
referred to a panel, expert_assignment its experts and expert_vote their votes; committee_meeting
with meeting_agenda_item and meeting_attendance the (quarterly) meetings.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import riskgate.core.db

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# Enums are VARCHAR without a CHECK constraint (native_enum=False): the values only document.
_NOW = sa.text("(CURRENT_TIMESTAMP)")
_TS = riskgate.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "expert_panel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column(
            "field",
            sa.Enum(
                "food",
                "chemicals",
                "electrical_mechanical",
                "toys_children",
                "cosmetics",
                "medical_devices",
                "textiles",
                "vehicles",
                "other",
                name="panelfield",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("hazard_classes", sa.JSON(), nullable=False),
        sa.Column("hs_chapters", sa.JSON(), nullable=False),
        sa.Column(
            "decision_rule",
            sa.Enum("majority", "consensus", name="decisionrule", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("quorum", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TS, server_default=_NOW, nullable=False),
        sa.Column("updated_at", _TS, server_default=_NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_expert_panel_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_panel")),
    )
    op.create_index(
        op.f("ix_expert_panel_organisation_id"), "expert_panel", ["organisation_id"], unique=False
    )
    op.create_table(
        "committee_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("scheduled_at", _TS, nullable=False),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "held",
                "minutes_approved",
                "cancelled",
                name="meetingstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("held_at", _TS, nullable=True),
        sa.Column("minutes_approved_at", _TS, nullable=True),
        sa.Column("minutes_approved_by", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", _TS, server_default=_NOW, nullable=False),
        sa.Column("updated_at", _TS, server_default=_NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_committee_meeting_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["panel_id"],
            ["expert_panel.id"],
            name=op.f("fk_committee_meeting_panel_id_expert_panel"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_meeting")),
    )
    op.create_index(
        op.f("ix_committee_meeting_organisation_id"),
        "committee_meeting",
        ["organisation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_committee_meeting_panel_id"), "committee_meeting", ["panel_id"], unique=False
    )
    op.create_table(
        "expert_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "enterprise",
                "country",
                "product_area",
                "other",
                name="conflictkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("enterprise_uscc", sa.String(length=18), nullable=True),
        sa.Column("enterprise_name", sa.String(length=300), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("hs_chapter", sa.String(length=2), nullable=True),
        sa.Column("product_area", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("declared_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_expert_conflict_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_conflict")),
    )
    op.create_index(
        op.f("ix_expert_conflict_user_id"), "expert_conflict", ["user_id"], unique=False
    )
    op.create_table(
        "expert_panel_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("chair", "member", name="memberrole", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("created_at", _TS, server_default=_NOW, nullable=False),
        sa.Column("updated_at", _TS, server_default=_NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["panel_id"],
            ["expert_panel.id"],
            name=op.f("fk_expert_panel_member_panel_id_expert_panel"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_expert_panel_member_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_panel_member")),
        sa.UniqueConstraint(
            "panel_id", "user_id", name=op.f("uq_expert_panel_member_panel_id_user_id")
        ),
    )
    op.create_index(
        op.f("ix_expert_panel_member_user_id"), "expert_panel_member", ["user_id"], unique=False
    )
    op.create_table(
        "expert_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "decided", "closed", name="reviewstatus", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column(
            "decision",
            sa.Enum(
                "unsafe", "safe", "insufficient_evidence", name="vote", native_enum=False, length=30
            ),
            nullable=True,
        ),
        sa.Column("decision_rationale", sa.Text(), nullable=True),
        sa.Column("decided_at", _TS, nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_via", sa.String(length=20), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("tally", sa.JSON(), nullable=True),
        sa.Column("referred_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", _TS, server_default=_NOW, nullable=False),
        sa.Column("updated_at", _TS, server_default=_NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["risk_assessment.id"],
            name=op.f("fk_expert_review_assessment_id_risk_assessment"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["committee_meeting.id"],
            name=op.f("fk_expert_review_meeting_id_committee_meeting"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_expert_review_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["panel_id"], ["expert_panel.id"], name=op.f("fk_expert_review_panel_id_expert_panel")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_review")),
    )
    op.create_index(
        op.f("ix_expert_review_assessment_id"), "expert_review", ["assessment_id"], unique=False
    )
    op.create_index(
        op.f("ix_expert_review_decided_at"), "expert_review", ["decided_at"], unique=False
    )
    op.create_index(
        op.f("ix_expert_review_organisation_id"), "expert_review", ["organisation_id"], unique=False
    )
    op.create_index(op.f("ix_expert_review_panel_id"), "expert_review", ["panel_id"], unique=False)
    op.create_index(op.f("ix_expert_review_status"), "expert_review", ["status"], unique=False)
    op.create_table(
        "meeting_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["committee_meeting.id"],
            name=op.f("fk_meeting_attendance_meeting_id_committee_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_meeting_attendance_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendance")),
        sa.UniqueConstraint(
            "meeting_id", "user_id", name=op.f("uq_meeting_attendance_meeting_id_user_id")
        ),
    )
    op.create_index(
        op.f("ix_meeting_attendance_meeting_id"), "meeting_attendance", ["meeting_id"], unique=False
    )
    op.create_table(
        "expert_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("active", "withdrawn", name="assignmentstatus", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("assigned_by", sa.String(length=100), nullable=False),
        sa.Column("withdrawn_at", _TS, nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("created_at", _TS, server_default=_NOW, nullable=False),
        sa.Column("updated_at", _TS, server_default=_NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["expert_review.id"],
            name=op.f("fk_expert_assignment_review_id_expert_review"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_expert_assignment_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_assignment")),
        sa.UniqueConstraint(
            "review_id", "user_id", name=op.f("uq_expert_assignment_review_id_user_id")
        ),
    )
    op.create_index(
        op.f("ix_expert_assignment_user_id"), "expert_assignment", ["user_id"], unique=False
    )
    op.create_table(
        "expert_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "vote",
            sa.Enum(
                "unsafe", "safe", "insufficient_evidence", name="vote", native_enum=False, length=30
            ),
            nullable=False,
        ),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=True),
        sa.Column("cast_at", _TS, nullable=False),
        sa.Column("revisions", sa.Integer(), nullable=False),
        sa.Column("revised_at", _TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["expert_review.id"],
            name=op.f("fk_expert_vote_review_id_expert_review"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_expert_vote_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_vote")),
        sa.UniqueConstraint("review_id", "user_id", name=op.f("uq_expert_vote_review_id_user_id")),
    )
    op.create_index(op.f("ix_expert_vote_user_id"), "expert_vote", ["user_id"], unique=False)
    op.create_table(
        "meeting_agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "decision",
            sa.Enum(
                "unsafe", "safe", "insufficient_evidence", name="vote", native_enum=False, length=30
            ),
            nullable=True,
        ),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["committee_meeting.id"],
            name=op.f("fk_meeting_agenda_item_meeting_id_committee_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["expert_review.id"],
            name=op.f("fk_meeting_agenda_item_review_id_expert_review"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_agenda_item")),
        sa.UniqueConstraint(
            "meeting_id", "review_id", name=op.f("uq_meeting_agenda_item_meeting_id_review_id")
        ),
    )
    op.create_index(
        op.f("ix_meeting_agenda_item_meeting_id"),
        "meeting_agenda_item",
        ["meeting_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_meeting_agenda_item_review_id"), "meeting_agenda_item", ["review_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_meeting_agenda_item_review_id"), table_name="meeting_agenda_item")
    op.drop_index(op.f("ix_meeting_agenda_item_meeting_id"), table_name="meeting_agenda_item")
    op.drop_table("meeting_agenda_item")
    op.drop_index(op.f("ix_expert_vote_user_id"), table_name="expert_vote")
    op.drop_table("expert_vote")
    op.drop_index(op.f("ix_expert_assignment_user_id"), table_name="expert_assignment")
    op.drop_table("expert_assignment")
    op.drop_index(op.f("ix_meeting_attendance_meeting_id"), table_name="meeting_attendance")
    op.drop_table("meeting_attendance")
    op.drop_index(op.f("ix_expert_review_status"), table_name="expert_review")
    op.drop_index(op.f("ix_expert_review_panel_id"), table_name="expert_review")
    op.drop_index(op.f("ix_expert_review_organisation_id"), table_name="expert_review")
    op.drop_index(op.f("ix_expert_review_decided_at"), table_name="expert_review")
    op.drop_index(op.f("ix_expert_review_assessment_id"), table_name="expert_review")
    op.drop_table("expert_review")
    op.drop_index(op.f("ix_expert_panel_member_user_id"), table_name="expert_panel_member")
    op.drop_table("expert_panel_member")
    op.drop_index(op.f("ix_expert_conflict_user_id"), table_name="expert_conflict")
    op.drop_table("expert_conflict")
    op.drop_index(op.f("ix_committee_meeting_panel_id"), table_name="committee_meeting")
    op.drop_index(op.f("ix_committee_meeting_organisation_id"), table_name="committee_meeting")
    op.drop_table("committee_meeting")
    op.drop_index(op.f("ix_expert_panel_organisation_id"), table_name="expert_panel")
    op.drop_table("expert_panel")
