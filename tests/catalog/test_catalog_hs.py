"""HS 2022 codes: structure, Chinese names, normalisation, validation, lookups and search."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskgate.catalog.reference import (
    format_hs_code,
    hs_ancestors,
    hs_chapter,
    hs_chapters,
    hs_children,
    hs_code_problem,
    hs_entries,
    hs_is_valid,
    hs_lookup,
    hs_nearest,
    hs_search,
    hs_section,
    hs_section_chapters,
    hs_sections,
    normalise_hs_code,
)

ALL_CODES = [entry.code for entry in hs_entries()]
SUBHEADINGS = [entry.code for entry in hs_entries() if entry.level == 6]


def test_counts_of_each_level() -> None:
    assert len(hs_sections()) == 21
    assert len(hs_chapters()) == 97  # 01-97 without the reserved 77, plus 99
    assert "77" not in {chapter.code for chapter in hs_chapters()}
    levels = [entry.level for entry in hs_entries()]
    assert levels.count(4) >= 1220
    assert levels.count(6) >= 5600


def test_every_section_and_chapter_has_a_chinese_name() -> None:
    assert all(section.name_zh for section in hs_sections())
    assert all(chapter.name_zh for chapter in hs_chapters())


def test_chapter_and_section_titles() -> None:
    assert hs_lookup("01").display("zh-CN") == "第1章 活动物"
    assert hs_lookup("01").display("en") == "Chapter 01: Animals; live"
    assert hs_section("XXI").display("zh-CN") == "第二十一类 艺术品、收藏品及古物"
    assert hs_section("I").display("en").startswith("Section I: Live animals")
    assert hs_section("0901.11").code == "II"
    assert hs_section("9999") is None  # chapter 99 belongs to no section
    assert [chapter.code for chapter in hs_section_chapters("I")] == ["01", "02", "03", "04", "05"]


def test_parent_links_are_consistent() -> None:
    by_code = {entry.code: entry for entry in hs_entries()}
    for entry in hs_entries():
        if entry.level == 2:
            assert entry.parent is None
            continue
        parent = by_code[entry.parent]
        assert entry.code.startswith(parent.code)
        assert parent.level == entry.level - 2
        assert parent.section == entry.section


def test_sections_span_their_chapters() -> None:
    for section in hs_sections():
        chapters = hs_section_chapters(section.code)
        assert chapters, section.code
        assert chapters[0].code == section.first_chapter
        assert chapters[-1].code == section.last_chapter


def test_labels_fall_back_to_english() -> None:
    subheading = hs_lookup("090111")
    assert subheading.name_zh is None
    assert subheading.label("zh-CN") == subheading.name_en == "Coffee; not roasted or decaffeinated"
    assert hs_lookup("0901").label("zh-CN").startswith("咖啡")
    assert hs_lookup("0901").label("en").startswith("Coffee")


@pytest.mark.parametrize(
    "text",
    ["0901.11", "090111", "0901 11", "0901-11", " 0901.11 ", "09.01.11", "０９０１．１１",
     "HS 0901.11", "HS code: 090111", "hs0901 11", "商品编码：0901.11", "0901\u00a011"],
)  # fmt: skip
def test_normalise_formats_of_one_code(text: str) -> None:
    assert normalise_hs_code(text) == "090111"
    assert hs_lookup(text).code == "090111"


@pytest.mark.parametrize(
    "text",
    [None, 901.11, "", "   ", "abc", "0901.1", "09011", "0901.11.", ".0901", "0901..x",
     "12345678901", "0901/11", "0901 11 a", "٠٩٠١١١"],
)  # fmt: skip
def test_normalise_rejects_malformed_text(text: object) -> None:
    assert normalise_hs_code(text) is None


def test_format_hs_code() -> None:
    assert format_hs_code("09") == "09"
    assert format_hs_code("0901") == "0901"
    assert format_hs_code("090111") == "0901.11"
    assert format_hs_code("09011100") == "0901.11.00"
    assert format_hs_code("0901110010") == "0901.11.00.10"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the HS code is empty"),
        (None, "the HS code is empty"),
        ("09x1", "the HS code contains characters other than digits: 'x'"),
        ("901.11", "the HS code has 5 digits; it must have 2, 4, 6, 8 or 10 digits "
                   "(a leading zero may have been lost)"),
        ("0901111", "the HS code has 7 digits; it must have 2, 4, 6, 8 or 10 digits "
                    "(a leading zero may have been lost)"),
        ("123456789012", "the HS code has 12 digits; it must have 2, 4, 6, 8 or 10 digits"),
        ("77", "unknown HS chapter 77"),
        ("7701", "unknown HS chapter 77"),
        ("0999", "unknown HS heading 0999"),
        ("0901.99", "unknown HS subheading 0901.99"),
        ("0901990000", "unknown HS subheading 0901.99"),
    ],
)  # fmt: skip
def test_hs_code_problem_messages(text: object, problem: str) -> None:
    assert hs_code_problem(text) == problem
    assert not hs_is_valid(text)


@pytest.mark.parametrize(
    "code", ["09", "0901", "0901.11", "09011100", "0901110000", "8703.23", "95030000", "99"]
)
def test_valid_codes(code: str) -> None:
    assert hs_is_valid(code)
    assert hs_code_problem(code) is None


def test_national_lines_resolve_to_their_parents() -> None:
    assert hs_lookup("0901110000") is None  # national lines are not catalogued
    assert hs_nearest("0901110000").code == "090111"
    assert hs_nearest("0901").code == "0901"
    assert hs_nearest("0999").code == "09"
    assert hs_nearest("7700") is None
    assert hs_chapter("0901.11.00.00").code == "09"
    assert [entry.code for entry in hs_ancestors("0901110000")] == ["09", "0901", "090111"]
    assert [entry.code for entry in hs_ancestors("09")] == ["09"]


def test_children() -> None:
    headings = hs_children("09")
    assert headings[0].code == "0901"
    assert all(entry.level == 4 and entry.parent == "09" for entry in headings)
    assert [entry.code for entry in hs_children("0901")] == [
        "090111", "090112", "090121", "090122", "090190"
    ]  # fmt: skip
    assert hs_children("090111") == ()
    assert hs_children("garbage") == ()


def test_search_in_english_chinese_and_by_code() -> None:
    english = [entry.code for entry in hs_search("coffee roast", "en")]
    assert "090121" in english and "090122" in english
    chinese = hs_search("咖啡", "zh-CN")
    assert [entry.code for entry in chinese][:2] == ["09", "0901"]
    toys = [entry.code for entry in hs_search("玩具", "zh-CN")]
    assert "95" in toys and "9503" in toys
    assert [entry.code for entry in hs_search("0901", "en")][:2] == ["0901", "090111"]
    assert [entry.code for entry in hs_search("0901.1", "en")] == ["090111", "090112"]
    assert len(hs_search("vehicles", "en", limit=3)) == 3
    assert hs_search("zzzzqqq", "en") == ()
    assert hs_search("", "en") == ()


def test_search_ranks_chapters_first() -> None:
    results = hs_search("cotton", "en")
    assert results[0].code == "52"


# --- property tests -----------------------------------------------------------------------

SEPARATORS = st.sampled_from(["", " ", ".", "-", "  ", " . ", "\u3000", "·"])
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@st.composite
def formatted_codes(draw: st.DrawFn) -> tuple[str, str]:
    """A valid catalogue code (maybe extended to a national line) and a way of writing it."""
    code = draw(st.sampled_from(ALL_CODES))
    if len(code) == 6 and draw(st.booleans()):
        code += draw(st.sampled_from(["00", "0000", "10", "9010"]))
    pieces = [code[0]]
    for digit in code[1:]:
        pieces.append(draw(SEPARATORS) if draw(st.integers(0, 3)) == 0 else "")
        pieces.append(digit)
    text = "".join(pieces)
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    prefix = draw(st.sampled_from(["", "HS ", "hs code: ", "商品编码：", " "]))
    return code, prefix + text + draw(st.sampled_from(["", " ", "\t"]))


@given(formatted_codes())
def test_any_formatting_of_a_valid_code_normalises_to_it(case: tuple[str, str]) -> None:
    code, text = case
    assert normalise_hs_code(text) == code
    assert hs_is_valid(text)
    if len(code) <= 6:
        assert hs_lookup(text).code == code
    assert hs_nearest(text).code == code[:6]


@given(st.sampled_from(SUBHEADINGS), st.integers(0, 99), st.integers(0, 9999))
def test_national_lines_of_existing_subheadings_are_valid(
    subheading: str, eight: int, ten: int
) -> None:
    assert hs_is_valid(f"{subheading}{eight:02d}")
    assert hs_is_valid(f"{subheading}{ten:04d}")


@given(st.text())
def test_garbage_never_raises(text: str) -> None:
    digits = normalise_hs_code(text)
    assert digits is None or (digits.isascii() and digits.isdigit() and len(digits) % 2 == 0)
    problem = hs_code_problem(text)
    assert (problem is None) == hs_is_valid(text)
    assert problem is None or isinstance(problem, str)
    hs_lookup(text)
    hs_nearest(text)
    hs_chapter(text)
    hs_children(text)
    hs_ancestors(text)
    hs_search(text, "en")
    hs_search(text, "zh-CN")


@given(st.text(alphabet=st.characters(categories=["L", "P", "S"]), min_size=1))
def test_text_without_digits_is_never_a_code(text: str) -> None:
    assert normalise_hs_code(text) is None
    assert hs_code_problem(text) is not None


# --- real data ----------------------------------------------------------------------------


def test_catalogue_matches_the_public_hs_table(shared_csv) -> None:
    rows = shared_csv("hs_codes_en/harmonized-system.csv")
    upstream = {row["hscode"] for row in rows if row["level"] in {"2", "4", "6"}}
    assert upstream == set(ALL_CODES)


def test_china_tariff_lines_are_mostly_valid(shared_csv) -> None:
    """China's 8-digit lines (HS 2017 based) validate, except those of subheadings HS 2022 cut."""
    rows = shared_csv("china_tariff_lines_en_partial/*.csv")
    invalid = [row["tl"] for row in rows if not hs_is_valid(row["tl"])]
    assert len(invalid) <= len(rows) * 0.02
    for line in invalid:
        assert hs_code_problem(line).startswith("unknown HS subheading")
