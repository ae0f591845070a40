"""Shared input validation, result types and reason codes for the detection algorithms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "DetectionInputError",
    "DetectionResult",
    "Reason",
    "as_count_matrix",
    "as_count_series",
    "as_time_points",
    "reasons_from_codes",
]


class DetectionInputError(ValueError):
    """Raised when the counts or the control parameters cannot be used by an algorithm."""


class Reason:
    """Texts explaining why a week was not (fully) evaluated; ``None`` means evaluated normally."""

    SHORT_HISTORY = "not enough history before this week for the baseline"
    MISSING_BASELINE = "missing (NaN) counts in the baseline"
    MISSING_OBSERVED = "observed count is missing (NaN)"
    ZERO_VARIANCE = "baseline has zero variance, the statistic is undefined"
    ZERO_MEAN = "baseline mean is zero, the standardised statistic is undefined"
    FEW_CASES = "fewer cases in the recent weeks than the limit54 rule requires"
    MISSING_RECENT = "missing (NaN) counts in the recent weeks used by the limit54 rule"
    NO_CONVERGENCE = "the GLM did not converge with or without time trend"
    NO_REFERENCE = "reference time points are not in the series"
    DEGENERATE_FIT = "the fitted baseline is degenerate (non-finite prediction)"


def _readonly(array: np.ndarray) -> np.ndarray:
    array = np.array(array, copy=True)
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class DetectionResult:
    """Per evaluated week: observed count, upper bound, alarm flag and an optional reason.

    ``time_index`` holds 0-based positions in the input series (R's ``range`` minus one).
    ``upperbound`` is NaN where the week could not be evaluated; ``alarm`` is then ``False``
    and ``reason`` says why.  ``extra`` holds algorithm-specific per-week arrays (e.g. the
    expected count, the exceedance score, the trend flag or the CUSUM statistic).
    """

    algorithm: str
    time_index: np.ndarray
    observed: np.ndarray
    upperbound: np.ndarray
    alarm: np.ndarray
    reason: tuple[str | None, ...]
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    control: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Freeze the arrays too, so that a result can be shared without defensive copies.
        object.__setattr__(self, "time_index", _readonly(np.asarray(self.time_index, dtype=int)))
        object.__setattr__(self, "observed", _readonly(np.asarray(self.observed, dtype=float)))
        object.__setattr__(self, "upperbound", _readonly(np.asarray(self.upperbound, dtype=float)))
        object.__setattr__(self, "alarm", _readonly(np.asarray(self.alarm, dtype=bool)))
        object.__setattr__(
            self, "extra", {key: _readonly(np.asarray(value)) for key, value in self.extra.items()}
        )
        sizes = {self.time_index.size, self.observed.size, self.upperbound.size, self.alarm.size}
        sizes.add(len(self.reason))
        sizes.update(value.shape[0] for value in self.extra.values())
        if len(sizes) != 1:
            raise ValueError(f"inconsistent per-week array lengths in result: {sorted(sizes)}")

    @property
    def evaluated(self) -> np.ndarray:
        """Boolean mask of the weeks evaluated without any caveat."""
        return np.array([reason is None for reason in self.reason], dtype=bool)

    @property
    def n_alarms(self) -> int:
        return int(self.alarm.sum())


def _check_counts(counts: np.ndarray, name: str) -> np.ndarray:
    if counts.size == 0 or counts.shape[-1] == 0:
        raise DetectionInputError(f"{name} is empty")
    if np.isinf(counts).any():
        raise DetectionInputError(f"{name} contains infinite values")
    with np.errstate(invalid="ignore"):
        negative = counts < 0
        fractional = np.isfinite(counts) & (counts != np.round(counts))
    if negative.any():
        first = tuple(int(i) for i in np.argwhere(negative)[0])
        raise DetectionInputError(
            f"{name} contains negative counts (first at index {first}: {counts[first]})"
        )
    if fractional.any():
        first = tuple(int(i) for i in np.argwhere(fractional)[0])
        raise DetectionInputError(
            f"{name} contains fractional counts (first at index {first}: {counts[first]}); "
            "counts must be whole numbers"
        )
    return counts


def _as_float(observed: Any, name: str) -> np.ndarray:
    try:
        return np.asarray(observed, dtype=float)
    except (TypeError, ValueError) as exc:
        raise DetectionInputError(f"{name} must be numeric counts: {exc}") from None


def as_count_series(observed: Any, *, name: str = "observed") -> np.ndarray:
    """Validate weekly counts: a 1-d array of non-negative whole numbers, NaN marking missing weeks.

    Negative, fractional or infinite counts raise :class:`DetectionInputError`; R's algorithms
    would silently compute with them, which can fabricate or hide alarms.
    """
    counts = _as_float(observed, name)
    if counts.ndim != 1:
        raise DetectionInputError(f"{name} must be a 1-d array of counts, got shape {counts.shape}")
    return _check_counts(counts, name)


def as_count_matrix(observed: Any, *, name: str = "observed") -> np.ndarray:
    """Validate many series on one time axis: a 2-d array (series, time) of counts (NaN missing)."""
    counts = _as_float(observed, name)
    if counts.ndim != 2:
        raise DetectionInputError(
            f"{name} must be a 2-d array (series, time), got shape {counts.shape}"
        )
    return _check_counts(counts, name)


def reasons_from_codes(codes: np.ndarray,
                       table: tuple[str | None, ...]) -> tuple[str | None, ...]:
    """Turn a row of integer reason codes into the per-week reason tuple of a result."""
    return tuple(table[code] for code in codes.tolist())


def as_time_points(time_points: Any, n_time: int, *, default: np.ndarray) -> np.ndarray:
    """Validate 0-based, strictly increasing positions to evaluate inside a series of ``n_time``."""
    if time_points is None:
        points = np.asarray(default, dtype=int)
    else:
        raw = np.asarray(time_points)
        if raw.ndim != 1:
            raise DetectionInputError("time_points must be a 1-d sequence of integer positions")
        if (
            raw.size
            and not np.issubdtype(raw.dtype, np.integer)
            and not np.all(np.equal(np.mod(raw.astype(float), 1), 0))
        ):
            raise DetectionInputError("time_points must be integer positions")
        points = raw.astype(int)
    if points.size == 0:
        raise DetectionInputError("time_points is empty")
    if points.min() < 0 or points.max() >= n_time:
        raise DetectionInputError(
            f"time_points must lie within 0..{n_time - 1} (0-based positions in the series)"
        )
    if np.any(np.diff(points) <= 0):
        raise DetectionInputError("time_points must be strictly increasing")
    return points


def check_positive_int(value: Any, name: str, minimum: int = 1) -> int:
    """Return ``value`` as int, or raise if it is not an integer of at least ``minimum``."""
    if isinstance(value, bool) or not float(value).is_integer() or int(value) < minimum:
        raise DetectionInputError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_probability(value: Any, name: str) -> float:
    """Return ``value`` as float, or raise if it is not strictly between 0 and 1."""
    number = float(value)
    if not 0.0 < number < 1.0:
        raise DetectionInputError(f"{name} must lie strictly between 0 and 1, got {number!r}")
    return number
