"""Reading Atom, RSS 2.0 and JSON feeds into the unified record's fields. Pure: no database.

XML is parsed with defusedxml and any DTD is refused, so neither external entities (XXE) nor
entity expansion ("billion laughs") can do anything. Each entry becomes the fields of riskgate's
own standard template (see `intake.profiles.map_standard`), which then validates it like a row of
an uploaded file: a bad entry is quarantined with its problems, never dropped.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from riskgate.catalog.reference import (
    country_resolve,
    hazard_types,
    rasff_hazard,
    safety_gate_hazard,
)
from riskgate.core.i18n import N_

ATOM = "{http://www.w3.org/2005/Atom}"
MAX_TEXT = 20_000
REFERENCE_LIMIT = 100
# Keys looked for in a plain JSON item, per field, unless the subscription's field_map names one.
JSON_KEYS: dict[str, tuple[str, ...]] = {
    "id": ("id", "guid", "reference", "external_reference"),
    "title": ("title", "name"),
    "description": ("description", "summary", "content_text", "content", "content_html"),
    "link": ("link", "url", "external_url"),
    "published": ("published", "date_published", "date", "pubDate", "updated", "date_modified"),
    "category": ("category", "categories", "tags", "hazard"),
    "country": ("country", "origin_country", "origin"),
}
MAPPABLE = tuple(JSON_KEYS)
# Record fields a subscription may give defaults for.
DEFAULTABLE = (
    "language", "origin_country", "notifying_country", "hazard_type", "product_category",
    "trade_direction", "confidentiality",
)  # fmt: skip


class FeedRefused(Exception):
    """The whole answer is unusable (malformed, a DTD, the wrong shape); nothing is stored."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params


@dataclass
class FeedEntry:
    """One entry: its position, its verbatim text, what we read from it, and any problems."""

    position: int
    raw: str
    values: dict[str, Any]
    problems: list[dict[str, Any]] = field(default_factory=list)


# --- Parsing -------------------------------------------------------------------------------


def parse_feed(body: bytes, kind: str, field_map: dict[str, str] | None = None) -> list[FeedEntry]:
    """The entries of a feed answer; FeedRefused when the document itself is bad."""
    if kind == "json":
        return _json_entries(body, field_map or {})
    return _xml_entries(body)


def _xml_entries(body: bytes) -> list[FeedEntry]:
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise FeedRefused(N_("The feed was refused: it declares a DTD or entities ({kind})."),
                          kind=type(error).__name__) from error
    except ParseError as error:
        raise FeedRefused(N_("The feed is not well-formed XML: {detail}."),
                          detail=str(error)[:200]) from error
    if root.tag == f"{ATOM}feed":
        return [_atom_entry(i, e) for i, e in enumerate(root.findall(f"{ATOM}entry"), 1)]
    if root.tag == "rss":
        channel = root.find("channel")
        items = channel.findall("item") if channel is not None else []
        return [_rss_entry(i, e) for i, e in enumerate(items, 1)]
    raise FeedRefused(N_("The document is neither an Atom feed nor RSS 2.0 (root {tag})."),
                      tag=str(root.tag)[:100])


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def _atom_entry(position: int, entry: Element) -> FeedEntry:
    link = None
    for candidate in entry.findall(f"{ATOM}link"):
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            link = candidate.get("href")
            break
    values = {
        "id": _text(entry.find(f"{ATOM}id")),
        "title": _text(entry.find(f"{ATOM}title")),
        "description": _text(entry.find(f"{ATOM}summary")) or _text(entry.find(f"{ATOM}content")),
        "link": link,
        "published": (_text(entry.find(f"{ATOM}published"))
                      or _text(entry.find(f"{ATOM}updated"))),
        "category": [c.get("term") or c.get("label") or ""
                     for c in entry.findall(f"{ATOM}category")],
        "country": None,
    }
    return FeedEntry(position, tostring(entry, encoding="unicode"), values)


def _rss_entry(position: int, item: Element) -> FeedEntry:
    values = {
        "id": _text(item.find("guid")),
        "title": _text(item.find("title")),
        "description": _text(item.find("description")),
        "link": _text(item.find("link")),
        "published": _text(item.find("pubDate")),
        "category": [_text(c) or "" for c in item.findall("category")],
        "country": None,
    }
    return FeedEntry(position, tostring(item, encoding="unicode"), values)


def _json_entries(body: bytes, field_map: dict[str, str]) -> list[FeedEntry]:
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FeedRefused(N_("The feed is not valid JSON: {detail}."),
                          detail=str(error)[:200]) from error
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        items = document["items"]  # JSON Feed 1.1 (or 1.0)
    elif isinstance(document, list):
        items = document
    else:
        raise FeedRefused(N_("The JSON is neither an array nor a JSON Feed with items."))
    entries = []
    for position, item in enumerate(items, 1):
        raw = json.dumps(item, ensure_ascii=False)
        if not isinstance(item, dict):
            entries.append(FeedEntry(position, raw, {}, [{
                "field": "", "message": N_("Expected an object, found {kind}."),
                "params": {"kind": type(item).__name__}}]))
            continue
        values: dict[str, Any] = {}
        for name, keys in JSON_KEYS.items():
            chosen = field_map.get(name)
            for key in (chosen,) if chosen else keys:
                if item.get(key) not in (None, "", []):
                    values[name] = item[key]
                    break
        entries.append(FeedEntry(position, raw, values))
    return entries


# --- Mapping to the standard template ------------------------------------------------------


def plain_text(value: object, limit: int = MAX_TEXT) -> str | None:
    """Text without HTML tags and entities, whitespace collapsed; numbers become text."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = html.unescape(re.sub(r"<[^>]*>", " ", str(value)))
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit] or None


def iso_date(value: object) -> str | None:
    """A feed date (RFC 3339, RFC 822, or a plain date) as YYYY-MM-DD; other text unchanged."""
    text = plain_text(value, 100)
    if text is None:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    return parsed.date().isoformat() if parsed else text


def _terms(value: object) -> list[str]:
    if isinstance(value, str):
        return [t for t in (p.strip() for p in re.split(r"[;,|]", value)) if t]
    if isinstance(value, Iterable) and not isinstance(value, dict | bytes):
        return [str(t).strip() for t in value if isinstance(t, str | int) and str(t).strip()]
    return []


@cache
def _hazard_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for entry in hazard_types():
        for name in (entry.code.value, entry.code.value.replace("_", " "), entry.name_en,
                     entry.name_zh):
            names[name.casefold()] = entry.code.value
    return names


def hazard_of(terms: Iterable[str]) -> str | None:
    """The first category that names a hazard type (code, English or Chinese name, or a RASFF
    / Safety Gate category)."""
    names = _hazard_names()
    for term in terms:
        code = names.get(term.casefold())
        if code:
            return code
        entry = rasff_hazard(term) or safety_gate_hazard(term)
        if entry is not None:
            return entry.code.value
    return None


def reference_of(values: dict[str, Any]) -> str | None:
    """The entry's id (or link) as the external reference; a long one is hashed to fit."""
    reference = plain_text(values.get("id"), 2000) or plain_text(values.get("link"), 2000)
    if reference and len(reference) > REFERENCE_LIMIT:
        return "sha256:" + hashlib.sha256(reference.encode()).hexdigest()[:64]
    return reference


def standard_fields(entry: FeedEntry, channel: str, defaults: dict[str, Any]) -> dict[str, Any]:
    """The entry as the fields of riskgate's standard template (validated by map_standard)."""
    values = entry.values
    title = plain_text(values.get("title"), 2000)
    description = plain_text(values.get("description"))
    link = plain_text(values.get("link"), 2000)
    if link:
        description = f"{description}\n{link}" if description else link
    terms = _terms(values.get("category"))
    country = plain_text(values.get("country"), 200)
    if country is None:
        # A category naming a country (e.g. "China") is taken as the origin.
        # Two ASCII letters are too easily a tag ("EU", "UK"…) to be read as a country code.
        country = next((t for t in terms if not (len(t) == 2 and t.isascii())
                        and country_resolve(t)), None)
    fields: dict[str, Any] = {
        "source_channel": channel,
        "external_reference": reference_of(values),
        "title": title,
        "product_name": title[:500] if title else None,
        "description": description,
        "occurred_on": iso_date(values.get("published")),
        "hazard_type": hazard_of(terms),
        "origin_country": country,
        "product_category": "; ".join(t for t in terms if not country_resolve(t))[:200] or None,
        "confidentiality": "public",
    }
    for name in DEFAULTABLE:
        if not fields.get(name) and defaults.get(name):
            fields[name] = defaults[name]
    return {k: v for k, v in fields.items() if v is not None}
