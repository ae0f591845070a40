"""Risk records (the unified collection standard) and intake: import batches, quarantine.

risk_record and import_batch reference each other one way only (record -> batch); a
quarantined row points at the record its correction created.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 08:38:24.814609
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import riskgate.core.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Catalogue port codes ("shanghai_pudong_airport") are longer than the 20 characters that
    # 0001 gave organisation.port_code; PostgreSQL refused them.
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.alter_column(
            "port_code", existing_type=sa.String(length=20), type_=sa.String(length=40)
        )
    op.create_table(
        "record_sequence",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_record_sequence")),
    )
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("profile", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("encoding", sa.String(length=20), nullable=True),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column(
            "status",
            sa.Enum("running", "completed", name="batchstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("ignored_columns", sa.JSON(), nullable=False),
        sa.Column("started_at", riskgate.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", riskgate.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["app_user.id"], name=op.f("fk_import_batch_actor_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_import_batch_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_batch_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_import_batch_sha256"), ["sha256"], unique=False)

    op.create_table(
        "risk_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_number", sa.String(length=20), nullable=False),
        sa.Column(
            "source_channel",
            sa.Enum(
                "inspection_supervision",
                "certification_supervision",
                "foreign_notice",
                "export_return",
                "foreign_government_notice",
                "single_window",
                "product_accident",
                "market_spot_check",
                "producer_report",
                "food_safety",
                "cosmetic_injury",
                "medical_device_adverse_event",
                "traffic_accident",
                "fire_accident",
                "environmental_hazard",
                "foodborne_disease",
                "injury",
                "public_opinion",
                "lab_result",
                "enterprise_self_inspection",
                "enterprise_accident_report",
                "monitoring_plan_sampling",
                "quarterly_submission",
                "hotline_12315",
                "hotline_12360",
                "hotline_12345",
                "portal",
                "new_media",
                "mobile_app",
                "whistleblower",
                "foreign_partner_investigation",
                "research_cooperation",
                "feed_rasff",
                "feed_safety_gate",
                "feed_cpsc",
                name="sourcechannel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("external_reference", sa.String(length=100), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", riskgate.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("product_name", sa.String(length=500), nullable=False),
        sa.Column("brand", sa.String(length=200), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("batch_number", sa.String(length=200), nullable=True),
        sa.Column("barcode", sa.String(length=100), nullable=True),
        sa.Column("hs_code", sa.String(length=10), nullable=True),
        sa.Column("product_category", sa.String(length=200), nullable=True),
        sa.Column(
            "hazard_class",
            sa.Enum(
                "health",
                "physical",
                "chemical",
                "biological",
                "environmental",
                "fraud",
                name="hazardclass",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column(
            "hazard_type",
            sa.Enum(
                "damage_to_sight",
                "allergens",
                "food_additives",
                "novel_food",
                "composition",
                "organoleptic",
                "security_privacy",
                "health_risk_other",
                "injuries",
                "choking",
                "cuts",
                "burns",
                "electric_shock",
                "fire",
                "strangulation",
                "suffocation",
                "entrapment",
                "drowning",
                "fall",
                "hearing_damage",
                "electromagnetic_disturbance",
                "foreign_bodies",
                "packaging_defect",
                "pesticide_residues",
                "veterinary_drug_residues",
                "heavy_metals",
                "mycotoxins",
                "natural_toxins",
                "industrial_contaminants",
                "process_contaminants",
                "environmental_contaminants",
                "food_contact_migration",
                "restricted_substances",
                "phthalates",
                "feed_additives",
                "radioactivity",
                "chemical_other",
                "pathogenic_microorganisms",
                "microbial_contamination",
                "parasites",
                "gmo",
                "tse",
                "quarantine_pests",
                "animal_plant_disease",
                "environmental_risk",
                "solid_waste",
                "emissions",
                "invasive_species",
                "energy_efficiency",
                "adulteration",
                "counterfeit",
                "labelling",
                "documentation",
                "unauthorised_ingredient",
                "false_origin",
                "insufficient_controls",
                name="hazardtype",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("hazard_types", sa.JSON(), nullable=False),
        sa.Column("hazard_substance", sa.Text(), nullable=True),
        sa.Column("injuries_count", sa.Integer(), nullable=True),
        sa.Column(
            "injury_severity",
            sa.Enum(
                "none",
                "minor",
                "serious",
                "fatal",
                "unknown",
                name="injuryseverity",
                native_enum=False,
                length=10,
            ),
            nullable=True,
        ),
        sa.Column("injury_age_group", sa.String(length=50), nullable=True),
        sa.Column("origin_country", sa.String(length=2), nullable=True),
        sa.Column("notifying_country", sa.String(length=2), nullable=True),
        sa.Column(
            "trade_direction",
            sa.Enum(
                "import",
                "export",
                "domestic",
                "unknown",
                name="tradedirection",
                native_enum=False,
                length=10,
            ),
            nullable=False,
        ),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("port_code", sa.String(length=40), nullable=True),
        sa.Column("quantity", sa.String(length=200), nullable=True),
        sa.Column("measures_taken", sa.Text(), nullable=True),
        sa.Column(
            "confidentiality",
            sa.Enum("public", "internal", "restricted", name="confidentiality", native_enum=False),
            nullable=False,
        ),
        sa.Column("raw_payload", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            riskgate.core.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            riskgate.core.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_risk_record_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_risk_record_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_record")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_risk_record_content_hash")),
        sa.UniqueConstraint("record_number", name=op.f("uq_risk_record_record_number")),
        sa.UniqueConstraint(
            "source_channel",
            "external_reference",
            name=op.f("uq_risk_record_source_channel_external_reference"),
        ),
    )
    with op.batch_alter_table("risk_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_record_hazard_class"), ["hazard_class"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_risk_record_hs_code"), ["hs_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_risk_record_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_risk_record_occurred_on"), ["occurred_on"], unique=False
        )
        batch_op.create_index(
            "ix_risk_record_org_occurred", ["organisation_id", "occurred_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_risk_record_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_risk_record_origin_country"), ["origin_country"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_risk_record_source_channel"), ["source_channel"], unique=False
        )

    op.create_table(
        "quarantined_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("raw_content", sa.Text(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=True),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "resolved", name="quarantinestatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            riskgate.core.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            riskgate.core.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_quarantined_row_batch_id_import_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["risk_record.id"], name=op.f("fk_quarantined_row_record_id_risk_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantined_row")),
    )
    with op.batch_alter_table("quarantined_row", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarantined_row_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "record_enterprise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "manufacturer",
                "exporter",
                "importer",
                "retailer",
                "other",
                name="enterpriserole",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["risk_record.id"],
            name=op.f("fk_record_enterprise_record_id_risk_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_enterprise")),
    )
    with op.batch_alter_table("record_enterprise", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_enterprise_record_id"), ["record_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_record_enterprise_uscc"), ["uscc"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("record_enterprise", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_enterprise_uscc"))
        batch_op.drop_index(batch_op.f("ix_record_enterprise_record_id"))

    op.drop_table("record_enterprise")
    with op.batch_alter_table("quarantined_row", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarantined_row_batch_id"))

    op.drop_table("quarantined_row")
    with op.batch_alter_table("risk_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_record_source_channel"))
        batch_op.drop_index(batch_op.f("ix_risk_record_origin_country"))
        batch_op.drop_index(batch_op.f("ix_risk_record_organisation_id"))
        batch_op.drop_index("ix_risk_record_org_occurred")
        batch_op.drop_index(batch_op.f("ix_risk_record_occurred_on"))
        batch_op.drop_index(batch_op.f("ix_risk_record_import_batch_id"))
        batch_op.drop_index(batch_op.f("ix_risk_record_hs_code"))
        batch_op.drop_index(batch_op.f("ix_risk_record_hazard_class"))

    op.drop_table("risk_record")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batch_sha256"))
        batch_op.drop_index(batch_op.f("ix_import_batch_organisation_id"))

    op.drop_table("import_batch")
    op.drop_table("record_sequence")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.alter_column(
            "port_code", existing_type=sa.String(length=40), type_=sa.String(length=20)
        )
