"""Catalogue codes named in a language, for titles made of codes (signal series keys); both
functions are template globals of every page."""

from __future__ import annotations

from collections.abc import Callable

from riskgate.catalog import reference


def code_label(token: str, lang: str) -> str:
    """A catalogue code's name in `lang` (hazard class or type, channel, country, HS chapter
    written "HS09"); anything else unchanged. Signal titles are made of such codes."""
    if token.startswith("HS") and token[2:].isdigit():
        chapter = reference.hs_lookup(token[2:])
        return f"{token[2:]} {chapter.label(lang)}" if chapter is not None else token
    for lookup in (reference.hazard_type, reference.hazard_class, reference.source_channel):
        try:
            entry = lookup(token)
        except (KeyError, ValueError):
            entry = None
        if entry is not None:
            return entry.label(lang)
    if len(token) == 2 and token.isalpha() and token.isupper():
        country = reference.country(token)
        if country is not None:
            return country.label(lang)
    return token


def code_title(title: str, lang: str) -> str:
    """A title of codes joined by " · " (signals) with each code named in `lang`."""
    return " · ".join(code_label(part.strip(), lang) for part in title.split(" · "))


# Every page template may call these (named in domain.py; the composition root installs them):
# signal titles and record channels are shown with `code_title(title, lang)`, `code_label(code,
# lang)`.
TEMPLATE_GLOBALS: dict[str, Callable[[str, str], str]] = {
    "code_label": code_label,
    "code_title": code_title,
}
