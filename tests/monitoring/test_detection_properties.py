"""Property-based tests of the detection algorithms (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from riskgate.monitoring.detection import (
    FLEXIBLE_PRESETS,
    bayes,
    cusum,
    ears_c,
    farrington,
    farrington_flexible,
    glr_poisson,
    rki,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def counts(min_size: int, max_size: int, max_value: int = 60):
    return arrays(
        np.float64,
        st.integers(min_size, max_size),
        elements=st.integers(0, max_value).map(float),
    )


def sparse_counts(min_size: int, max_size: int):
    """Mostly zeros with occasional bursts: the hard case for the GLM fits."""
    return arrays(
        np.float64,
        st.integers(min_size, max_size),
        elements=st.sampled_from([0.0] * 8 + [1.0, 2.0, 5.0, 30.0]),
    )


def _check_common(result, strict: bool = True) -> None:
    """Alarms only in evaluated weeks and only above (or at) a finite, non-negative bound."""
    evaluated = np.array([r is None for r in result.reason])
    assert not result.alarm[~evaluated].any()
    bound = result.upperbound[result.alarm]
    assert np.all(np.isfinite(bound)) and np.all(bound >= 0)
    observed = result.observed[result.alarm]
    assert np.all(observed > bound) if strict else np.all(observed >= bound)
    finite = np.isfinite(result.upperbound)
    assert np.all(result.upperbound[finite] >= 0)


@FAST
@given(counts(12, 120), st.sampled_from(["C1", "C2", "C3"]), st.floats(0.0, 2.0))
def test_ears_alarm_semantics(y, method, min_sigma):
    result = ears_c(y, method=method, min_sigma=min_sigma)
    _check_common(result)
    if method != "C3":
        evaluated = np.array([r is None for r in result.reason])
        assert np.all(np.isfinite(result.upperbound[evaluated]))


@FAST
@given(counts(12, 120), st.integers(1, 20), st.integers(0, 50))
def test_ears_c1_c2_scale_and_shift_equivariance(y, scale, shift):
    for method in ("C1", "C2"):
        base = ears_c(y, method=method)
        scaled = ears_c(y * scale + shift, method=method)
        ok = np.isfinite(base.upperbound)
        np.testing.assert_allclose(
            scaled.upperbound[ok], base.upperbound[ok] * scale + shift, rtol=1e-9, atol=1e-9
        )


@FAST
@given(counts(12, 120), st.integers(1, 30))
def test_ears_results_do_not_depend_on_older_history(y, prefix_length):
    padded = np.concatenate([np.full(prefix_length, 7.0), y])
    base = ears_c(y, method="C1")
    shifted = ears_c(padded, base.time_index + prefix_length, method="C1")
    np.testing.assert_array_equal(base.alarm, shifted.alarm)
    np.testing.assert_allclose(base.upperbound, shifted.upperbound, equal_nan=True)


@FAST
@given(counts(30, 160, max_value=30), st.floats(0.0, 3.0), st.floats(0.5, 8.0))
def test_cusum_statistic_and_alarm_semantics(y, k, h):
    times = np.arange(y.size // 2, y.size)
    result = cusum(y, times, k=k, h=h)
    _check_common(result, strict=False)  # the CUSUM alarms at observed >= bound
    assert np.all(result.extra["cusum"] >= 0)
    evaluated = np.array([r is None for r in result.reason])
    np.testing.assert_array_equal(result.alarm[evaluated], result.extra["cusum"][evaluated] >= h)


@FAST
@given(counts(30, 160, max_value=30), st.floats(0.5, 4.0), st.floats(0.1, 3.0))
def test_cusum_higher_threshold_never_adds_alarms(y, h, extra):
    times = np.arange(y.size // 2, y.size)
    low, high = cusum(y, times, h=h), cusum(y, times, h=h + extra)
    assert not np.any(high.alarm & ~low.alarm)


@SLOW
@given(
    st.one_of(counts(170, 260, max_value=40), sparse_counts(170, 260)),
    st.sampled_from(["2/3", "1/2", "none"]),
    st.booleans(),
)
def test_farrington_never_crashes_and_bounds_are_sane(y, power, trend):
    times = np.arange(160, y.size)
    result = farrington(y, times, b=3, w=3, power_transform=power, trend=trend)
    _check_common(result)
    evaluated = np.array([r is None for r in result.reason])
    assert np.all(np.isfinite(result.upperbound[evaluated]))


@SLOW
@given(
    st.one_of(counts(240, 320, max_value=40), sparse_counts(240, 320)),
    st.sampled_from(["original", "noufaily"]),
    st.sampled_from(["delta", "nbPlugin", "muan"]),
)
def test_flexible_never_crashes_and_bounds_are_sane(y, preset, method):
    control = {**FLEXIBLE_PRESETS[preset], "b": 4, "threshold_method": method}
    result = farrington_flexible(y, np.arange(y.size - 30, y.size), **control)
    _check_common(result)
    assert not np.any(result.alarm & (result.observed == 0))


@SLOW
@given(counts(240, 300, max_value=25), st.integers(2, 5))
def test_noufaily_bounds_are_integers_and_scale_with_counts(y, factor):
    control = {**FLEXIBLE_PRESETS["noufaily"], "b": 4}
    times = np.arange(y.size - 20, y.size)
    result = farrington_flexible(y, times, **control)
    finite = np.isfinite(result.upperbound)
    np.testing.assert_array_equal(result.upperbound[finite], np.round(result.upperbound[finite]))
    # Multiplying all counts by a constant multiplies the fitted mean by the same constant.
    scaled = farrington_flexible(y * factor, times, **control)
    same_trend = result.extra["trend"] == scaled.extra["trend"]
    both = finite & np.isfinite(scaled.upperbound) & same_trend
    np.testing.assert_allclose(
        scaled.extra["expected"][both], factor * result.extra["expected"][both], rtol=1e-6
    )


@FAST
@given(counts(120, 200, max_value=30))
def test_rki_bayes_glr_alarm_semantics(y):
    times = np.arange(110, y.size)
    _check_common(rki(y, times))
    _check_common(bayes(y, times, b=1, w=3))
    _check_common(glr_poisson(y, times), strict=False)


@FAST
@given(st.one_of(counts(1, 60), sparse_counts(1, 60)))
def test_short_series_never_crash(y):
    for call in (
        lambda: ears_c(y, method="C3"),
        lambda: cusum(y, np.arange(y.size)),
        lambda: farrington(y, b=1, w=1, freq=12),
        lambda: farrington_flexible(y, b=1, w=1, freq=12),
        lambda: rki(y, b=1, w=1, freq=12),
        lambda: bayes(y),
        lambda: glr_poisson(y, np.arange(y.size)),
    ):
        result = call()
        assert result.alarm.shape == result.upperbound.shape == (len(result.reason),)
        assert not result.alarm[[r is not None for r in result.reason]].any()


@SLOW
@given(
    arrays(np.float64, 240, elements=st.sampled_from([0.0, 1.0, 1e4, 1e9, 1e13])),
    st.sampled_from(["delta", "nbPlugin", "muan"]),
)
def test_flexible_survives_extreme_counts(y, method):
    # Huge and wildly varying counts push the quantile search and the GLM to their limits.
    control = {**FLEXIBLE_PRESETS["noufaily"], "b": 4, "threshold_method": method}
    result = farrington_flexible(y, np.arange(220, 240), **control)
    _check_common(result)
