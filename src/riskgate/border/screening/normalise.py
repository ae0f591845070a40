"""How the engine normalises what it compares (HS digits, codes, barcodes, ports, keywords and
the folded text of a line), and `no_gc` for its batch loops. Pure: no database, no HTTP."""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from riskgate.border.screening.types import LineInput
from riskgate.search.folding import fold, has_chinese, to_simplified

_SEP = "\x1e"  # record separator: joins texts for one OpenCC call; never in a folded keyword


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused for a batch: allocating a million result objects
    (which hold no cycles) would otherwise trigger full collections that cost ~40 % of the
    time. Restored afterwards, also on error."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def norm_hs(text: str | None) -> str:
    """The digits of an HS code or prefix."""
    if not text:
        return ""
    return text if text.isdigit() else "".join(ch for ch in text if ch.isdigit())


def norm_code(text: str | None) -> str:
    """Enterprise codes and countries compare upper-case without spaces."""
    return "".join(text.split()).upper() if text else ""


def norm_barcode(text: str | None) -> str:
    return "".join(text.split()) if text else ""


def norm_port(text: str | None) -> str:
    return text.strip() if text else ""


def norm_keyword(text: str) -> str:
    return fold(text).strip()


def norm_term(text: str | None) -> str:
    """Brands, models and batches compare folded, without spaces ("Lego  City" = "legocity")."""
    return "".join(fold(text).split()) if text else ""


def fold_many(texts: Sequence[str]) -> list[str]:
    """`fold` of each text, the traditional → simplified step done in one OpenCC call for all
    (seven times cheaper than one call per text; conversion never crosses the separator)."""
    out = [t.lower() if t.isascii() else unicodedata.normalize("NFKC", t).casefold()
           for t in texts]
    chinese = [i for i, t in enumerate(out) if not texts[i].isascii() and has_chinese(t)]
    if not chinese:
        return out
    if any(_SEP in out[i] for i in chinese):
        return [fold(t) for t in texts]
    converted = to_simplified(_SEP.join(out[i] for i in chinese)).split(_SEP)
    if len(converted) != len(chinese):  # cannot happen; keep exactness if it ever does
        return [fold(t) for t in texts]
    for i, simplified in zip(chinese, converted, strict=True):
        if simplified != out[i]:
            out[i] = unicodedata.normalize("NFKC", simplified)
    return out


def line_text(line: LineInput) -> str:
    """The folded text keywords are searched in: description, brand and model, one per line."""
    return fold("\n".join(p for p in (line.description, line.brand, line.model) if p))
