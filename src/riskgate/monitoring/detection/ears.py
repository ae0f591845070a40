"""EARS C1, C2 and C3 (CDC Early Aberration Reporting System), as R's ``surveillance::earsC``."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import stats

from ._base import (
    DetectionInputError,
    DetectionResult,
    Reason,
    as_count_matrix,
    as_count_series,
    as_time_points,
    check_positive_int,
    check_probability,
    reasons_from_codes,
)

__all__ = ["ears_c", "ears_c_many"]

_GAP = {"C1": 0, "C2": 2, "C3": 2}  # weeks left out between the baseline and the current week
_REASONS = (
    None,
    Reason.SHORT_HISTORY,
    Reason.MISSING_BASELINE,
    Reason.MISSING_OBSERVED,
    Reason.ZERO_VARIANCE,
)


def _baseline_stats(
    counts: np.ndarray, times: np.ndarray, baseline: int, gap: int
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sample SD (series x times) of the ``baseline`` weeks ending ``gap + 1`` before."""
    shape = (counts.shape[0], times.size)
    mean, sd = np.full(shape, np.nan), np.full(shape, np.nan)
    first = times - gap - baseline
    has_history = first >= 0
    if has_history.any():
        windows = sliding_window_view(counts, baseline, axis=1)  # [s, i] = counts[s, i:i+b]
        chosen = windows[:, first[has_history]]
        mean[:, has_history] = chosen.mean(axis=2)
        sd[:, has_history] = chosen.std(axis=2, ddof=1)
    return mean, sd


def ears_c(
    observed: Any,
    time_points: Any = None,
    *,
    method: str = "C1",
    baseline: int = 7,
    alpha: float | None = None,
    min_sigma: float = 0.0,
) -> DetectionResult:
    """EARS C1/C2/C3 upper bounds and alarms for the weeks in ``time_points`` (0-based).

    C1 compares a week with the mean and SD of the ``baseline`` weeks just before it, C2 does the
    same after skipping two weeks, and C3 accumulates the positive excesses (minus one) of the C2
    statistic of the two preceding weeks.  Upper bound = mean + z(1-alpha) * max(SD, min_sigma);
    alarm when the observed count exceeds it.  ``alpha`` defaults to 0.001 (C1, C2) or 0.025 (C3).

    Reference: Hutwagner L, Thompson W, Seeman GM, Treadwell T (2003). The bioterrorism
    preparedness and response Early Aberration Reporting System (EARS). J Urban Health 80:i89-96;
    Fricker RD, Hegler BL, Dunfee DA (2008). Stat Med 27:3407-29.

    Matches R ``earsC`` (surveillance 1.20.3), including its C3 bound
    ``max(0, y_t + SD_t * (z - lag excess))``, which is anchored at the observed count rather
    than at the baseline mean, so a C3 alarm depends only on the two lagged C2 excesses.
    With ``min_sigma=0`` a constant baseline makes the C3 statistic infinite or undefined; the
    bound then follows R's IEEE arithmetic (0 after an infinite excess, NaN with a reason for
    0/0).  Deliberate differences: (1) weeks without enough history, or with a missing count in
    their baseline, get a NaN bound and a reason instead of stopping the whole call (R) or an NA
    bound; (2) non-contiguous ``time_points`` use the true lagged weeks for C3 (R assumes a
    contiguous range).
    """
    counts = as_count_series(observed)
    return ears_c_many(
        counts[None, :],
        time_points,
        method=method,
        baseline=baseline,
        alpha=alpha,
        min_sigma=min_sigma,
    )[0]


def ears_c_many(
    observed: Any,
    time_points: Any = None,
    *,
    method: str = "C1",
    baseline: int = 7,
    alpha: float | None = None,
    min_sigma: float = 0.0,
) -> list[DetectionResult]:
    """:func:`ears_c` for many series (2-d array: series x time), vectorised over series."""
    counts = as_count_matrix(observed)
    method = str(method).upper()
    if method not in _GAP:
        raise DetectionInputError(f"method must be one of C1, C2, C3, got {method!r}")
    baseline = check_positive_int(baseline, "baseline", minimum=3)
    if not np.isfinite(min_sigma) or min_sigma < 0:
        raise DetectionInputError("min_sigma must be a finite number >= 0")
    if alpha is None:
        alpha = 0.025 if method == "C3" else 0.001
    alpha = check_probability(alpha, "alpha")
    n_time = counts.shape[1]
    max_lag = baseline + _GAP[method] + (2 if method == "C3" else 0)
    times = as_time_points(time_points, n_time, default=np.arange(min(max_lag, n_time - 1), n_time))
    z_alpha = stats.norm.ppf(1.0 - alpha)

    mean, sd = _baseline_stats(counts, times, baseline, _GAP[method])
    scale = np.maximum(sd, min_sigma)
    current = counts[:, times]
    if method in ("C1", "C2"):
        upper = mean + z_alpha * scale
    else:
        upper = _c3_upperbound(counts, times, baseline, min_sigma, z_alpha, scale)

    # Every count from max_lag weeks back up to (excluding) the gap enters the statistic.
    missing_before = np.concatenate(
        [np.zeros((counts.shape[0], 1)), np.cumsum(np.isnan(counts), axis=1)], axis=1
    )
    span_end = times - (_GAP[method] if method != "C3" else 0)
    span_start = np.maximum(times - max_lag, 0)
    missing_in_span = missing_before[:, span_end] - missing_before[:, span_start] > 0
    has_history = np.broadcast_to(times - max_lag >= 0, current.shape)
    codes = np.select(
        [~has_history, missing_in_span, np.isnan(current), np.isnan(upper)],
        [1, 2, 3, 4],
        default=0,
    )
    upper = np.where((codes == 1) | (codes == 2), np.nan, upper)
    with np.errstate(invalid="ignore"):
        alarm = (codes == 0) & (current > upper)
    control = {"method": method, "baseline": baseline, "alpha": alpha, "min_sigma": min_sigma}
    return [
        DetectionResult(
            algorithm=f"ears_{method}",
            time_index=times,
            observed=current[s],
            upperbound=upper[s],
            alarm=alarm[s],
            reason=reasons_from_codes(codes[s], _REASONS),
            extra={"baseline_mean": mean[s], "baseline_sd": sd[s]},
            control=control,
        )
        for s in range(counts.shape[0])
    ]


def _c3_upperbound(
    counts: np.ndarray,
    times: np.ndarray,
    baseline: int,
    min_sigma: float,
    z_alpha: float,
    scale_now: np.ndarray,
) -> np.ndarray:
    """R's C3 bound; NaN where R's arithmetic gives NaN (e.g. 0/0 with a constant baseline)."""
    lagged_excess = np.zeros(scale_now.shape)
    for lag in (1, 2):
        lag_times = np.maximum(times - lag, 0)
        mean, sd = _baseline_stats(counts, lag_times, baseline, 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            c2 = (counts[:, lag_times] - mean) / np.maximum(sd, min_sigma)
            # IEEE arithmetic as in R: a count above a constant baseline gives an infinite
            # excess, below it none, and equal to it 0/0 = NaN (bound undefined).
            lagged_excess += np.maximum(0.0, c2 - 1.0)
    with np.errstate(invalid="ignore"):
        upper = counts[:, times] + scale_now * (z_alpha - lagged_excess)
    return np.where(np.isnan(upper), np.nan, np.maximum(0.0, upper))
