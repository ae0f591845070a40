"""The risk matrix: the guideline's table and examples, sensitivity, the warning map, and
properties (more probable or more severe never means less risk)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgate.assessment import matrix
from riskgate.assessment.enums import ImpactScope, RiskLevel, Urgency
from riskgate.assessment.matrix import (
    LEVEL_RANK,
    MatrixInputError,
    assess,
    parse_probability,
    parse_scenarios,
    probability_band,
    risk_level,
)
from riskgate.assessment.warning_map import (
    WarningMapError,
    default_warning_map,
    parse_levels,
)

S, H, M, L = RiskLevel.serious, RiskLevel.high, RiskLevel.medium, RiskLevel.low


def _scenario(severity: int, *probabilities: float, group: str = "adults") -> dict:
    return {"hazard": "h", "injury": "i", "severity": severity, "user_group": group,
            "steps": [{"description": f"s{i}", "probability": p}
                      for i, p in enumerate(probabilities)]}


# --- The table -------------------------------------------------------------------------------


@pytest.mark.parametrize(("probability", "band"), [
    (1.0, 0), (0.51, 0), (0.5, 1), (0.11, 1), (0.1, 2), (0.01, 3), (1e-3, 4), (1e-4, 5),
    (1e-5, 6), (1e-6, 7), (1e-9, 7), (0.1 * 0.1, 3), (0.1 * 0.1 * 0.1, 4),
])
def test_probability_bands_follow_the_guideline(probability, band):  # type: ignore[no-untyped-def]
    """"> 1/10" means strictly more than a tenth: exactly 1/10 is in the next row down."""
    assert probability_band(probability) == band


@pytest.mark.parametrize(("probability", "levels"), [
    (0.9, (H, S, S, S)),
    (0.2, (M, S, S, S)),
    (0.02, (M, S, S, S)),
    (0.002, (L, H, S, S)),
    (0.0002, (L, M, H, S)),
    (0.00002, (L, L, M, H)),
    (0.000002, (L, L, L, M)),
    (0.0000002, (L, L, L, L)),
])
def test_matrix_rows(probability, levels):  # type: ignore[no-untyped-def]
    assert tuple(risk_level(severity, probability) for severity in (1, 2, 3, 4)) == levels


def test_guideline_example_folding_chair_pinching_is_low_risk():
    """The guidelines' folding chair: unfolding (1) × gripping the back corner (1/50) × finger
    caught (1/10) × minor pinching (1) = 1/500, severity 1 → low risk."""
    result = assess([_scenario(1, 1, "1/50", "1/10", 1)])
    assert result.probability == pytest.approx(1 / 500)
    assert PROBABILITY_LABEL(result) == "> 1/1 000"
    assert result.level == L
    assert result.recommendation.warning_level is None


def PROBABILITY_LABEL(result) -> str:  # type: ignore[no-untyped-def]  # noqa: N802
    return matrix.PROBABILITY_BANDS[result.scenarios[result.decisive_scenario].band].label


def test_several_scenarios_carry_the_highest_risk():
    result = assess([_scenario(1, 0.002), _scenario(3, 0.0002), _scenario(2, 0.00002)])
    assert [s.level for s in result.scenarios] == [L, H, L]
    assert result.level == H and result.decisive_scenario == 1 and result.severity == 3


def test_severity_levels_are_defined_in_both_languages():
    assert [s.level for s in matrix.SEVERITY_LEVELS] == [1, 2, 3, 4]
    for level in matrix.SEVERITY_LEVELS:
        assert level.definition("en") and level.definition("zh-CN") != level.definition("en")


# --- Input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [
    ("1/500", 0.002), ("1/1 000", 0.001), ("1/1,000,000", 1e-6), ("20%", 0.2), ("0.5", 0.5),
    (1, 1.0), ("１/１０", 0.1), (True, None), (None, None), ("x", None),
])
def test_parse_probability(text, value):  # type: ignore[no-untyped-def]
    parsed = parse_probability(text)
    assert parsed == (pytest.approx(value) if value is not None else None)


@pytest.mark.parametrize("bad", [0, -1, 1.0000001, math.inf, math.nan, "3/2", "", "0%"])
def test_probabilities_outside_zero_one_are_refused(bad):  # type: ignore[no-untyped-def]
    with pytest.raises(MatrixInputError) as error:
        parse_scenarios([_scenario(2, 0.5, bad)])
    assert [p.loc for p in error.value.problems] == ["scenarios/0/steps/1/probability"]


@pytest.mark.parametrize("raw", [[], None, "x", [{"severity": 2, "steps": []}],
                                 [{"severity": 0, "steps": [{"probability": 1}]}],
                                 [{"severity": "4.5", "steps": [{"probability": 1}]}],
                                 [{"severity": True, "steps": [{"probability": 1}]}],
                                 [{"severity": 2, "user_group": "martians",
                                   "steps": [{"probability": 1}]}],
                                 [_scenario(2, 0.1)] * 21, ["not a scenario"]])
def test_bad_scenarios_are_domain_errors(raw):  # type: ignore[no-untyped-def]
    with pytest.raises(MatrixInputError) as error:
        assess(raw)
    assert error.value.problems


def test_every_problem_is_reported_at_once():
    with pytest.raises(MatrixInputError) as error:
        parse_scenarios([_scenario(5, 2), _scenario(2, 0.1, 0)])
    assert [p.loc for p in error.value.problems] == [
        "scenarios/0/severity", "scenarios/0/steps/0/probability",
        "scenarios/1/steps/1/probability"]


# --- Sensitivity -----------------------------------------------------------------------------


def test_sensitivity_lists_the_decisive_steps():
    # 1/500 at severity 1 (low): × 10 on the 1/50 or 1/10 step gives 1/50 → medium; the steps
    # at probability 1 cannot go higher, and ÷ 10 on any step stays low.
    result = assess([_scenario(1, 1, "1/50", "1/10", 1)])
    assert result.decisive_steps == ((0, 1), (0, 2))
    assert not result.stable
    row = result.sensitivity[1]
    assert (row.level_up, row.level_down) == (M, L)
    assert row.up_probability == pytest.approx(0.2) and row.down_probability == pytest.approx(
        0.002)
    assert result.sensitivity[0].up_probability == 1.0  # clamped


def test_a_robust_assessment_is_stable():
    # Severity 4 at 0.5: × 10 clamps at 1, ÷ 10 gives 0.05 — serious either way.
    result = assess([_scenario(4, 0.5)])
    assert result.stable and result.decisive_steps == ()


def test_a_step_of_a_dominated_scenario_is_not_decisive():
    result = assess([_scenario(4, 0.5), _scenario(1, 0.002)])
    assert result.level == S and result.decisive_steps == ()


# --- Warning map -----------------------------------------------------------------------------


def test_default_warning_map_examples():
    wm = default_warning_map()
    assert wm.recommend(S, Urgency.immediate, ImpactScope.nationwide).warning_level == "I"
    assert wm.recommend(H, Urgency.short_term, ImpactScope.regional).warning_level == "III"
    assert wm.recommend(M, Urgency.long_term, ImpactScope.local).warning_level == "IV"
    assert wm.recommend(L, Urgency.immediate, ImpactScope.nationwide).warning_level is None
    raised = wm.recommend(H, Urgency.long_term, ImpactScope.local, vulnerable=True)
    assert raised.warning_level == "III" and raised.raised_for_vulnerable
    top = wm.recommend(S, Urgency.immediate, ImpactScope.nationwide, vulnerable=True)
    assert top.warning_level == "I" and not top.raised_for_vulnerable


def test_vulnerable_consumers_raise_the_recommended_level():
    adults = assess([_scenario(3, 0.0002)], urgency="long_term", impact_scope="local")
    children = assess([_scenario(3, 0.0002, group="very_young_children")],
                      urgency="long_term", impact_scope="local")
    assert adults.recommendation.warning_level == "IV"
    assert children.recommendation.warning_level == "III"


def test_warning_map_overrides_replace_rows():
    wm = default_warning_map().overridden(
        levels_csv="risk_level,urgency,impact_scope,warning_level,warning_type\n"
                   "medium,long_term,local,III,notice\n",
        measures_csv="risk_level,measures\nmedium,interview\n", vulnerable_raises_level=False)
    rec = wm.recommend(M, Urgency.long_term, ImpactScope.local, vulnerable=True)
    assert (rec.warning_level, rec.warning_type, rec.measures) == ("III", "notice",
                                                                   ("interview",))
    assert default_warning_map().recommend(M, Urgency.long_term,
                                           ImpactScope.local).warning_level == "IV"


@pytest.mark.parametrize("text", [
    "risk_level,urgency,impact_scope,warning_level,warning_type\nsevere,immediate,local,I,notice\n",
    "risk_level,urgency,impact_scope,warning_level,warning_type\nhigh,immediate,local,I,\n",
    "risk_level,urgency,impact_scope,warning_level,warning_type\nhigh,immediate,local,V,notice\n",
])
def test_malformed_warning_maps_fail_loudly(text):  # type: ignore[no-untyped-def]
    with pytest.raises(WarningMapError):
        parse_levels(text, complete=False)
    with pytest.raises(WarningMapError):
        parse_levels(text.splitlines()[0] + "\n")  # incomplete


_LEVEL_ORDER = {None: 0, "IV": 1, "III": 2, "II": 3, "I": 4}


def test_default_warning_map_is_monotone():
    wm = default_warning_map()
    urgencies = [Urgency.long_term, Urgency.short_term, Urgency.immediate]
    scopes = [ImpactScope.local, ImpactScope.regional, ImpactScope.nationwide]
    risks = [L, M, H, S]
    for r in range(4):
        for u in range(3):
            for s in range(3):
                here = _LEVEL_ORDER[wm.recommend(risks[r], urgencies[u], scopes[s]).warning_level]
                for dr, du, ds in ((1, 0, 0), (0, 1, 0), (0, 0, 1)):
                    if r + dr < 4 and u + du < 3 and s + ds < 3:
                        there = wm.recommend(risks[r + dr], urgencies[u + du], scopes[s + ds])
                        assert _LEVEL_ORDER[there.warning_level] >= here


# --- Properties ------------------------------------------------------------------------------

probabilities = st.floats(min_value=1e-12, max_value=1.0, allow_nan=False, exclude_min=False)
severities = st.integers(min_value=1, max_value=4)
steps = st.lists(probabilities, min_size=1, max_size=5)
scenario_data = st.builds(lambda sev, ps: _scenario(sev, *ps), severities, steps)


@given(severities, probabilities, probabilities)
def test_higher_probability_never_lowers_the_level(severity, p, q):  # type: ignore[no-untyped-def]
    low, high = sorted((p, q))
    assert LEVEL_RANK[risk_level(severity, high)] >= LEVEL_RANK[risk_level(severity, low)]


@given(severities, severities, probabilities)
def test_higher_severity_never_lowers_the_level(s1, s2, p):  # type: ignore[no-untyped-def]
    low, high = sorted((s1, s2))
    assert LEVEL_RANK[risk_level(high, p)] >= LEVEL_RANK[risk_level(low, p)]


@given(st.lists(scenario_data, min_size=1, max_size=4), st.data())
@settings(max_examples=150)
def test_raising_one_step_never_lowers_the_overall_level(scenarios, data):  # type: ignore[no-untyped-def]
    base = assess(scenarios)
    i = data.draw(st.integers(0, len(scenarios) - 1))
    j = data.draw(st.integers(0, len(scenarios[i]["steps"]) - 1))
    old = scenarios[i]["steps"][j]["probability"]
    new = data.draw(st.floats(min_value=old, max_value=1.0))
    changed = [dict(s, steps=[dict(t) for t in s["steps"]]) for s in scenarios]
    changed[i]["steps"][j]["probability"] = new
    assert LEVEL_RANK[assess(changed).level] >= LEVEL_RANK[base.level]


@given(st.lists(scenario_data, min_size=1, max_size=3))
@settings(max_examples=150)
def test_sensitivity_agrees_with_the_matrix(scenarios):  # type: ignore[no-untyped-def]
    result = assess(scenarios)
    assert result.level == max((s.level for s in result.scenarios), key=LEVEL_RANK.__getitem__)
    for row in result.sensitivity:
        assert 0 < row.down_probability <= row.probability <= row.up_probability <= 1
        assert LEVEL_RANK[row.level_up] >= LEVEL_RANK[result.level] >= LEVEL_RANK[
            row.level_down]
        for factor, expected in ((row.up_probability, row.level_up),
                                 (row.down_probability, row.level_down)):
            varied = [dict(s, steps=[dict(t) for t in s["steps"]]) for s in scenarios]
            varied[row.scenario]["steps"][row.step]["probability"] = factor
            assert assess(varied).level == expected
        assert row.decisive == (row.level_up != result.level or row.level_down != result.level)
    assert result.stable == (not result.decisive_steps)


@given(st.integers(1, 7), severities)
def test_band_limits_in_exact_fractions(exponent, severity):  # type: ignore[no-untyped-def]
    """A probability exactly on a limit 1/10^k, however it is computed, is in the row below."""
    on_limit = float(Fraction(1, 10**exponent))
    product = math.prod([0.1] * exponent)
    assert probability_band(on_limit) == probability_band(product)
    assert risk_level(severity, on_limit) == risk_level(severity, product)
