"""Warning levels (W1), warning types (W2) and rapid-response measure types (R2).

Written by hand in data/warning_levels.csv, data/warning_types.csv and data/measure_types.csv.
Badge colours meet WCAG 2.x AA contrast (at least 4.5:1) between text and background.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from riskgate.catalog._base import Labelled, is_chinese, read_csv_rows
from riskgate.catalog.enums import Audience, MeasureScope, MeasureType, WarningLevel, WarningType

_NUMERALS = ("I", "II", "III", "IV")
_LEVEL_SPELLINGS = {
    "1": "I", "2": "II", "3": "III", "4": "IV",
    "一": "I", "二": "II", "三": "III", "四": "IV",
    "RED": "I", "ORANGE": "II", "YELLOW": "III", "BLUE": "IV",
    "红": "I", "橙": "II", "黄": "III", "蓝": "IV",
    "红色": "I", "橙色": "II", "黄色": "III", "蓝色": "IV",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class WarningLevelEntry(Labelled):
    """A warning level with its colour; rank 1 is the most severe (I, red)."""

    code: WarningLevel
    rank: int
    name_zh: str
    name_en: str
    colour_zh: str
    colour_en: str
    background_hex: str
    text_hex: str

    def display(self, lang: str = "zh-CN") -> str:
        """Level, name, colour: "I级（特别严重，红色）", "Level I (extremely serious, red)"."""
        if is_chinese(lang):
            return f"{self.code.value}级（{self.name_zh}，{self.colour_zh}）"
        return f"Level {self.code.value} ({self.name_en.lower()}, {self.colour_en})"


@dataclass(frozen=True, slots=True)
class WarningTypeEntry(Labelled):
    """A warning type, defined by its audience (bulletin, notice, announcement)."""

    code: WarningType
    audience: Audience
    restricted: bool  # True when not for publication (bulletins go to regulators only)
    name_zh: str
    name_en: str
    audience_zh: str
    purpose_en: str


@dataclass(frozen=True, slots=True)
class MeasureEntry(Labelled):
    """A rapid-response measure type and where it applies."""

    code: MeasureType
    sort_order: int
    scope: MeasureScope
    compulsory: bool  # an enforcement measure rather than a supervisory or advisory one
    name_zh: str
    name_en: str

    @property
    def applies_at_border(self) -> bool:
        return self.scope in (MeasureScope.border, MeasureScope.both)

    @property
    def applies_in_market(self) -> bool:
        return self.scope in (MeasureScope.market, MeasureScope.both)


@cache
def warning_levels() -> tuple[WarningLevelEntry, ...]:
    """The four warning levels, most severe first."""
    entries = (
        WarningLevelEntry(
            code=WarningLevel(row["code"]),
            rank=int(row["rank"]),
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            colour_zh=row["colour_zh"],
            colour_en=row["colour_en"],
            background_hex=row["background_hex"],
            text_hex=row["text_hex"],
        )
        for row in read_csv_rows("warning_levels.csv")
    )
    return tuple(sorted(entries, key=lambda entry: entry.rank))


def warning_level(code: object) -> WarningLevelEntry | None:
    """Return a warning level from "I".."IV", "Ⅱ", "2", "二级", "Level III", "orange", "橙色"…"""
    if not isinstance(code, str):
        return None
    text = unicodedata.normalize("NFKC", code).strip().upper()
    text = text.removeprefix("LEVEL").removesuffix("级").strip()
    numeral = text if text in _NUMERALS else _LEVEL_SPELLINGS.get(text)
    return next((entry for entry in warning_levels() if entry.code == numeral), None)


@cache
def warning_types() -> tuple[WarningTypeEntry, ...]:
    """The three warning types: bulletin (regulators), notice (producers), announcement (public)."""
    return tuple(
        WarningTypeEntry(
            code=WarningType(row["code"]),
            audience=Audience(row["audience"]),
            restricted=row["restricted"] == "1",
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            audience_zh=row["audience_zh"],
            purpose_en=row["purpose_en"],
        )
        for row in read_csv_rows("warning_types.csv")
    )


def warning_type(code: object) -> WarningTypeEntry | None:
    """Return a warning type by code ("bulletin") or Chinese name ("风险警示通报"), or None."""
    if not isinstance(code, str):
        return None
    text = code.strip()
    return next(
        (entry for entry in warning_types() if text in (entry.code.value, entry.name_zh)), None
    )


@cache
def measure_types() -> tuple[MeasureEntry, ...]:
    """All rapid-response measure types in display order."""
    entries = (
        MeasureEntry(
            code=MeasureType(row["code"]),
            sort_order=int(row["sort_order"]),
            scope=MeasureScope(row["scope"]),
            compulsory=row["compulsory"] == "1",
            name_zh=row["name_zh"],
            name_en=row["name_en"],
        )
        for row in read_csv_rows("measure_types.csv")
    )
    return tuple(sorted(entries, key=lambda entry: entry.sort_order))


def measure_type(code: object) -> MeasureEntry | None:
    """Return a measure type by its code ("return_shipment"), or None."""
    return next((entry for entry in measure_types() if entry.code == code), None)


def measures_for_scope(scope: MeasureScope | str) -> tuple[MeasureEntry, ...]:
    """Measures usable at the border ("border") or in the market ("market"), including "both"."""
    if scope == MeasureScope.border:
        return tuple(entry for entry in measure_types() if entry.applies_at_border)
    if scope == MeasureScope.market:
        return tuple(entry for entry in measure_types() if entry.applies_in_market)
    return tuple(entry for entry in measure_types() if entry.scope == scope)
