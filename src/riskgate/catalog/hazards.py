"""Hazard classes, hazard types, and the mappings from EU RASFF and Safety Gate vocabularies.

All files are written by hand: data/hazard_classes.csv, data/hazard_types.csv,
data/hazard_map_rasff.csv (RASFF "hazard category" values) and data/hazard_map_safety_gate.csv
(Safety Gate "risk type" values). Matching of source values ignores case, accents, spacing and
punctuation, because the real exports spell the same category in several ways.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from riskgate.catalog._base import Labelled, fold_text, read_csv_rows
from riskgate.catalog.enums import HazardClass, HazardType


@dataclass(frozen=True, slots=True)
class HazardClassEntry(Labelled):
    """One of the six hazard classes (健康/物理/化学/生物/环境危害, 反欺诈)."""

    code: HazardClass
    sort_order: int
    name_zh: str
    name_en: str
    description_en: str


@dataclass(frozen=True, slots=True)
class HazardTypeEntry(Labelled):
    """A finer hazard type, e.g. pesticide residues (chemical) or choking (physical)."""

    code: HazardType
    hazard_class: HazardClass
    name_zh: str
    name_en: str


@cache
def hazard_classes() -> tuple[HazardClassEntry, ...]:
    """The six hazard classes in display order."""
    entries = (
        HazardClassEntry(
            code=HazardClass(row["code"]),
            sort_order=int(row["sort_order"]),
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            description_en=row["description_en"],
        )
        for row in read_csv_rows("hazard_classes.csv")
    )
    return tuple(sorted(entries, key=lambda entry: entry.sort_order))


@cache
def _all_hazard_types() -> tuple[HazardTypeEntry, ...]:
    return tuple(
        HazardTypeEntry(
            code=HazardType(row["code"]),
            hazard_class=HazardClass(row["hazard_class"]),
            name_zh=row["name_zh"],
            name_en=row["name_en"],
        )
        for row in read_csv_rows("hazard_types.csv")
    )


@cache
def _types_by_code() -> dict[str, HazardTypeEntry]:
    return {entry.code.value: entry for entry in _all_hazard_types()}


def hazard_class(code: object) -> HazardClassEntry | None:
    """Return the hazard class for its code ("chemical"), or None."""
    return next((entry for entry in hazard_classes() if entry.code == code), None)


def hazard_types(hazard_class: HazardClass | str | None = None) -> tuple[HazardTypeEntry, ...]:
    """All hazard types, or only those of one hazard class."""
    if hazard_class is None:
        return _all_hazard_types()
    return tuple(entry for entry in _all_hazard_types() if entry.hazard_class == hazard_class)


def hazard_type(code: object) -> HazardTypeEntry | None:
    """Return the hazard type for its code ("pesticide_residues"), or None."""
    return _types_by_code().get(code) if isinstance(code, str) else None


def _load_mapping(file_name: str) -> dict[str, HazardTypeEntry]:
    mapping: dict[str, HazardTypeEntry] = {}
    for row in read_csv_rows(file_name):
        mapping[fold_text(row["source_value"])] = _types_by_code()[row["hazard_type"]]
    return mapping


@cache
def _rasff_mapping() -> dict[str, HazardTypeEntry]:
    return _load_mapping("hazard_map_rasff.csv")


@cache
def _safety_gate_mapping() -> dict[str, HazardTypeEntry]:
    return _load_mapping("hazard_map_safety_gate.csv")


def rasff_hazard_values() -> tuple[str, ...]:
    """The RASFF hazard-category values the catalogue maps, as written in the mapping file."""
    return tuple(row["source_value"] for row in read_csv_rows("hazard_map_rasff.csv"))


def safety_gate_risk_values() -> tuple[str, ...]:
    """The Safety Gate risk-type values the catalogue maps, as written in the mapping file."""
    return tuple(row["source_value"] for row in read_csv_rows("hazard_map_safety_gate.csv"))


def rasff_hazard(category: object) -> HazardTypeEntry | None:
    """Map one RASFF hazard category ("Pesticide residues") to a hazard type, or None."""
    if not isinstance(category, str):
        return None
    return _rasff_mapping().get(fold_text(category))


def safety_gate_hazard(risk_type: object) -> HazardTypeEntry | None:
    """Map one Safety Gate risk type ("Electric shock") to a hazard type, or None."""
    if not isinstance(risk_type, str):
        return None
    return _safety_gate_mapping().get(fold_text(risk_type))


def _map_field(field: object, separator: str,
               single: Callable[[str], HazardTypeEntry | None]) -> tuple[HazardTypeEntry, ...]:
    if not isinstance(field, str):
        return ()
    found: dict[HazardType, HazardTypeEntry] = {}
    for part in field.split(separator):
        entry = single(part)
        if entry is not None:
            found.setdefault(entry.code, entry)
    return tuple(found.values())


# Feeds repeat a few hundred distinct cells across tens of thousands of rows: remembering the
# answers takes the text folding out of the import's per-row cost.
@lru_cache(maxsize=4096)
def _rasff_cell(field: str) -> tuple[HazardTypeEntry, ...]:
    return _map_field(field, ";", rasff_hazard)


@lru_cache(maxsize=4096)
def _safety_gate_cell(field: str) -> tuple[HazardTypeEntry, ...]:
    return _map_field(field, ",", safety_gate_hazard)


def rasff_hazards(field: object) -> tuple[HazardTypeEntry, ...]:
    """Map a RASFF "Hazard Category" cell ("; "-separated) to distinct hazard types, in order.

    Values the catalogue does not know are skipped; check them with `rasff_hazard`.
    """
    return _rasff_cell(field) if isinstance(field, str) else ()


def safety_gate_hazards(field: object) -> tuple[HazardTypeEntry, ...]:
    """Map a Safety Gate "risk type" cell ("Fire, Injuries") to distinct hazard types, in order.

    Values the catalogue does not know are skipped; check them with `safety_gate_hazard`.
    """
    return _safety_gate_cell(field) if isinstance(field, str) else ()
