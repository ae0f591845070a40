"""Property tests of the pure parts: series keys round-trip, evaluation never invents alarms."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgate.signals import evaluate
from riskgate.signals.enums import Granularity
from riskgate.signals.rules import DEFAULTS
from riskgate.signals.series import DIMENSIONS, clean_value, make_key, parse_key

_values = st.text(min_size=1, max_size=30).map(clean_value).filter(lambda v: v != "*")


@given(st.dictionaries(st.sampled_from(DIMENSIONS), _values), st.sampled_from(list(Granularity)))
def test_series_key_round_trips(values, granularity):  # type: ignore[no-untyped-def]
    key = make_key(granularity, values)
    assert parse_key(key) == (granularity, values)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), min_size=12, max_size=12), min_size=1, max_size=4),
       st.sampled_from(["ears_C1", "ears_C2", "ears_C3", "cusum"]))
def test_alarm_only_above_the_bound(rows, algorithm):  # type: ignore[no-untyped-def]
    matrix = np.array(rows, dtype=float)
    params = DEFAULTS["cusum"]["params"] if algorithm == "cusum" else {"baseline": 7}
    for row, outcome in zip(matrix, evaluate.evaluate_last(matrix, algorithm, params),
                            strict=True):
        assert outcome.observed == int(row[-1])
        if outcome.alarm:
            assert outcome.upperbound is not None and outcome.reason is None
            assert outcome.observed >= outcome.upperbound
        if outcome.upperbound is None:
            assert not outcome.alarm


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 120))
def test_weekly_choice_follows_history(length):  # type: ignore[no-untyped-def]
    algorithm, _params = evaluate.choose_weekly(length, DEFAULTS)
    assert algorithm == ("farrington_flexible" if length > 52 * 2 + 3 else "ears_C2")
