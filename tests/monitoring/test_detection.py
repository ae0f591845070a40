"""Detection algorithms against the R surveillance 1.20.3 reference outputs, and bad input."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from riskgate.monitoring.detection import (
    FLEXIBLE_PRESETS,
    DetectionInputError,
    Reason,
    bayes,
    cusum,
    ears_c,
    farrington,
    farrington_flexible,
    farrington_flexible_many,
    glr_poisson,
    rki,
)
from tests.monitoring.detection_fixtures import (
    read_newport_germany,
    read_reference,
    read_series,
    reference_names,
)

AGONA_RANGE = np.arange(259, 312)  # R: range = 260:312
NEWPORT_2011 = np.arange(365, 417)  # ISO year 2011 weeks of the national Newport series
EXACT, GLM = 1e-6, 1e-3  # acceptance: relative tolerance on the upper bounds


def _agona(call):
    return lambda: call(read_series("salmonella.agona"), AGONA_RANGE)


def _newport(call):
    def run():
        counts, dates = read_newport_germany()
        return call(counts, NEWPORT_2011, dates)

    return run


REFERENCE_CASES = {
    "salmonella.agona__farrington_b3w3_alpha0.01": (
        _agona(lambda y, r: farrington(y, r, b=3, w=3, alpha=0.01, trend=True)),
        GLM,
    ),
    "salmonella.agona__earsC_C1": (_agona(lambda y, r: ears_c(y, r, method="C1")), EXACT),
    "salmonella.agona__earsC_C2": (_agona(lambda y, r: ears_c(y, r, method="C2")), EXACT),
    "salmonella.agona__earsC_C3": (
        _agona(lambda y, r: ears_c(y, r, method="C3", alpha=0.001)),
        EXACT,
    ),
    "salmonella.agona__cusum_k1.04_h2.26": (
        _agona(lambda y, r: cusum(y, r, k=1.04, h=2.26)),
        EXACT,
    ),
    "salmonella.agona__rki_b2w4": (_agona(lambda y, r: rki(y, r, b=2, w=4)), EXACT),
    "salmonella.agona__bayes_b2w4_alpha0.05": (
        _agona(lambda y, r: bayes(y, r, b=2, w=4, current_year=False, alpha=0.05)),
        EXACT,
    ),
    "salmonella.agona__glrpois_cARL5": (_agona(lambda y, r: glr_poisson(y, r, c_arl=5)), GLM),
    "salmNewportGermany2011__farringtonFlexible_original": (
        _newport(
            lambda y, r, d: farrington_flexible(y, r, dates=d, **FLEXIBLE_PRESETS["original"])
        ),
        GLM,
    ),
    "salmNewportGermany2011__farringtonFlexible_noufaily": (
        _newport(
            lambda y, r, d: farrington_flexible(y, r, dates=d, **FLEXIBLE_PRESETS["noufaily"])
        ),
        GLM,
    ),
    "salmNewportGermany2011__earsC_C1": (
        _newport(lambda y, r, d: ears_c(y, r, method="C1", alpha=0.001)),
        EXACT,
    ),
    "salmNewportGermany2011__earsC_C2": (
        _newport(lambda y, r, d: ears_c(y, r, method="C2", alpha=0.001)),
        EXACT,
    ),
    "salmNewportGermany2011__earsC_C3": (
        _newport(lambda y, r, d: ears_c(y, r, method="C3", alpha=0.001)),
        EXACT,
    ),
    "m1__farrington_b2w4_alpha0.01": (
        lambda: farrington(read_series("m1"), np.arange(156, 209), b=2, w=4, alpha=0.01),
        GLM,
    ),
}


def test_every_reference_file_has_a_case():
    assert sorted(REFERENCE_CASES) == reference_names()


@pytest.mark.parametrize("name", sorted(REFERENCE_CASES))
def test_matches_r_reference_output(name):
    run, tolerance = REFERENCE_CASES[name]
    observed, upper, alarm = read_reference(name)
    result = run()
    np.testing.assert_array_equal(result.observed, observed)
    np.testing.assert_array_equal(result.alarm, alarm, err_msg=f"alarms differ in {name}")
    np.testing.assert_array_equal(np.isnan(result.upperbound), np.isnan(upper))
    np.testing.assert_allclose(
        result.upperbound[~np.isnan(upper)], upper[~np.isnan(upper)], rtol=tolerance, atol=0
    )


def test_reference_alarm_counts_as_documented():
    counts = {name: int(read_reference(name)[2].sum()) for name in REFERENCE_CASES}
    assert counts["salmonella.agona__farrington_b3w3_alpha0.01"] == 3
    assert counts["salmNewportGermany2011__farringtonFlexible_original"] == 19
    assert counts["salmNewportGermany2011__farringtonFlexible_noufaily"] == 9


def test_flexible_extra_fields_match_r_trend_and_dispersion():
    # Values printed by R for weeks 1..7 of 2011 (control$trend, control$phiVector).
    counts, dates = read_newport_germany()
    result = farrington_flexible(
        counts, NEWPORT_2011[:7], dates=dates, **FLEXIBLE_PRESETS["original"]
    )
    np.testing.assert_array_equal(result.extra["trend"], [1, 1, 1, 1, 1, 0, 1])
    np.testing.assert_allclose(
        result.extra["phi"],
        [1.045791, 1.222738, 1.190242, 1.086477, 1.019631, 1.169314, 1.134144],
        rtol=1e-6,
    )


def test_reasons_explain_the_missing_flexible_bounds():
    counts, dates = read_newport_germany()
    result = farrington_flexible(counts, NEWPORT_2011, dates=dates, **FLEXIBLE_PRESETS["noufaily"])
    missing = np.isnan(result.upperbound)
    assert missing.sum() == 10
    assert {result.reason[i] for i in np.flatnonzero(missing)} == {Reason.FEW_CASES}
    assert all(result.reason[i] is None for i in np.flatnonzero(~missing))


def test_result_is_frozen_and_read_only():
    result = ears_c(read_series("salmonella.agona"), AGONA_RANGE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.alarm = None  # type: ignore[misc]
    with pytest.raises(ValueError):
        result.upperbound[0] = 1.0
    assert result.time_index[0] == 259 and result.n_alarms == 3


def test_many_series_equals_one_by_one():
    counts, dates = read_newport_germany()
    rng = np.random.default_rng(7)
    matrix = np.vstack([counts, rng.poisson(counts + 1.0), rng.poisson(3.0, counts.size)])
    noufaily = FLEXIBLE_PRESETS["noufaily"]
    many = farrington_flexible_many(matrix, NEWPORT_2011, dates=dates, **noufaily)
    for row, combined in zip(matrix, many, strict=True):
        single = farrington_flexible(row, NEWPORT_2011, dates=dates, **noufaily)
        np.testing.assert_array_equal(single.alarm, combined.alarm)
        np.testing.assert_allclose(single.upperbound, combined.upperbound, rtol=1e-12)


def test_population_offset_scales_the_expected_count():
    counts = read_series("salmonella.agona")
    week = [290]
    population = np.full(counts.size, 2.0)
    # Without trend: a doubled prediction may otherwise fail the no-extrapolation check.
    settings = {"b": 3, "threshold_method": "nbPlugin", "trend": False}
    plain = farrington_flexible(counts, week, **settings)
    constant = farrington_flexible(
        counts, week, population=population, population_offset=True, **settings
    )
    np.testing.assert_allclose(constant.extra["expected"], plain.extra["expected"], rtol=1e-9)
    population[week] = 4.0  # twice the population in the evaluated week only
    doubled = farrington_flexible(
        counts, week, population=population, population_offset=True, **settings
    )
    np.testing.assert_allclose(doubled.extra["expected"], 2 * plain.extra["expected"], rtol=1e-9)


# --- bad input -----------------------------------------------------------------------------

ALGORITHMS = {
    "ears_c1": lambda y, r=None: ears_c(y, r, method="C1"),
    "ears_c3": lambda y, r=None: ears_c(y, r, method="C3"),
    "cusum": lambda y, r=None: cusum(y, r if r is not None else np.arange(156, len(y))),
    "farrington": lambda y, r=None: farrington(y, r, b=3),
    "flexible": lambda y, r=None: farrington_flexible(y, r, b=3),
    "noufaily": lambda y, r=None: farrington_flexible(
        y, r, **{**FLEXIBLE_PRESETS["noufaily"], "b": 3}
    ),
    "rki": lambda y, r=None: rki(y, r),
    "bayes": lambda y, r=None: bayes(y, r),
    "glr": lambda y, r=None: glr_poisson(y, r if r is not None else np.arange(156, len(y))),
}


def _series(length=260, seed=0):
    return np.random.default_rng(seed).poisson(4.0, length).astype(float)


@pytest.mark.parametrize("name", sorted(ALGORITHMS))
@pytest.mark.parametrize(
    "corrupt, message",
    [
        (lambda y: np.where(np.arange(y.size) == 200, -1.0, y), "negative"),
        (lambda y: np.where(np.arange(y.size) == 200, 2.5, y), "fractional"),
        (lambda y: np.where(np.arange(y.size) == 200, np.inf, y), "infinite"),
        (lambda y: y.reshape(2, -1), "1-d"),
        (lambda y: y[:0], "empty"),
        (lambda y: np.array(["a"] * y.size), "numeric"),
    ],
)
def test_invalid_counts_raise(name, corrupt, message):
    with pytest.raises(DetectionInputError, match=message):
        ALGORITHMS[name](corrupt(_series()))


def test_input_error_is_a_value_error():
    assert issubclass(DetectionInputError, ValueError)


@pytest.mark.parametrize("name", sorted(ALGORITHMS))
@pytest.mark.parametrize("points", [[300], [-1], [200, 199], [[200]], [200.5]])
def test_invalid_time_points_raise(name, points):
    with pytest.raises(DetectionInputError, match="time_points"):
        ALGORITHMS[name](_series(), np.asarray(points))


@pytest.mark.parametrize(
    "call",
    [
        lambda y: ears_c(y, method="C4"),
        lambda y: ears_c(y, baseline=2),
        lambda y: ears_c(y, alpha=1.5),
        lambda y: ears_c(y, min_sigma=-1),
        lambda y: cusum(y, [200], transform="anscombeNegBin"),
        lambda y: cusum(y, [200], h=0),
        lambda y: cusum(y, [200], reference_mean="mean"),
        lambda y: farrington(y, b=0),
        lambda y: farrington(y, alpha=0),
        lambda y: farrington(y, limit54=(5, 0)),
        lambda y: farrington(y, power_transform="3/4"),
        lambda y: farrington(y, dates=np.arange(3)),
        lambda y: farrington_flexible(y, threshold_method="exact"),
        lambda y: farrington_flexible(y, b=3, unknown_option=1),
        lambda y: farrington_flexible(y, b=3, population_offset=True),
        lambda y: farrington_flexible(y, [250], b=3, no_periods=60),
        lambda y: glr_poisson(y, [200], c_arl=-1),
        lambda y: glr_poisson(y, [200], mu0=0.0),
    ],
)
def test_invalid_control_raises(call):
    with pytest.raises(DetectionInputError):
        call(_series())


@pytest.mark.parametrize("name", sorted(ALGORITHMS))
def test_all_zero_series_never_alarms(name):
    result = ALGORITHMS[name](np.zeros(260))
    assert not result.alarm.any()
    finite = np.isfinite(result.upperbound)
    assert np.all(result.upperbound[finite] >= 0)


def test_all_zero_series_reasons():
    zeros = np.zeros(260)
    assert set(farrington(zeros, b=3).reason) == {Reason.FEW_CASES}
    assert np.all(farrington(zeros, b=3).upperbound == 0)  # as R
    assert set(farrington_flexible(zeros, b=3).reason) == {Reason.FEW_CASES}
    assert np.all(np.isnan(farrington_flexible(zeros, b=3).upperbound))  # NA in R
    assert set(cusum(zeros, np.arange(100, 260)).reason) == {Reason.ZERO_MEAN}
    c3 = ears_c(zeros, method="C3")
    assert set(c3.reason) == {Reason.ZERO_VARIANCE} and np.all(np.isnan(c3.upperbound))


@pytest.mark.parametrize("name", sorted(ALGORITHMS))
def test_missing_weeks_do_not_crash_or_alarm(name):
    counts = _series()
    counts[[150, 200, 201, 230]] = np.nan
    counts[[202, 231]] = 40.0  # large counts right after missing weeks
    result = ALGORITHMS[name](counts)
    missing_now = np.isnan(result.observed)
    assert not result.alarm[missing_now].any()
    assert all(result.reason[i] is not None for i in np.flatnonzero(missing_now))
    assert not result.alarm[[r is not None for r in result.reason]].any()


def test_missing_weeks_in_baselines_give_reasons():
    counts = _series()
    counts[200] = np.nan
    c1 = ears_c(counts, np.arange(195, 215), method="C1")
    affected = (c1.time_index > 200) & (c1.time_index <= 207)
    assert {c1.reason[i] for i in np.flatnonzero(affected)} == {Reason.MISSING_BASELINE}
    assert np.all(np.isnan(c1.upperbound[affected]))
    assert c1.reason[list(c1.time_index).index(200)] == Reason.MISSING_OBSERVED
    rec = farrington(counts, np.arange(200, 204), b=3)
    assert set(rec.reason) == {Reason.MISSING_RECENT}


def test_missing_weeks_are_left_out_of_the_glm_fit():
    counts = _series(seed=3)
    with_gap = counts.copy()
    with_gap[252 - 52] = np.nan  # inside a reference window of week 252
    full = farrington_flexible(counts, [252], b=3)
    gap = farrington_flexible(with_gap, [252], b=3)
    assert np.isfinite(gap.upperbound[0]) and gap.upperbound[0] != full.upperbound[0]


@pytest.mark.parametrize("name", sorted(ALGORITHMS))
def test_too_little_history_gives_nan_and_reason(name):
    counts = _series(length=40)
    result = ALGORITHMS[name](counts, np.arange(0, 40))
    short = np.array([r == Reason.SHORT_HISTORY for r in result.reason])
    assert short.any()
    assert np.all(np.isnan(result.upperbound[short]))
    assert not result.alarm[short].any()


def test_short_history_weeks_are_reported_individually():
    counts = _series()
    result = farrington(counts, np.arange(150, 170), b=3, w=3)
    short = np.array([r == Reason.SHORT_HISTORY for r in result.reason])
    # Three years plus the half window are needed: weeks 159.. can be evaluated.
    np.testing.assert_array_equal(short, result.time_index < 159)


def test_missing_reference_dates_give_a_reason():
    counts, dates = read_newport_germany()
    week = int(NEWPORT_2011[10])
    keep = np.ones(counts.size, dtype=bool)
    keep[week - 52] = False  # the same week one year earlier is absent from the date axis
    counts, dates = counts[keep], dates[keep]
    flexible = farrington_flexible(counts, [week - 1], dates=dates, **FLEXIBLE_PRESETS["original"])
    classic = farrington(counts, [week - 1], dates=dates, b=3)
    for result in (flexible, classic):
        assert result.reason == (Reason.NO_REFERENCE,)
        assert np.isnan(result.upperbound[0]) and not result.alarm[0]


def test_dates_must_match_the_counts():
    counts, dates = read_newport_germany()
    with pytest.raises(DetectionInputError, match="dates"):
        farrington_flexible(counts, dates=dates[::-1])
    with pytest.raises(DetectionInputError, match="dates"):
        farrington(counts, dates=dates[:-1])
