"""Shared helpers of the catalogue: reading packaged data files, labels, text folding."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from importlib import resources
from typing import Any

DATA_PACKAGE = "riskgate.catalog"
DATA_FOLDER = "data"

_NON_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff\uf900-\ufaff]+")
_APOSTROPHES = str.maketrans("", "", "'’‘`´")


def read_data_text(file_name: str) -> str:
    """Return the text of a file packaged in `riskgate/catalog/data/`."""
    resource = resources.files(DATA_PACKAGE).joinpath(DATA_FOLDER, file_name)
    return resource.read_text(encoding="utf-8-sig")


def read_csv_rows(file_name: str) -> list[dict[str, str]]:
    """Return the rows of a packaged CSV file as dicts, with surrounding whitespace stripped."""
    reader = csv.DictReader(io.StringIO(read_data_text(file_name)))
    return [
        {key.strip(): (value or "").strip() for key, value in row.items() if key is not None}
        for row in reader
    ]


def read_json(file_name: str) -> Any:
    """Return the parsed content of a packaged JSON file."""
    return json.loads(read_data_text(file_name))


def is_chinese(lang: str | None) -> bool:
    """True when a language tag asks for Chinese ("zh-CN", "zh", "zh_Hans"…)."""
    if not lang:
        return False
    return lang.strip().lower().replace("_", "-").startswith("zh")


class Labelled:
    """Mixin for catalogue entries that carry `name_zh` and `name_en`.

    Subclasses are frozen dataclasses with slots; the mixin declares no slots of its own.
    """

    __slots__ = ()
    name_zh: str | None
    name_en: str

    def label(self, lang: str = "zh-CN") -> str:
        """Return the entry's name in `lang` ("zh-CN" or "en"); English when no Chinese exists."""
        if is_chinese(lang) and self.name_zh:
            return self.name_zh
        return self.name_en


def fold_text(text: str) -> str:
    """Fold text for tolerant matching.

    Full-width forms become ASCII (NFKC), case and accents are dropped, apostrophes vanish,
    "&" reads "and", and every other run of punctuation or whitespace becomes one space. Chinese
    characters are kept.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = text.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("đ", "d")
    text = text.translate(_APOSTROPHES).replace("&", " and ")
    return _NON_WORD.sub(" ", text).strip()


def fold_compact(text: str) -> str:
    """Fold text as `fold_text` does, then drop the spaces too ("U.S." and "US" both give "us")."""
    return fold_text(text).replace(" ", "")
