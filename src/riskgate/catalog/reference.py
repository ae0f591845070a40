"""The reference catalogue's public loaders and lookups, in one place.

Import from here (`from riskgate.catalog.reference import hs_lookup, country_resolve`); the
functions live in topic modules (hs, countries, hazards, channels, warnings_and_measures,
geography). Everything is read lazily from files packaged in `riskgate/catalog/data/`, cached
for the life of the process, and pure: no database, no network.
"""

from __future__ import annotations

import importlib

from riskgate.catalog.channels import (
    ChannelEntry,
    channels_of_kind,
    channels_owned_by,
    source_channel,
    source_channels,
)
from riskgate.catalog.countries import (
    Country,
    countries,
    country,
    country_lookup,
    country_resolve,
    eu_member_states,
    is_unknown_country,
)
from riskgate.catalog.geography import (
    CustomsDistrict,
    Port,
    Region,
    customs_district,
    customs_districts,
    port,
    ports,
    ports_in_province,
    ports_of_type,
    provinces,
    region,
    region_ancestors,
    region_children,
    region_province,
    region_resolve,
    regions,
)
from riskgate.catalog.hazards import (
    HazardClassEntry,
    HazardTypeEntry,
    hazard_class,
    hazard_classes,
    hazard_type,
    hazard_types,
    rasff_hazard,
    rasff_hazard_values,
    rasff_hazards,
    safety_gate_hazard,
    safety_gate_hazards,
    safety_gate_risk_values,
)
from riskgate.catalog.hs import (
    HsEntry,
    HsSection,
    format_hs_code,
    hs_ancestors,
    hs_chapter,
    hs_chapters,
    hs_children,
    hs_code_problem,
    hs_entries,
    hs_is_valid,
    hs_lookup,
    hs_nearest,
    hs_search,
    hs_section,
    hs_section_chapters,
    hs_sections,
    normalise_hs_code,
)
from riskgate.catalog.warnings_and_measures import (
    MeasureEntry,
    WarningLevelEntry,
    WarningTypeEntry,
    measure_type,
    measure_types,
    measures_for_scope,
    warning_level,
    warning_levels,
    warning_type,
    warning_types,
)

__all__ = [
    "ChannelEntry", "Country", "CustomsDistrict", "HazardClassEntry", "HazardTypeEntry",
    "HsEntry", "HsSection", "MeasureEntry", "Port", "Region", "WarningLevelEntry",
    "WarningTypeEntry",
    "channels_of_kind", "channels_owned_by", "clear_caches", "countries", "country",
    "country_lookup", "country_resolve", "customs_district", "customs_districts",
    "eu_member_states", "format_hs_code", "hazard_class", "hazard_classes", "hazard_type",
    "hazard_types", "hs_ancestors", "hs_chapter", "hs_chapters", "hs_children",
    "hs_code_problem", "hs_entries", "hs_is_valid", "hs_lookup", "hs_nearest", "hs_search",
    "hs_section", "hs_section_chapters", "hs_sections", "is_unknown_country", "measure_type",
    "measure_types", "measures_for_scope", "normalise_hs_code", "port", "ports",
    "ports_in_province", "ports_of_type", "provinces", "rasff_hazard", "rasff_hazard_values",
    "rasff_hazards", "region", "region_ancestors", "region_children", "region_province",
    "region_resolve", "regions", "safety_gate_hazard", "safety_gate_hazards",
    "safety_gate_risk_values", "source_channel", "source_channels", "warning_level",
    "warning_levels", "warning_type", "warning_types",
]  # fmt: skip

_TOPIC_MODULES = ("channels", "countries", "geography", "hazards", "hs", "warnings_and_measures")


def clear_caches() -> None:
    """Forget every loaded table, so the next call rereads the data files (tests, rebuilds)."""
    for name in _TOPIC_MODULES:
        module = importlib.import_module(f"riskgate.catalog.{name}")
        for value in vars(module).values():
            cache_clear = getattr(value, "cache_clear", None)
            if callable(cache_clear):
                cache_clear()


def warm_up() -> None:
    """Build the lookup indexes before the first request (the application runs this at start)."""
    hs_search("toys")
    hs_search("玩具")
    country_resolve("China")
    hs_lookup("9503")
