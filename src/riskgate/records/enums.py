"""Vocabularies of the unified risk record (统一风险信息采集标准), each member with its label."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class TradeDirection(LabelledEnum):
    """Whether the product was imported, exported or only on the domestic market."""

    import_ = "import", N_("Import")
    export = "export", N_("Export")
    domestic = "domestic", N_("Domestic market")
    unknown = "unknown", N_("Unknown")


class Confidentiality(LabelledEnum):
    """Who may see the record beyond its owning organisation's scope."""

    public = "public", N_("Public")
    internal = "internal", N_("Internal")
    restricted = "restricted", N_("Restricted")


class EnterpriseRole(LabelledEnum):
    """The part an enterprise played for the product of a record."""

    manufacturer = "manufacturer", N_("Producer")
    exporter = "exporter", N_("Exporter")
    importer = "importer", N_("Importer")
    retailer = "retailer", N_("Retailer")
    other = "other", N_("Other")


class InjurySeverity(LabelledEnum):
    """The worst outcome reported for the injuries of a record."""

    none = "none", N_("No injury")
    minor = "minor", N_("Minor injury")
    serious = "serious", N_("Serious injury")
    fatal = "fatal", N_("Death")
    unknown = "unknown", N_("Unknown")


class AgeGroup(LabelledEnum):
    """Age group of the injured (the record keeps the code; the report forms offer the list)."""

    infant = "0-3", N_("0–3 years")
    child = "4-14", N_("4–14 years")
    teenager = "15-17", N_("15–17 years")
    adult = "18-59", N_("18–59 years")
    senior = "60+", N_("60 years or older")
    unknown = "unknown", N_("Unknown")


# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "record.create": N_("Risk records created"),
    "record.export": N_("Risk records exported"),
    "risk_record": N_("Risk record"),
}
