"""Report periods: quarters, their bounds and the weeks they span (property tests)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from riskgate.analysis_reports import periods

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


@given(days)
def test_a_day_lies_in_its_quarter_and_after_the_previous_one(day):
    quarter = periods.quarter_of(day)
    assert quarter.start <= day <= quarter.end
    assert periods.parse_quarter(quarter.label) == quarter
    before = periods.previous_quarter(day)
    assert before.end + dt.timedelta(days=1) == quarter.start
    assert 90 <= quarter.days <= 92


@given(days, st.integers(min_value=0, max_value=400))
def test_weeks_cover_the_period(start, length):
    period = periods.custom(start, start + dt.timedelta(days=length))
    weeks = periods.week_starts(period)
    assert all(w.weekday() == 0 for w in weeks)
    assert weeks[0] <= period.start < weeks[0] + dt.timedelta(days=7)
    assert weeks[-1] <= period.end < weeks[-1] + dt.timedelta(days=7)
    for day in (period.start, period.end):
        assert weeks[periods.week_index(weeks, day)] <= day
    assert periods.week_index(weeks, period.end + dt.timedelta(days=7)) is None


@given(days)
def test_utc_bounds_are_local_midnights(day):
    start, end = periods.quarter_of(day).utc_bounds("Asia/Shanghai")
    assert start.tzinfo == dt.UTC and start.hour == 16 and end.hour == 16


@given(st.text(max_size=12))
def test_parse_quarter_never_raises(text):
    period = periods.parse_quarter(text)
    assert period is None or period.label[4] == "Q"
