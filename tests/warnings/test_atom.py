"""Atom feeds (RFC 4287): the pure builder, and `/warnings/feed.atom` with its filters, its
follow-up entries and its conditional GETs."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from lxml import etree

from riskgate.warnings.publication.atom import (
    AtomCategory,
    AtomEntry,
    AtomFeed,
    AtomLink,
    atom_time,
    build_atom,
    tag_uri,
)
from riskgate.warnings.publication.cap import xml_text
from tests.warnings.helpers import adjust, build_world, lift, make_published_warning

NS = {"a": "http://www.w3.org/2005/Atom"}
WHEN = dt.datetime(2026, 11, 21, 12, 0, 0, 5, tzinfo=dt.UTC)


def feed(*entries: AtomEntry, title: str = "预警") -> AtomFeed:
    return AtomFeed(id="tag:example.cn,2026-01-01:warnings/feed", title=title, updated=WHEN,
                    self_link="https://example.cn/warnings/feed.atom", author="riskgate",
                    alternate_link="https://example.cn/warnings", entries=entries)


def entry(n: int, title: str = "玩具", summary: str = "摘要") -> AtomEntry:
    return AtomEntry(
        id=tag_uri("example.cn", WHEN, f"warning/GACC/PW-{n}"), title=title,
        updated=WHEN, published=WHEN, summary=summary,
        links=(AtomLink(f"https://example.cn/warnings/{n}-PW", media_type="text/html"),),
        categories=(AtomCategory("I", "I级 特别严重", "https://example.cn/warnings#level"),))


def test_feed_has_what_rfc_4287_requires() -> None:
    root = etree.fromstring(build_atom(feed(entry(1), entry(2))))
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
    for path in ("a:id", "a:title", "a:updated", "a:author/a:name"):
        assert root.findtext(path, namespaces=NS)
    assert root.findtext("a:updated", namespaces=NS) == "2026-11-21T12:00:00Z"
    self_link = root.find("a:link[@rel='self']", NS)
    assert self_link.get("type") == "application/atom+xml"
    entries = root.findall("a:entry", NS)
    assert len(entries) == 2
    ids = [e.findtext("a:id", namespaces=NS) for e in entries]
    assert len(set(ids)) == 2 and ids[0] == "tag:example.cn,2026-11-21:warning/GACC/PW-1"
    for element in entries:
        for path in ("a:title", "a:updated", "a:published", "a:summary"):
            assert element.findtext(path, namespaces=NS)
        assert element.find("a:category", NS).get("term") == "I"


def test_times_and_tags() -> None:
    assert atom_time(dt.datetime(2026, 1, 1, 8, 0, 0, 999)) == "2026-01-01T08:00:00Z"
    assert tag_uri("h.cn", dt.date(2026, 1, 1), "warning/A B/玩具") == \
        "tag:h.cn,2026-01-01:warning/A%20B/%E7%8E%A9%E5%85%B7"


@hsettings(max_examples=100, deadline=None)
@given(title=st.text(max_size=200), summary=st.text(max_size=200))
def test_any_text_is_well_formed(title: str, summary: str) -> None:
    root = etree.fromstring(build_atom(feed(entry(1, title, summary), title=title)))
    got = root.find("a:entry", NS)
    expected = xml_text(title).replace("\r\n", "\n").replace("\r", "\n")
    assert (got.findtext("a:title", namespaces=NS) or "") == expected


# ---------------------------------------------------------------- the route (database)


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def entries_of(response) -> list[etree._Element]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    return etree.fromstring(response.content).findall("a:entry", NS)


def titles(entries: list[etree._Element]) -> list[str]:
    return [e.findtext("a:title", namespaces=NS) for e in entries]


def test_feed_lists_announcements_and_follow_ups(app, world, db) -> None:  # type: ignore[no-untyped-def]
    toy = make_published_warning(world, level="I")
    food = make_published_warning(
        world, level="III", products=[{"name": "奶粉", "hs_code": "040210", "category": "食品"}])
    bulletin = make_published_warning(world, warning_type="bulletin", enterprises=[])
    adjust(world, toy, level="II")
    lift(world, toy)
    db.commit()
    client = TestClient(app)
    entries = entries_of(client.get("/warnings/feed.atom"))
    shown = " ".join(titles(entries))
    assert toy.title in shown and food.title in shown and bulletin.title not in shown
    assert len(entries) == 4  # two publications, an adjustment and a lifting
    newest = entries[0]
    assert newest.findtext("a:title", namespaces=NS).startswith("【II级】已解除：")
    ids = [e.findtext("a:id", namespaces=NS) for e in entries]
    assert len(set(ids)) == 4 and all(i.startswith("tag:127.0.0.1,") for i in ids)
    assert ids[0].endswith(f"/{toy.number}/u2") and ids[1].endswith(f"/{toy.number}/u1")
    caps = [link.get("href") for e in entries for link in e.findall("a:link", NS)
            if link.get("type") == "application/cap+xml"]
    assert f"http://testserver/warnings/{toy.id}/follow-ups/2/cap.xml" in caps
    assert f"http://testserver/warnings/{food.id}/cap.xml" in caps
    terms = {c.get("term") for c in entries[-1].findall("a:category", NS)}
    assert {"announcement", "玩具"} <= terms or {"announcement", "食品"} <= terms

    level_one = entries_of(client.get("/warnings/feed.atom", params={"level": "III"}))
    assert titles(level_one) == [f"【III级】{food.title}"]
    by_category = entries_of(client.get("/warnings/feed.atom", params={"category": "玩具"}))
    assert len(by_category) == 3 and all(toy.title in t for t in titles(by_category))
    english = entries_of(client.get("/warnings/feed.atom", params={"level": "III", "lang": "en"}))
    assert titles(english) == [f"[III] {food.title_en}"]
    assert client.get("/warnings/feed.atom", params={"level": "V"}).status_code == 422
    assert client.get("/warnings/feed.atom", params={"country": "1"}).status_code == 422


def test_feed_is_cheap_to_poll(app, world, db) -> None:  # type: ignore[no-untyped-def]
    make_published_warning(world)
    db.commit()
    client = TestClient(app)
    first = client.get("/warnings/feed.atom")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert "max-age" in first.headers["cache-control"]
    assert client.get("/warnings/feed.atom", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/warnings/feed.atom",
                      headers={"If-Modified-Since": modified}).status_code == 304
    other_language = client.get("/warnings/feed.atom?lang=en", headers={"If-None-Match": etag})
    assert other_language.status_code == 200
    later = make_published_warning(world)
    db.commit()
    changed = client.get("/warnings/feed.atom", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert later.title in changed.text


def test_empty_feed_is_valid(app) -> None:  # type: ignore[no-untyped-def]
    response = TestClient(app).get("/warnings/feed.atom")
    assert entries_of(response) == []
    assert etree.fromstring(response.content).findtext("a:updated", namespaces=NS)
