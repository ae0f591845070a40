"""Property tests for the pure parsers and normalisers (dates, countries, CSV and JSON readers)."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgate.catalog.reference import countries
from riskgate.intake.readers import open_csv, read_json
from riskgate.records.normalise import RowProblem, parse_date, resolve_countries, resolve_country

DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
ALL_COUNTRIES = countries()


@given(DATES)
def test_every_written_form_of_a_date_reads_back(day):
    month = calendar.month_abbr[day.month]
    forms = [
        day.isoformat(),
        f"{day.isoformat()}T00:00:00",
        f"{day.isoformat()}T00:00:00.000Z",
        day.strftime("%Y/%m/%d"),
        f"{month} {day.day}, {day.year}",  # RASFF: "Oct 30, 2024"
        f"{day.day} {calendar.month_name[day.month]} {day.year}",
        f"{day.year}年{day.month}月{day.day}日",
    ]
    for form in forms:
        assert parse_date(form, "d") == day, form


@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(29, 40))
def test_impossible_days_are_problems_not_crashes(year, month, day):
    last = calendar.monthrange(year, month)[1]
    text = f"{calendar.month_abbr[month]} {day}, {year}"
    if day <= last:
        assert parse_date(text, "d") == dt.date(year, month, day)
    else:
        with pytest.raises(RowProblem) as problem:
            parse_date(text, "d")
        assert problem.value.message == "{value} is not a possible date."


@given(st.text(max_size=30))
def test_parse_date_never_raises_anything_but_a_row_problem(text):
    try:
        parse_date(text, "d")
    except RowProblem as problem:
        assert problem.field == "d" and "{value}" in problem.message


@given(st.sampled_from(ALL_COUNTRIES), st.sampled_from(["code", "alpha3", "name_en", "name_zh"]))
def test_countries_resolve_by_code_and_name(entry, attribute):
    text = getattr(entry, attribute) or entry.code
    assert resolve_country(text, "c") == entry.code
    assert resolve_country(f"  {text.upper()} ", "c") == entry.code


@given(st.lists(st.sampled_from(ALL_COUNTRIES), min_size=1, max_size=4))
def test_country_lists_keep_order_without_repeats(entries):
    text = "; ".join(e.code for e in entries)
    expected = list(dict.fromkeys(e.code for e in entries))
    assert resolve_countries(text, "c") == expected


CELLS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)


@settings(max_examples=60)
@given(
    st.lists(st.lists(CELLS, min_size=3, max_size=3), max_size=8),
    st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_csv_rows_come_back_with_their_verbatim_text(rows, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["a", "b", "c"])
    lines = []
    for row in rows:
        before = buffer.tell()
        writer.writerow(row)
        lines.append((row, buffer.getvalue()[before:]))
    source = open_csv(io.BytesIO(buffer.getvalue().encode(encoding)))
    read = list(source.rows)
    assert not any(r.problems for r in read)
    assert [(list(r.fields.values()), r.raw) for r in read] == lines


@settings(max_examples=40)
@given(
    st.lists(
        st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=20), max_size=4),
        max_size=6,
    ),
    st.integers(1, 3),
)
def test_json_arrays_stream_item_by_item(items, indent):
    text = json.dumps(items, indent=indent, ensure_ascii=False)
    _encoding, rows = read_json(io.BytesIO(text.encode()))
    read = list(rows)
    assert [r.fields for r in read] == items
    assert [json.loads(r.raw) for r in read] == items
