"""Vocabularies of the unified risk record (统一风险信息采集标准)."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class TradeDirection(StrEnum):
    """Whether the product was imported, exported or only on the domestic market."""

    import_ = "import"
    export = "export"
    domestic = "domestic"
    unknown = "unknown"


class Confidentiality(StrEnum):
    """Who may see the record beyond its owning organisation's scope."""

    public = "public"
    internal = "internal"
    restricted = "restricted"


class EnterpriseRole(StrEnum):
    """The part an enterprise played for the product of a record."""

    manufacturer = "manufacturer"
    exporter = "exporter"
    importer = "importer"
    retailer = "retailer"
    other = "other"


class InjurySeverity(StrEnum):
    """The worst outcome reported for the injuries of a record."""

    none = "none"
    minor = "minor"
    serious = "serious"
    fatal = "fatal"
    unknown = "unknown"


# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "record.create": N_("Risk records created"),
    "record.export": N_("Risk records exported"),
    "risk_record": N_("Risk record"),
}
