"""The SVG chart generator: well-formed, escaped, deterministic output for any input."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from riskgate.analysis_reports import charts

SVG = "{http://www.w3.org/2000/svg}"

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.none(),
)
labels = st.text(max_size=40)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def finite_coordinates(root: ET.Element) -> None:
    for element in root.iter():
        for name in ("x", "y", "width", "height", "cx", "cy", "r", "x1", "x2", "y1", "y2"):
            if name in element.attrib:
                assert math.isfinite(float(element.attrib[name])), (element.tag, name)
        if "height" in element.attrib and element.tag == f"{SVG}rect":
            assert float(element.attrib["height"]) >= 0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(labels, numbers), max_size=60), labels)
def test_bar_chart_is_valid_for_any_input(pairs, title):
    svg = charts.bar_chart([p[0] for p in pairs], [p[1] for p in pairs], title=title)
    root = parse(svg)
    finite_coordinates(root)
    assert svg == charts.bar_chart([p[0] for p in pairs], [p[1] for p in pairs], title=title)


@settings(max_examples=100, deadline=None)
@given(st.lists(labels, max_size=30),
       st.lists(st.tuples(labels, st.lists(numbers, max_size=30)), max_size=12), labels)
def test_stacked_bar_chart_is_valid_for_any_input(categories, series, title):
    root = parse(charts.stacked_bar_chart(categories, series, title=title))
    finite_coordinates(root)


@settings(max_examples=100, deadline=None)
@given(st.lists(labels, max_size=60),
       st.lists(st.tuples(labels, st.lists(numbers, max_size=60)), max_size=4),
       st.one_of(st.none(), st.lists(numbers, max_size=60)))
def test_line_chart_is_valid_for_any_input(categories, series, bound):
    root = parse(charts.line_chart(categories, series, upper_bound=bound, title="趋势"))
    finite_coordinates(root)
    for line in root.iter(f"{SVG}polyline"):
        for point in line.attrib["points"].split():
            x, y = point.split(",")
            assert math.isfinite(float(x)) and math.isfinite(float(y))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(labels, numbers), max_size=20), labels)
def test_donut_chart_is_valid_for_any_input(slices, title):
    root = parse(charts.donut_chart(slices, title=title))
    finite_coordinates(root)


def test_empty_data_says_so():
    for svg in (charts.bar_chart([], [], title="空", empty_message="暂无数据"),
                charts.stacked_bar_chart([], [], empty_message="暂无数据"),
                charts.line_chart([], [], empty_message="暂无数据"),
                charts.donut_chart([("a", 0), ("b", -3)], empty_message="暂无数据")):
        assert "暂无数据" in texts(parse(svg))


def test_labels_are_escaped_and_chinese_kept():
    svg = charts.bar_chart(['<script>alert("x")</script>', "玩具 & 儿童用品"], [3, 5],
                           title="风险等级 <b>")
    root = parse(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    shown = texts(root)
    assert "风险等级 <b>" in shown and "玩具 & 儿童用品" in shown
    assert root.find(f"{SVG}title").text == "风险等级 <b>"


def test_control_characters_are_dropped():
    svg = charts.donut_chart([("a\x00b\x1f\x0bc", 1), ("\ud800x", 2)], title="t\x07")
    root = parse(svg)
    assert any("abc" in t for t in texts(root))


def test_negative_values_hang_below_zero():
    root = parse(charts.bar_chart(["up", "down"], [10, -5]))
    rects = [r for r in root.iter(f"{SVG}rect") if r.attrib.get("fill") == charts.PALETTE[0]]
    up, down = rects
    assert float(up.attrib["y"]) + float(up.attrib["height"]) == float(down.attrib["y"])


def test_huge_values_are_clamped_and_labelled():
    svg = charts.bar_chart(["a"], [1e300])
    root = parse(svg)
    finite_coordinates(root)
    assert any(t.endswith("T") for t in texts(root))


def test_upper_bound_marks_alarm_weeks():
    root = parse(charts.line_chart(["w1", "w2", "w3"], [("记录", [1, 9, 2])],
                                   upper_bound=[5, 5, None], bound_label="上界"))
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) == 1
    assert "上界" in texts(root)


def test_donut_percentages():
    shown = texts(parse(charts.donut_chart([("严重", 1), ("高", 3)])))
    assert any("25.0%" in t for t in shown) and any("75.0%" in t for t in shown)


def test_single_slice_is_a_full_ring():
    root = parse(charts.donut_chart([("全部", 7)]))
    assert len(list(root.iter(f"{SVG}circle"))) == 1


def test_nice_ticks_cover_the_range():
    for low, high in ((0, 0), (0, 7), (-3, 97), (0, 1e15), (-1e15, 1e15), (0, 0.3)):
        ticks = charts.nice_ticks(low, high)
        assert ticks[0] <= low and ticks[-1] >= high and ticks == sorted(ticks)
