"""The channels API and console pages, through the real app."""

from __future__ import annotations

from sqlalchemy import select

from riskgate.channels.models import FeedSubscription, QuarterlySubmission
from riskgate.channels.submissions import local_today, previous_quarter, quarter_of
from riskgate.core.schedule import ScheduledJob, Scheduler, load_jobs
from tests.factories import auth_headers, sign_in, token_for


def _headers(db, user, language="en"):  # type: ignore[no-untyped-def]
    raw = token_for(db, user)
    db.commit()
    return auth_headers(raw, language)


FEED = {"name": "Recalls", "url": "http://127.0.0.1:9/feed.xml", "format": "atom",
        "source_channel": "feed_safety_gate", "poll_minutes": 30,
        "defaults": {"language": "en"}}


def test_feed_api_create_read_update_poll_and_refusals(client, db, units, app, settings):  # type: ignore[no-untyped-def]
    headers = _headers(db, units.lead_officer)
    created = client.post("/api/v1/feeds", json=FEED,
                          headers={**headers, "Idempotency-Key": "feed-1"})
    assert created.status_code == 201, created.text
    again = client.post("/api/v1/feeds", json=FEED,
                        headers={**headers, "Idempotency-Key": "feed-1"})
    assert again.json()["id"] == created.json()["id"]
    feed_id = created.json()["id"]
    assert client.get(f"/api/v1/feeds/{feed_id}", headers=headers).json()["poll_minutes"] == 30
    patched = client.patch(f"/api/v1/feeds/{feed_id}", json={"enabled": False, "reason": "x"},
                           headers=headers)
    assert patched.json()["enabled"] is False and patched.json()["next_poll_at"] is None
    Scheduler(app.state.engine, settings, owner="t", jobs=load_jobs()).ensure_rows()
    polled = client.post(f"/api/v1/feeds/{feed_id}/poll", headers=headers)
    assert polled.status_code == 202
    with app.state.session_factory() as session:
        job = session.get(ScheduledJob, "feeds.poll")
        assert job.next_due <= session.get(FeedSubscription, feed_id).next_poll_at
    items = client.get("/api/v1/feeds", headers=headers).json()["items"]
    assert [i["id"] for i in items] == [feed_id]
    # Bad input: 422 problem+json, in Chinese when asked.
    for body in ({**FEED, "url": "file:///etc/passwd"}, {**FEED, "defaults": {"title": "x"}},
                 {**FEED, "poll_minutes": 1}, {**FEED, "extra": 1},
                 {**FEED, "field_map": {"id": 5}}):
        answer = client.post("/api/v1/feeds", json=body, headers=headers)
        assert answer.status_code == 422, body
        assert answer.headers["content-type"].startswith("application/problem+json")
    # The unit below sees nothing of its lead's feed.
    unit_headers = _headers(db, units.unit_officer)
    assert client.get(f"/api/v1/feeds/{feed_id}", headers=unit_headers).status_code == 404


def test_submission_api_units_upload_submit_and_matrix(client, db, units, settings):  # type: ignore[no-untyped-def]
    lead = _headers(db, units.lead_officer)
    unit = _headers(db, units.unit_officer)
    answer = client.put(f"/api/v1/submissions/units/{units.unit.id}", json={"active": True},
                        headers=lead)
    assert answer.status_code == 200 and answer.json()["active"] is True
    year, quarter = previous_quarter(*quarter_of(local_today(settings)))
    csv = ("source_channel,external_reference,title,product_name\n"
           "quarterly_submission,U-1,玩具小零件脱落,玩具\n").encode()
    uploaded = client.post(f"/api/v1/submissions/{year}/{quarter}/upload",
                           data={"profile": "riskgate_csv"},
                           files={"file": ("q.csv", csv, "text/csv")}, headers=unit)
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["counts"]["imported"] == 1
    submitted = client.post(f"/api/v1/submissions/{year}/{quarter}/submit",
                            json={"note": "报送"}, headers=unit)
    assert submitted.status_code == 200 and submitted.json()["status"] in ("submitted", "late")
    assert submitted.json()["record_count"] == 1
    again = client.post(f"/api/v1/submissions/{year}/{quarter}/submit", json={}, headers=unit)
    assert again.status_code == 409
    matrix = client.get("/api/v1/submissions/matrix", params={"quarters": 2},
                        headers=lead).json()
    (row,) = matrix
    assert row["organisation_id"] == units.unit.id and row["cells"][0]["submission_id"]
    assert client.get("/api/v1/submissions", headers=lead).json()["items"][0]["year"] == year
    assert client.post("/api/v1/submissions/1999/1/submit", json={},
                       headers=unit).status_code == 422
    assert client.post(f"/api/v1/submissions/{year}/5/submit", json={},
                       headers=unit).status_code == 422
    zh = client.post(f"/api/v1/submissions/{year}/{quarter}/upload", data={"profile": "nope"},
                     files={"file": ("q.csv", csv, "text/csv")},
                     headers={**unit, "Accept-Language": "zh-CN"})
    assert zh.status_code == 422


def test_health_and_expectations_api(client, db, units):  # type: ignore[no-untyped-def]
    headers = _headers(db, units.lead_officer)
    assert client.get("/api/v1/channels/health", headers=headers).json()["channels"] == []
    answer = client.put("/api/v1/channels/expectations/hotline_12315",
                        json={"cadence_days": 3, "monitored": True}, headers=headers)
    assert answer.status_code == 200 and answer.json()["overridden"]
    listed = {e["source_channel"]: e for e in
              client.get("/api/v1/channels/expectations", headers=headers).json()}
    assert listed["hotline_12315"]["cadence_days"] == 3
    assert listed["feed_rasff"]["cadence_days"] == 1 and not listed["feed_rasff"]["overridden"]
    assert client.put("/api/v1/channels/expectations/nonsense", json={"cadence_days": 3},
                      headers=headers).status_code == 422
    assert client.get("/api/v1/channels/silences", headers=headers).json()["items"] == []


def test_console_pages(client, db, units, settings):  # type: ignore[no-untyped-def]
    csrf = sign_in(client, units.lead_officer.username)
    page = client.get("/console/channels")
    assert page.status_code == 200 and "/static/channels.js" in page.text
    created = client.post("/console/channels/feeds", data={
        "csrf_token": csrf, "name": "RSS 食品", "url": "http://127.0.0.1:9/rss",
        "format": "rss", "source_channel": "food_safety", "poll_minutes": "60",
        "enabled": "1"}, follow_redirects=False)
    assert created.status_code == 303, created.text
    feed_id = db.execute(select(FeedSubscription.id)).scalar_one()
    detail = client.get(f"/console/channels/feeds/{feed_id}")
    assert "RSS 食品" in detail.text
    bad = client.post("/console/channels/feeds", data={
        "csrf_token": csrf, "name": "", "url": "nope", "format": "rss",
        "source_channel": "food_safety", "poll_minutes": "60"})
    assert bad.status_code == 422
    saved = client.post(f"/console/channels/feeds/{feed_id}", data={
        "csrf_token": csrf, "name": "RSS 食品", "url": "http://127.0.0.1:9/rss2",
        "format": "rss", "source_channel": "food_safety", "poll_minutes": "120"},
        follow_redirects=False)
    assert saved.status_code == 303
    db.rollback()  # a new read transaction sees the page's commit
    feed = db.get(FeedSubscription, feed_id)
    assert feed.enabled is False and feed.poll_minutes == 120
    assert client.post(f"/console/channels/feeds/{feed_id}/poll", data={"csrf_token": csrf},
                       follow_redirects=False).status_code == 303
    assert client.get("/console/channels/feeds").status_code == 200
    assert client.get("/console/channels/submissions").status_code == 200


def test_unit_submits_through_the_console(client, db, units, settings, app):  # type: ignore[no-untyped-def]
    from riskgate.channels import submissions
    from riskgate.core.db import transaction

    with transaction(app.state.session_factory) as session:
        submissions.set_unit(session, units.lead_actor, units.unit.id, True)
    csrf = sign_in(client, units.unit_officer.username)
    page = client.get("/console/channels/submissions")
    assert "Mark as submitted" in page.text or "标记为已报送" in page.text
    year, quarter = previous_quarter(*quarter_of(local_today(settings)))
    done = client.post("/console/channels/submissions", data={
        "csrf_token": csrf, "quarter": f"{year}-{quarter}", "note": "按时", "profile":
        "riskgate_csv"}, files={"file": ("q.csv", b"source_channel,title,product_name\n"
                                         b"quarterly_submission,Toy,Toy\n", "text/csv")},
        follow_redirects=False)
    assert done.status_code == 303, done.text
    row = db.execute(select(QuarterlySubmission)).scalar_one()
    assert row.record_count == 1 and row.note == "按时"
    refused = client.post("/console/channels/submissions", data={
        "csrf_token": csrf, "quarter": f"{year}-{quarter}"})
    assert refused.status_code == 422
