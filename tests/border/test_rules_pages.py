"""Console pages of control rules and risk profiles."""

from __future__ import annotations

from riskgate.core.permissions import Role
from tests.border.rules_world import make_rule
from tests.factories import make_user, sign_in
from tests.warnings.helpers import build_world, make_published_warning


def test_rule_editor_pages(client, db, settings):
    world = build_world(db, settings)
    db.commit()
    csrf = sign_in(client, world.officer.username)
    assert client.get("/console/border/rules/new").status_code == 200
    form = {"csrf_token": csrf, "title": "冷冻肉类布控", "hs_prefixes": "0202, 0203",
            "countries": "BR", "keywords": "牛肉\n猪肉", "action": "sampling",
            "sampling_rate": "0.3", "priority": "60", "ports": "shanghai_yangshan"}
    bad = client.post("/console/border/rules", data={**form, "hs_prefixes": "77",
                                                      "countries": "ZZ"})
    assert bad.status_code == 422 and 'id="hs_prefixes-error"' in bad.text
    empty = client.post("/console/border/rules", data={**form, "hs_prefixes": "",
                                                        "countries": "", "keywords": ""})
    assert empty.status_code == 422
    created = client.post("/console/border/rules", data=form, follow_redirects=False)
    assert created.status_code == 303, created.text
    url = created.headers["location"]
    page = client.get(url)
    assert page.status_code == 200 and "冷冻肉类布控" in page.text and "0203" in page.text
    listing = client.get("/console/border/rules?status=active&action=sampling")
    assert "冷冻肉类布控" in listing.text
    assert "冷冻肉类布控" not in client.get("/console/border/rules?status=retired").text
    edited = client.post(url, data={**form, "countries": "BR AR", "reason": "扩大"},
                         follow_redirects=False)
    assert edited.status_code == 303
    assert "AR" in client.get(url).text
    assert client.post(f"{url}/suspend", data={"csrf_token": csrf},
                       follow_redirects=False).status_code == 303
    assert client.post(f"{url}/suspend", data={"csrf_token": csrf}).status_code == 422
    assert client.post(f"{url}/retire", data={"csrf_token": csrf}).status_code == 422
    assert client.post(f"{url}/retire", data={"csrf_token": csrf, "step_reason": "结束"},
                       follow_redirects=False).status_code == 303
    assert client.post(f"{url}/explode", data={"csrf_token": csrf}).status_code == 404


def test_derived_rule_links_its_warning(client, db, settings):
    world = build_world(db, settings)
    warning = make_published_warning(world, level="I")
    other = make_rule(world, title="手工规则")
    db.commit()
    sign_in(client, world.officer.username)
    page = client.get("/console/border/rules")
    assert f"/console/warnings/{warning.id}" in page.text and "手工规则" in page.text
    assert client.get(f"/console/border/rules/{other.id}").status_code == 200


def test_profiles_pages(client, db, settings):
    world = build_world(db, settings)
    keeper = make_user(db, settings, world.national, Role.SUPERVISOR, language="en")
    db.commit()
    csrf = sign_in(client, keeper.username)
    for tab in ("credit", "country", "commodity", "port"):
        assert client.get(f"/console/border/profiles?tab={tab}").status_code == 200
    saved = client.post("/console/border/profiles/country", data={
        "csrf_token": csrf, "country": "VN", "score": "0.4"}, follow_redirects=False)
    assert saved.status_code == 303
    assert "VN" in client.get("/console/border/profiles?tab=country").text
    bad = client.post("/console/border/profiles/port", data={
        "csrf_token": csrf, "port_code": "shanghai_yangshan", "red_rate": "0.1",
        "yellow_rate": "0.1", "blue_rate": "0.1", "min_random_rate": "0.2"})
    assert bad.status_code == 422
    deleted = client.post("/console/border/profiles/country", data={
        "csrf_token": csrf, "delete": "VN"}, follow_redirects=False)
    assert deleted.status_code == 303
