"""The unified risk-record collection standard (统一风险信息采集标准) as a mapping: a flat row of
its fields — text from the standard template, typed values from the API — into a *draft* of
`RiskRecord` fields plus `enterprises`, with every problem found. Every channel's record ends
here: the import profiles map their columns onto it, the API's push and the feeds use it as it is.
Pure: no database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from riskgate.catalog.enums import HazardClass, HazardType, SourceChannel
from riskgate.catalog.reference import hazard_type, port, region
from riskgate.core.errors import ValidationFailed
from riskgate.core.i18n import N_
from riskgate.identity.service import validate_uscc
from riskgate.records.enums import Confidentiality, EnterpriseRole, InjurySeverity, TradeDirection
from riskgate.records.normalise import (
    RowProblem,
    check_country_code,
    check_hs_code,
    clean_text,
    parse_date,
    parse_int,
)

Draft = dict[str, Any]
LIMITS = {
    "product_name": 500, "brand": 200, "model": 200, "batch_number": 200, "barcode": 100,
    "product_category": 200, "injury_age_group": 50, "quantity": 200, "external_reference": 100,
    "region_code": 12, "port_code": 40, "language": 10,
}  # fmt: skip


class Problems:
    """Collects RowProblems while a row is mapped, so one pass reports every bad field."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def take(self, function: Callable[..., Any], *args: Any) -> Any:
        try:
            return function(*args)
        except RowProblem as problem:
            self.items.append(problem.as_dict())
            return None

    def add(self, field_name: str, message: str, **params: Any) -> None:
        self.items.append({"field": field_name, "message": message, "params": params})


def enum_value(enum_cls: type, value: object, field_name: str, problems: Problems) -> Any:
    text = clean_text(value)
    if text is None:
        return None
    try:
        return enum_cls(text)
    except ValueError:
        problems.add(field_name, N_("{value} is not an allowed value."), value=text)
        return None


def finish(draft: Draft, problems: Problems) -> Draft:
    """Fill defaults, derive the hazard class, enforce required fields and column lengths."""
    for name in ("title", "product_name"):
        if not draft.get(name):
            problems.add(name, N_("This field is required."))
    for name, limit in LIMITS.items():
        value = draft.get(name)
        if isinstance(value, str) and len(value) > limit:
            draft[name] = value[:limit]
    draft.setdefault("language", "en")
    draft["language"] = draft.get("language") or "en"
    draft["trade_direction"] = draft.get("trade_direction") or TradeDirection.unknown
    draft["confidentiality"] = draft.get("confidentiality") or Confidentiality.internal
    types = [t for t in draft.get("hazard_types") or [] if t]
    if draft.get("hazard_type") and draft["hazard_type"] not in types:
        types.insert(0, draft["hazard_type"])
    draft["hazard_types"] = [str(t) for t in types]
    if types and not draft.get("hazard_type"):
        draft["hazard_type"] = HazardType(types[0])
    if draft.get("hazard_type") and not draft.get("hazard_class"):
        entry = hazard_type(str(draft["hazard_type"]))
        draft["hazard_class"] = entry.hazard_class if entry else None
    draft.setdefault("enterprises", [])
    return draft


STANDARD_COLUMNS = (
    "source_channel", "external_reference", "occurred_on", "title", "description", "language",
    "product_name", "brand", "model", "batch_number", "barcode", "hs_code", "product_category",
    "hazard_class", "hazard_type", "hazard_substance", "injuries_count", "injury_severity",
    "injury_age_group", "origin_country", "notifying_country", "trade_direction", "region_code",
    "port_code", "quantity", "measures_taken", "confidentiality", "manufacturer",
    "manufacturer_country", "importer", "importer_uscc", "exporter", "exporter_uscc",
)  # fmt: skip
STANDARD_REQUIRED = ("source_channel", "title", "product_name")


def map_standard(row: dict[str, Any], problems: Problems) -> Draft:
    """The unified standard's fields as text (CSV template) or typed values (API push)."""
    draft: Draft = {
        name: clean_text(row.get(name))
        for name in (
            "external_reference", "title", "description", "language", "product_name", "brand",
            "model", "batch_number", "barcode", "product_category", "hazard_substance",
            "injury_age_group", "quantity", "measures_taken",
        )
    }  # fmt: skip
    draft["source_channel"] = enum_value(
        SourceChannel, row.get("source_channel"), "source_channel", problems
    )
    if draft["source_channel"] is None and "source_channel" not in {
        p["field"] for p in problems.items
    }:
        problems.add("source_channel", N_("This field is required."))
    occurred = row.get("occurred_on")
    draft["occurred_on"] = problems.take(
        parse_date, str(occurred) if occurred else None, "occurred_on"
    )
    draft["hs_code"] = problems.take(check_hs_code, row.get("hs_code"), "hs_code")
    for name, enum_cls in (
        ("hazard_class", HazardClass), ("hazard_type", HazardType),
        ("injury_severity", InjurySeverity), ("trade_direction", TradeDirection),
        ("confidentiality", Confidentiality),
    ):  # fmt: skip
        draft[name] = enum_value(enum_cls, row.get(name), name, problems)
    count = row.get("injuries_count")
    draft["injuries_count"] = problems.take(
        parse_int, None if count is None else str(count), "injuries_count"
    )
    for name in ("origin_country", "notifying_country"):
        draft[name] = problems.take(check_country_code, row.get(name), name)
    region_code = clean_text(row.get("region_code"))
    if region_code and region(region_code) is None:
        problems.add("region_code", N_("Unknown region code {value}."), value=region_code)
    draft["region_code"] = region_code
    port_code = clean_text(row.get("port_code"))
    if port_code and port(port_code) is None:
        problems.add("port_code", N_("Unknown port code {value}."), value=port_code)
    draft["port_code"] = port_code
    enterprises = list(row.get("enterprises") or [])
    for role in ("manufacturer", "importer", "exporter"):
        who = clean_text(row.get(role))
        uscc = clean_text(row.get(f"{role}_uscc"))
        if who or uscc:
            enterprises.append(
                {"role": role, "name": who, "uscc": uscc, "country": row.get(f"{role}_country")}
            )
    checked = []
    for index, item in enumerate(enterprises):
        field_prefix = f"enterprises.{index}" if row.get("enterprises") else str(item["role"])
        uscc = clean_text(item.get("uscc"))
        if uscc:
            try:
                uscc = validate_uscc(uscc)
            except ValidationFailed:
                problems.add(
                    f"{field_prefix}.uscc",
                    N_("Invalid unified social credit code {value}."),
                    value=uscc,
                )
        country = problems.take(check_country_code, item.get("country"), f"{field_prefix}.country")
        if not uscc and not clean_text(item.get("name")):
            problems.add(field_prefix, N_("An enterprise needs a USCC or a name."))
        checked.append(
            {
                "role": EnterpriseRole(str(item["role"])),
                "uscc": uscc,
                "name": clean_text(item.get("name"), 300),
                "country": "CN" if uscc and not country else country,
            }
        )
    draft["enterprises"] = checked
    return draft
