"""Matching declared conflicts of interest against what an assessment is about (pure).

An assessment is described by `Facts`: the enterprises of its risk records (USCC, and name with
country), the countries of origin, the HS chapters and the product categories of the assessment
and of its records. A conflict matches when:

- enterprise: its USCC equals a record enterprise's USCC, or its name equals an enterprise's name
  after folding (NFKC, case, punctuation and spaces dropped) and, when the conflict names a
  country, the countries agree;
- country: the country is one of the countries of origin;
- product_area: its HS chapter is one of the chapters, or its product area and a product category
  contain one another after folding;
- other: never (free text a person must read; shown beside the expert, not enforced).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from riskgate.experts.enums import ConflictKind


class ConflictLike(Protocol):
    kind: ConflictKind
    enterprise_uscc: str | None
    enterprise_name: str | None
    country: str | None
    hs_chapter: str | None
    product_area: str | None


def fold(text: str | None) -> str:
    """Comparable form of a name: NFKC, case-folded, letters and digits only."""
    if not text:
        return ""
    normal = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in normal if ch.isalnum())


@dataclass
class Facts:
    usccs: set[str] = field(default_factory=set)
    enterprises: set[tuple[str, str]] = field(default_factory=set)  # (folded name, country or "")
    countries: set[str] = field(default_factory=set)
    hs_chapters: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)  # folded

    def add_product(self, hs_code: str | None, category: str | None,
                    country: str | None) -> None:
        digits = "".join(ch for ch in (hs_code or "") if ch.isdigit())
        if len(digits) >= 2:
            self.hs_chapters.add(digits[:2])
        if fold(category):
            self.categories.add(fold(category))
        if country:
            self.countries.add(country.upper())

    def add_enterprise(self, uscc: str | None, name: str | None, country: str | None) -> None:
        if uscc:
            self.usccs.add(uscc.strip().upper())
        if fold(name):
            self.enterprises.add((fold(name), (country or "").upper()))


def why(conflict: ConflictLike, facts: Facts) -> str | None:
    """What of the assessment the conflict concerns (for the message), or None."""
    kind = ConflictKind(conflict.kind)
    if kind == ConflictKind.enterprise:
        uscc = (conflict.enterprise_uscc or "").strip().upper()
        if uscc and uscc in facts.usccs:
            return uscc
        name = fold(conflict.enterprise_name)
        country = (conflict.country or "").upper()
        for other_name, other_country in facts.enterprises:
            if name and name == other_name and (not country or not other_country
                                                or country == other_country):
                return conflict.enterprise_name
        return None
    if kind == ConflictKind.country:
        country = (conflict.country or "").upper()
        return country if country and country in facts.countries else None
    if kind == ConflictKind.product_area:
        if conflict.hs_chapter and conflict.hs_chapter in facts.hs_chapters:
            return conflict.hs_chapter
        area = fold(conflict.product_area)
        if area and any(area in category or category in area for category in facts.categories):
            return conflict.product_area
        return None
    return None


C = TypeVar("C", bound=ConflictLike)


def matching(conflicts: Iterable[C], facts: Facts) -> list[tuple[C, str]]:
    """The conflicts that match the facts, each with what it matched."""
    found: list[tuple[C, str]] = []
    for conflict in conflicts:
        reason = why(conflict, facts)
        if reason is not None:
            found.append((conflict, reason))
    return found
