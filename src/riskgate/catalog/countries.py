"""Countries and areas (ISO 3166-1) with English and Chinese names, and a tolerant resolver.

data/countries.csv and data/country_names.csv are generated from the public ISO 3166 / UN M49
tables by `scripts/build_catalog.py`; data/country_aliases.csv (spellings seen in notifications,
customs usage and Chinese short names) is written by hand. Following Chinese usage, Hong Kong,
Macao and Taiwan are labelled 中国香港, 中国澳门, 中国台湾 and marked as part of CN, while keeping
their own ISO codes (HK, MO, TW) for customs statistics.

Besides ISO 3166-1 proper, the catalogue holds EU (European Union, the notifying party
"European Commission" in RASFF), XK (Kosovo, user-assigned) and AN (Netherlands Antilles, former).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from riskgate.catalog._base import Labelled, fold_text, read_csv_rows

_PARENTHESES = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")
_UNKNOWN_MARKERS = frozenset(
    {
        "unknown", "unknown origin", "origin unknown", "not known", "not specified", "unspecified",
        "n a", "none", "various", "multiple", "未知", "不详", "不明", "未知产地", "产地不详",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Country(Labelled):
    """A country or area, keyed by its ISO 3166-1 alpha-2 code."""

    code: str  # alpha-2
    alpha3: str
    numeric: str  # three digits, "" when none
    name_en: str
    name_zh: str
    name_zh_full: str
    official_name_en: str
    region_en: str
    subregion_en: str
    part_of: str | None  # alpha-2 of the country it belongs to (HK, MO, TW -> CN; AX -> FI)
    kind: str  # sovereign, territory, region_of_china, supranational, user_assigned, historical
    is_eu_member: bool


@cache
def countries() -> tuple[Country, ...]:
    """All countries and areas of the catalogue, sorted by alpha-2 code."""
    return tuple(
        Country(
            code=row["code"],
            alpha3=row["alpha3"],
            numeric=row["numeric"],
            name_en=row["name_en"],
            name_zh=row["name_zh"],
            name_zh_full=row["name_zh_full"],
            official_name_en=row["official_name_en"],
            region_en=row["region_en"],
            subregion_en=row["subregion_en"],
            part_of=row["part_of"] or None,
            kind=row["kind"],
            is_eu_member=row["eu_member"] == "1",
        )
        for row in read_csv_rows("countries.csv")
    )


@cache
def _by_alpha2() -> dict[str, Country]:
    return {country.code: country for country in countries()}


def name_key(text: str) -> str:
    """Matching key of a country name: folded, without spaces and without the word "the"."""
    return "".join(word for word in fold_text(text).split() if word != "the")


@cache
def _name_index() -> dict[str, str]:
    """Map name keys to alpha-2 codes; hand-written aliases win over generated variants."""
    index: dict[str, str] = {}
    for row in read_csv_rows("country_aliases.csv"):
        index.setdefault(name_key(row["alias"]), row["code"])
    for country in countries():
        for name in (country.name_en, country.name_zh, country.name_zh_full):
            index.setdefault(name_key(name), country.code)
        index.setdefault(name_key(country.official_name_en), country.code)
    for row in read_csv_rows("country_names.csv"):
        index.setdefault(name_key(row["name"]), row["code"])
    index.pop("", None)
    return index


@cache
def _code_index() -> dict[str, str]:
    """Map lower-case alpha-2, alpha-3 and three-digit numeric codes to alpha-2 codes."""
    index: dict[str, str] = {}
    for country in countries():
        index.setdefault(country.code.lower(), country.code)
    for country in countries():
        index.setdefault(country.alpha3.lower(), country.code)
        if country.numeric:
            index.setdefault(country.numeric, country.code)
    return index


def is_unknown_country(text: object) -> bool:
    """True for placeholders such as "Unknown", "unknown origin", "n/a", "不详"."""
    return isinstance(text, str) and fold_text(text) in _UNKNOWN_MARKERS


def _resolve_once(text: str) -> str | None:
    folded = fold_text(text)
    if not folded or folded in _UNKNOWN_MARKERS:
        return None
    compact = folded.replace(" ", "")
    if compact.isdigit():
        return _code_index().get(compact.zfill(3)) if len(compact) <= 3 else None
    if compact.isascii() and len(compact) in (2, 3) and compact.isalpha():
        # Codes first (CN, CHN), then aliases spelled with dots or spaces ("U.K.", "U.S.").
        return _code_index().get(compact) or _name_index().get(compact)
    return _name_index().get(name_key(text))


def country_resolve(text: object) -> str | None:
    """Return the alpha-2 code for a country name or code in English or Chinese, or None.

    Tolerates case, accents, spacing, punctuation and full-width characters, and the variants
    used by RASFF, Safety Gate and CPSC ("Peoples Republic of China", "Türkiye", "Austria (AT)",
    "West Bank and Gaza Strip", "European Commission" -> EU). Codes (CN, CHN, 156) resolve too.
    A trailing remark in brackets is ignored when the whole text is not a known name. Unknown
    names and placeholders ("unknown origin") give None.
    """
    if not isinstance(text, str):
        return None
    code = _resolve_once(text)
    if code is None and _PARENTHESES.search(text):
        code = _resolve_once(_PARENTHESES.sub(" ", text))
    return code


def country(code: object) -> Country | None:
    """Return the country for an alpha-2 code (case-insensitive), or None."""
    if not isinstance(code, str):
        return None
    return _by_alpha2().get(code.strip().upper())


def country_lookup(text: object) -> Country | None:
    """Resolve any name or code (see `country_resolve`) and return the country, or None."""
    code = country_resolve(text)
    return _by_alpha2().get(code) if code else None


def eu_member_states() -> tuple[Country, ...]:
    """The 27 member states of the European Union."""
    return tuple(entry for entry in countries() if entry.is_eu_member)
