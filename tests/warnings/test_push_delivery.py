"""Real delivery of pushed warnings: e-mail to a loopback SMTP server, signed webhooks to a
loopback HTTP server; endpoints that fail (500), time out or refuse the connection are retried
and dead-lettered by the outbox while the warning stays published."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from riskgate.outbox import service as outbox
from riskgate.outbox.enums import Channel, EventStatus
from riskgate.outbox.models import OutboxEvent
from riskgate.warnings.enums import WarningStatus
from riskgate.warnings.models import PublicWarning, WarningDelivery
from riskgate.warnings.push import subscriptions
from tests.outbox.conftest import read, smtp, workers  # noqa: F401 — fixtures
from tests.servers import SmtpServer, WebhookReceiver, free_port
from tests.warnings.helpers import build_world, make_published_warning


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server


def _drain_until_settled(worker, reader, deadline: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    """Run the worker until no event is pending (retries come due after short back-offs)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        worker.drain()
        pending = reader(select(OutboxEvent.id).where(OutboxEvent.status == EventStatus.PENDING))
        if not pending:
            return
        time.sleep(0.05)
    raise AssertionError("events still pending")


def test_the_email_arrives(db, settings, smtp: SmtpServer, workers, read):  # noqa: F811
    world = build_world(db, settings)
    warning = make_published_warning(world)
    number = warning.number
    db.commit()
    worker = workers(smtp_port=smtp.port, smtp_host="127.0.0.1")
    _drain_until_settled(worker, read)
    # (The account's welcome mail arrives too.)
    mails = [m for m in smtp.messages
             if world.ent_user.email in m.rcpt_tos and number in m.message["Subject"]]
    assert len(mails) == 1
    message = mails[0].message
    body = message.get_body(("plain",)).get_content()
    assert "/console/warnings/received?warning=" in body
    # The inbox message is there too.
    from riskgate.outbox.models import InboxMessage

    inbox = read(select(InboxMessage).where(InboxMessage.user_id == world.ent_user.id,
                                            InboxMessage.topic == "warning.published"))
    assert len(inbox) == 1
    assert number in inbox[0].subject


def test_failing_endpoints_retry_then_dead_letter(  # noqa: F811 — fixtures by name
        request, db, settings, receiver: WebhookReceiver, workers, read):  # noqa: F811
    world = build_world(db, settings)
    actor = world.actor(world.other_officer)
    failing = WebhookReceiver()  # no secret: answers as its routes say
    failing.__enter__()
    request.addfinalizer(lambda: failing.__exit__(None, None, None))
    urls = {
        "error": failing.behave("/error", status=500),
        "slow": failing.behave("/slow", delay=3.0),
        "refused": f"http://127.0.0.1:{free_port()}/nobody",
        "ok": receiver.behave("/ok"),
    }
    endpoints = {}
    for name, url in urls.items():
        endpoint, secret = outbox.create_webhook(db, actor, url=url, description=name,
                                                 topics=["*"])
        if name == "ok":
            receiver.secret = secret  # the receiver verifies the /ok endpoint's signatures
        endpoints[name] = endpoint
        subscriptions.create_subscription(db, actor, {
            "name": name, "channel": "webhook", "webhook_endpoint_id": endpoint.id})
    warning = make_published_warning(world)
    warning_id, number = warning.id, warning.number
    db.commit()
    worker = workers(webhook_timeout_seconds=0.5, outbox_max_attempts=3,
                     outbox_backoff_base_seconds=0.01)
    _drain_until_settled(worker, read)
    events = {e.target: e for e in read(select(OutboxEvent).where(
        OutboxEvent.channel == Channel.WEBHOOK))}
    assert events[str(endpoints["ok"].id)].status == EventStatus.DELIVERED
    for name in ("error", "slow", "refused"):
        event = events[str(endpoints[name].id)]
        assert event.status == EventStatus.DEAD, (name, event.last_error)
        assert event.attempts == 3
    assert "HTTP 500" in events[str(endpoints["error"].id)].last_error
    assert "timed out" in events[str(endpoints["slow"].id)].last_error
    # The good endpoint got the signed warning once, with its delivery id.
    good = [d for d in receiver.deliveries if d.path == "/ok"]
    assert len(good) == 1 and good[0].signature_ok
    document = json.loads(good[0].body)
    assert document["type"] == "warning.published"
    assert document["data"]["warning"]["number"] == number
    delivery_ids = read(select(WarningDelivery.id).where(
        WarningDelivery.warning_id == warning_id))
    assert document["data"]["delivery_id"] in delivery_ids
    (status,) = read(select(PublicWarning.status).where(PublicWarning.id == warning_id))
    assert status == WarningStatus.published
