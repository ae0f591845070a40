"""Delivery through each channel, retries, dead letters, replay and leases; one worker at a time."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from sqlalchemy import select, update

from riskgate.audit.models import AuditEntry
from riskgate.composition import create_app
from riskgate.core.db import utcnow
from riskgate.core.i18n import LOCALE_DIR, gettext
from riskgate.core.permissions import Role
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import Channel, EventStatus
from riskgate.outbox.models import InboxMessage, OutboxAttempt, OutboxEvent
from tests.factories import auth_headers, make_user, token_for
from tests.outbox.conftest import add_webhook, status_counts
from tests.servers import Route

DATA = {"warning": "W-2026-0042", "product": "婴儿配方奶粉", "hazard": "阪崎肠杆菌"}


def _event(read, event_id: int) -> OutboxEvent:  # type: ignore[no-untyped-def]
    return read(select(OutboxEvent).where(OutboxEvent.id == event_id))[0]


def _attempts(read, event_id: int) -> list[OutboxAttempt]:  # type: ignore[no-untyped-def]
    return read(select(OutboxAttempt).where(OutboxAttempt.event_id == event_id)
                .order_by(OutboxAttempt.id))


def _metric(name: str, channel: str) -> float:
    return REGISTRY.get_sample_value(name, {"channel": channel}) or 0.0


# --- Webhooks ------------------------------------------------------------------------------


def test_webhook_is_signed_and_delivered_once(db, world, receiver, workers, read) -> None:
    add_webhook(db, world, receiver)
    [event] = outbox.notify_webhooks(db, world.org.id, topic="warning.issued", data=DATA)
    db.commit()
    delivered_before = _metric("riskgate_outbox_delivered_total", "webhook")

    totals = workers().drain()

    assert totals.delivered >= 1 and totals.failed == totals.dead == 0
    [delivery] = receiver.deliveries
    assert delivery.signature_ok is True
    assert delivery.webhook_id == event.uid
    assert delivery.headers["content-type"].startswith("application/json")
    document = json.loads(delivery.body.decode("utf-8"))
    assert document["id"] == event.uid
    assert document["type"] == "warning.issued"
    assert document["data"] == DATA  # Chinese text intact
    assert dt.datetime.fromisoformat(document["created_at"]).tzinfo is not None
    stored = _event(read, event.id)
    assert stored.status == EventStatus.DELIVERED
    assert stored.attempts == 1 and stored.delivered_at is not None
    assert stored.locked_by is None and stored.locked_until is None
    [attempt] = _attempts(read, event.id)
    assert attempt.ok and attempt.attempt == 1 and attempt.error is None
    assert attempt.started_at <= attempt.finished_at
    assert _metric("riskgate_outbox_delivered_total", "webhook") == delivered_before + 1


def test_wrong_signature_is_refused_by_the_receiver(db, world, receiver, workers, read) -> None:
    add_webhook(db, world, receiver)
    receiver.secret = "whsec_not-the-endpoint-secret"
    [event] = outbox.notify_webhooks(db, world.org.id, topic="warning.issued", data=DATA)
    db.commit()

    workers().drain()

    assert [d.signature_ok for d in receiver.deliveries] == [False]
    stored = _event(read, event.id)
    assert stored.status == EventStatus.PENDING and stored.attempts == 1
    assert stored.last_error.startswith("HTTP 401")


def test_failures_back_off_then_dead_letter_then_replay(db, world, receiver, workers, read,
                                                      client, settings) -> None:
    add_webhook(db, world, receiver, url=receiver.behave("/flaky", status=500))
    [event] = outbox.notify_webhooks(db, world.org.id, topic="warning.issued", data=DATA)
    db.commit()
    worker = workers(outbox_max_attempts=3, outbox_backoff_base_seconds=0.2)
    dead_before = _metric("riskgate_outbox_dead_total", "webhook")

    worker.drain()
    first = _event(read, event.id)
    assert first.status == EventStatus.PENDING and first.attempts == 1
    [attempt] = _attempts(read, event.id)
    # Retry 1 waits between base/2 and base.
    wait = (first.next_attempt_at - attempt.finished_at).total_seconds()
    assert 0.09 <= wait <= 0.25, wait
    assert worker.run_once() == 0  # not due yet
    deadline = time.monotonic() + 15
    while _event(read, event.id).status != EventStatus.DEAD:
        assert time.monotonic() < deadline
        worker.run_once()
        time.sleep(0.02)

    dead = _event(read, event.id)
    assert dead.attempts == 3 and dead.locked_by is None
    # The error is short: the status and the first 200 bytes of the body.
    assert dead.last_error.startswith("HTTP 500: failure 500 xxx")
    assert len(dead.last_error) == len("HTTP 500: ") + 200
    attempts = _attempts(read, event.id)
    assert [a.attempt for a in attempts] == [1, 2, 3] and not any(a.ok for a in attempts)
    # Retry 2 waited longer than retry 1 could have (exponential).
    assert (attempts[2].started_at - attempts[1].finished_at).total_seconds() >= 0.2
    assert len(receiver.deliveries) == 3 and not receiver.effects
    audit = read(select(AuditEntry).where(AuditEntry.action == "outbox.dead"))
    assert [a.object_id for a in audit] == [str(event.id)]
    assert _metric("riskgate_outbox_dead_total", "webhook") == dead_before + 1

    # The receiver is fixed; an administrator replays the dead letter through the API.
    receiver.routes["/flaky"] = Route(status=200)
    token = token_for(db, world.admin)
    db.commit()
    response = client.post(f"/api/v1/outbox/events/{event.id}/replay",
                           json={"reason": "receiver fixed"}, headers=auth_headers(token))
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "pending" and response.json()["attempts"] == 0

    assert worker.run_once() == 1
    replayed = _event(read, event.id)
    assert replayed.status == EventStatus.DELIVERED and replayed.attempts == 1
    assert receiver.effects[event.uid] == 1
    assert [a.ok for a in _attempts(read, event.id)] == [False, False, False, True]


def test_deactivated_or_deleted_endpoint_goes_straight_to_dead(db, world, receiver, workers,
                                                               read) -> None:
    endpoint = add_webhook(db, world, receiver)
    [event] = outbox.notify_webhooks(db, world.org.id, topic="warning.issued", data=DATA)
    outbox.deactivate_webhook(db, world.actor, endpoint.id)
    orphan = outbox.enqueue(db, channel=Channel.WEBHOOK, topic="warning.issued", target="999999",
                            payload={"type": "warning.issued", "data": DATA},
                            organisation_id=world.org.id)
    db.commit()

    workers().drain()

    assert receiver.deliveries == []
    stored = _event(read, event.id)
    assert stored.status == EventStatus.DEAD and stored.attempts == 1
    assert stored.last_error == f"webhook endpoint {endpoint.id} is deactivated"
    gone = _event(read, orphan.id)
    assert gone.status == EventStatus.DEAD
    assert gone.last_error == "webhook endpoint 999999 no longer exists"


def test_endpoint_that_hangs_times_out_and_is_retried(db, world, receiver, workers, read) -> None:
    add_webhook(db, world, receiver, url=receiver.behave("/hang", delay=30))
    [event] = outbox.notify_webhooks(db, world.org.id, topic="warning.issued", data=DATA)
    db.commit()
    started = time.monotonic()

    workers(webhook_timeout_seconds=0.3).drain()

    assert time.monotonic() - started < 5
    stored = _event(read, event.id)
    assert stored.status == EventStatus.PENDING and stored.attempts == 1
    assert stored.last_error.startswith("timed out after 0.3 s")
    assert stored.next_attempt_at > utcnow() and stored.locked_by is None


def test_expired_lease_is_reclaimed_and_the_late_result_is_dropped(db, world, receiver, workers,
                                                                   read) -> None:
    add_webhook(db, world, receiver)
    first, second = workers(), workers()
    first.drain()  # the welcome message of the administrator
    [event] = outbox.notify_webhooks(db, world.org.id, topic="warning.issued", data=DATA)
    db.commit()

    batch, endpoints = first.claim()
    assert [e.id for e in batch] == [event.id]
    assert second.claim() == ([], {})  # leased: not claimable while the lease runs
    # The first worker stalls past its lease (a long GC pause, a frozen VM…).
    db.execute(update(OutboxEvent).where(OutboxEvent.id == event.id)
               .values(locked_until=utcnow() - dt.timedelta(seconds=1)))
    db.commit()

    assert second.run_once() == 1
    late = first.deliver(batch, endpoints)  # the stalled worker wakes up and delivers anyway
    assert late[0].ok
    assert first.record(batch, late).delivered == 0  # …but cannot record over the other's result

    stored = _event(read, event.id)
    assert stored.status == EventStatus.DELIVERED and stored.attempts == 1
    assert [a.worker for a in _attempts(read, event.id)] == [second.id]
    assert receiver.received_ids()[event.uid] == 2  # at least once…
    assert receiver.effects[event.uid] == 1 and receiver.duplicates == 1  # …effect once
    assert receiver.overlaps == []


def test_expired_lease_not_reclaimed_still_records(db, world, receiver, workers, read) -> None:
    add_webhook(db, world, receiver)
    worker = workers()
    worker.drain()
    [event] = outbox.notify_webhooks(db, world.org.id, topic="warning.issued", data=DATA)
    db.commit()
    batch, endpoints = worker.claim()
    db.execute(update(OutboxEvent).where(OutboxEvent.id == event.id)
               .values(locked_until=utcnow() - dt.timedelta(seconds=1)))
    db.commit()
    assert worker.record(batch, worker.deliver(batch, endpoints)).delivered == 1
    assert _event(read, event.id).status == EventStatus.DELIVERED


# --- Inbox ---------------------------------------------------------------------------------


def test_inbox_message_in_the_users_language_exactly_once(db, world, settings, workers,
                                                          read) -> None:
    user = make_user(db, settings, world.org, Role.RISK_OFFICER, language="en")
    db.commit()
    [event] = read(select(OutboxEvent).where(OutboxEvent.target == str(user.id),
                                             OutboxEvent.channel == Channel.INBOX))
    worker = workers()

    worker.drain()

    [message] = read(select(InboxMessage).where(InboxMessage.user_id == user.id))
    assert message.event_uid == event.uid and message.topic == "user.welcome"
    assert message.subject == "Your riskgate account"
    assert message.body == (f"An account {user.username} has been created for you in "
                            f"{world.org.name_zh}.")
    assert "测试机构" in message.body and message.link == "/console"
    assert _event(read, event.id).status == EventStatus.DELIVERED

    # Delivered a second time (as after a crash between insert and commit elsewhere): no copy.
    db.execute(update(OutboxEvent).where(OutboxEvent.id == event.id)
               .values(status=EventStatus.PENDING, next_attempt_at=utcnow()))
    db.commit()
    assert worker.drain().delivered == 1
    assert len(read(select(InboxMessage).where(InboxMessage.user_id == user.id))) == 1
    assert _event(read, event.id).attempts == 2


needs_catalog = pytest.mark.skipif(
    not (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").exists(),
    reason="the zh-CN catalog is not in the tree yet")


@needs_catalog
def test_inbox_message_in_chinese(db, world, settings, workers, read) -> None:
    user = make_user(db, settings, world.org, Role.RISK_OFFICER, language="zh-CN")
    db.commit()
    workers().drain()
    [message] = read(select(InboxMessage).where(InboxMessage.user_id == user.id))
    assert message.subject == gettext("Your riskgate account", "zh-CN")


# --- E-mail --------------------------------------------------------------------------------


def test_email_utf8_with_message_id_and_html_link(db, world, settings, smtp, workers,
                                                  read) -> None:
    make_user(db, settings, world.org, Role.RISK_OFFICER, language="en",
              email="inspector@example.cn")
    db.commit()
    [event] = read(select(OutboxEvent).where(OutboxEvent.channel == Channel.EMAIL))

    workers(smtp_port=smtp.port, base_url="https://riskgate.example.cn/",
            mail_from="riskgate@example.cn").drain()

    [mail] = smtp.messages
    message = mail.message
    assert mail.rcpt_tos == ["inspector@example.cn"] and mail.mail_from == "riskgate@example.cn"
    assert message["Message-ID"] == f"<{event.uid}@riskgate>"
    assert message["Subject"] == "Your riskgate account"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text.get_content_charset() == "utf-8" and html.get_content_charset() == "utf-8"
    assert world.org.name_zh in text.get_content()  # Chinese survives SMTP
    assert "https://riskgate.example.cn/console" in text.get_content()
    assert 'href="https://riskgate.example.cn/console"' in html.get_content()
    assert world.org.name_zh in html.get_content()
    assert _event(read, event.id).status == EventStatus.DELIVERED
    assert smtp.by_message_id()[f"<{event.uid}@riskgate>"] == 1


@needs_catalog
def test_email_in_chinese_for_a_chinese_user(db, world, settings, smtp, workers) -> None:
    user = make_user(db, settings, world.org, Role.RISK_OFFICER, language="zh-CN",
                     email="li@example.cn")
    db.commit()
    workers(smtp_port=smtp.port).drain()
    [mail] = smtp.messages
    subject = gettext("Your riskgate account", "zh-CN")
    body = gettext("An account {username} has been created for you in {organisation}.",
                   "zh-CN", username=user.username, organisation=world.org.name_zh)
    assert subject != "Your riskgate account"  # really translated
    assert mail.message["Subject"] == subject
    assert body in mail.message.get_body(("plain",)).get_content()
    html = mail.message.get_body(("html",)).get_content()
    assert 'lang="zh-CN"' in html and gettext("Open in riskgate", "zh-CN") in html


def test_chinese_subject_survives_email(db, world, smtp, workers) -> None:
    payload = {"subject": "预警 {code}：{product}", "body": "{product} 检出 {hazard}。",
               "params": {"code": "W-1", **DATA}, "link": None, "language": "en"}
    outbox.enqueue(db, channel=Channel.EMAIL, topic="warning.issued",
                   target="official@example.cn", payload=payload, organisation_id=world.org.id)
    db.commit()
    workers(smtp_port=smtp.port).drain()
    [mail] = smtp.messages
    assert mail.message["Subject"] == "预警 W-1：婴儿配方奶粉"
    text = mail.message.get_body(("plain",)).get_content()
    assert text.strip() == "婴儿配方奶粉 检出 阪崎肠杆菌。"
    assert mail.raw.isascii()  # encoded for any SMTP server (RFC 2047 and base64/QP bodies)


def test_refused_recipient_is_a_dead_letter(db, world, settings, smtp, workers, read) -> None:
    smtp.reply = "550 No such user"
    make_user(db, settings, world.org, Role.RISK_OFFICER, language="en", email="gone@example.cn")
    db.commit()
    [event] = read(select(OutboxEvent).where(OutboxEvent.channel == Channel.EMAIL))
    workers(smtp_port=smtp.port).drain()
    stored = _event(read, event.id)
    assert stored.status == EventStatus.DEAD and stored.last_error.startswith("SMTP 550")


def test_unreachable_smtp_server_is_retried(db, world, settings, workers, read) -> None:
    from tests.servers import free_port

    make_user(db, settings, world.org, Role.RISK_OFFICER, language="en", email="a@example.cn")
    db.commit()
    [event] = read(select(OutboxEvent).where(OutboxEvent.channel == Channel.EMAIL))
    workers(smtp_port=free_port()).drain()
    stored = _event(read, event.id)
    assert stored.status == EventStatus.PENDING and stored.attempts == 1
    assert "ConnectionRefused" in stored.last_error


# --- Inside the server ---------------------------------------------------------------------


def test_in_process_worker_wakes_on_commit(settings, receiver, read) -> None:
    """With a 30 s poll, only the after_commit wake-up can deliver within seconds."""
    from riskgate.identity.auth_service import actor_for
    from tests.factories import make_org

    app = create_app(settings.model_copy(update={"worker_poll_seconds": 30}), run_worker=True)
    try:
        with TestClient(app):
            time.sleep(0.2)  # the worker's first look finds nothing; now it sleeps 30 s
            with app.state.session_factory() as db:
                org = make_org(db)
                admin = make_user(db, app.state.settings, org, Role.SYSTEM_ADMIN, language="en")
                _endpoint, receiver.secret = outbox.create_webhook(
                    db, actor_for(admin, "en"), url=receiver.url(), description=None,
                    topics=["warning.*"])
                [event] = outbox.notify_webhooks(db, org.id, topic="warning.issued", data=DATA)
                db.commit()
            started = time.monotonic()
            while not receiver.effects and time.monotonic() - started < 10:
                time.sleep(0.02)
            assert receiver.effects[event.uid] == 1
            assert time.monotonic() - started < 5
        # Shut down cleanly: nothing left leased.
        assert not read(select(OutboxEvent.id).where(OutboxEvent.locked_by.is_not(None)))
        assert status_counts(read) == {EventStatus.DELIVERED: 2}
    finally:
        app.state.engine.dispose()
