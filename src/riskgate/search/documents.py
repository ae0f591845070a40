"""What of a risk record is searchable: its texts, identifiers and catalogue labels in zh and en.

Catalogue labels (country names, hazard class and type names, the HS chapter's Chinese name) are
added so that an English notice is found by "德国" or "窒息", and a Chinese one by "Germany".
Their tokens are cached: thousands of records share a few hundred labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from riskgate.catalog import reference
from riskgate.search.tokens import document_text

MAX_DESCRIPTION = 4000  # the head of a long description carries its words; positions stay small


@lru_cache(maxsize=4096)
def _label_text(kind: str, code: str) -> str:
    entry: Any
    if kind == "country":
        entry = reference.country(code)
    elif kind == "hazard_class":
        entry = reference.hazard_class(code)
    elif kind == "hazard_type":
        entry = reference.hazard_type(code)
    elif kind == "hs":
        entry = reference.hs_lookup(code[:2]) if len(code) >= 2 else None
        return document_text([getattr(entry, "name_zh", None)]) if entry else ""
    else:
        entry = None
    if entry is None:
        return ""
    return document_text([getattr(entry, "name_zh", None), getattr(entry, "name_en", None)])


def labels(record: dict[str, Any]) -> str:
    """The index text of the catalogue labels a record points at."""
    parts = []
    for kind, field in (("country", "origin_country"), ("country", "notifying_country"),
                        ("hazard_class", "hazard_class"), ("hazard_type", "hazard_type"),
                        ("hs", "hs_code")):  # fmt: skip
        value = record.get(field)
        if value:
            parts.append(_label_text(kind, str(value)))
    for code in record.get("hazard_types") or ():
        if code != record.get("hazard_type"):
            parts.append(_label_text("hazard_type", str(code)))
    for enterprise in record.get("enterprises") or ():
        if enterprise.get("country"):
            parts.append(_label_text("country", str(enterprise["country"])))
    return " ".join(p for p in parts if p)


def record_text(record: dict[str, Any]) -> str:
    """The index text of one record (a mapping of its columns plus `enterprises`)."""
    description = record.get("description")
    enterprises: Sequence[dict[str, Any]] = record.get("enterprises") or ()
    parts: Iterable[str | None] = [
        record.get("title"),
        description[:MAX_DESCRIPTION] if description else None,
        record.get("product_name"),
        record.get("brand"),
        record.get("model"),
        record.get("batch_number"),
        record.get("barcode"),
        record.get("hazard_substance"),
        record.get("product_category"),
        record.get("record_number"),
        record.get("external_reference"),
        *(e.get("name") for e in enterprises),
        *(e.get("uscc") for e in enterprises),
    ]
    own = document_text(parts)
    catalogue = labels(record)
    return f"{own} {catalogue}" if catalogue else own
