"""Readers for the R ``surveillance`` fixtures under ``tests/fixtures/surveillance``."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "surveillance"


def read_series(name: str) -> np.ndarray:
    """Observed counts of a single-unit series from ``series/<name>.csv``."""
    with open(FIXTURES / "series" / f"{name}.csv", newline="") as handle:
        return np.array([float(row["observed"]) for row in csv.DictReader(handle)])


def read_series_with_dates(name: str) -> tuple[np.ndarray, np.ndarray | None, tuple[int, int]]:
    """Counts, epoch dates (or None) and the sts ``start`` (year, period) of a series."""
    with open(FIXTURES / "series" / f"{name}.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    counts = np.array([float(row["observed"]) for row in rows])
    dates = None
    if rows[0]["date"]:
        dates = np.array([row["date"] for row in rows], dtype="datetime64[D]")
    return counts, dates, (int(rows[0]["year"]), int(rows[0]["period"]))


def read_newport_germany() -> tuple[np.ndarray, np.ndarray]:
    """The national Salmonella Newport series (counts, dates) used by the vignette."""
    with open(FIXTURES / "salmNewportGermany__input_series.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    counts = np.array([float(row["observed"]) for row in rows])
    return counts, np.array([row["date"] for row in rows], dtype="datetime64[D]")


def read_reference(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Observed counts, upper bounds (NaN where R gave NA) and alarms of a reference output."""
    with open(FIXTURES / f"{name}.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    observed = np.array([float(row["observed"]) for row in rows])
    upper = np.array(
        [float(r["upperbound"]) if r["upperbound"] not in ("", "NA") else np.nan for r in rows]
    )
    alarm = np.array([row["alarm"] in ("1", "TRUE") for row in rows])
    return observed, upper, alarm


def reference_names() -> list[str]:
    """All reference output files (without the input series)."""
    return sorted(
        path.stem for path in FIXTURES.glob("*__*.csv") if not path.stem.endswith("input_series")
    )
