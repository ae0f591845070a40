"""Atom 1.0 (RFC 4287) feeds of published warnings — pure: no database, no HTTP.

`publication.feeds` fills an `AtomFeed` from the models; `build_atom` writes it. Each publication
and each follow-up is an entry of its own with a stable `tag:` URI (RFC 4151) as its id, so a
feed reader shows an adjustment or a lifting as news instead of silently changing an old entry.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import quote

from riskgate.warnings.publication.cap import XML_DECLARATION, xml_text

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def atom_time(value: dt.datetime) -> str:
    """RFC 3339 in UTC without fractions (2026-11-21T12:49:11Z); naive means UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def tag_uri(authority: str, day: dt.date | dt.datetime, specific: str) -> str:
    """A `tag:` URI (RFC 4151): authority (a host name), a date the authority held it, and a
    path; characters outside the URI set are percent-encoded."""
    date = day.date() if isinstance(day, dt.datetime) else day
    return f"tag:{authority},{date.isoformat()}:{quote(specific, safe='/:;,=@-._~')}"


@dataclass(frozen=True, slots=True)
class AtomCategory:
    term: str
    label: str
    scheme: str | None = None


@dataclass(frozen=True, slots=True)
class AtomLink:
    href: str
    rel: str = "alternate"
    media_type: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class AtomEntry:
    id: str
    title: str
    updated: dt.datetime
    published: dt.datetime
    summary: str
    links: tuple[AtomLink, ...] = ()
    categories: tuple[AtomCategory, ...] = ()
    author: str | None = None


@dataclass(frozen=True, slots=True)
class AtomFeed:
    id: str
    title: str
    updated: dt.datetime
    self_link: str
    author: str
    language: str = "zh-CN"
    subtitle: str | None = None
    alternate_link: str | None = None
    entries: tuple[AtomEntry, ...] = field(default=())


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _link(parent: ET.Element, link: AtomLink) -> None:
    attributes = {"rel": link.rel, "href": link.href}
    if link.media_type:
        attributes["type"] = link.media_type
    if link.title:
        attributes["title"] = link.title
    _add(parent, "link", **attributes)


def build_atom_element(feed: AtomFeed) -> ET.Element:
    root = ET.Element("feed", {"xmlns": ATOM_NAMESPACE, XML_LANG: feed.language})
    _add(root, "id", feed.id)
    _add(root, "title", feed.title)
    if feed.subtitle:
        _add(root, "subtitle", feed.subtitle)
    _add(root, "updated", atom_time(feed.updated))
    _link(root, AtomLink(feed.self_link, rel="self", media_type=ATOM_MEDIA_TYPE))
    if feed.alternate_link:
        _link(root, AtomLink(feed.alternate_link, media_type="text/html"))
    author = _add(root, "author")
    _add(author, "name", feed.author)
    _add(root, "generator", "riskgate")
    for entry in feed.entries:
        element = _add(root, "entry")
        _add(element, "id", entry.id)
        _add(element, "title", entry.title)
        _add(element, "updated", atom_time(entry.updated))
        _add(element, "published", atom_time(entry.published))
        if entry.author:
            _add(_add(element, "author"), "name", entry.author)
        for link in entry.links:
            _link(element, link)
        for category in entry.categories:
            attributes = {"term": category.term, "label": category.label}
            if category.scheme:
                attributes["scheme"] = category.scheme
            _add(element, "category", **attributes)
        _add(element, "summary", entry.summary, type="text")
    return root


def build_atom(feed: AtomFeed) -> bytes:
    """The Atom document (UTF-8, with the XML declaration)."""
    # Serialised to str and encoded once: ElementTree writing UTF-8 itself resets the codec
    # on every small write, which doubles the cost.
    return XML_DECLARATION + ET.tostring(build_atom_element(feed), encoding="unicode").encode()
