"""Properties shared by every loader: packaged files, caching, immutability, labels."""

from __future__ import annotations

import dataclasses
from importlib import resources

import pytest

from riskgate.catalog import reference
from riskgate.catalog.enums import (
    Audience,
    ChannelKind,
    HazardClass,
    HazardType,
    MeasureScope,
    MeasureType,
    PortType,
    RegionLevel,
    SourceChannel,
    SourceOwner,
    WarningLevel,
    WarningType,
)

LOADERS = [
    reference.hs_sections, reference.hs_entries, reference.countries, reference.hazard_classes,
    reference.hazard_types, reference.source_channels, reference.measure_types,
    reference.warning_levels, reference.warning_types, reference.regions,
    reference.customs_districts, reference.ports,
]  # fmt: skip
ENUMS = [Audience, ChannelKind, HazardClass, HazardType, MeasureScope, MeasureType, SourceOwner,
         PortType, RegionLevel, SourceChannel, WarningLevel, WarningType]  # fmt: skip


def test_data_files_are_packaged_utf8() -> None:
    folder = resources.files("riskgate.catalog").joinpath("data")
    names = {item.name for item in folder.iterdir()}
    assert {"hs_codes.csv", "countries.csv", "regions.csv", "ports.csv"} <= names
    for item in folder.iterdir():
        if item.name.endswith(".csv"):
            item.read_text(encoding="utf-8")


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
def test_loader_is_cached_and_entries_are_frozen(loader) -> None:
    entries = loader()
    assert isinstance(entries, tuple) and entries
    assert loader() is entries
    first = entries[0]
    field = dataclasses.fields(first)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(first, field, "changed")
    assert first.code
    assert first.label("en") == first.name_en
    assert first.label("zh-CN") == (first.name_zh or first.name_en)


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
def test_codes_are_unique(loader) -> None:
    codes = [entry.code for entry in loader()]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
def test_enum_values_are_their_names(enum) -> None:
    for member in enum:
        assert member.value == member.name
        assert isinstance(member, str)


def test_label_accepts_language_variants() -> None:
    entry = reference.hazard_class("health")
    assert entry.label("zh") == entry.label("zh_CN") == entry.label("zh-Hans") == "健康危害"
    assert entry.label("en-GB") == entry.label("fr") == "Health hazard"


def test_clear_caches_reloads() -> None:
    before = reference.ports()
    reference.clear_caches()
    after = reference.ports()
    assert before == after and before is not after
