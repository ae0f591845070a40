"""The reference catalogue browser (public) and flash messages."""

from __future__ import annotations

import time

from fastapi.responses import Response
from itsdangerous import URLSafeTimedSerializer
from starlette.requests import Request

from riskgate.web import flash
from tests.web.conftest import form_sign_in, results


def test_catalogue_is_public(page) -> None:  # type: ignore[no-untyped-def]
    html = page.get("/console/catalog").text
    assert "基础目录" in html and 'href="/console/catalog/hs"' in html
    assert 'href="/login"' in html  # anonymous: the top bar offers sign-in


def test_hs_browse_and_search(page, page_en) -> None:  # type: ignore[no-untyped-def]
    html = page.get("/console/catalog/hs").text
    assert "第一类 活动物；动物产品" in html and 'href="/console/catalog/hs/01"' in html
    html = page.get("/console/catalog/hs", params={"q": "咖啡"}).text
    assert 'href="/console/catalog/hs/0901"' in html
    html = page.get("/console/catalog/hs", params={"q": "9503"}).text
    assert 'href="/console/catalog/hs/9503"' in html
    html = page_en.get("/console/catalog/hs", params={"q": "coffee"}).text
    assert "Coffee, tea, mate and spices" in html
    assert "没有匹配的 HS 编码。" in page.get("/console/catalog/hs", params={"q": "qqqqzz"}).text


def test_hs_entry(page) -> None:  # type: ignore[no-untyped-def]
    html = page.get("/console/catalog/hs/0901").text
    assert "0901.11" in html and 'href="/console/catalog/hs/09"' in html  # children, ancestors
    response = page.get("/console/catalog/hs/0000")
    assert response.status_code == 404 and "未找到该HS 编码。" in response.text


def test_countries(page) -> None:  # type: ignore[no-untyped-def]
    html = page.get("/console/catalog/countries").text
    assert "德国" in html and "Germany" in html
    html = results(page.get("/console/catalog/countries", params={"q": "USA"}).text)
    assert "美国" in html and html.index("美国") < html.index("</tbody>")
    assert "德国" not in html
    assert "德国" in page.get("/console/catalog/countries", params={"q": "德"}).text


def test_other_lists(page) -> None:  # type: ignore[no-untyped-def]
    assert "化学危害" in page.get("/console/catalog/hazards").text
    html = page.get("/console/catalog/channels").text
    assert "12315" in html and "信息来源" in html
    html = page.get("/console/catalog/warnings").text
    assert 'class="badge level-IV"' in html and "风险警示通报" in html and "降低信用等级" in html
    html = page.get("/console/catalog/places").text
    assert "上海洋山港" in html and "北京海关" in html


def test_flash_is_shown_once(page, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "officer")
    page.post("/console/account/language", data={"csrf_token": csrf, "language": "zh-CN"},
              follow_redirects=False)
    assert "语言偏好已保存。" in page.get("/console/account").text
    assert "语言偏好已保存。" not in page.get("/console/account").text


def test_htmx_fragments_leave_the_flash_for_the_next_page(page, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "officer")
    page.post("/console/account/language", data={"csrf_token": csrf, "language": "zh-CN"},
              follow_redirects=False)
    assert "语言偏好已保存。" not in page.get("/console/catalog/hs", params={"q": "x"},
                                          headers={"HX-Request": "true"}).text
    assert "语言偏好已保存。" in page.get("/console/account").text


def _request(app, cookie: str | None) -> Request:  # type: ignore[no-untyped-def]
    headers = [(b"cookie", f"{flash.FLASH_COOKIE}={cookie}".encode())] if cookie else []
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "app": app,
                    "query_string": b""})


def test_flash_cookie_is_signed(app) -> None:  # type: ignore[no-untyped-def]
    response = Response()
    flash.set_flash(_request(app, None), response, "已保存。")
    value = response.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    assert flash.read_flashes(_request(app, value)) == [("success", "已保存。")]
    forged = URLSafeTimedSerializer("another-secret-key-0123456789abcdef",
                                    salt="riskgate.web.flash")
    assert flash.read_flashes(_request(app, forged.dumps([["error", "伪造"]]))) == []
    assert flash.read_flashes(_request(app, "garbage")) == []


def test_flash_cookie_expires(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    response = Response()
    flash.set_flash(_request(app, None), response, "旧消息")
    value = response.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    later = time.time() + flash.FLASH_MAX_AGE + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert flash.read_flashes(_request(app, value)) == []
