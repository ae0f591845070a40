"""Chinese administrative divisions (GB/T 2260), district customs (直属海关) and ports of entry.

Written by hand: data/regions.csv holds all 34 provincial-level divisions, every prefecture-level
division of Guangdong, Zhejiang, Shandong, Hainan and Xinjiang, the districts of Shanghai, and
the county-level places where the catalogued ports lie. data/customs_districts.csv holds the 42
district customs; data/ports.csv the main ports of entry.

Codes follow GB/T 2260 except that municipal districts hang directly under their municipality
(no "市辖区" level in between).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from riskgate.catalog._base import Labelled, fold_text, read_csv_rows
from riskgate.catalog.enums import PortType, RegionLevel

# Suffixes dropped when resolving a Chinese place name ("广东省" and "广东" both match).
_ZH_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "地区", "省",
    "市", "盟", "区", "县",
)  # fmt: skip
_PARENTHESES = re.compile(r"\([^)]*\)")
_EN_SUFFIXES = (
    " province", " city", " municipality", " autonomous region", " sar", " district",
    " new area", " county", " league",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Region(Labelled):
    """An administrative division with its six-digit code and parent."""

    code: str
    level: RegionLevel
    parent: str | None
    name_zh: str
    name_en: str

    @property
    def province_code(self) -> str:
        """The code of the provincial-level division this region lies in."""
        return self.code[:2] + "0000"


@dataclass(frozen=True, slots=True)
class CustomsDistrict(Labelled):
    """A district customs (直属海关) and the province it sits in."""

    code: str
    region_code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class Port(Labelled):
    """A port of entry (口岸) with its transport mode, place and district customs."""

    code: str
    port_type: PortType
    region_code: str
    customs_district: str
    name_zh: str
    name_en: str


@cache
def regions() -> tuple[Region, ...]:
    """All catalogued administrative divisions, provinces first, then by code."""
    entries = (
        Region(
            code=row["code"],
            level=RegionLevel(row["level"]),
            parent=row["parent"] or None,
            name_zh=row["name_zh"],
            name_en=row["name_en"],
        )
        for row in read_csv_rows("regions.csv")
    )
    order = {RegionLevel.province: 0, RegionLevel.prefecture: 1, RegionLevel.county: 2}
    return tuple(sorted(entries, key=lambda region: (order[region.level], region.code)))


@cache
def _regions_by_code() -> dict[str, Region]:
    return {entry.code: entry for entry in regions()}


def region(code: object) -> Region | None:
    """Return the division for a six-digit code ("371500" Liaocheng), or None."""
    return _regions_by_code().get(code.strip()) if isinstance(code, str) else None


def provinces() -> tuple[Region, ...]:
    """The 34 provincial-level divisions."""
    return tuple(entry for entry in regions() if entry.level == RegionLevel.province)


def region_children(code: object) -> tuple[Region, ...]:
    """The divisions directly under a division (prefectures of a province, and so on)."""
    return tuple(entry for entry in regions() if entry.parent == code)


def region_province(code: object) -> Region | None:
    """The provincial-level division containing a code, even a code the catalogue lacks."""
    if not isinstance(code, str) or len(code.strip()) != 6 or not code.strip().isdigit():
        return None
    return _regions_by_code().get(code.strip()[:2] + "0000")


def region_ancestors(code: object) -> tuple[Region, ...]:
    """The chain from the province down to and including the division, root first."""
    chain: list[Region] = []
    current = region(code)
    while current is not None:
        chain.append(current)
        current = _regions_by_code().get(current.parent) if current.parent else None
    return tuple(reversed(chain))


def _short_zh(name: str) -> str:
    for suffix in _ZH_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _short_en(name: str) -> str:
    folded = fold_text(name)
    for suffix in _EN_SUFFIXES:
        folded = folded.removesuffix(fold_text(suffix))
    return folded.strip()


@cache
def _region_name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for entry in regions():  # provinces first, so a shared name means the higher level
        name_en = _PARENTHESES.sub(" ", entry.name_en)
        for key in (
            fold_text(entry.name_zh).replace(" ", ""),
            _short_zh(entry.name_zh),
            fold_text(entry.name_en),
            _short_en(name_en),
        ):
            index.setdefault(key, entry.code)
    index.pop("", None)
    return index


def region_resolve(text: object) -> str | None:
    """Return the code of a division named in Chinese or English ("广东省", "Liaocheng"), or None.

    Accepts the six-digit code itself, names with or without their suffix (省, 市, Province,
    City…). A name shared by two levels resolves to the higher one.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    stripped = text.strip()
    if stripped in _regions_by_code():
        return stripped
    folded = fold_text(stripped)
    compact = folded.replace(" ", "")
    index = _region_name_index()
    for key in (folded, compact, _short_zh(compact), _short_en(folded)):
        if key in index:
            return index[key]
    return None


@cache
def customs_districts() -> tuple[CustomsDistrict, ...]:
    """The 42 district customs (直属海关)."""
    return tuple(
        CustomsDistrict(
            code=row["code"],
            region_code=row["region_code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
        )
        for row in read_csv_rows("customs_districts.csv")
    )


def customs_district(code: object) -> CustomsDistrict | None:
    """Return a district customs by its code ("urumqi"), or None."""
    return next((entry for entry in customs_districts() if entry.code == code), None)


@cache
def ports() -> tuple[Port, ...]:
    """The catalogued ports of entry."""
    return tuple(
        Port(
            code=row["code"],
            port_type=PortType(row["port_type"]),
            region_code=row["region_code"],
            customs_district=row["customs_district"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
        )
        for row in read_csv_rows("ports.csv")
    )


def port(code: object) -> Port | None:
    """Return a port by its code ("shanghai_yangshan"), or None."""
    return next((entry for entry in ports() if entry.code == code), None)


def ports_in_province(code: object) -> tuple[Port, ...]:
    """Ports located in the provincial-level division of a region code."""
    province = region_province(code)
    if province is None:
        return ()
    return tuple(entry for entry in ports() if entry.region_code[:2] == province.code[:2])


def ports_of_type(port_type: PortType | str) -> tuple[Port, ...]:
    """Ports of one transport mode (sea, river, air, land, rail)."""
    return tuple(entry for entry in ports() if entry.port_type == port_type)
