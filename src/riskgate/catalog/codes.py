"""Catalogue codes named in a language, for titles made of codes (signal series keys)."""

from __future__ import annotations


def code_label(token: str, lang: str) -> str:
    """A catalogue code's name in `lang` (hazard class or type, channel, country, HS chapter
    written "HS09"); anything else unchanged. Signal titles are made of such codes."""
    from riskgate.catalog import reference

    if token.startswith("HS") and token[2:].isdigit():
        entry = reference.hs_lookup(token[2:])
        return f"{token[2:]} {entry.label(lang)}" if entry is not None else token
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
