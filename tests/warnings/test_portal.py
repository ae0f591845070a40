"""The public warnings portal: the service (list, filters, search, counts, detail), its pages and
the public JSON API. Only published announcements (公告) are ever shown; everything else is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from markupsafe import escape
from sqlalchemy import update

from riskgate.core.errors import NotFound, ValidationFailed
from riskgate.warnings.enums import PublicState
from riskgate.warnings.models import PublicWarning
from riskgate.warnings.publication import search_index
from riskgate.warnings.publication import service as portal
from riskgate.warnings.publication.service import PortalFilters
from tests.warnings.helpers import (
    adjust,
    build_world,
    lift,
    make_draft,
    make_published_warning,
)


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    portal.clear_counts_cache()


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def _battery(world, **overrides: Any) -> PublicWarning:  # type: ignore[no-untyped-def]
    fields: dict[str, Any] = {
        "title": "移动电源电池过热起火",
        "title_en": "Power bank battery overheats and catches fire",
        "summary": "抽检发现进口移动电源在充电时过热。",
        "summary_en": "Imported power banks overheat while charging.",
        "hazard": "电池热失控可能引发火灾。",
        "hazard_class": "physical",
        "level": "II",
        "origin_countries": ["DE"],
        "products": [{"name": "移动电源", "hs_code": "850760", "category": "电子产品",
                      "brand": "VoltMax", "model": "PB-20K", "batch": "B2026",
                      "barcode": "4006381333931"}],
    }
    fields.update(overrides)
    return make_published_warning(world, **fields)


def _ids(rows: list[PublicWarning]) -> list[int]:
    return [w.id for w in rows]


def _list(db, **filters: Any) -> list[int]:  # type: ignore[no-untyped-def]
    rows, _cursor = portal.list_public(db, PortalFilters(**filters), limit=200)
    return _ids(rows)


# --- the service ----------------------------------------------------------------------------


def test_only_published_announcements_are_public(world, db) -> None:  # type: ignore[no-untyped-def]
    announcement = make_published_warning(world)
    bulletin = make_published_warning(world, warning_type="bulletin")
    notice = make_published_warning(world, warning_type="notice")
    draft = make_draft(world)
    assert _list(db) == [announcement.id]
    assert portal.get_public(db, announcement.id).warning.id == announcement.id
    for hidden in (bulletin, notice, draft):
        with pytest.raises(NotFound):
            portal.get_public(db, hidden.id)
    # Drafts and unpublished types are not in the search index either.
    assert set(search_index.search_warning_ids(db, "玩具")) == {announcement.id, bulletin.id,
                                                               notice.id}
    assert _list(db, q="玩具") == [announcement.id]


def test_newest_first_with_stable_keyset_pages(world, db) -> None:  # type: ignore[no-untyped-def]
    made = [make_published_warning(world) for _ in range(5)]
    # Two with the same publication time: ties are broken by id, so no page repeats or skips.
    same = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
    db.execute(update(PublicWarning).where(PublicWarning.id.in_([made[1].id, made[2].id]))
               .values(published_at=same))
    db.flush()
    seen: list[int] = []
    cursor = None
    while True:
        rows, cursor = portal.list_public(db, PortalFilters(), limit=2, cursor=cursor)
        seen += _ids(rows)
        if cursor is None:
            break
    assert sorted(seen) == sorted(w.id for w in made)
    assert len(seen) == len(set(seen))
    assert seen[-2:] == [made[2].id, made[1].id]


@pytest.mark.parametrize("query", ["电池", "電池", "battery", "BATTERY", "voltmax", "PB-20K",
                                   "4006381333931", "德国", "Germany", "过热 起火", "移动电源"])
def test_search_in_chinese_english_and_traditional(world, db, query: str) -> None:  # type: ignore[no-untyped-def]
    battery = _battery(world)
    make_published_warning(world)  # a toy: never matches these
    assert _list(db, q=query) == [battery.id]


def test_search_by_number_and_nothing_found(world, db) -> None:  # type: ignore[no-untyped-def]
    battery = _battery(world)
    assert _list(db, q=battery.number) == [battery.id]
    assert _list(db, q="冰箱") == []
    assert _list(db, q="   ") == [battery.id]  # an empty query lists everything


def test_filters_level_category_country_state_dates(world, db) -> None:  # type: ignore[no-untyped-def]
    battery = _battery(world)
    toy = make_published_warning(world)  # level III, 玩具, CN + VN
    assert _list(db, level="II") == [battery.id]
    assert _list(db, level="III") == [toy.id]
    assert _list(db, category="玩具") == [toy.id]
    assert _list(db, category="电子产品") == [battery.id]
    assert _list(db, country="de") == [battery.id]
    assert _list(db, country="VN") == [toy.id]
    assert _list(db, country="US") == []
    lift(world, toy)
    assert _list(db, state=PublicState.lifted) == [toy.id]
    assert _list(db, state=PublicState.in_force) == [battery.id]
    db.execute(update(PublicWarning).where(PublicWarning.id == toy.id).values(
        published_at=dt.datetime(2026, 3, 31, 17, 0, tzinfo=dt.UTC)))  # 1 April in Shanghai
    db.flush()
    assert _list(db, date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 1)) == [toy.id]
    assert _list(db, date_to=dt.date(2026, 3, 31)) == []
    assert battery.id in _list(db, date_from=dt.date(2026, 4, 2))


def test_adjusted_scope_moves_the_filters(world, db) -> None:  # type: ignore[no-untyped-def]
    toy = make_published_warning(world)
    adjust(world, toy, origin_countries=["CN", "VN", "TH"], level="II")
    assert _list(db, country="TH") == [toy.id]
    assert _list(db, level="II") == [toy.id]
    assert _list(db, level="III") == []


def test_facet_counts(world, db) -> None:  # type: ignore[no-untyped-def]
    _battery(world)
    toy = make_published_warning(world)
    make_published_warning(world)
    lift(world, toy)
    counts = portal.facet_counts(db, PortalFilters())
    assert counts.total == 3
    assert counts.levels == {"II": 1, "III": 2}
    assert counts.states == {"in_force": 2, "lifted": 1}
    assert dict(counts.categories) == {"玩具": 2, "电子产品": 1}
    assert dict(counts.countries) == {"CN": 2, "VN": 2, "DE": 1}
    narrowed = portal.facet_counts(db, PortalFilters(q="电池"))
    assert narrowed.total == 1 and narrowed.levels == {"II": 1}
    assert dict(narrowed.countries) == dict(counts.countries)  # the choices stay the same


def test_bad_filters_are_field_errors(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as raised:
        PortalFilters(q="x" * 201, country="DEU", date_from=dt.date(2026, 5, 2),
                      date_to=dt.date(2026, 5, 1)).check()
    assert {p.loc for p in raised.value.fields} == {"q", "country", "date_to"}
    with pytest.raises(ValidationFailed):
        portal.list_public(db, PortalFilters(), cursor="not-a-cursor")


def test_original_kept_and_follow_ups_apart(world, db) -> None:  # type: ignore[no-untyped-def]
    toy = make_published_warning(world)
    adjust(world, toy, level="II", origin_countries=["CN", "VN", "TH"])
    lift(world, toy)
    detail = portal.get_public(db, toy.id)
    assert detail.original["level"] == "III"
    assert detail.original["origin_countries"] == ["CN", "VN"]
    assert [f.kind for f in detail.follow_ups] == ["adjustment", "lifting"]
    assert detail.original_products[0]["name"] == "塑料洋娃娃"
    assert portal.get_public_by_number(db, toy.number).warning.id == toy.id
    with pytest.raises(NotFound):
        portal.get_public_by_number(db, "PW-1999-0001")


# --- pages ----------------------------------------------------------------------------------


def test_list_page_search_and_filters(world, db, client) -> None:  # type: ignore[no-untyped-def]
    battery = _battery(world)
    toy = make_published_warning(world)
    bulletin = make_published_warning(world, warning_type="bulletin", title="通报电池标题")
    db.commit()
    page = client.get("/warnings")
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    assert battery.title in page.text and toy.title in page.text
    assert bulletin.title not in page.text
    assert 'class="badge level-II"' in page.text and "严重" in page.text
    assert 'for="q"' in page.text and 'class="skip-link"' in page.text
    found = client.get("/warnings", params={"q": "電池"})
    assert battery.title in found.text and toy.title not in found.text
    english = client.get("/warnings", params={"q": "battery", "lang": "en"})
    assert '<html lang="en">' in english.text
    assert battery.title_en in english.text and "Serious" in english.text
    filtered = client.get("/warnings", params={"country": "VN", "level": "III", "lang": "zh-CN"})
    assert toy.title in filtered.text and battery.title not in filtered.text
    empty = client.get("/warnings", params={"q": "冰箱"})
    assert 'id="no-results"' in empty.text


def test_list_page_bad_input_is_a_message(client) -> None:  # type: ignore[no-untyped-def]
    for params in ({"level": "V"}, {"date_from": "2026-13-45"}, {"country": "Germany"},
                   {"state": "gone"}, {"cursor": "%%%"}, {"q": "长" * 300}):
        page = client.get("/warnings", params=params)
        assert page.status_code == 422, params
        assert 'class="error-summary"' in page.text
        assert "<form" in page.text


def test_detail_page_shows_original_and_follow_ups(world, db, client) -> None:  # type: ignore[no-untyped-def]
    toy = make_published_warning(world)
    adjust(world, toy, level="II", consumer_instructions="立即停止使用并联系销售商退货退款。")
    lift(world, toy)
    db.commit()
    url = f"/warnings/{toy.id}-{toy.number}"
    page = client.get(url)
    assert page.status_code == 200
    text = page.text
    assert 'id="consumer-instructions"' in text and "退货退款" in text
    assert 'id="original-instructions"' in text and "立即停止使用该玩具，联系销售商退货。" in text
    assert text.index('id="follow-ups"') < text.index('id="original"')
    assert 'id="follow-up-1"' in text and 'id="follow-up-2"' in text
    assert "风险已消除" in text and 'id="warning-closed"' in text
    assert "塑料洋娃娃" in text and "6901234567892" in text
    assert f'href="/warnings/{toy.id}/cap.xml"' in text and 'href="/warnings/feed.atom"' in text
    assert 'id="original-level"' in text
    original = text[text.index('id="original-level"'):]
    assert 'class="badge level-III"' in original[:400]
    english = client.get(url, params={"lang": "en"})
    assert str(escape(toy.title_en)) in english.text
    assert "Original notification as published" in english.text


def test_permalinks_redirect_and_hidden_warnings_404(world, db, client) -> None:  # type: ignore[no-untyped-def]
    toy = make_published_warning(world)
    notice = make_published_warning(world, warning_type="notice")
    draft = make_draft(world)
    db.commit()
    short = client.get(f"/warnings/{toy.id}", follow_redirects=False)
    assert short.status_code == 301
    assert short.headers["location"] == f"/warnings/{toy.id}-{toy.number}"
    wrong = client.get(f"/warnings/{toy.id}-PW-1999-0001", follow_redirects=False)
    assert wrong.headers["location"] == f"/warnings/{toy.id}-{toy.number}"
    for hidden in (notice, draft):
        assert client.get(f"/warnings/{hidden.id}-{hidden.number}").status_code == 404
        assert client.get(f"/warnings/{hidden.id}").status_code == 404
    assert client.get("/warnings/99999999999-X").status_code == 404


def test_anonymous_pages_may_be_cached_briefly(world, db, client) -> None:  # type: ignore[no-untyped-def]
    toy = make_published_warning(world)
    db.commit()
    for url in ("/warnings", f"/warnings/{toy.id}-{toy.number}"):
        response = client.get(url)
        assert response.headers["cache-control"] == "public, max-age=60"
        assert "Accept-Language" in response.headers["vary"]
    switched = client.get("/warnings", params={"lang": "en"})  # sets the language cookie
    assert switched.headers.get("cache-control") != "public, max-age=60"


def test_home_links_to_the_warnings(client) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/warnings"' in client.get("/").text


# --- the public JSON API --------------------------------------------------------------------


def test_api_list_filters_and_cursor(world, db, client) -> None:  # type: ignore[no-untyped-def]
    battery = _battery(world)
    toys = [make_published_warning(world) for _ in range(3)]
    make_published_warning(world, warning_type="bulletin")
    db.commit()
    body = client.get("/api/v1/public/warnings", params={"limit": 2}).json()
    assert len(body["items"]) == 2 and body["next_cursor"]
    rest = client.get("/api/v1/public/warnings",
                      params={"limit": 2, "cursor": body["next_cursor"]}).json()
    ids = [i["id"] for i in body["items"] + rest["items"]]
    assert sorted(ids) == sorted([battery.id, *(t.id for t in toys)])
    assert rest["next_cursor"] is None
    item = body["items"][0]
    assert item["warning_type"] == "announcement" and item["url"].startswith("/warnings/")
    assert "created_by" not in item and "organisation_id" not in item
    search = client.get("/api/v1/public/warnings", params={"q": "電池"}).json()
    assert [i["id"] for i in search["items"]] == [battery.id]
    level = client.get("/api/v1/public/warnings", params={"level": "II"}).json()
    assert [i["id"] for i in level["items"]] == [battery.id]


def test_api_bad_input_is_problem_json(client) -> None:  # type: ignore[no-untyped-def]
    for params in ({"level": "V"}, {"country": "DEU"}, {"date_from": "2026-02-30"},
                   {"cursor": "garbage"}, {"limit": 0}, {"state": "x"},
                   {"date_from": "2026-05-02", "date_to": "2026-05-01"}):
        response = client.get("/api/v1/public/warnings", params=params)
        assert response.status_code == 422, params
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"], params


def test_api_detail_with_follow_ups(world, db, client) -> None:  # type: ignore[no-untyped-def]
    toy = make_published_warning(world)
    adjust(world, toy, level="II")
    bulletin = make_published_warning(world, warning_type="bulletin")
    draft = make_draft(world)
    db.commit()
    body = client.get(f"/api/v1/public/warnings/{toy.id}").json()
    assert body["level"] == "II" and body["original"]["level"] == "III"
    assert "enterprises" not in body["original"]
    assert [f["kind"] for f in body["follow_ups"]] == ["adjustment"]
    assert body["follow_ups"][0]["changes"]["level"] == ["III", "II"]
    assert body["products"][0]["barcode"] == "6901234567892"
    for hidden in (bulletin, draft):
        response = client.get(f"/api/v1/public/warnings/{hidden.id}")
        assert response.status_code == 404
        assert response.json()["type"].endswith("/not-found")
    assert client.get("/api/v1/public/warnings/0").status_code == 422


def test_dense_and_sparse_plans_agree(world, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _battery(world)
    toy = make_published_warning(world)
    make_published_warning(world, level="I")
    lift(world, toy)
    cases = [{}, {"q": "电池"}, {"country": "VN"}, {"category": "玩具", "level": "III"},
             {"state": PublicState.in_force}, {"q": "toys", "country": "CN"}]
    found = {}
    for dense in (1, 10_000):  # every filter dense, or none
        monkeypatch.setattr(portal, "DENSE", dense)
        for i, filters in enumerate(cases):
            pages, cursor = [], None
            while True:
                rows, cursor = portal.list_public(db, PortalFilters(**filters), limit=1,
                                                  cursor=cursor)
                pages += _ids(rows)
                if cursor is None:
                    break
            found.setdefault(i, []).append(pages)
    for i, (dense_ids, sparse_ids) in found.items():
        assert dense_ids == sparse_ids, cases[i]
    assert found[1][0] and found[2][0]
