"""The public warnings portal in a real Chromium: searching by a Chinese word, a phone viewport
without horizontal scrolling, the keyboard path to the search field, the page language."""

from __future__ import annotations

import pytest

from riskgate.warnings.publication import service as portal
from tests.browser import BROWSER_MARKS
from tests.warnings.helpers import adjust, build_world, lift, make_published_warning

pytestmark = BROWSER_MARKS

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def published(db, settings):  # type: ignore[no-untyped-def]
    portal.clear_counts_cache()
    world = build_world(db, settings)
    battery = make_published_warning(
        world, title="移动电源电池过热起火", title_en="Power bank battery overheats",
        level="II", origin_countries=["DE"],
        products=[{"name": "移动电源", "hs_code": "850760", "category": "电子产品",
                   "brand": "VoltMax", "model": "PB-20K-SUPERLONGMODELNAME-0123456789",
                   "batch": "B2026", "barcode": "4006381333931"}])
    toy = make_published_warning(world)
    adjust(world, toy, level="II", origin_countries=["CN", "VN", "TH"])
    lift(world, toy)
    db.commit()
    return battery, toy


def test_search_by_chinese_word_finds_the_warning(browser, live_server, published):  # type: ignore[no-untyped-def]
    battery, toy = published
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server}/")
    page.click("#warnings-link")
    page.wait_for_url(f"{live_server}/warnings")
    assert page.get_attribute("html", "lang") == "zh-CN"
    page.fill("#q", "電池")  # traditional characters are folded
    page.press("#q", "Enter")
    page.wait_for_url("**/warnings?q=*")
    titles = page.locator("#warning-list .pw-item-title").all_inner_texts()
    assert titles == [battery.title]
    page.click(f"text={battery.title}")
    page.wait_for_url(f"{live_server}/warnings/{battery.id}-{battery.number}")
    assert page.locator("#what-to-do").is_visible()
    assert "严重" in page.locator(".pw-level-text").first.inner_text()
    page.goto(f"{live_server}/warnings?lang=en")
    assert page.get_attribute("html", "lang") == "en"
    assert problems == [], problems


def test_phone_viewport_has_no_horizontal_scroll(browser, live_server, published, tmp_path):  # type: ignore[no-untyped-def]
    battery, toy = published
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  is_mobile=True, has_touch=True, device_scale_factor=3)
    page = context.new_page()
    for path in ("/warnings", f"/warnings/{battery.id}-{battery.number}",
                 f"/warnings/{toy.id}-{toy.number}", "/warnings?level=V"):
        page.goto(f"{live_server}{path}")
        assert page.evaluate(NO_HORIZONTAL_SCROLL), path
    page.screenshot(path=str(tmp_path / "portal-phone.png"), full_page=True)


def test_keyboard_reaches_the_search_field(browser, live_server, published):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{live_server}/warnings")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    # The search field has a visible label, and its focus is visible (an outline).
    assert page.locator("label[for=q]").is_visible()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.type("battery")
    page.keyboard.press("Enter")
    page.wait_for_url("**/warnings?q=battery*")
    assert page.locator("#warning-list li").count() == 1
