"""Record classification suggestions, near-duplicate clusters and recurrence flags.

risk_record gains the classifier's suggestions (riskgate.intake.classify); record_link_key holds
each record's normalised keys (GTIN, batch, brand+model, model number, operator, hazard+product,
origin+hazard) indexed by (key, day) for candidate lookup; record_cluster and
record_cluster_member hold near-duplicate clusters with scores and reasons; recurrence_flag one
row per recurring key (riskgate.linkage).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import riskgate.core.db

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

HAZARD_CLASSES = (
    'health', 'physical', 'chemical', 'biological', 'environmental', 'fraud',
)
HAZARD_TYPES = (
    'damage_to_sight', 'allergens', 'food_additives', 'novel_food', 'composition',
    'organoleptic', 'security_privacy', 'health_risk_other', 'injuries', 'choking', 'cuts',
    'burns', 'electric_shock', 'fire', 'strangulation', 'suffocation', 'entrapment', 'drowning',
    'fall', 'hearing_damage', 'electromagnetic_disturbance', 'foreign_bodies',
    'packaging_defect', 'pesticide_residues', 'veterinary_drug_residues', 'heavy_metals',
    'mycotoxins', 'natural_toxins', 'industrial_contaminants', 'process_contaminants',
    'environmental_contaminants', 'food_contact_migration', 'restricted_substances',
    'phthalates', 'feed_additives', 'radioactivity', 'chemical_other',
    'pathogenic_microorganisms', 'microbial_contamination', 'parasites', 'gmo', 'tse',
    'quarantine_pests', 'animal_plant_disease', 'environmental_risk', 'solid_waste',
    'emissions', 'invasive_species', 'energy_efficiency', 'adulteration', 'counterfeit',
    'labelling', 'documentation', 'unauthorised_ingredient', 'false_origin',
    'insufficient_controls',
)
CLUSTER_STATUSES = ('suggested', 'confirmed', 'split',)
MEMBER_STATES = ('suggested', 'confirmed', 'removed',)
KEY_KINDS = (
    'gtin', 'batch', 'brand_model', 'model', 'operator', 'hazard_product', 'origin_hazard',
)


def _enum(values: tuple[str, ...], name: str, length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
    ]  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("risk_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "suggested_hazard_class", _enum(HAZARD_CLASSES, "hazardclass", 20), nullable=True
        ))  # fmt: skip
        batch_op.add_column(sa.Column(
            "suggested_hazard_type", _enum(HAZARD_TYPES, "hazardtype", 40), nullable=True
        ))  # fmt: skip
        batch_op.add_column(
            sa.Column("suggested_product_category", sa.String(length=200), nullable=True)
        )
        batch_op.add_column(sa.Column("suggested_hs_chapter", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("classification_confidence", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("classification_method", sa.String(length=10), nullable=True)
        )

    op.create_table(
        "record_link_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(KEY_KINDS, "keykind", 20), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["risk_record.id"], ondelete="CASCADE",
            name=op.f("fk_record_link_key_record_id_risk_record"),
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_link_key")),
    )
    with op.batch_alter_table("record_link_key", schema=None) as batch_op:
        batch_op.create_index("ix_record_link_key_key_day", ["key", "day"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_record_link_key_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "record_cluster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", _enum(CLUSTER_STATUSES, "clusterstatus", 12), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_cluster")),
    )
    with op.batch_alter_table("record_cluster", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_cluster_status"), ["status"], unique=False)

    op.create_table(
        "record_cluster_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("matched_record_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("state", _enum(MEMBER_STATES, "memberstate", 12), nullable=False),
        sa.Column("joined_at", riskgate.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", riskgate.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["record_cluster.id"], ondelete="CASCADE",
            name=op.f("fk_record_cluster_member_cluster_id_record_cluster"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["risk_record.id"], ondelete="CASCADE",
            name=op.f("fk_record_cluster_member_record_id_risk_record"),
        ),
        sa.ForeignKeyConstraint(
            ["matched_record_id"], ["risk_record.id"], ondelete="SET NULL",
            name=op.f("fk_record_cluster_member_matched_record_id_risk_record"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"],
            name=op.f("fk_record_cluster_member_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["app_user.id"],
            name=op.f("fk_record_cluster_member_decided_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_cluster_member")),
        sa.UniqueConstraint(
            "cluster_id", "record_id", name=op.f("uq_record_cluster_member_cluster_id_record_id")
        ),
    )  # fmt: skip
    with op.batch_alter_table("record_cluster_member", schema=None) as batch_op:
        for column in ("cluster_id", "record_id", "organisation_id"):
            batch_op.create_index(
                batch_op.f(f"ix_record_cluster_member_{column}"), [column], unique=False
            )

    op.create_table(
        "recurrence_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(KEY_KINDS, "keykind", 20), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("count_in_window", sa.Integer(), nullable=False),
        sa.Column("total_count", sa.Integer(), nullable=False),
        sa.Column("first_record_id", sa.Integer(), nullable=True),
        sa.Column("last_record_id", sa.Integer(), nullable=True),
        sa.Column("first_on", sa.Date(), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=False),
        sa.Column("raised", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["first_record_id"], ["risk_record.id"], ondelete="SET NULL",
            name=op.f("fk_recurrence_flag_first_record_id_risk_record"),
        ),
        sa.ForeignKeyConstraint(
            ["last_record_id"], ["risk_record.id"], ondelete="SET NULL",
            name=op.f("fk_recurrence_flag_last_record_id_risk_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurrence_flag")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_recurrence_flag_kind_key")),
    )  # fmt: skip
    with op.batch_alter_table("recurrence_flag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recurrence_flag_raised"), ["raised"], unique=False)


def downgrade() -> None:
    op.drop_table("recurrence_flag")
    op.drop_table("record_cluster_member")
    op.drop_table("record_cluster")
    op.drop_table("record_link_key")
    with op.batch_alter_table("risk_record", schema=None) as batch_op:
        for column in (
            "classification_method", "classification_confidence", "suggested_hs_chapter",
            "suggested_product_category", "suggested_hazard_type", "suggested_hazard_class",
        ):  # fmt: skip
            batch_op.drop_column(column)
