"""Pure normalisers for imported values: dates, countries, HS codes, text.

Each returns the normalised value or raises `RowProblem` with an English msgid and parameters, so
that a quarantined row's problems render in the reader's language. No database, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache
from typing import Any

from riskgate.catalog.reference import (
    country,
    country_resolve,
    hs_code_problem,
    is_unknown_country,
    normalise_hs_code,
)
from riskgate.core.i18n import N_

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?")
_CHINESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?")
_MONTH_NAME = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})")
EARLIEST = dt.date(1900, 1, 1)
_EXCEL_SERIAL = re.compile(r"\d{5}")
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIALS = (20000, 80000)  # 1954-10-03 .. 2119-01-10; other numbers are not dates


@dataclass
class RowProblem(Exception):
    """What is wrong with one field of a row: a msgid and the values for its placeholders."""

    field: str
    message: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "message": self.message, "params": dict(self.params)}


def storable(text: str) -> str:
    """Text PostgreSQL can store: NUL characters become U+FFFD (the only change to raw text)."""
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def clean_text(value: object, limit: int | None = None) -> str | None:
    """Strip, drop NULs, fold Unicode to NFC; empty or placeholder values ("None") are None."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value).replace("\x00", "")).strip()
    if not text or text.lower() in {"none", "null", "n/a"}:
        return None
    return text[:limit] if limit else text


def parse_date(value: object, field_name: str) -> dt.date | None:
    """Read "Oct 30, 2024", "30 October 2024", "2024-10-30[T…]", "2024/10/30", "2024年10月30日",
    and Excel serial day numbers (45352 = 2024-03-01) from cells that lost their date format.

    Empty gives None; an unreadable or impossible date (Feb 30, month 13) raises RowProblem.
    """
    text = clean_text(value)
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", text)
    if _EXCEL_SERIAL.fullmatch(text) and EXCEL_SERIALS[0] <= int(text) <= EXCEL_SERIALS[1]:
        # A date cell that lost its date format shows Excel's day count (1900 date system).
        return EXCEL_EPOCH + dt.timedelta(days=int(text))
    parts: tuple[int, int, int] | None = None
    if (match := _ISO.fullmatch(text)) or (match := _CHINESE.fullmatch(text)):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif (match := _MONTH_NAME.fullmatch(text)) and match[1].lower() in MONTHS:
        parts = (int(match[3]), MONTHS[match[1].lower()], int(match[2]))
    elif (match := _DAY_MONTH_NAME.fullmatch(text)) and match[2].lower() in MONTHS:
        parts = (int(match[3]), MONTHS[match[2].lower()], int(match[1]))
    if parts is None:
        raise RowProblem(
            field_name, N_("{value} is not a date we can read (use YYYY-MM-DD)."), {"value": text}
        )
    try:
        result = dt.date(*parts)
    except ValueError as error:
        raise RowProblem(
            field_name, N_("{value} is not a possible date."), {"value": text}
        ) from error
    if result < EARLIEST:
        raise RowProblem(field_name, N_("{value} is not a possible date."), {"value": text})
    return result


@lru_cache(maxsize=4096)
def _country_code(text: str) -> str | None:
    """Cached: feeds repeat the same few hundred country spellings thousands of times."""
    if is_unknown_country(text):
        return ""
    return country_resolve(text)


def resolve_country(value: object, field_name: str) -> str | None:
    """An ISO alpha-2 code for a country name or code; placeholders ("unknown origin") are None."""
    text = clean_text(value)
    if text is None:
        return None
    code = _country_code(text)
    if code == "":
        return None
    if code is None:
        raise RowProblem(field_name, N_("Unknown country: {value}."), {"value": text})
    return code


def resolve_countries(value: object, field_name: str, separators: str = ";") -> list[str]:
    """Several countries in one cell ("China; Viet Nam", "China and Cambodia"), in order."""
    text = clean_text(value)
    if text is None:
        return []
    found: list[str] = []
    for part in re.split(f"[{re.escape(separators)}]", text):
        if not part.strip():
            continue
        try:
            code = resolve_country(part, field_name)
        except RowProblem:
            pieces = [p for p in re.split(r"\s+and\s+|\s*&\s*", part.strip()) if p]
            if len(pieces) < 2:
                raise
            codes = [resolve_country(p, field_name) for p in pieces]
            found.extend(c for c in codes if c and c not in found)
            continue
        if code and code not in found:
            found.append(code)
    return found


def check_country_code(value: object, field_name: str) -> str | None:
    """An alpha-2 code written by our own clients must exist as such (names are resolved too)."""
    text = clean_text(value)
    if text is None:
        return None
    if len(text) == 2 and country(text) is not None:
        return text.upper()
    return resolve_country(text, field_name)


def check_hs_code(value: object, field_name: str = "hs_code") -> str | None:
    """The bare digits of a valid HS code, or RowProblem saying what is wrong."""
    text = clean_text(value)
    if text is None:
        return None
    problem = hs_code_problem(text)
    if problem is not None:
        raise RowProblem(
            field_name,
            N_("Invalid HS code {value}: {problem}."),
            {"value": text, "problem": problem},
        )
    return normalise_hs_code(text)


def parse_int(value: object, field_name: str) -> int | None:
    """A non-negative whole number ("1,234" allowed) or None when empty."""
    text = clean_text(value)
    if text is None:
        return None
    digits = text.replace(",", "").replace(" ", "")
    if not digits.isdigit() or len(digits) > 9:
        raise RowProblem(
            field_name, N_("{value} is not a whole number of 0 or more."), {"value": text}
        )
    return int(digits)
