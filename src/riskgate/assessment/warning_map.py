"""From a risk level to the warning it calls for: level I–IV, warning type, measures (pure).

The mapping is data, not code: `data/warning_map.csv` gives, for every risk level × urgency ×
scope of impact, the warning level (empty: no public warning) and the warning type;
`data/risk_measures.csv` the recommended rapid-response measures per risk level. A deployment
overrides rows with its own CSV files of the same columns (see `assessment.config` and
docs/assessment.md). When the decisive scenario concerns a vulnerable consumer group the level is
raised by one step (IV → III …; I stays I) unless `vulnerable_raises_level` is off.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

from riskgate.assessment.enums import ImpactScope, RiskLevel, Urgency
from riskgate.catalog.enums import MeasureType, WarningLevel, WarningType

_ORDER = (WarningLevel.IV, WarningLevel.III, WarningLevel.II, WarningLevel.I)


@dataclass(frozen=True)
class Recommendation:
    """The warning an assessment recommends; `warning_level` None means no public warning."""

    warning_level: str | None
    warning_type: str | None
    measures: tuple[str, ...]
    raised_for_vulnerable: bool = False


@dataclass(frozen=True)
class WarningMap:
    """Risk level × urgency × scope → (warning level, type); risk level → measures."""

    levels: dict[tuple[RiskLevel, Urgency, ImpactScope],
                 tuple[WarningLevel | None, WarningType | None]]
    measures: dict[RiskLevel, tuple[MeasureType, ...]]
    vulnerable_raises_level: bool = True
    source: str = field(default="default")

    def recommend(self, level: RiskLevel, urgency: Urgency, scope: ImpactScope, *,
                  vulnerable: bool = False) -> Recommendation:
        warning_level, warning_type = self.levels[(level, urgency, scope)]
        raised = False
        if warning_level is not None and vulnerable and self.vulnerable_raises_level:
            position = _ORDER.index(warning_level)
            if position < len(_ORDER) - 1:
                warning_level, raised = _ORDER[position + 1], True
        return Recommendation(
            warning_level=warning_level.value if warning_level else None,
            warning_type=warning_type.value if warning_type else None,
            measures=tuple(m.value for m in self.measures.get(level, ())),
            raised_for_vulnerable=raised,
        )

    def overridden(self, *, levels_csv: str | None = None, measures_csv: str | None = None,
                   vulnerable_raises_level: bool | None = None,
                   source: str = "override") -> WarningMap:
        """A copy with the rows of the given CSV texts replacing the defaults."""
        levels = dict(self.levels)
        if levels_csv:
            levels.update(parse_levels(levels_csv, complete=False))
        measures = dict(self.measures)
        if measures_csv:
            measures.update(parse_measures(measures_csv))
        raises = (self.vulnerable_raises_level if vulnerable_raises_level is None
                  else vulnerable_raises_level)
        return replace(self, levels=levels, measures=measures, vulnerable_raises_level=raises,
                       source=source)


class WarningMapError(ValueError):
    """A warning-map CSV is malformed; the message names the line."""


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def parse_levels(text: str, *, complete: bool = True) -> dict[
        tuple[RiskLevel, Urgency, ImpactScope], tuple[WarningLevel | None, WarningType | None]]:
    """Rows risk_level,urgency,impact_scope,warning_level,warning_type; `complete` requires
    every combination."""
    table: dict[tuple[RiskLevel, Urgency, ImpactScope],
                tuple[WarningLevel | None, WarningType | None]] = {}
    for line, row in enumerate(_rows(text), start=2):
        try:
            key = (RiskLevel(row["risk_level"]), Urgency(row["urgency"]),
                   ImpactScope(row["impact_scope"]))
            level = WarningLevel(row["warning_level"]) if row.get("warning_level") else None
            kind = WarningType(row["warning_type"]) if row.get("warning_type") else None
        except (KeyError, ValueError) as exc:
            raise WarningMapError(f"line {line}: {exc}") from exc
        if (level is None) != (kind is None):
            raise WarningMapError(f"line {line}: give both a warning level and a type, or neither")
        table[key] = (level, kind)
    if complete:
        missing = [k for k in _all_keys() if k not in table]
        if missing:
            raise WarningMapError(f"missing rows: {missing[:3]}")
    return table


def parse_measures(text: str) -> dict[RiskLevel, tuple[MeasureType, ...]]:
    """Rows risk_level,measures (measure codes separated by spaces)."""
    table: dict[RiskLevel, tuple[MeasureType, ...]] = {}
    for line, row in enumerate(_rows(text), start=2):
        try:
            table[RiskLevel(row["risk_level"])] = tuple(
                MeasureType(code) for code in row.get("measures", "").split())
        except (KeyError, ValueError) as exc:
            raise WarningMapError(f"line {line}: {exc}") from exc
    return table


def _all_keys() -> list[tuple[RiskLevel, Urgency, ImpactScope]]:
    return [(r, u, s) for r in RiskLevel for u in Urgency for s in ImpactScope]


def _data(name: str) -> str:
    return resources.files("riskgate.assessment").joinpath("data", name).read_text("utf-8")


@cache
def default_warning_map() -> WarningMap:
    """The packaged defaults (data/warning_map.csv, data/risk_measures.csv)."""
    return WarningMap(levels=parse_levels(_data("warning_map.csv")),
                      measures=parse_measures(_data("risk_measures.csv")))
