"""Vocabularies of the unified risk record (统一风险信息采集标准)."""

from __future__ import annotations

from enum import StrEnum


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
