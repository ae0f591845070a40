"""Tokenising for search: jieba words and single characters for Chinese, words for the rest.

A document becomes one space-joined string: its words (jieba search mode for Chinese runs, so
"儿童玩具" gives 儿童, 玩具 and 儿童玩具; Latin, digit and other-script runs as lower-case words),
then the Chinese characters one by one in reading order. The characters make every Chinese
query term findable even where jieba cut the document differently ("含铅量" holds no word
"铅"): a one-character term matches a character, a longer term matches its word or the phrase of
its characters (adjacent in the character stream — a substring match that stays in the index).
Both back ends index exactly these tokens; neither parses Chinese itself.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskgate.search.folding import CJK, fold

MAX_TOKEN = 64  # longer runs (hashes, base64) are cut: no one searches for their tail
MAX_QUERY_TERMS = 12
_ASCII_WORDS = re.compile("[a-z0-9]+")
_RUNS = re.compile(f"(?P<cjk>[{CJK}]+)|(?P<word>(?:(?![{CJK}])[^\\W_])+)")
_lock = threading.Lock()
_ready = False


def _jieba() -> Any:
    """jieba, initialised once per process with its dictionary cache in a writable folder."""
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                cache = Path(os.environ.get("RISKGATE_CACHE_DIR") or tempfile.gettempdir())
                cache.mkdir(parents=True, exist_ok=True)
                jieba.dt.tmp_dir = str(cache)
                jieba.dt.cache_file = "riskgate-jieba.cache"
                jieba.initialize()
                _ready = True
    return jieba


def warm_up() -> None:
    """Load jieba's dictionary and the converter now (about 0.5 s), not in the first request."""
    document_text(["兒童玩具 warm-up"])
    query_terms("儿童玩具")


def _word(run: str) -> str:
    """A non-Chinese run as a token: accents dropped ("türkiye" → "turkiye"), length capped."""
    if not run.isascii():
        decomposed = unicodedata.normalize("NFKD", run)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        run = unicodedata.normalize("NFC", stripped) or run
    return run[:MAX_TOKEN]


def tokens(text: str, *, search_mode: bool = True) -> tuple[list[str], list[str]]:
    """The words and the Chinese characters of already-folded text, in reading order."""
    if text.isascii():
        return [w[:MAX_TOKEN] for w in _ASCII_WORDS.findall(text)], []
    words: list[str] = []
    chars: list[str] = []
    jieba = None
    for match in _RUNS.finditer(text):
        run = match.group("cjk")
        if run is None:
            words.append(_word(match.group("word")))
            continue
        chars.extend(run)
        if len(run) == 1:
            continue
        jieba = jieba or _jieba()
        cut = jieba.cut_for_search(run) if search_mode else jieba.cut(run)
        words.extend(w for w in cut if len(w) > 1)
    return words, chars


def document_text(parts: Iterable[str | None]) -> str:
    """The index text of a document: its words, then its Chinese characters, space-joined."""
    # One pass over all parts: a newline never joins two parts into one token.
    words, chars = tokens(fold("\n".join(p for p in parts if p)))
    return " ".join(words + chars)


@dataclass(frozen=True)
class Term:
    """One query term: a word, and for a Chinese word of two or more characters its characters
    (matched as a phrase when the document has no such word)."""

    word: str
    chars: tuple[str, ...] = ()


def query_terms(query: str) -> list[Term]:
    """The terms a query asks for, all of which must match; duplicates dropped, at most 12."""
    terms: list[Term] = []
    seen: set[str] = set()
    for match in _RUNS.finditer(fold(query)):
        run = match.group("cjk")
        if run is None:
            words = [_word(match.group("word"))]
        elif len(run) == 1:
            words = [run]
        else:
            words = list(_jieba().cut(run))
        for word in words:
            if word in seen:
                continue
            seen.add(word)
            chinese = match.group("cjk") is not None and len(word) > 1
            terms.append(Term(word, tuple(word) if chinese else ()))
    return terms[:MAX_QUERY_TERMS]
