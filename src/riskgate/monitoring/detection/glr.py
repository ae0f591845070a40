"""Poisson GLR detector for an increase of the intercept (R ``glrnb`` with ``alpha = 0``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._base import (
    DetectionInputError,
    DetectionResult,
    Reason,
    as_count_series,
    as_time_points,
    check_positive_int,
)
from ._glm import fit_log_linear, inverse_link

__all__ = ["glr_poisson", "seasonal_baseline_mean"]

_MAX_CASES = 2**40  # beyond any real count; the search gives up (NaN bound) past it


def seasonal_baseline_mean(
    counts: np.ndarray, times: np.ndarray, freq: int, harmonics: int = 1, trend: bool = False
) -> np.ndarray:
    """In-control means from a Poisson GLM with ``harmonics`` sine/cosine pairs (and trend).

    Fitted on all weeks before ``times[0]``; the time variable is the 1-based week index, as in
    R's ``estimateGLRNbHook``.
    """

    def design(index: np.ndarray) -> np.ndarray:
        t = index + 1.0
        columns = [np.ones(index.size)]
        if trend:
            columns.append(t)
        for s in range(1, harmonics + 1):
            columns += [np.cos(2 * s * np.pi / freq * t), np.sin(2 * s * np.pi / freq * t)]
        return np.column_stack(columns)

    train = np.arange(times[0])
    observed = counts[train]
    valid = ~np.isnan(observed)
    fit = fit_log_linear(
        design(train)[None], np.where(valid, observed, 0.0)[None], valid[None].astype(float)
    )
    return inverse_link(design(times) @ fit.coef[0])


def _glr_statistic(x: np.ndarray, mu: np.ndarray) -> float:
    """max over change points k of the log-likelihood ratio with the MLE of the increase."""
    sum_x = np.cumsum(x[::-1])
    sum_mu = np.cumsum(mu[::-1])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        kappa = np.maximum(0.0, np.log(sum_x / sum_mu))
        ratio = kappa * sum_x + (1.0 - np.exp(kappa)) * sum_mu
    # A mean that underflowed to 0 makes any case infinitely unlikely in control.
    ratio = np.where(sum_mu > 0, ratio, np.where(sum_x > 0, np.inf, 0.0))
    return float(np.max(ratio))


def _cases_needed(x: np.ndarray, mu: np.ndarray, threshold: float) -> float:
    """Smallest count in the last week that makes the GLR statistic reach ``threshold``.

    The statistic does not decrease in the last count, so a doubling search followed by
    bisection finds the same integer as R's step-by-one search.
    """
    trial = x.copy()

    def reaches(count: int) -> bool:
        trial[-1] = count
        return _glr_statistic(trial, mu) >= threshold

    if reaches(0):
        return 0.0
    low, high = 0, 1
    while not reaches(high):
        if high > _MAX_CASES:
            return np.nan
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        if reaches(middle):
            high = middle
        else:
            low = middle
    return float(high)


def glr_poisson(
    observed: Any,
    time_points: Any,
    *,
    c_arl: float = 5.0,
    mu0: Any = None,
    freq: int = 52,
    harmonics: int = 1,
    trend: bool = False,
) -> DetectionResult:
    """Poisson GLR chart: alarm when the GLR statistic for an intercept increase reaches ``c_arl``.

    With in-control means ``mu0`` (default: a seasonal Poisson GLM fitted on the weeks before
    the first monitored week), the statistic at week n is
    ``max_k sup_kappa>=0 sum_{t=k..n} [kappa x_t - (e^kappa - 1) mu0_t]``.  After an alarm the
    chart restarts at the next week.  ``upperbound`` is the number of cases that would have
    raised an alarm in that week (R's ``ret = "cases"``), so the alarm condition is
    ``observed >= upperbound``.

    Reference: Hoehle M, Paul M (2008). Count data regression charts for the monitoring of
    surveillance time series. Comput Stat Data Anal 52:4357-68.

    Matches R ``glrnb(alpha = 0, dir = "inc", Mtilde = 1, M = -1)``; windowed (``M``) and
    decrease charts are not implemented.  Differences: a missing week is left out of the sums
    and raises no alarm (R converts NA to an integer and computes garbage).
    """
    counts = as_count_series(observed)
    times = as_time_points(time_points, counts.size, default=np.arange(counts.size))
    freq = check_positive_int(freq, "freq")
    if not np.isfinite(c_arl) or c_arl <= 0:
        raise DetectionInputError("c_arl must be a positive number")
    if mu0 is None:
        if np.sum(~np.isnan(counts[: times[0]])) < 2 * harmonics + 2:
            nan = np.full(times.size, np.nan)
            reasons = (Reason.SHORT_HISTORY,) * times.size
            return DetectionResult(
                "glr_poisson", times, counts[times], nan, np.zeros(times.size, bool), reasons
            )
        mean = seasonal_baseline_mean(counts, times, freq, harmonics, trend)
    else:
        mean = np.broadcast_to(np.asarray(mu0, dtype=float), times.shape).astype(float)
        if not np.all(np.isfinite(mean) & (mean > 0)):
            raise DetectionInputError("mu0 must be finite and positive")

    x = counts[times]
    missing = np.isnan(x)
    x_used = np.where(missing, 0.0, x)
    mu_used = np.where(missing, 0.0, mean)
    upper = np.zeros(times.size)
    statistic = np.zeros(times.size)
    alarm = np.zeros(times.size, dtype=bool)
    degenerate = np.zeros(times.size, dtype=bool)
    start = 0
    for n in range(times.size):
        segment = slice(start, n + 1)
        if missing[n]:
            upper[n] = np.nan
            statistic[n] = statistic[n - 1] if n > start else 0.0
            continue
        statistic[n] = _glr_statistic(x_used[segment], mu_used[segment])
        upper[n] = _cases_needed(x_used[segment], mu_used[segment], c_arl)
        if np.isnan(statistic[n]) or np.isnan(upper[n]):
            upper[n], degenerate[n] = np.nan, True
            continue
        if statistic[n] >= c_arl:
            alarm[n] = True
            start = n + 1
    reason = tuple(
        Reason.MISSING_OBSERVED if m else Reason.DEGENERATE_FIT if bad else None
        for m, bad in zip(missing, degenerate, strict=True)
    )
    return DetectionResult(
        algorithm="glr_poisson",
        time_index=times,
        observed=x,
        upperbound=upper,
        alarm=alarm,
        reason=reason,
        extra={"glr": statistic, "expected": mean},
        control={"c_arl": c_arl, "freq": freq, "harmonics": harmonics, "trend": trend},
    )
