"""Seasonal reference weeks: "the same week in each of the last b years", by index or by date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from ._base import DetectionInputError


def as_epoch_dates(dates: Any, n_time: int) -> np.ndarray | None:
    """Validate optional epoch dates (one per count, strictly increasing) as ``datetime64[D]``."""
    if dates is None:
        return None
    try:
        epochs = np.asarray(dates, dtype="datetime64[D]")
    except (TypeError, ValueError) as exc:
        raise DetectionInputError(f"dates must be convertible to datetime64[D]: {exc}") from None
    if epochs.shape != (n_time,):
        raise DetectionInputError(
            f"dates must have one entry per count ({n_time}), got {epochs.shape}"
        )
    if np.isnat(epochs).any() or np.any(np.diff(epochs).astype(int) <= 0):
        raise DetectionInputError("dates must be strictly increasing and contain no NaT")
    return epochs


def years_back(day: np.datetime64, years: int) -> np.datetime64:
    """``day`` minus whole years; 29 February becomes 1 March, as R's ``seq(by = "-1 year")``."""
    as_date = day.astype(dt.date)
    try:
        shifted = as_date.replace(year=as_date.year - years)
    except ValueError:
        shifted = dt.date(as_date.year - years, 3, 1)
    return np.datetime64(shifted, "D")


def nearest_same_weekday(day: np.datetime64, like: np.datetime64) -> np.datetime64:
    """The date nearest to ``day`` on the same weekday as ``like`` (at most 3 days away)."""
    forward = int((like - day).astype(int)) % 7
    return day + np.timedelta64(forward if forward <= 3 else forward - 7, "D")


def reference_points(k: int, b: int, freq: int, dates: np.ndarray | None) -> np.ndarray | None:
    """Positions of week ``k`` and of the same week 1..b years earlier (descending), or None.

    Without dates the year is ``freq`` periods long (sts ``freq`` semantics).  With weekly dates
    the reference day is the same calendar day ``i`` years back, moved to the nearest day with
    the same weekday, then looked up among the epochs (as R with ``epochAsDate=TRUE``).
    """
    if dates is None:
        same_weeks = k - freq * np.arange(b + 1)
        return same_weeks if same_weeks[-1] >= 0 else None
    points = [k]
    for i in range(1, b + 1):
        target = years_back(dates[k], i)
        if freq == 52:
            target = nearest_same_weekday(target, dates[k])
        position = int(np.searchsorted(dates, target))
        if position >= dates.size or dates[position] != target:
            return None
        points.append(position)
    return np.asarray(points)


def relative_time(rows: np.ndarray, k: int, dates: np.ndarray | None) -> np.ndarray:
    """Time of each row relative to week ``k`` in units of the sampling interval.

    R uses the index (no dates) or days divided by the first epoch spacing (dates); a shift of
    the origin does not change the fit, so the evaluated week is put at 0 for better conditioning.
    """
    if dates is None:
        return (rows - k).astype(float)
    step = float((dates[1] - dates[0]).astype(int)) if dates.size > 1 else 1.0
    times: np.ndarray = (dates[rows] - dates[k]).astype(int) / step
    return times
