"""Text folding for search: one canonical form for the index and for queries alike.

Full-width forms become half-width and compatibility characters their plain form (Unicode NFKC),
case is folded, and traditional Chinese becomes simplified (OpenCC `t2s`), so that "ＡＢＣ１２３",
"abc123" and "兒童玩具" / "儿童玩具" meet. Pure: no database, no I/O after the converter loads.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

# CJK ideographs (unified, extension A, compatibility, extensions B and beyond).
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAS_CJK = re.compile(f"[{CJK}]")


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s.json")  # the name every release of the wheels accepts


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese; text without Chinese characters is returned as is."""
    if not _HAS_CJK.search(text):
        return text
    return str(_converter().convert(text))


def fold(text: str) -> str:
    """NFKC, case folding and traditional → simplified: the form both index and query use."""
    if text.isascii():
        return text.lower()  # the common case (English notices), a hundred times cheaper
    folded = unicodedata.normalize("NFKC", text).casefold()
    simplified = to_simplified(folded)
    # OpenCC maps ideographs one-to-one or phrase-wise; NFKC again keeps the result canonical
    # (a converted character may have a compatibility form).
    return unicodedata.normalize("NFKC", simplified) if simplified != folded else folded


def has_chinese(text: str) -> bool:
    return bool(_HAS_CJK.search(text))
