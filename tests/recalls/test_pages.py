"""Console and portal pages of recalls: the form with field errors, the recall page and its
actions, the enterprise's report form, the public list and page (anonymous: public only)."""

from __future__ import annotations

import pytest

from riskgate.recalls import service
from riskgate.recalls.enums import RecallStatus
from riskgate.recalls.models import Recall
from riskgate.recalls.service import local_date
from tests.factories import sign_in
from tests.recalls.helpers import make_recall, make_started
from tests.warnings.helpers import build_world, make_published_warning
from tests.web.test_portal_and_frame import assert_csp_clean


@pytest.fixture
def ww(db, settings):  # type: ignore[no-untyped-def]
    world = build_world(db, settings)
    db.commit()
    return world


def _post(client, url, csrf, data):  # type: ignore[no-untyped-def]
    return client.post(url, data={**data, "csrf_token": csrf}, follow_redirects=False)


def test_new_recall_form_errors_then_created(client, db, ww):  # type: ignore[no-untyped-def]
    csrf = sign_in(client, ww.officer.username)
    page = client.get("/console/recalls/new")
    assert page.status_code == 200 and str(ww.enterprise.id) in page.text
    assert_csp_clean(page.text)
    bad = _post(client, "/console/recalls/new", csrf, {
        "origin": "ordered", "enterprise_id": str(ww.enterprise.id), "title": "召回",
        "product_name": "玩具", "units_affected": "0", "report_every_days": "30"})
    assert bad.status_code == 422
    assert 'id="units_affected-error"' in bad.text and 'id="remedies-error"' in bad.text
    assert 'value="召回"' in bad.text  # what was typed is kept
    created = _post(client, "/console/recalls/new", csrf, {
        "origin": "ordered", "enterprise_id": str(ww.enterprise.id), "title": "星童玩具召回",
        "product_name": "塑料洋娃娃", "brand": "星童", "units_affected": "100",
        "remedies": ["refund", "repair"], "report_every_days": "14", "public": "1"})
    assert created.status_code == 303, created.text
    detail = client.get(created.headers["location"])
    assert detail.status_code == 200 and "星童玩具召回" in detail.text
    assert 'id="start-form"' in detail.text
    assert_csp_clean(detail.text)


def test_actions_on_the_recall_page(client, db, ww):  # type: ignore[no-untyped-def]
    recall = make_recall(ww)
    db.commit()
    csrf = sign_in(client, ww.officer.username)
    url = f"/console/recalls/{recall.id}"
    assert _post(client, f"{url}/start", csrf, {}).status_code == 303
    again = _post(client, f"{url}/start", csrf, {})
    assert again.status_code == 409 and "error-summary" in again.text
    assert _post(client, f"{url}/complete", csrf, {"note": "done"}).status_code == 303
    empty = _post(client, f"{url}/close", csrf, {"evaluation": ""})
    assert empty.status_code == 422 and 'id="evaluation-error"' in empty.text
    assert _post(client, f"{url}/close", csrf, {"evaluation": "效果良好"}).status_code == 303
    db.expire_all()
    assert db.get(Recall, recall.id).status == RecallStatus.closed
    listed = client.get("/console/recalls?status=closed")
    assert recall.number in listed.text
    assert client.get("/console/recalls?status=nonsense").status_code == 200


def test_outsider_and_enterprise_get_404_or_403(client, db, ww):  # type: ignore[no-untyped-def]
    recall = make_recall(ww)
    db.commit()
    sign_in(client, ww.other_officer.username)
    assert client.get(f"/console/recalls/{recall.id}").status_code == 404
    client.cookies.clear()
    sign_in(client, ww.ent_user.username)
    assert client.get("/console/recalls").status_code == 403


def test_enterprise_reports_on_my_recalls(client, db, ww):  # type: ignore[no-untyped-def]
    recall = make_started(ww, units_affected=10)
    db.commit()
    csrf = sign_in(client, ww.ent_user.username)
    page = client.get("/console/my-recalls")
    assert page.status_code == 200 and recall.number in page.text
    assert f'id="report-form-{recall.id}"' in page.text
    assert_csp_clean(page.text)
    url = f"/console/my-recalls/{recall.id}/reports"
    today = local_date().isoformat()
    bad = _post(client, url, csrf, {"period_end": today, "units_remedied": "-3"})
    assert bad.status_code == 422 and 'id="units_remedied-error"' in bad.text
    future = _post(client, url, csrf, {"period_end": "2999-01-01", "units_remedied": "3"})
    assert future.status_code == 422 and 'id="period_end-error"' in future.text
    assert _post(client, url, csrf, {"period_end": today, "units_remedied": "10",
                                     "by_refund": "10"}).status_code == 303
    db.expire_all()
    assert db.get(Recall, recall.id).status == RecallStatus.completed
    assert "100 %" in client.get("/console/my-recalls").text
    client.cookies.clear()
    csrf2 = sign_in(client, ww.ent2_user.username)
    assert _post(client, url, csrf2, {"period_end": today,
                                      "units_remedied": "1"}).status_code == 404


def test_portal_list_and_page(client, db, ww):  # type: ignore[no-untyped-def]
    officer = ww.actor(ww.officer)
    warning = make_published_warning(ww)
    shown = make_started(ww, warning_id=warning.id, brand="Zebra")
    hidden = make_started(ww, public=False)
    draft = make_recall(ww)
    from tests.recalls.helpers import report

    report(ww, shown, 500)
    service.cancel_recall(ww.db, officer, make_started(ww).id, "误报")
    db.commit()
    client.cookies.clear()
    listing = client.get("/recalls")
    assert listing.status_code == 200 and shown.number in listing.text
    assert hidden.number not in listing.text and draft.number not in listing.text
    assert 'max="100" value="50.0"' in listing.text
    assert_csp_clean(listing.text)
    assert shown.number in client.get("/recalls?q=zebra").text
    assert shown.number not in client.get("/recalls?origin=foreign").text
    assert client.get("/recalls?origin=bogus").status_code == 422
    page = client.get(f"/recalls/{shown.id}")
    assert page.status_code == 200 and 'id="warning-link"' in page.text
    assert f"/warnings/{warning.id}-" in page.text
    assert_csp_clean(page.text)
    assert client.get(f"/recalls/{hidden.id}").status_code == 404
    assert client.get(f"/recalls/{draft.id}").status_code == 404
    home = client.get("/")
    assert 'href="/recalls"' in home.text
