"""Harmonized System (HS 2022) codes: sections, chapters, headings, subheadings.

The English nomenclature is generated from the public HS 2022 table by
`scripts/build_catalog.py` (data/hs_codes.csv, data/hs_sections.csv); the Chinese names of all
sections, all chapters and a set of risk-relevant headings are our own (data/hs_names_zh.csv).

China declares 10-digit codes (8-digit tariff line + 2 supervision digits). The catalogue knows the
international 2/4/6-digit levels only; an 8- or 10-digit code is valid when its 6-digit subheading
exists.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from riskgate.catalog._base import Labelled, fold_text, is_chinese, read_csv_rows

HS_LEVELS = (2, 4, 6)
NATIONAL_LENGTHS = (8, 10)
VALID_LENGTHS = (2, 4, 6, 8, 10)

_PREFIX = re.compile(
    r"^(?:h\.?\s?s\.?(?:\s*code)?|hs编码|hs编号|商品编码|商品编号|税则号列|税号|编码)\s*[:：#]?\s*",
    re.IGNORECASE,
)
_SEPARATED_DIGITS = re.compile(r"^[0-9]+(?:[\s.\-·_]+[0-9]+)*$")
_SEPARATORS = re.compile(r"[\s.\-·_]+")
_CHINESE_NUMERALS = "零一二三四五六七八九十"


def _chinese_number(number: int) -> str:
    """Write 1..99 in Chinese numerals (for 第二十一类)."""
    tens, units = divmod(number, 10)
    if tens == 0:
        return _CHINESE_NUMERALS[units]
    prefix = "" if tens == 1 else _CHINESE_NUMERALS[tens]
    return prefix + "十" + (_CHINESE_NUMERALS[units] if units else "")


@dataclass(frozen=True, slots=True)
class HsSection(Labelled):
    """One of the 21 sections (类) of the HS, with the range of chapters it spans."""

    code: str  # Roman numeral, "I".."XXI"
    number: int
    name_en: str
    name_zh: str | None
    first_chapter: str
    last_chapter: str

    def display(self, lang: str = "zh-CN") -> str:
        """Title with its number: "第一类 活动物；动物产品" or "Section I: Live animals; …"."""
        if is_chinese(lang):
            return f"第{_chinese_number(self.number)}类 {self.label(lang)}"
        return f"Section {self.code}: {self.name_en}"


@dataclass(frozen=True, slots=True)
class HsEntry(Labelled):
    """A chapter (level 2), heading (4) or subheading (6) of HS 2022."""

    code: str
    level: int
    parent: str | None
    section: str | None  # Roman numeral; None for chapter 99 (not in any section)
    name_en: str
    name_zh: str | None

    @property
    def is_chapter(self) -> bool:
        return self.level == 2

    @property
    def is_heading(self) -> bool:
        return self.level == 4

    @property
    def is_subheading(self) -> bool:
        return self.level == 6

    @property
    def chapter(self) -> str:
        """The two-digit chapter code this entry belongs to."""
        return self.code[:2]

    def display(self, lang: str = "zh-CN") -> str:
        """Code and name: "第9章 咖啡、茶…", "Chapter 09: Coffee…", "0901.11 Coffee; …"."""
        name = self.label(lang)
        if self.is_chapter:
            if is_chinese(lang):
                return f"第{int(self.code)}章 {name}"
            return f"Chapter {self.code}: {name}"
        return f"{format_hs_code(self.code)} {name}"


def normalise_hs_code(text: object) -> str | None:
    """Return the bare digits of an HS code written in any usual way, or None.

    Accepts "0901.11", "090111", "0901 11", "0901-11", "0901.11.00", full-width digits, and a
    leading "HS"/"HS code:"/"商品编码：". Only the form is checked (2, 4, 6, 8 or 10 digits); use
    `hs_is_valid` to check that the code exists. Never raises.
    """
    digits = _digits_or_none(text)
    if digits is None or len(digits) not in VALID_LENGTHS:
        return None
    return digits


def _strip_prefix(text: object) -> str | None:
    """NFKC-normalise and drop a leading "HS code:"-like label; None for non-text."""
    if not isinstance(text, str):
        return None
    cleaned = unicodedata.normalize("NFKC", text).strip()
    return _PREFIX.sub("", cleaned, count=1).strip()


def _digits_or_none(text: object) -> str | None:
    """The digits of a code made of digit groups and separators, else None."""
    cleaned = _strip_prefix(text)
    if not cleaned or not _SEPARATED_DIGITS.fullmatch(cleaned):
        return None
    return _SEPARATORS.sub("", cleaned)


def format_hs_code(code: str) -> str:
    """Write normalised digits in the dotted form: 0901, 0901.11, 0901.11.00, 0901.11.00.10."""
    if len(code) <= 4:
        return code
    groups = [code[:4]] + [code[i : i + 2] for i in range(4, len(code), 2)]
    return ".".join(groups)


@cache
def hs_sections() -> tuple[HsSection, ...]:
    """All 21 HS sections in order."""
    names_zh = _names_zh()
    return tuple(
        HsSection(
            code=row["section"],
            number=int(row["number"]),
            name_en=row["name_en"],
            name_zh=names_zh.get(row["section"]),
            first_chapter=row["first_chapter"],
            last_chapter=row["last_chapter"],
        )
        for row in read_csv_rows("hs_sections.csv")
    )


@cache
def hs_entries() -> tuple[HsEntry, ...]:
    """Every chapter, heading and subheading, sorted by code."""
    names_zh = _names_zh()
    return tuple(
        HsEntry(
            code=row["code"],
            level=int(row["level"]),
            parent=row["parent"] or None,
            section=row["section"] or None,
            name_en=row["name_en"],
            name_zh=names_zh.get(row["code"]),
        )
        for row in read_csv_rows("hs_codes.csv")
    )


@cache
def _names_zh() -> dict[str, str]:
    return {row["code"]: row["name_zh"] for row in read_csv_rows("hs_names_zh.csv")}


@cache
def _by_code() -> dict[str, HsEntry]:
    return {entry.code: entry for entry in hs_entries()}


@cache
def _children_by_parent() -> dict[str, tuple[HsEntry, ...]]:
    children: dict[str, list[HsEntry]] = {}
    for entry in hs_entries():
        if entry.parent:
            children.setdefault(entry.parent, []).append(entry)
    return {parent: tuple(entries) for parent, entries in children.items()}


@cache
def _sections_by_code() -> dict[str, HsSection]:
    return {section.code: section for section in hs_sections()}


def hs_chapters() -> tuple[HsEntry, ...]:
    """All chapters (01–97 without the reserved 77, plus 99), in order."""
    return tuple(entry for entry in hs_entries() if entry.is_chapter)


def hs_lookup(code: object) -> HsEntry | None:
    """Return the chapter, heading or subheading for a 2/4/6-digit code in any format, or None.

    National 8/10-digit lines are not in the catalogue; use `hs_nearest` for those.
    """
    digits = normalise_hs_code(code)
    return _by_code().get(digits) if digits else None


def hs_nearest(code: object) -> HsEntry | None:
    """Return the most specific known entry for a code, e.g. subheading 090111 for 0901110000.

    Useful to describe a national tariff line by its international parent. None when the code is
    malformed or not even its chapter exists.
    """
    digits = normalise_hs_code(code)
    if not digits:
        return None
    by_code = _by_code()
    for length in (6, 4, 2):
        entry = by_code.get(digits[:length])
        if entry is not None:
            return entry
    return None


def hs_code_problem(text: object) -> str | None:
    """Say in English what is wrong with an HS code, or return None when it is valid.

    Checks, in order: empty, characters other than digits and separators, length (2, 4, 6, 8 or
    10 digits), then that the chapter, heading and subheading exist. The intake stage translates
    these messages for users.
    """
    cleaned = _strip_prefix(text)
    if not cleaned:
        return "the HS code is empty"
    digits = _digits_or_none(text)
    if digits is None:
        bad = sorted({ch for ch in _SEPARATORS.sub("", cleaned) if not "0" <= ch <= "9"})
        shown = "".join(bad[:5])
        return f"the HS code contains characters other than digits: {shown!r}"
    if len(digits) not in VALID_LENGTHS:
        hint = " (a leading zero may have been lost)" if len(digits) % 2 else ""
        return f"the HS code has {len(digits)} digits; it must have 2, 4, 6, 8 or 10 digits{hint}"
    by_code = _by_code()
    if digits[:2] not in by_code:
        return f"unknown HS chapter {digits[:2]}"
    if len(digits) >= 4 and digits[:4] not in by_code:
        return f"unknown HS heading {format_hs_code(digits[:4])}"
    if len(digits) >= 6 and digits[:6] not in by_code:
        return f"unknown HS subheading {format_hs_code(digits[:6])}"
    return None


def hs_is_valid(code: object) -> bool:
    """True for an existing 2/4/6-digit HS code, or an 8/10-digit line whose subheading exists."""
    return hs_code_problem(code) is None


def hs_chapter(code: object) -> HsEntry | None:
    """Return the chapter of any well-formed code (e.g. chapter 09 for "0901.11.00"), or None."""
    digits = normalise_hs_code(code)
    return _by_code().get(digits[:2]) if digits else None


def hs_section(code_or_numeral: object) -> HsSection | None:
    """Return a section by Roman numeral ("XVI"), or the section of an HS code ("8516.60")."""
    if isinstance(code_or_numeral, str):
        numeral = unicodedata.normalize("NFKC", code_or_numeral).strip().upper()
        if numeral in _sections_by_code():
            return _sections_by_code()[numeral]
    chapter = hs_chapter(code_or_numeral)
    if chapter is None or chapter.section is None:
        return None
    return _sections_by_code().get(chapter.section)


def hs_section_chapters(numeral: str) -> tuple[HsEntry, ...]:
    """Return the chapters of a section given by Roman numeral; empty for an unknown section."""
    section = hs_section(numeral)
    if section is None:
        return ()
    return tuple(chapter for chapter in hs_chapters() if chapter.section == section.code)


def hs_children(code: object) -> tuple[HsEntry, ...]:
    """Return the direct children of a code: headings of a chapter, subheadings of a heading."""
    digits = normalise_hs_code(code)
    if not digits:
        return ()
    return _children_by_parent().get(digits, ())


def hs_ancestors(code: object) -> tuple[HsEntry, ...]:
    """Return chapter, heading and subheading above and including a code, root first.

    For an 8/10-digit national line the chain stops at its 6-digit subheading.
    """
    digits = normalise_hs_code(code)
    if not digits:
        return ()
    by_code = _by_code()
    chain = [by_code.get(digits[:length]) for length in HS_LEVELS if length <= len(digits)]
    return tuple(entry for entry in chain if entry is not None)


@cache
def _search_index() -> tuple[tuple[HsEntry, str, frozenset[str], str], ...]:
    return tuple(
        (
            entry,
            fold_text(entry.name_en),
            frozenset(fold_text(entry.name_en).split()),
            fold_text(entry.name_zh or "").replace(" ", ""),
        )
        for entry in hs_entries()
    )


@cache
def _english_word_index() -> tuple[list[str], dict[str, frozenset[int]]]:
    """Sorted distinct English words, and the entries each occurs in (for prefix look-ups)."""
    postings: dict[str, set[int]] = {}
    for position, (_entry, _folded, words, _zh) in enumerate(_search_index()):
        for word in words:
            postings.setdefault(word, set()).add(position)
    return sorted(postings), {word: frozenset(ids) for word, ids in postings.items()}


def _english_candidates(tokens: list[str]) -> list[int]:
    """Entries in which every token starts some word: a bisect per token instead of a scan."""
    words, postings = _english_word_index()
    result: set[int] | None = None
    for token in tokens:
        matched: set[int] = set()
        start = bisect_left(words, token)
        for word in words[start:]:
            if not word.startswith(token):
                break
            matched |= postings[word]
        result = matched if result is None else result & matched
        if not result:
            return []
    return sorted(result or ())


def _has_chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def hs_search(text: str, lang: str = "en", limit: int = 20) -> tuple[HsEntry, ...]:
    """Find HS entries by code prefix or by words of their name.

    Digits (with or without separators) list the codes starting with them. Otherwise every word of
    the query must occur: in English as the start of a word of the name ("roast" finds
    "roasted"), in Chinese as a substring of the Chinese name. A query with Chinese characters
    searches the Chinese names (sections' chapters and selected headings have them), any other
    query the English names, whatever `lang` says (it is kept for symmetry with the other
    lookups). Exact phrase matches and higher levels (chapters before headings) come first.
    """
    if not isinstance(text, str) or limit <= 0:
        return ()
    digits = _digits_or_none(text)
    if digits:
        prefix = digits[:6]
        return tuple(entry for entry in hs_entries() if entry.code.startswith(prefix))[:limit]
    query = fold_text(text)
    if not query:
        return ()
    chinese = _has_chinese(query)
    tokens = query.split()
    index = _search_index()
    candidates = range(len(index)) if chinese else _english_candidates(tokens)
    scored: list[tuple[int, int, str, HsEntry]] = []
    for position in candidates:
        entry, folded_en, _words_en, folded_zh = index[position]
        if chinese:
            if not folded_zh or not all(token in folded_zh for token in tokens):
                continue
            phrase = query.replace(" ", "") in folded_zh
        else:
            phrase = f" {query} " in f" {folded_en} "
        scored.append((0 if phrase else 1, entry.level, entry.code, entry))
    scored.sort(key=lambda item: item[:3])
    return tuple(item[3] for item in scored[:limit])
