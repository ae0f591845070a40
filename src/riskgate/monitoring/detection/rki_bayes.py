"""The RKI and Bayes reference-value methods of R ``surveillance`` (algo.rki, algo.bayes)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._base import (
    DetectionResult,
    Reason,
    as_count_series,
    as_time_points,
    check_positive_int,
    check_probability,
)
from ._distributions import nbinom_quantile

__all__ = ["rki", "bayes"]

# Upper limits of the 95% Poisson confidence intervals of Crow & Gardner (1959, Biometrika
# 46:441-53) for observed counts 0..20; the RKI method looks them up for small baseline means.
CROW_GARDNER_95_UPPER = np.array(
    [
        3.285,
        5.323,
        6.686,
        8.102,
        9.598,
        11.177,
        12.817,
        13.765,
        14.921,
        16.768,
        17.633,
        19.050,
        20.335,
        21.364,
        22.945,
        23.762,
        25.400,
        26.306,
        27.735,
        28.966,
        30.017,
    ]
)


def _reference_values(
    counts: np.ndarray, t: int, b: int, w: int, freq: int, current_year: bool
) -> np.ndarray | None:
    """Weeks t-w..t-1 (if ``current_year``) and t-i*freq-w..t-i*freq+w for i = 1..b."""
    if t - b * freq - w < 0 or (current_year and t - w < 0):
        return None
    parts = [counts[t - w : t]] if current_year else []
    parts += [counts[t - i * freq - w : t - i * freq + w + 1] for i in range(1, b + 1)]
    return np.concatenate(parts) if parts else np.zeros(0)


def _result(name: str, counts: np.ndarray, times: np.ndarray, upper: np.ndarray,
            reason: list[str | None], control: dict[str, Any]) -> DetectionResult:
    current = counts[times]
    for i in np.flatnonzero(np.isnan(current)):
        if reason[i] is None:
            reason[i] = Reason.MISSING_OBSERVED
    ok = np.array([r is None for r in reason])
    with np.errstate(invalid="ignore"):
        alarm = ok & (current > upper)
    return DetectionResult(
        algorithm=name,
        time_index=times,
        observed=current,
        upperbound=upper,
        alarm=alarm,
        reason=tuple(reason),
        control=control,
    )


def rki(
    observed: Any,
    time_points: Any = None,
    *,
    freq: int = 52,
    b: int = 2,
    w: int = 4,
    current_year: bool = False,
) -> DetectionResult:
    """RKI method: alarm when the count exceeds an upper limit derived from reference weeks.

    Reference weeks are the ``2w+1`` weeks around the same week in each of the last ``b`` years
    (plus the last ``w`` weeks if ``current_year``, R's ``actY``).  If their mean exceeds 20 the
    limit is mean + 2 SD, otherwise the 95% Poisson upper limit of Crow & Gardner (1959) for the
    mean rounded down.

    Reference: Hoehle M (2007). surveillance: An R package for the monitoring of infectious
    diseases. Computational Statistics 22:571-82 (algorithm used at the Robert Koch Institute).

    Matches R ``algo.rki``; differences: weeks with too little history or missing reference
    counts get a NaN bound and a reason (R stops).
    """
    counts = as_count_series(observed)
    freq, b = check_positive_int(freq, "freq"), check_positive_int(b, "b", minimum=0)
    w = check_positive_int(w, "w", minimum=0)
    default = np.arange(min(b * freq + w, counts.size - 1), counts.size)
    times = as_time_points(time_points, counts.size, default=default)
    upper = np.full(times.size, np.nan)
    reason: list[str | None] = [None] * times.size
    for i, t in enumerate(times):
        values = _reference_values(counts, int(t), b, w, freq, current_year)
        if values is None or values.size == 0:
            reason[i] = Reason.SHORT_HISTORY
        elif np.isnan(values).any():
            reason[i] = Reason.MISSING_BASELINE
        else:
            mean = values.mean()
            if mean > 20:
                upper[i] = mean + 2 * values.std(ddof=1)
            else:
                upper[i] = CROW_GARDNER_95_UPPER[int(np.floor(mean))]
    control = {"b": b, "w": w, "freq": freq, "current_year": current_year}
    return _result("rki", counts, times, upper, reason, control)


def bayes(
    observed: Any,
    time_points: Any = None,
    *,
    freq: int = 52,
    b: int = 0,
    w: int = 6,
    current_year: bool = True,
    alpha: float = 0.05,
) -> DetectionResult:
    """Bayes method: upper bound = (1-alpha) quantile of the Poisson-Gamma predictive distribution.

    With reference counts x_1..x_n (chosen as in :func:`rki`) and a flat prior, the next count is
    negative binomial with size ``sum(x) + 1/2`` and probability ``n / (n + 1)``.

    Reference: Riebler A (2004). Empirischer Vergleich von statistischen Methoden zur
    Ausbruchserkennung bei Surveillance Daten. Bachelor's thesis, LMU Munich; Hoehle (2007).

    Matches R ``algo.bayes`` (missing reference counts are dropped, as R does); differences:
    weeks with too little history get a NaN bound and a reason (R stops).
    """
    counts = as_count_series(observed)
    freq, b = check_positive_int(freq, "freq"), check_positive_int(b, "b", minimum=0)
    w = check_positive_int(w, "w", minimum=0)
    alpha = check_probability(alpha, "alpha")
    default = np.arange(min(max(b * freq + w, w), counts.size - 1), counts.size)
    times = as_time_points(time_points, counts.size, default=default)
    upper = np.full(times.size, np.nan)
    reason: list[str | None] = [None] * times.size
    for i, t in enumerate(times):
        values = _reference_values(counts, int(t), b, w, freq, current_year)
        if values is None:
            reason[i] = Reason.SHORT_HISTORY
            continue
        present = values[~np.isnan(values)]
        if present.size == 0:
            reason[i] = Reason.MISSING_BASELINE
            continue
        size, prob = present.sum() + 0.5, present.size / (present.size + 1)
        upper[i] = nbinom_quantile(1 - alpha, size, prob)
    control = {"b": b, "w": w, "freq": freq, "current_year": current_year, "alpha": alpha}
    return _result("bayes", counts, times, upper, reason, control)
