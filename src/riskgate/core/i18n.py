"""Translations: Simplified Chinese by default, English as a switch.

Message ids are the English text. The zh-CN catalog is a gettext .po file read at start-up (no
compile step to forget); `N_` marks strings for extraction where they are defined, `gettext`
translates them where they are shown.
"""

from __future__ import annotations

import contextvars
import gettext as _gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

SUPPORTED_LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

current_language: contextvars.ContextVar[str] = contextvars.ContextVar(
    "riskgate_language", default=DEFAULT_LANGUAGE
)


def N_(message: str) -> str:  # noqa: N802 — the gettext convention
    """Mark a string for translation without translating it yet."""
    return message


@cache
def translations(language: str) -> _gettext.NullTranslations:
    if language == "en":
        return _gettext.NullTranslations()
    catalog = load_catalog(LOCALE_DIR / language.replace("-", "_") / "LC_MESSAGES")
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def load_catalog(directory: Path) -> Catalog:
    """messages.po plus any further *.po beside it (work in progress on a domain keeps its own
    file until `scripts/i18n.py` folds it in); a non-empty translation wins over an empty one."""
    locale = directory.parent.name
    with (directory / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    for extra in sorted(directory.glob("*.po")):
        if extra.name == "messages.po":
            continue
        with extra.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if message.id and message.string:
                    existing = catalog.get(message.id)
                    if existing is None or not existing.string:
                        catalog.add(message.id, message.string)
    return catalog


def gettext(message: str, language: str | None = None, **params: Any) -> str:
    text = translations(language or current_language.get()).gettext(message)
    return text.format(**params) if params else text


def ngettext(singular: str, plural: str, n: int, language: str | None = None, **params: Any) -> str:
    text = translations(language or current_language.get()).ngettext(singular, plural, n)
    return text.format(n=n, **params)


_ = gettext


def normalise_language(value: str | None) -> str | None:
    """Map a language tag to a supported language, or None."""
    if not value:
        return None
    tag = value.strip().lower().replace("_", "-")
    if tag.startswith("zh"):
        return "zh-CN"
    if tag.startswith("en"):
        return "en"
    return None


def negotiate_language(accept_language: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Pick zh-CN or en from an Accept-Language header, honouring q-values."""
    if not accept_language:
        return default
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        language = normalise_language(pieces[0])
        if language is None:
            continue
        quality = 1.0
        for param in pieces[1:]:
            key, _sep, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            choices.append((-quality, position, language))
    return sorted(choices)[0][2] if choices else default
