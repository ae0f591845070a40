"""Console pages for the outbox and dead letters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from riskgate.core.db import utcnow
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import Channel, EventStatus
from riskgate.outbox.models import OutboxAttempt, OutboxEvent
from tests.web.conftest import form_sign_in, results, sign_in_english


def _dead_letter(db, organisation_id: int) -> OutboxEvent:  # type: ignore[no-untyped-def]
    event = outbox.enqueue(db, channel=Channel.WEBHOOK, topic="warning.issued", target="7",
                           payload={"type": "warning.issued", "data": {"id": 1}},
                           organisation_id=organisation_id)
    assert event is not None
    started = utcnow() - dt.timedelta(minutes=5)
    for attempt in (1, 2):
        db.add(OutboxAttempt(event_id=event.id, attempt=attempt, worker="worker-1",
                             started_at=started, finished_at=started + dt.timedelta(seconds=1),
                             ok=False, error=f"HTTP 503 from endpoint (attempt {attempt})"))
    event.status = EventStatus.DEAD
    event.attempts = 2
    event.last_error = "HTTP 503 from endpoint (attempt 2)"
    db.commit()
    return event


def test_list_and_filters(page, world, db) -> None:  # type: ignore[no-untyped-def]
    dead = _dead_letter(db, world["district"].id)
    form_sign_in(page, "sysadmin")
    html = results(page.get("/console/outbox").text)
    assert "user.welcome" in html and "warning.issued" in html  # welcome messages, the webhook
    html = results(page.get("/console/outbox", params={"status": "dead"}).text)
    assert f'href="/console/outbox/{dead.id}"' in html and "user.welcome" not in html
    assert "死信" in html
    html = results(page.get("/console/outbox", params={"channel": "inbox"}).text)
    assert "warning.issued" not in html and "user.welcome" in html
    html = results(page.get("/console/outbox", params={"topic": "warning.issued"}).text)
    assert "user.welcome" not in html


def test_other_trees_events_are_hidden(page, world, db) -> None:  # type: ignore[no-untyped-def]
    foreign = _dead_letter(db, world["other"].id)
    form_sign_in(page, "sysadmin")
    assert f'href="/console/outbox/{foreign.id}"' not in page.get("/console/outbox").text
    response = page.get(f"/console/outbox/{foreign.id}")
    assert response.status_code == 404
    assert "未找到该发件箱事件。" in response.text


def test_only_operators_read_the_outbox(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "secadmin")
    assert page.get("/console/outbox").status_code == 403


def test_detail_with_attempts_and_replay(page, world, db) -> None:  # type: ignore[no-untyped-def]
    dead = _dead_letter(db, world["district"].id)
    csrf = form_sign_in(page, "sysadmin")
    html = page.get(f"/console/outbox/{dead.id}").text
    assert "HTTP 503 from endpoint (attempt 1)" in html and "worker-1" in html
    assert "失败" in html and f'action="/console/outbox/{dead.id}/replay"' in html
    response = page.post(f"/console/outbox/{dead.id}/replay",
                         data={"csrf_token": csrf, "reason": "端点已修复"}, follow_redirects=False)
    assert response.status_code == 303
    html = page.get(response.headers["location"]).text
    assert "事件已重新进入队列" in html and "待投递" in html
    assert "replay" not in html.split("</h1>")[1].split("投递尝试")[0]  # no Replay button now
    db.expire_all()
    event = db.execute(select(OutboxEvent).where(OutboxEvent.id == dead.id)).scalar_one()
    assert event.status == EventStatus.PENDING and event.attempts == 0


def test_replaying_a_pending_event_is_refused(page, page_en, world, db) -> None:  # type: ignore[no-untyped-def]
    pending = outbox.enqueue(db, channel=Channel.EMAIL, topic="x", target="a@example.org",
                             payload={}, organisation_id=world["district"].id)
    db.commit()
    csrf = form_sign_in(page, "sysadmin")
    response = page.post(f"/console/outbox/{pending.id}/replay", data={"csrf_token": csrf})
    assert response.status_code == 422
    assert "只有死信可以重新投递；该事件状态为 pending。" in response.text
    csrf = sign_in_english(page_en, "sysadmin")
    response = page_en.post(f"/console/outbox/{pending.id}/replay", data={"csrf_token": csrf})
    assert "Only dead letters can be replayed; this event is pending." in response.text
