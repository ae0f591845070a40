"""Poisson CUSUM on standardised counts, as R's ``surveillance::cusum`` (``algo.cusum``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._base import (
    DetectionInputError,
    DetectionResult,
    Reason,
    as_count_matrix,
    as_count_series,
    as_time_points,
    check_positive_int,
    reasons_from_codes,
)
from ._glm import fit_log_linear, inverse_link

__all__ = ["cusum", "cusum_many", "CUSUM_TRANSFORMS"]

_REASONS = (None, Reason.SHORT_HISTORY, Reason.ZERO_MEAN, Reason.MISSING_OBSERVED)

CUSUM_TRANSFORMS = ("standard", "rossi", "anscombe", "anscombe2nd", "pearsonNegBin", "none")


def _standardise(x: np.ndarray, m: np.ndarray, transform: str, alpha: float) -> np.ndarray:
    # The arithmetic order follows R so that the integer upper bounds agree bit for bit.
    z: np.ndarray  # (NumPy types some of these expressions as Any)
    if transform == "rossi":
        z = (x - 3 * m + 2 * np.sqrt(x * m)) / (2 * np.sqrt(m))
    elif transform == "standard":
        z = (x - m) / np.sqrt(m)
    elif transform == "anscombe":
        z = 3 / 2 * (x ** (2 / 3) - m ** (2 / 3)) / m ** (1 / 6)
    elif transform == "anscombe2nd":
        z = (x ** (2 / 3) - (m ** (2 / 3) - m ** (-1 / 3) / 9)) / (2 / 3 * m ** (1 / 6))
    elif transform == "pearsonNegBin":
        z = (x - m) / np.sqrt(m + alpha * m**2)
    else:
        z = x.copy()
    return z


def _case_bound(
    m: np.ndarray,
    previous: np.ndarray,
    h: float,
    k: float,
    transform: str,
    alpha: float,
    statistic: np.ndarray,
) -> np.ndarray:
    """Count that would make the CUSUM reach ``h`` this week (R's ``upperbound``)."""
    reach = h + k - previous
    if transform == "rossi":
        bound = (
            2 * h * m ** (1 / 2)
            + 2 * k * m ** (1 / 2)
            - 2 * previous * m ** (1 / 2)
            + 5 * m
            - 2
            * (4 * m**2 + 2 * m ** (3 / 2) * h + 2 * m ** (3 / 2) * k - 2 * m ** (3 / 2) * previous)
            ** (1 / 2)
        )
    elif transform == "standard":
        bound = np.ceil(np.sqrt(m) * reach + m)
    elif transform == "anscombe":
        base = (2 / 3) * m ** (1 / 6) * reach + m ** (2 / 3)
        bound = np.where(base < 0, 0.0, np.abs(base) ** (3 / 2))
    elif transform == "anscombe2nd":
        base = (2 / 3) * m ** (1 / 6) * reach + (m ** (2 / 3) - m ** (1 / 3) / 9)
        bound = np.where(base < 0, 0.0, np.abs(base) ** (3 / 2))
    elif transform == "pearsonNegBin":
        bound = np.sqrt(m + alpha * m**2) * reach + m
    else:
        bound = h - statistic
    bound = np.where(np.isnan(bound), 0.0, bound)
    return np.maximum(bound, 0.0)


def seasonal_poisson_mean(
    counts: np.ndarray, train_end: int, times: np.ndarray, freq: int, start_period: int
) -> np.ndarray:
    """In-control means (series x times) from ``log mu = a + b cos(2 pi t/freq) + c sin(...)``.

    ``t`` counts periods from the start of the year of the first observation (R's
    ``start[2] + index - 1``); the model is fitted on the weeks before ``train_end``.
    """
    train = np.arange(train_end)

    def design(index: np.ndarray) -> np.ndarray:
        t = start_period + index  # R: start[2] + (1-based index) - 1
        angle = 2 * np.pi / freq * t
        return np.column_stack([np.ones(index.size), np.cos(angle), np.sin(angle)])

    observed = counts[:, train]
    valid = ~np.isnan(observed)
    matrix = np.broadcast_to(design(train), (counts.shape[0], train.size, 3))
    fit = fit_log_linear(matrix, np.where(valid, observed, 0.0), valid.astype(float))
    return inverse_link(fit.coef @ design(times).T)


def cusum(
    observed: Any,
    time_points: Any,
    *,
    k: float = 1.04,
    h: float = 2.26,
    reference_mean: float | np.ndarray | str | None = None,
    transform: str = "standard",
    alpha: float | None = None,
    freq: int = 52,
    start_period: int = 1,
) -> DetectionResult:
    """Upper CUSUM ``S_t = max(0, S_{t-1} + z_t - k)`` of standardised counts; alarm if S_t >= h.

    ``z_t`` standardises the count with the in-control mean ``m``: by default the mean of all
    weeks before the first monitored week (R's ``m=NULL``), a number or per-week array, or
    ``"glm"`` for a Poisson regression with one harmonic fitted on that history.  The statistic is
    not reset after an alarm (as in R).  ``upperbound`` is the count that would raise an alarm in
    that week given the previous statistic; with the standard transform it is an integer and the
    alarm condition is ``observed >= upperbound``.

    Reference: Rossi G, Lampugnani L, Marchi M (1999). An approximate CUSUM procedure for
    surveillance of health events. Stat Med 18:2111-22; Page ES (1954). Biometrika 41:100-15.

    Deliberate differences from R ``algo.cusum`` (surveillance 1.20.3): the reference mean
    ignores missing weeks (R returns NA everywhere); a missing monitored week leaves the
    statistic unchanged and raises no alarm (R propagates NA to all later weeks); a zero
    reference mean gives NaN bounds and no alarms with a reason (R divides by zero and reports
    bound 0); the ``anscombeNegBin`` transform is not implemented.
    """
    counts = as_count_series(observed)
    return cusum_many(
        counts[None, :],
        time_points,
        k=k,
        h=h,
        reference_mean=reference_mean,
        transform=transform,
        alpha=alpha,
        freq=freq,
        start_period=start_period,
    )[0]


def cusum_many(
    observed: Any,
    time_points: Any,
    *,
    k: float = 1.04,
    h: float = 2.26,
    reference_mean: float | np.ndarray | str | None = None,
    transform: str = "standard",
    alpha: float | None = None,
    freq: int = 52,
    start_period: int = 1,
) -> list[DetectionResult]:
    """:func:`cusum` for many series (2-d array: series x time), vectorised over series.

    A numeric ``reference_mean`` may be a scalar, one value per week or a (series, weeks) array.
    """
    counts = as_count_matrix(observed)
    n_series, n_time = counts.shape
    times = as_time_points(time_points, n_time, default=np.arange(n_time))
    if transform not in CUSUM_TRANSFORMS:
        raise DetectionInputError(f"transform must be one of {CUSUM_TRANSFORMS}, got {transform!r}")
    if not (np.isfinite(k) and np.isfinite(h)) or h <= 0:
        raise DetectionInputError("k must be finite and h a finite positive number")
    alpha = 0.1 if alpha is None else float(alpha)
    freq = check_positive_int(freq, "freq")
    shape = (n_series, times.size)

    history = counts[:, : times[0]]
    observed_history = np.sum(~np.isnan(history), axis=1)
    if isinstance(reference_mean, str):
        if reference_mean != "glm":
            raise DetectionInputError("reference_mean must be None, a number, an array or 'glm'")
        m = np.full(shape, np.nan)
        enough = observed_history >= 3
        if enough.any():
            m[enough] = seasonal_poisson_mean(counts[enough], times[0], times, freq, start_period)
    elif reference_mean is None:
        with np.errstate(invalid="ignore", divide="ignore"):
            level = np.nansum(history, axis=1) / observed_history
        m = np.repeat(np.where(observed_history > 0, level, np.nan)[:, None], times.size, axis=1)
    else:
        try:
            m = np.broadcast_to(np.asarray(reference_mean, dtype=float), shape).copy()
        except ValueError:
            raise DetectionInputError(
                "reference_mean must be a scalar, one value per week or (series, weeks)"
            ) from None
        if np.any(m < 0):
            raise DetectionInputError("reference_mean must be non-negative")

    x = counts[:, times]
    with np.errstate(divide="ignore", invalid="ignore"):
        standardised = _standardise(x, m, transform, alpha)
    defined = np.isfinite(m) & (m > 0)
    usable = defined & ~np.isnan(x)
    statistic = np.zeros(shape)
    previous = np.zeros(shape)
    level = np.zeros(n_series)
    for i in range(times.size):
        previous[:, i] = level
        step = np.maximum(0.0, level + (standardised[:, i] - k))
        level = np.where(usable[:, i], step, level)
        statistic[:, i] = level
    alarm = usable & (statistic >= h)
    codes = np.select([~defined & np.isnan(m), ~defined, np.isnan(x)], [1, 2, 3], default=0)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        upper = _case_bound(m, previous, h, k, transform, alpha, statistic)
    upper[~defined] = np.nan
    control = {"k": k, "h": h, "transform": transform, "alpha": alpha}
    return [
        DetectionResult(
            algorithm=f"cusum_{transform}",
            time_index=times,
            observed=x[s],
            upperbound=upper[s],
            alarm=alarm[s],
            reason=reasons_from_codes(codes[s], _REASONS),
            extra={"cusum": statistic[s], "reference_mean": m[s]},
            control=control,
        )
        for s in range(n_series)
    ]
