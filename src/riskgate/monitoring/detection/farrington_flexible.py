"""Flexible Farrington with the Noufaily et al. (2013) improvements (R ``farringtonFlexible``)."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special, stats

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
from ._calendar import as_epoch_dates, reference_points, relative_time, years_back
from ._farrington_core import (
    BaselinePrediction,
    BaselineRows,
    GlmSettings,
    negative_binomial_bound,
    power_transform_bound,
    predict_baselines,
)
from ._glm import inverse_link
from .farrington import POWER_TRANSFORMS, check_limit54, limit54_codes

__all__ = ["farrington_flexible", "farrington_flexible_many", "FLEXIBLE_PRESETS"]

THRESHOLD_METHODS = ("delta", "nbPlugin", "muan")

#: The two settings of the ``monitoringCounts`` vignette (Salmon, Schumacher, Hoehle 2016).
FLEXIBLE_PRESETS: dict[str, dict[str, Any]] = {
    "original": {
        "no_periods": 1,
        "b": 4,
        "w": 3,
        "weights_threshold": 1.0,
        "past_weeks_not_included": 3,
        "p_threshold_trend": 0.05,
        "trend": True,
        "threshold_method": "delta",
        "alpha": 0.1,
    },
    "noufaily": {
        "no_periods": 10,
        "b": 4,
        "w": 3,
        "weights_threshold": 2.58,
        "past_weeks_not_included": 26,
        "p_threshold_trend": 1.0,
        "trend": True,
        "threshold_method": "nbPlugin",
        "alpha": 0.1,
    },
}


def _seasonal_rows(
    k: int, refs: np.ndarray, w: int, no_periods: int, past_weeks_not_included: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """Baseline rows and their seasonal level for week ``k`` (None if history is too short).

    Windows of ``2w+1`` weeks around each reference week form the last level; with
    ``no_periods > 1`` the weeks between consecutive windows are split into ``no_periods - 1``
    blocks of (almost) equal length, the earlier blocks taking the remainder (Noufaily 2013).
    The last ``past_weeks_not_included`` weeks and week ``k`` itself are left out.
    """
    oldest = int(refs[-1]) - w
    if oldest < 0:
        return None
    window_level = no_periods - 1
    level = np.full(k - oldest + 1, -1)

    def assign(first: int, last: int, value: int) -> None:
        level[max(first, oldest) - oldest : last - oldest + 1] = value

    assign(k - w, k, window_level)
    for later, ref in zip(refs[:-1], refs[1:], strict=True):
        assign(ref - w, ref + w, window_level)
        if no_periods > 1:
            gap = int(later) - 2 * w - 1 - int(ref)
            if gap < no_periods - 1:
                raise DetectionInputError(
                    f"no_periods={no_periods} is too large: only {gap} weeks lie between the "
                    f"reference windows (need at least {no_periods - 1})"
                )
            length, rest = divmod(gap, no_periods - 1)
            start = int(ref) + w + 1
            for block in range(no_periods - 1):
                size = length + (1 if block < rest else 0)
                assign(start, start + size - 1, block)
                start += size
    level[max(k - past_weeks_not_included, oldest) - oldest :] = -1
    keep = level >= 0
    return np.flatnonzero(keep) + oldest, level[keep]


def _baselines(
    times: np.ndarray, b: int, w: int, freq: int, epochs: np.ndarray | None, no_periods: int,
    past_weeks: int,
) -> tuple[BaselineRows, list[str | None]]:
    rows: list[np.ndarray] = []
    levels: list[np.ndarray] = []
    wtimes: list[np.ndarray] = []
    problems: list[str | None] = []
    for k in times:
        refs = reference_points(int(k), b, freq, epochs)
        built = None if refs is None else _seasonal_rows(int(k), refs, w, no_periods, past_weeks)
        if built is None:
            # Reference weeks inside the series but missing from an irregular date axis
            # are a different problem from a series that starts too late.
            missing = refs is None and epochs is not None and years_back(epochs[k], b) >= epochs[0]
            problems.append(Reason.NO_REFERENCE if missing else Reason.SHORT_HISTORY)
            continue
        problems.append(None)
        rows.append(built[0])
        levels.append(built[1])
        wtimes.append(relative_time(built[0], int(k), epochs))
    return BaselineRows.from_lists(rows, levels, wtimes, n_levels=no_periods), problems


def farrington_flexible(
    observed: Any,
    time_points: Any = None,
    *,
    freq: int = 52,
    dates: Any = None,
    population: Any = None,
    **control: Any,
) -> DetectionResult:
    """Flexible Farrington / Noufaily upper bounds and alarms for the weeks in ``time_points``.

    Control (R names in brackets; defaults as R): ``b=5``, ``w=3``, ``reweight=True``,
    ``weights_threshold=2.58``, ``alpha=0.05``, ``trend=True``, ``p_threshold_trend=0.05``,
    ``limit54=(5, 4)``, ``power_transform="2/3"``, ``population_offset=False``,
    ``no_periods=1`` [noPeriods], ``past_weeks_not_included=w``, ``threshold_method="delta"``
    ("delta" = Farrington's 2/3-power bound, one-sided; "nbPlugin" = negative binomial quantile
    with plugged-in mean (Noufaily 2013; called "Noufaily" in newer R); "muan" = the same with the
    upper confidence limit of the mean).  ``FLEXIBLE_PRESETS`` holds the vignette's "original"
    and "noufaily" settings.  Alarm when the score > 1 and the count is not zero; weeks failing
    the limit54 rule get a NaN bound and no alarm, as in R.  Extra fields: ``expected``,
    ``score``, ``pvalue``, ``trend``, ``trend_coefficient``, ``phi``, ``mu0_quantile``.

    References: Farrington et al. (1996) JRSS A 159:547-63; Noufaily A, Enki DG, Farrington P,
    Garthwaite P, Andrews N, Charlett A (2013). An improved algorithm for outbreak detection in
    multiple surveillance systems. Stat Med 32:1206-22.

    Follows R ``farringtonFlexible`` (surveillance 1.20.3) including a quirk: the SE of the
    prediction uses the raw dispersion estimate, not ``max(phi, 1)`` (R passes ``dispersion``
    inside ``newdata``, where ``predict.glm`` ignores it).  Deliberate differences: weeks with
    too little history or missing reference weeks get a NaN bound and a reason instead of an
    error for the whole call; the trend time is measured from the evaluated week, so a missing
    first baseline count cannot shift the prediction time as it does in R.
    """
    counts = as_count_series(observed)
    return farrington_flexible_many(
        counts[None, :],
        time_points,
        freq=freq,
        dates=dates,
        population=None if population is None else np.asarray(population, dtype=float)[None, :],
        **control,
    )[0]


def _control(control: dict[str, Any]) -> dict[str, Any]:
    defaults = {
        "b": 5,
        "w": 3,
        "reweight": True,
        "weights_threshold": 2.58,
        "alpha": 0.05,
        "trend": True,
        "p_threshold_trend": 0.05,
        "limit54": (5, 4),
        "power_transform": "2/3",
        "population_offset": False,
        "no_periods": 1,
        "past_weeks_not_included": None,
        "threshold_method": "delta",
    }
    unknown = set(control) - set(defaults)
    if unknown:
        raise DetectionInputError(f"unknown control parameter(s): {sorted(unknown)}")
    out = {**defaults, **control}
    out["b"] = check_positive_int(out["b"], "b")
    out["w"] = check_positive_int(out["w"], "w", minimum=0)
    out["no_periods"] = check_positive_int(out["no_periods"], "no_periods")
    if out["past_weeks_not_included"] is None:
        out["past_weeks_not_included"] = out["w"]
    out["past_weeks_not_included"] = check_positive_int(
        out["past_weeks_not_included"], "past_weeks_not_included", minimum=0
    )
    out["alpha"] = check_probability(out["alpha"], "alpha")
    out["limit54"] = check_limit54(out["limit54"])
    if out["threshold_method"] == "Noufaily":
        out["threshold_method"] = "nbPlugin"
    if out["threshold_method"] not in THRESHOLD_METHODS:
        raise DetectionInputError(f"threshold_method must be one of {THRESHOLD_METHODS}")
    if out["power_transform"] not in POWER_TRANSFORMS:
        raise DetectionInputError(f"power_transform must be one of {POWER_TRANSFORMS}")
    if not np.isfinite(out["weights_threshold"]) or out["weights_threshold"] <= 0:
        raise DetectionInputError("weights_threshold must be a positive number")
    if not 0 < float(out["p_threshold_trend"]) <= 1:
        raise DetectionInputError("p_threshold_trend must lie in (0, 1]")
    return out


def farrington_flexible_many(
    observed: Any,
    time_points: Any = None,
    *,
    freq: int = 52,
    dates: Any = None,
    population: Any = None,
    **control: Any,
) -> list[DetectionResult]:
    """``farrington_flexible`` for many series on the same time axis, fitted in shared batches.

    ``observed`` is (series, time); the result list has one entry per series.
    """
    counts = as_count_matrix(observed)
    n_time = counts.shape[1]
    c = _control(control)
    freq = check_positive_int(freq, "freq")
    epochs = as_epoch_dates(dates, n_time)
    default = np.arange(min(freq * c["b"] + c["w"], n_time - 1), n_time)
    times = as_time_points(time_points, n_time, default=default)

    pop = None
    if c["population_offset"]:
        if population is None:
            raise DetectionInputError("population_offset=True needs a population")
        pop = np.broadcast_to(np.asarray(population, dtype=float), counts.shape)
        if not np.all(np.isfinite(pop) & (pop > 0)):
            raise DetectionInputError("population must be finite and positive")

    base, problems = _baselines(
        times, c["b"], c["w"], freq, epochs, c["no_periods"], c["past_weeks_not_included"]
    )
    fitted = np.array([p is None for p in problems])
    settings = GlmSettings(
        trend=bool(c["trend"]),
        reweight=bool(c["reweight"]),
        weights_threshold=float(c["weights_threshold"]),
        p_threshold_trend=float(c["p_threshold_trend"]),
        b=c["b"],
        fail_on_no_convergence=True,
        summary_uses_prior_weights=True,
    )
    n_series, n_weeks = counts.shape[0], times.size
    values = _empty_week_values(n_series, n_weeks)
    if fitted.any():
        pred = predict_baselines(
            base,
            counts,
            settings,
            population=pop,
            population_now=None if pop is None else pop[:, times[fitted]],
        )
        _thresholds(values, fitted, pred, counts[:, times[fitted]], c)
    return _assemble(counts, times, problems, values, c, freq)


def _empty_week_values(n_series: int, n_weeks: int) -> dict[str, np.ndarray]:
    keys = ("upper", "score", "pvalue", "expected", "phi", "trend_coef", "mu0_quantile")
    values = {key: np.full((n_series, n_weeks), np.nan) for key in keys}
    values["trend"] = np.zeros((n_series, n_weeks), dtype=bool)
    values["failed"] = np.zeros((n_series, n_weeks), dtype=bool)
    return values


def _thresholds(values: dict[str, np.ndarray], fitted: np.ndarray, pred: BaselinePrediction,
                y: np.ndarray, c: dict[str, Any]) -> None:
    """Upper bounds, scores and p-values of all fitted (series, week) cells at once."""
    shape = y.shape
    eta, var = pred.eta.reshape(shape), pred.var_unscaled.reshape(shape)
    phi, dispersion = pred.phi.reshape(shape), pred.dispersion.reshape(shape)
    alpha = c["alpha"]
    # R's predict() call drops the dispersion argument, so the raw estimate scales the SE.
    se_eta = np.sqrt(var * dispersion)
    if c["threshold_method"] == "delta":
        mu0 = inverse_link(eta)
        _, upper, se, exponent = power_transform_bound(
            mu0, se_eta * mu0, phi, stats.norm.ppf(1 - alpha), c["power_transform"]
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            score = (y - mu0) / (upper - mu0)
            pvalue = special.ndtr(-(y**exponent - mu0**exponent) / se)
        expected = mu0
        with np.errstate(over="ignore"):
            mu0_quantile = np.exp(eta + se_eta * special.ndtri(1 - alpha))
    else:
        upper, pvalue = negative_binomial_bound(eta, se_eta, phi, alpha, y, c["threshold_method"])
        with np.errstate(divide="ignore", invalid="ignore"):
            score = (y - eta) / (upper - eta)  # R uses the linear predictor here
        expected = np.exp(eta)
        with np.errstate(over="ignore"):
            mu0_quantile = (
                np.exp(eta)
                if c["threshold_method"] == "nbPlugin"
                else np.exp(eta + se_eta * special.ndtri(1 - alpha))
            )
    columns = {
        "upper": upper,
        "score": score,
        "pvalue": pvalue,
        "expected": expected,
        "phi": phi,
        "trend": pred.trend_used.reshape(shape),
        "trend_coef": pred.trend_coef.reshape(shape),
        "mu0_quantile": mu0_quantile,
        "failed": pred.failed.reshape(shape),
    }
    for key, column in columns.items():
        values[key][:, fitted] = column


_REASONS = (
    None,
    Reason.SHORT_HISTORY,
    Reason.NO_REFERENCE,
    Reason.NO_CONVERGENCE,
    Reason.DEGENERATE_FIT,
    Reason.MISSING_RECENT,
    Reason.FEW_CASES,
    Reason.MISSING_OBSERVED,
)


def _assemble(counts: np.ndarray, times: np.ndarray, problems: list[str | None],
              values: dict[str, np.ndarray], c: dict[str, Any],
              freq: int) -> list[DetectionResult]:
    current = counts[:, times]
    shape = current.shape
    problem_code = np.array([_REASONS.index(p) for p in problems])
    recent = limit54_codes(counts, times, c["limit54"])
    recent_code = np.choose(recent, [0, 1, 5, 6])  # ok, short, missing, few -> reason index
    codes = np.select(
        [
            np.broadcast_to(problem_code > 0, shape),
            values["failed"],
            ~np.isfinite(values["upper"]),
            recent_code > 0,
            np.isnan(current),
        ],
        [np.broadcast_to(problem_code, shape), 3, 4, recent_code, 7],
        default=0,
    )
    blank = (codes > 0) & (codes != 7)
    for key in ("upper", "score", "expected"):
        values[key][blank] = np.nan
    with np.errstate(invalid="ignore"):
        # R's score for the negative-binomial bounds divides by (bound − linear predictor); with
        # extreme counts the predictor can exceed the bound and the score then says "alarm" for
        # a count below it. An alarm is never at or below the bound (the same on ordinary data).
        alarm = ((codes == 0) & (values["score"] > 1) & (current != 0)
                 & (current > values["upper"]))
    extra_keys = {
        "expected": "expected",
        "score": "score",
        "pvalue": "pvalue",
        "trend": "trend",
        "trend_coefficient": "trend_coef",
        "phi": "phi",
        "mu0_quantile": "mu0_quantile",
    }
    control = {**c, "freq": freq}
    return [
        DetectionResult(
            algorithm=f"farrington_flexible_{c['threshold_method']}",
            time_index=times,
            observed=current[s],
            upperbound=values["upper"][s],
            alarm=alarm[s],
            reason=reasons_from_codes(codes[s], _REASONS),
            extra={name: values[key][s] for name, key in extra_keys.items()},
            control=control,
        )
        for s in range(shape[0])
    ]
