"""Normalised keys of a record and the score of a pair of records (pure: no database).

Near-duplicates are found by *blocking keys* — values that two reports of the same product share
whatever their language: the barcode (GTIN), the batch, the brand with the model, a model number.
A pair that shares a key is then scored on everything that can agree without translation (batch,
barcode, brand, model, hazard, origin, Latin and Chinese tokens of the name, dates), and each
agreement is kept as a reason ("same GTIN", "within 12 days"). Recurrence keys (operator,
hazard + product, origin + hazard) group records for RASFF-style recurrence flags.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from riskgate.catalog._base import fold_compact, fold_text
from riskgate.core.i18n import N_
from riskgate.linkage.enums import KeyKind

WINDOW_DAYS = 90
LINK_THRESHOLD = 0.6
_DIGITS = re.compile(r"\D+")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[0-9a-z]+")
OPERATOR_ROLES = frozenset({"manufacturer", "exporter", "importer"})


@dataclass(frozen=True)
class Facts:
    """What linkage reads of a record (from its draft, or from the stored row)."""

    record_id: int
    organisation_id: int
    day: dt.date
    product_name: str = ""
    brand: str | None = None
    model: str | None = None
    batch: str | None = None
    barcode: str | None = None
    hazard_class: str | None = None
    hazard_type: str | None = None
    origin: str | None = None
    product_group: str | None = None  # HS chapter, else the suggested one, else the category
    operators: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (digest, label)


@lru_cache(maxsize=65536)
def digest(kind: KeyKind | str, value: str) -> str:
    """The stored form of a key: short, fixed length, and the same for the same folded value."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:40]


def gtin(barcode: str | None) -> str | None:
    """Digits of an 8–14 digit barcode, left-padded to GTIN-14 so UPC-A and EAN-13 agree."""
    if not barcode:
        return None
    digits = _DIGITS.sub("", barcode)
    return digits.zfill(14) if 8 <= len(digits) <= 14 and digits.strip("0") else None


def batch_key(batch: str | None) -> str | None:
    folded = fold_compact(batch) if batch else ""
    return folded if len(folded) >= 3 else None


def model_key(model: str | None) -> str | None:
    """A model *number* (letters and digits, e.g. "HT-2000" → "ht2000"), not a model name."""
    folded = fold_compact(model) if model else ""
    if len(folded) >= 4 and any(c.isdigit() for c in folded) and any(c.isalpha() for c in folded):
        return folded[:120]
    return None


def brand_key(brand: str | None) -> str | None:
    folded = fold_compact(brand) if brand else ""
    return folded[:80] if len(folded) >= 2 else None


def name_tokens(name: str) -> frozenset[str]:
    """Latin words (3+ letters) and Chinese character pairs of a product name."""
    folded = fold_text(name[:500]) if name else ""
    found = {w for w in _WORD.findall(folded) if len(w) >= 3}
    for run in _CJK.findall(folded):
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(found)


def blocking_keys(facts: Facts) -> list[tuple[KeyKind, str]]:
    keys: list[tuple[KeyKind, str]] = []
    if code := gtin(facts.barcode):
        keys.append((KeyKind.gtin, digest(KeyKind.gtin, code)))
    if batch := batch_key(facts.batch):
        keys.append((KeyKind.batch, digest(KeyKind.batch, batch)))
    model = model_key(facts.model)
    brand = brand_key(facts.brand)
    if brand and facts.model and fold_compact(facts.model):
        value = f"{brand}|{fold_compact(facts.model)[:120]}"
        keys.append((KeyKind.brand_model, digest(KeyKind.brand_model, value)))
    if model:
        keys.append((KeyKind.model, digest(KeyKind.model, model)))
    return keys


def recurrence_keys(facts: Facts) -> list[tuple[KeyKind, str, str]]:
    """(kind, digest, readable label) of the record's recurrence keys."""
    keys: list[tuple[KeyKind, str, str]] = []
    for operator_digest, label in facts.operators:
        keys.append((KeyKind.operator, operator_digest, label))
    if facts.hazard_type and facts.product_group:
        label = f"{facts.hazard_type} · {facts.product_group}"
        keys.append((KeyKind.hazard_product, digest(KeyKind.hazard_product, label), label))
    if facts.hazard_type and facts.origin:
        label = f"{facts.origin} · {facts.hazard_type}"
        keys.append((KeyKind.origin_hazard, digest(KeyKind.origin_hazard, label), label))
    return keys


def operator_keys(enterprises: list[dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    """An enterprise by its USCC, or a foreign one by folded name + country (not retailers)."""
    found: dict[str, str] = {}
    for item in enterprises or []:
        if str(item.get("role") or "") not in OPERATOR_ROLES:
            continue
        uscc = item.get("uscc")
        if uscc:
            found.setdefault(digest(KeyKind.operator, f"uscc:{uscc}"), str(uscc))
            continue
        name = fold_text(str(item.get("name") or ""))[:200]
        if len(name) >= 3:
            country = str(item.get("country") or "")
            label = f"{item.get('name')} ({country})" if country else str(item.get("name"))
            found.setdefault(digest(KeyKind.operator, f"name:{name}|{country}"), label[:300])
    return tuple(found.items())


def reason(message: str, **params: Any) -> dict[str, Any]:
    return {"message": message, "params": params}


def score_pair(a: Facts, b: Facts,
               window_days: int = WINDOW_DAYS) -> tuple[float, list[dict[str, Any]]]:
    """How likely two records report the same product and problem (0–1), and why.

    Strong identifiers carry the score; hazard, origin and name agreement add to it; a different
    hazard class or origin takes away. Records further apart than the window never link.
    """
    days = abs((a.day - b.day).days)
    if days > window_days:
        return 0.0, []
    score = 0.0
    reasons: list[dict[str, Any]] = []
    code = gtin(a.barcode)
    if code and code == gtin(b.barcode):
        score += 0.6
        reasons.append(reason(N_("same GTIN {code}"), code=code.lstrip("0")))
    if batch_key(a.batch) and batch_key(a.batch) == batch_key(b.batch):
        score += 0.35
        reasons.append(reason(N_("same batch {batch}"), batch=b.batch or ""))
    same_model = bool(a.model and b.model and fold_compact(a.model) == fold_compact(b.model))
    same_brand = bool(brand_key(a.brand) and brand_key(a.brand) == brand_key(b.brand))
    if same_brand and same_model:
        score += 0.45
        reasons.append(reason(N_("same brand and model {model}"), model=b.model or ""))
    elif same_model and model_key(a.model):
        score += 0.35
        reasons.append(reason(N_("same model {model}"), model=b.model or ""))
    elif same_brand:
        score += 0.1
        reasons.append(reason(N_("same brand {brand}"), brand=b.brand or ""))
    if a.hazard_type and a.hazard_type == b.hazard_type:
        score += 0.15
        reasons.append(reason(N_("same hazard")))
    elif a.hazard_class and a.hazard_class == b.hazard_class:
        score += 0.1
        reasons.append(reason(N_("same hazard class")))
    elif a.hazard_class and b.hazard_class:
        score -= 0.2
    if a.origin and a.origin == b.origin:
        score += 0.05
        reasons.append(reason(N_("same origin {country}"), country=a.origin))
    elif a.origin and b.origin:
        score -= 0.1
    left, right = name_tokens(a.product_name), name_tokens(b.product_name)
    if left and right and len(left & right) / len(left | right) >= 0.5:
        score += 0.1
        reasons.append(reason(N_("similar product name")))
    reasons.append(reason(N_("within {days} days"), days=days))
    return round(max(0.0, min(score, 1.0)), 3), reasons
