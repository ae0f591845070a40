"""Deployment overrides of the warning map (risk → warning level, type, measures).

Read from RISKGATE_ASSESSMENT_* environment variables (or .env), like the core settings:
`RISKGATE_ASSESSMENT_WARNING_MAP` and `RISKGATE_ASSESSMENT_MEASURES` name CSV files whose rows
replace the packaged defaults; `RISKGATE_ASSESSMENT_VULNERABLE_RAISES_LEVEL=false` stops raising
the warning level for vulnerable consumers. A malformed file fails loudly at first use.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from riskgate.assessment.warning_map import WarningMap, default_warning_map


class AssessmentSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RISKGATE_ASSESSMENT_", env_file=".env",
                                      extra="ignore", case_sensitive=False)

    warning_map: Path | None = None
    measures: Path | None = None
    vulnerable_raises_level: bool = True


@cache
def warning_map() -> WarningMap:
    """The warning map in force: the defaults with this deployment's overrides."""
    settings = AssessmentSettings()
    if settings.warning_map is None and settings.measures is None and \
            settings.vulnerable_raises_level:
        return default_warning_map()
    return default_warning_map().overridden(
        levels_csv=settings.warning_map.read_text("utf-8") if settings.warning_map else None,
        measures_csv=settings.measures.read_text("utf-8") if settings.measures else None,
        vulnerable_raises_level=settings.vulnerable_raises_level,
        source=str(settings.warning_map or settings.measures or "settings"),
    )
