"""Import profiles: how the columns of a known file format map to the unified risk record.

A profile turns one source row into a *draft* (a dict of `RiskRecord` fields plus
`enterprises`) and a list of problems. Built-in profiles: the EU RASFF CSV export, the EU Safety
Gate CSV, the US CPSC Recall API JSON, riskgate's own CSV template (field names as headers) and
the units' submission template (Chinese headers, .xlsx or CSV). Saved column mappings become
profiles through `intake.custom`. Pure: no database.
"""

from __future__ import annotations

import ast
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from riskgate.catalog.enums import HazardType, SourceChannel
from riskgate.catalog.reference import (
    rasff_hazards,
    safety_gate_hazards,
)
from riskgate.core.i18n import N_
from riskgate.intake.unit_template import UNIT_TEMPLATE_COLUMNS, map_unit_template
from riskgate.records.enums import Confidentiality, EnterpriseRole, InjurySeverity, TradeDirection
from riskgate.records.normalise import (
    clean_text,
    parse_date,
    resolve_countries,
    resolve_country,
)
from riskgate.records.standard import (
    STANDARD_COLUMNS,
    STANDARD_REQUIRED,
    Draft,
    Problems,
    map_standard,
)


@dataclass(frozen=True)
class Profile:
    """A named import format. `required` columns must all be in a table's header.

    kind: "csv" reads a CSV or, when the content is one, an .xlsx workbook; "xlsx" only a
    workbook; "json" an array of objects or JSON Lines (or the array at `json_path`); "xml" the
    elements named `record_element`. `encoding` is a hint for CSV files without a BOM.
    `saved_id` is set for profiles saved in the database (custom column mappings).
    """

    name: str
    kind: str
    channel: SourceChannel | None
    required: tuple[str, ...]
    known: tuple[str, ...]
    map_row: Callable[[dict[str, Any], Problems], Draft]
    record_element: str | None = None
    json_path: str | None = None
    encoding: str | None = None
    saved_id: int | None = None
    columns_of: dict[str, str] | None = None  # record field -> the source column it came from


# --- EU RASFF -------------------------------------------------------------------------------

RASFF_COLUMNS = (
    "Date of Case", "Reference", "Notification From", "Country Origin", "Product",
    "Product Category", "Hazard Substance", "Hazard Category",
)  # fmt: skip


def _map_rasff(row: dict[str, Any], problems: Problems) -> Draft:
    reference = clean_text(row.get("Reference"))
    if reference is None:
        problems.add("Reference", N_("This field is required."))
    origins = problems.take(resolve_countries, row.get("Country Origin"), "Country Origin") or []
    product = clean_text(row.get("Product"))
    hazards = rasff_hazards(row.get("Hazard Category"))
    return {
        "external_reference": reference,
        "occurred_on": problems.take(parse_date, row.get("Date of Case"), "Date of Case"),
        "notifying_country": problems.take(
            resolve_country, row.get("Notification From"), "Notification From"
        ),
        "origin_country": origins[0] if origins else None,
        "title": product,
        "product_name": product,
        "product_category": clean_text(row.get("Product Category")),
        "hazard_substance": clean_text(row.get("Hazard Substance")),
        "hazard_types": [h.code for h in hazards],
        "trade_direction": TradeDirection.unknown,
        "confidentiality": Confidentiality.public,
        "language": "en",
    }


# --- EU Safety Gate -------------------------------------------------------------------------

SAFETY_GATE_COLUMNS = (
    "alert_number", "country_of_origin", "risk_type", "product_name", "product_description",
    "brand", "product_category", "barcode", "batch_number", "company_recall_code",
    "production_dates",
)  # fmt: skip


def _map_safety_gate(row: dict[str, Any], problems: Problems) -> Draft:
    number = clean_text(row.get("alert_number"))
    if number is None:
        problems.add("alert_number", N_("This field is required."))
    name = clean_text(row.get("product_name"))
    description = clean_text(row.get("product_description"))
    hazards = safety_gate_hazards(row.get("risk_type"))
    measures = clean_text(row.get("company_recall_code"))
    return {
        "external_reference": number,
        "origin_country": problems.take(
            resolve_country, row.get("country_of_origin"), "country_of_origin"
        ),
        "title": " — ".join(part for part in (name, description) if part) or None,
        "description": clean_text(row.get("production_dates")),
        "product_name": name,
        "model": description,
        "brand": clean_text(row.get("brand")),
        "product_category": clean_text(row.get("product_category")),
        "barcode": clean_text(row.get("barcode")),
        "batch_number": clean_text(row.get("batch_number")),
        "hazard_types": [h.code for h in hazards],
        "hazard_substance": clean_text(row.get("risk_type")),
        "measures_taken": f"Company recall code {measures}" if measures else None,
        "confidentiality": Confidentiality.public,
        "language": "en",
    }


# --- US CPSC Recall API ---------------------------------------------------------------------

CPSC_HAZARD_WORDS = (
    ("strangulat", HazardType.strangulation), ("suffocat", HazardType.suffocation),
    ("chok", HazardType.choking), ("drown", HazardType.drowning),
    ("entrap", HazardType.entrapment), ("electrocut", HazardType.electric_shock),
    ("shock", HazardType.electric_shock), ("fire", HazardType.fire), ("burn", HazardType.burns),
    ("lacerat", HazardType.cuts), ("fall", HazardType.fall), ("tip-over", HazardType.injuries),
    ("lead", HazardType.heavy_metals), ("poison", HazardType.chemical_other),
    ("magnet", HazardType.injuries), ("injur", HazardType.injuries),
)  # fmt: skip
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10,
}  # fmt: skip
_INJURY_COUNT = re.compile(
    r"(\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:reports? of\s+)?(?:\w+\s+){0,3}?(injur|death|burn|laceration)",
    re.IGNORECASE,
)


def _cpsc_list(row: dict[str, Any], key: str, problems: Problems) -> list[dict[str, Any]]:
    """A CPSC list field; a few records carry it as a Python-repr string, which we read too."""
    value = row.get(key)
    if value is None:
        return []
    if isinstance(value, str) and value.startswith("["):
        with contextlib.suppress(ValueError, SyntaxError):
            value = ast.literal_eval(value)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.add(
            key, N_("Expected a list of objects, found {kind}."), kind=type(value).__name__
        )
        return []
    return value


def _names(items: list[dict[str, Any]], key: str = "Name") -> list[str]:
    return [text for item in items if (text := clean_text(item.get(key)))]


def _injuries(texts: list[str]) -> tuple[int | None, InjurySeverity | None]:
    joined = " ".join(texts)
    if not joined:
        return None, None
    if joined.lower().startswith("none reported") or "no injuries" in joined.lower():
        return 0, InjurySeverity.none
    match = _INJURY_COUNT.search(joined)
    count = None
    if match:
        word = match[1].lower().replace(",", "")
        count = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
    severity = InjurySeverity.fatal if "death" in joined.lower() else InjurySeverity.unknown
    return count, severity


def _map_cpsc(row: dict[str, Any], problems: Problems) -> Draft:
    number = row.get("RecallNumber")
    if not isinstance(number, str | int) or not str(number).strip():
        problems.add("RecallNumber", N_("This field is required."))
        number = None
    for key in ("Title", "Description"):
        if row.get(key) is not None and not isinstance(row.get(key), str):
            problems.add(key, N_("Expected text, found {kind}."), kind=type(row[key]).__name__)
    products = _cpsc_list(row, "Products", problems)
    hazards = _names(_cpsc_list(row, "Hazards", problems))
    countries: list[str] = []
    for item in _cpsc_list(row, "ManufacturerCountries", problems):
        found = problems.take(resolve_countries, item.get("Country"), "ManufacturerCountries")
        countries.extend(c for c in found or [] if c not in countries)
    count, severity = _injuries(_names(_cpsc_list(row, "Injuries", problems)))
    hazard_text = " ".join(hazards).lower()
    types = list(dict.fromkeys(t for word, t in CPSC_HAZARD_WORDS if word in hazard_text))
    enterprises = []
    for key, role in (
        ("Manufacturers", EnterpriseRole.manufacturer),
        ("Importers", EnterpriseRole.importer),
        ("Distributors", EnterpriseRole.other),
        ("Retailers", EnterpriseRole.retailer),
    ):
        for name in _names(_cpsc_list(row, key, problems)):
            country = countries[0] if role == EnterpriseRole.manufacturer and countries else None
            enterprises.append({"role": role, "name": name[:300], "country": country})
    remedies = _names(_cpsc_list(row, "Remedies", problems))
    options = _names(_cpsc_list(row, "RemedyOptions", problems), "Option")
    upcs = _names(_cpsc_list(row, "ProductUPCs", problems), "UPC")
    first = products[0] if products else {}
    return {
        "external_reference": clean_text(number),
        "occurred_on": problems.take(parse_date, row.get("RecallDate"), "RecallDate"),
        "notifying_country": "US",
        "origin_country": countries[0] if countries else None,
        "title": clean_text(row.get("Title")) if isinstance(row.get("Title"), str) else None,
        "description": clean_text(row.get("Description"))
        if isinstance(row.get("Description"), str)
        else None,
        "product_name": clean_text(first.get("Name")) or clean_text(row.get("Title")),
        "model": clean_text(first.get("Model")),
        "quantity": clean_text(first.get("NumberOfUnits")),
        "barcode": upcs[0] if upcs else None,
        "product_category": ", ".join(row.get("_categories") or [])
        if isinstance(row.get("_categories"), list)
        else None,
        "hazard_types": types,
        "hazard_substance": " ".join(hazards) or None,
        "injuries_count": count,
        "injury_severity": severity,
        "measures_taken": " ".join([*options, *remedies]) or None,
        "enterprises": enterprises,
        "confidentiality": Confidentiality.public,
        "language": "en",
    }


# --- riskgate's own template (the unified collection standard as columns) -------------------

# --- the units' quarterly submission template (Chinese headers; CSV or .xlsx) --------------

# (field, Chinese header, English name, required, drop-down list in the .xlsx template)
PROFILES: dict[str, Profile] = {
    profile.name: profile
    for profile in (
        Profile("rasff", "csv", SourceChannel.feed_rasff, RASFF_COLUMNS, RASFF_COLUMNS,
                _map_rasff),
        Profile("safety_gate", "csv", SourceChannel.feed_safety_gate,
                ("alert_number", "country_of_origin", "risk_type", "product_name"),
                SAFETY_GATE_COLUMNS, _map_safety_gate),
        Profile("cpsc", "json", SourceChannel.feed_cpsc, (), (), _map_cpsc),
        Profile("riskgate_csv", "csv", None, STANDARD_REQUIRED, STANDARD_COLUMNS, map_standard),
        Profile("unit_template", "csv", None,
                tuple(zh for _n, zh, _e, required, _l in UNIT_TEMPLATE_COLUMNS if required),
                tuple(zh for _n, zh, _e, _r, _l in UNIT_TEMPLATE_COLUMNS), map_unit_template,
                columns_of={name: zh for name, zh, _e, _r, _l in UNIT_TEMPLATE_COLUMNS}),
    )
}  # fmt: skip
