"""Farrington et al. (1996) outbreak detection, as R's ``surveillance::farrington``."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from ._base import (
    DetectionInputError,
    DetectionResult,
    Reason,
    as_count_series,
    as_time_points,
    check_positive_int,
    check_probability,
)
from ._calendar import as_epoch_dates, reference_points, relative_time, years_back
from ._farrington_core import BaselineRows, GlmSettings, power_transform_bound, predict_baselines
from ._glm import inverse_link

__all__ = ["farrington", "POWER_TRANSFORMS", "check_limit54", "limit54_codes"]

POWER_TRANSFORMS = ("2/3", "1/2", "none")


def check_limit54(limit54: Any) -> tuple[int, int]:
    """Validate the (cases, weeks) pair of the "at least 5 cases in the last 4 weeks" rule."""
    try:
        cases, weeks = (int(v) for v in limit54)
    except (TypeError, ValueError):
        raise DetectionInputError("limit54 must be a pair of integers (cases, weeks)") from None
    if cases < 0 or weeks < 1:
        raise DetectionInputError("limit54 needs cases >= 0 and weeks >= 1")
    return cases, weeks


def limit54_codes(counts: np.ndarray, times: np.ndarray, limit54: tuple[int, int]) -> np.ndarray:
    """Per (series, week): 0 if the limit54 rule is met, else 1 = too early, 2 = missing
    counts in the recent weeks, 3 = too few cases.  ``counts`` is (series, time)."""
    cases, weeks = limit54
    filled = np.concatenate([np.zeros((counts.shape[0], 1)), np.nan_to_num(counts)], axis=1)
    missing = np.concatenate([np.zeros((counts.shape[0], 1)), np.isnan(counts)], axis=1)
    total, n_missing = np.cumsum(filled, axis=1), np.cumsum(missing, axis=1)
    first = np.maximum(times - weeks + 1, 0)
    recent = total[:, times + 1] - total[:, first]
    absent = n_missing[:, times + 1] - n_missing[:, first]
    too_early = np.broadcast_to(times - weeks + 1 < 0, recent.shape)
    return np.select([too_early, absent > 0, recent < cases], [1, 2, 3], default=0)


_LIMIT54_REASONS = (None, Reason.SHORT_HISTORY, Reason.MISSING_RECENT, Reason.FEW_CASES)


def _window_rows(
    times: np.ndarray, b: int, w: int, freq: int, dates: np.ndarray | None
) -> tuple[BaselineRows, list[str | None]]:
    rows: list[np.ndarray] = []
    levels: list[np.ndarray] = []
    wtimes: list[np.ndarray] = []
    problems: list[str | None] = []
    for k in times:
        refs = reference_points(int(k), b, freq, dates)
        if refs is None or refs[-1] - w < 0:
            too_early = dates is None or refs is not None or years_back(dates[k], b) < dates[0]
            rows.append(np.zeros(0, dtype=int))
            problems.append(Reason.SHORT_HISTORY if too_early else Reason.NO_REFERENCE)
        else:
            offsets = np.arange(-w, w + 1)
            rows.append((refs[1:, None] + offsets[None, :]).ravel())
            problems.append(None)
        levels.append(np.zeros(rows[-1].size, dtype=int))
        wtimes.append(relative_time(rows[-1], int(k), dates))
    return BaselineRows.from_lists(rows, levels, wtimes, n_levels=1), problems


def farrington(
    observed: Any,
    time_points: Any = None,
    *,
    freq: int = 52,
    dates: Any = None,
    b: int = 5,
    w: int = 3,
    reweight: bool = True,
    alpha: float = 0.05,
    trend: bool = True,
    limit54: tuple[int, int] = (5, 4),
    power_transform: str = "2/3",
) -> DetectionResult:
    """Farrington (1996) upper bound and alarm for each week in ``time_points`` (0-based).

    For week t the baseline is the ``2w+1`` weeks centred on the same week in each of the last
    ``b`` years (``freq`` periods per year, or calendar years when ``dates`` are given).  A
    quasi-Poisson log-linear model with a linear time trend is fitted; past outbreaks are
    down-weighted by refitting with weights from the standardised Anscombe residuals (if
    ``reweight``).  The trend is dropped unless it is significant at 5%, b >= 3 and the
    prediction does not exceed the largest baseline count.  The upper bound is the
    ``1 - alpha/2`` prediction limit on the 2/3-power scale (``power_transform``: "2/3", "1/2"
    or "none").  Weeks with fewer than ``limit54[0]`` cases in the last ``limit54[1]`` weeks get
    bound 0 and no alarm (as R).  Extra per-week fields: ``expected``, ``score`` (exceedance
    score, alarm when > 1), ``trend`` (bool), ``phi``, ``lowerbound``.

    Reference: Farrington CP, Andrews NJ, Beale AD, Catchpole MA (1996). A statistical algorithm
    for the early detection of outbreaks of infectious disease. JRSS A 159:547-63.

    Deliberate differences from R ``algo.farrington`` (surveillance 1.20.3): weeks whose
    reference windows reach before the series start get a NaN bound and a reason (R uses the
    remaining windows and warns); missing counts are left out of the fit (R fails); a missing
    count in the limit54 window gives a NaN bound and a reason; monthly ``dates`` are matched
    by calendar day without R's day-of-month correction.
    """
    counts = as_count_series(observed)
    freq = check_positive_int(freq, "freq")
    b = check_positive_int(b, "b")
    w = check_positive_int(w, "w", minimum=0)
    alpha = check_probability(alpha, "alpha")
    limit54 = check_limit54(limit54)
    if power_transform not in POWER_TRANSFORMS:
        raise DetectionInputError(f"power_transform must be one of {POWER_TRANSFORMS}")
    epochs = as_epoch_dates(dates, counts.size)
    default = np.arange(min(freq * b + w, counts.size - 1), counts.size)
    times = as_time_points(time_points, counts.size, default=default)

    base, problems = _window_rows(times, b, w, freq, epochs)
    settings = GlmSettings(
        trend=bool(trend),
        reweight=bool(reweight),
        weights_threshold=1.0,
        p_threshold_trend=0.05,
        b=b,
        fail_on_no_convergence=False,
    )
    prediction = predict_baselines(base, counts[None, :], settings)

    mu0 = inverse_link(prediction.eta)
    # R passes phi = max(dispersion, 1) to predict(), so the SE of mu0 uses phi.
    se_mu0 = np.sqrt(prediction.var_unscaled * prediction.phi) * mu0
    z = stats.norm.ppf(1 - alpha / 2)
    lower, upper, _, _ = power_transform_bound(mu0, se_mu0, prediction.phi, z, power_transform)
    current = counts[times]
    with np.errstate(divide="ignore", invalid="ignore"):
        score = (current - mu0) / (upper - mu0)

    recent = [_LIMIT54_REASONS[code] for code in limit54_codes(counts[None], times, limit54)[0]]
    reason: list[str | None] = []
    bound = upper.copy()
    for i in range(times.size):
        why = problems[i]
        if why is None and prediction.failed[i]:
            why = Reason.NO_CONVERGENCE
        if why is None and recent[i] == Reason.FEW_CASES:
            # R reports bound 0 and score 0 whatever the fit, even a degenerate one.
            why, bound[i], score[i] = recent[i], 0.0, 0.0
        elif why is None and recent[i] is not None:
            why = recent[i]
        elif why is None and not (np.isfinite(upper[i]) and mu0[i] > 0):
            why = Reason.DEGENERATE_FIT
        elif why is None and np.isnan(current[i]):
            why = Reason.MISSING_OBSERVED
        if why is not None and why not in (Reason.FEW_CASES, Reason.MISSING_OBSERVED):
            bound[i], score[i] = np.nan, np.nan
        reason.append(why)
    alarm = np.array([r is None for r in reason]) & (np.nan_to_num(score, nan=0.0) > 1)
    return DetectionResult(
        algorithm="farrington",
        time_index=times,
        observed=current,
        upperbound=bound,
        alarm=alarm,
        reason=tuple(reason),
        extra={
            "expected": mu0,
            "score": score,
            "trend": prediction.trend_used,
            "phi": prediction.phi,
            "lowerbound": lower,
        },
        control={
            "b": b,
            "w": w,
            "freq": freq,
            "reweight": reweight,
            "alpha": alpha,
            "trend": trend,
            "limit54": limit54,
            "power_transform": power_transform,
        },
    )
