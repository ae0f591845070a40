"""Running the detection algorithms over count series (pure: numpy in, outcomes out).

Series of one top-level organisation share one time axis (its first period with records up to
the evaluated period), so they are tested together with the vectorised ``*_many`` functions.
Only the last period is evaluated at each run; the bound line shown on a signal's chart is
computed again for that one series (`bound_line`). An algorithm that lacks history says so
(`Reason.SHORT_HISTORY`): the outcome keeps that reason and never alarms.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from riskgate.monitoring.detection import (
    DetectionInputError,
    DetectionResult,
    Reason,
    cusum_many,
    ears_c_many,
    farrington_flexible_many,
)

CUSUM_WINDOW = 8  # monitored periods of the optional CUSUM (the reference mean is before them)


@dataclass(frozen=True)
class Outcome:
    """The evaluated (last) period of one series under one algorithm."""

    algorithm: str
    observed: int
    upperbound: float | None
    alarm: bool
    reason: str | None


def fill(counts: dict[dt.date, int], periods: list[dt.date]) -> np.ndarray:
    """The counts on the given periods, zero where no record fell (missing weeks are zeros)."""
    return np.array([counts.get(p, 0) for p in periods], dtype=float)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the ISO week holding `day`."""
    return day - dt.timedelta(days=day.weekday())


def periods_between(first: dt.date, last: dt.date, step_days: int) -> list[dt.date]:
    count = (last - first).days // step_days + 1
    return [first + dt.timedelta(days=step_days * i) for i in range(max(count, 0))]


def long_enough_for_flexible(length: int, params: dict[str, Any], freq: int = 52) -> bool:
    """Whether a weekly series of `length` gives farringtonFlexible its `b` years of baseline."""
    return length > freq * int(params.get("b", 5)) + int(params.get("w", 3))


def run_algorithm(algorithm: str, params: dict[str, Any], matrix: np.ndarray,
                  time_points: Any, *, freq: int = 52) -> list[DetectionResult]:
    """One algorithm over a (series × time) matrix of counts at the given 0-based positions.

    Negative, fractional or infinite counts raise `DetectionInputError` (from the algorithms'
    own input check) — the signal stage never feeds them anything else than whole counts.
    """
    if algorithm.startswith("ears_"):
        return ears_c_many(matrix, time_points, method=algorithm.removeprefix("ears_"), **params)
    if algorithm == "farrington_flexible":
        return farrington_flexible_many(matrix, time_points, freq=freq, **params)
    if algorithm == "cusum":
        return cusum_many(matrix, time_points, freq=freq, **params)
    raise DetectionInputError(f"unknown algorithm {algorithm!r}")


def _outcome(result: DetectionResult, position: int = -1) -> Outcome:
    bound = float(result.upperbound[position])
    return Outcome(
        algorithm=result.algorithm,
        observed=int(result.observed[position]),
        upperbound=None if math.isnan(bound) else bound,
        alarm=bool(result.alarm[position]),
        reason=result.reason[position],
    )


def evaluate_last(matrix: np.ndarray, algorithm: str, params: dict[str, Any], *,
                  freq: int = 52) -> list[Outcome]:
    """The last period of every series (rows of `matrix`) under one algorithm."""
    if matrix.shape[0] == 0:
        return []
    n_time = matrix.shape[1]
    if algorithm == "cusum":
        if n_time <= CUSUM_WINDOW:
            return [Outcome("cusum", int(row[-1]), None, False, Reason.SHORT_HISTORY)
                    for row in matrix]
        points = np.arange(n_time - CUSUM_WINDOW, n_time)
    else:
        points = np.array([n_time - 1])
    results = run_algorithm(algorithm, params, matrix, points, freq=freq)
    return [_outcome(r) for r in results]


def choose_weekly(length: int, rules: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """farringtonFlexible when the series has its years of history, otherwise EARS."""
    long = rules["weekly_long"]
    if long_enough_for_flexible(length, long["params"]):
        return long["algorithm"], dict(long["params"])
    short = rules["weekly_short"]
    return short["algorithm"], dict(short["params"])


def bound_line(counts: np.ndarray, algorithm: str, params: dict[str, Any], points: int, *,
               freq: int = 52) -> list[float | None]:
    """Upper bounds of the last `points` periods of one series (fewer if the series is shorter;
    None where a period could not be evaluated)."""
    n_time = counts.size
    first = max(0, n_time - points)
    positions = np.arange(max(first, 1) if algorithm == "cusum" else first, n_time)
    result = run_algorithm(algorithm, params, counts[None, :], positions, freq=freq)[0]
    bounds = [None if math.isnan(b) else round(float(b), 4) for b in result.upperbound]
    return [None] * (n_time - first - len(bounds)) + bounds
