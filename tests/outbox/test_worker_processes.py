"""Workers as separate OS processes: killed mid-batch, stopped gracefully, several at once.

The receiver is slow (so batches take a while), verifies every signature, drops duplicates by
webhook-id and records deliveries of one id that overlap in time (two workers at once).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from riskgate.core.permissions import Role
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import Channel, EventStatus
from riskgate.outbox.models import InboxMessage, OutboxAttempt, OutboxEvent
from tests.conftest import BACKEND
from tests.factories import make_user
from tests.outbox.conftest import add_webhook, status_counts
from tests.servers import WebhookReceiver

pytestmark = pytest.mark.slow

EVENTS_PER_CHANNEL = 300
BATCH = 40
LEASE = 5  # the smallest lease the settings accept
DELAY = 0.1  # seconds the receiver takes per webhook


@pytest.fixture
def start_worker(database_url: str, tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start `python -m riskgate worker` on the test database; killed at teardown."""
    started: list[subprocess.Popen] = []

    def start(processes: int = 1, lease: int = LEASE) -> subprocess.Popen:
        env = {
            **os.environ,
            "RISKGATE_DATABASE_URL": database_url,
            "RISKGATE_ENVIRONMENT": "test",
            "RISKGATE_WORKER_LEASE_SECONDS": str(lease),
            "RISKGATE_WORKER_BATCH_SIZE": str(BATCH),
            "RISKGATE_WORKER_CONCURRENCY": "8",
            "RISKGATE_WEBHOOK_TIMEOUT_SECONDS": "1",
            "RISKGATE_WORKER_POLL_SECONDS": "0.1",
            "RISKGATE_LOG_LEVEL": "WARNING",
        }
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "riskgate", "worker", "--processes", str(processes)],
            env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches its children
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _fill(db, settings, world, receiver: WebhookReceiver) -> None:  # type: ignore[no-untyped-def]
    """EVENTS_PER_CHANNEL webhooks to the slow receiver, interleaved with as many inbox messages."""
    add_webhook(db, world, receiver, url=receiver.behave("/slow", delay=DELAY))
    user = make_user(db, settings, world.org, Role.RISK_OFFICER, language="en")
    for n in range(EVENTS_PER_CHANNEL):
        outbox.notify_webhooks(db, world.org.id, topic="warning.issued",
                               data={"n": n, "product": "冷冻虾仁"})
        outbox.notify_user(db, user, topic="warning.issued", subject="Warning {n}",
                           body="Product {product} is affected.",
                           params={"n": n, "product": "冷冻虾仁"})
    db.commit()


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _all_delivered(read) -> Callable[[], bool]:  # type: ignore[no-untyped-def]
    return lambda: set(status_counts(read)) == {EventStatus.DELIVERED}


def _stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=20)


def _assert_each_event_had_its_effect_once(read, receiver: WebhookReceiver) -> None:  # type: ignore[no-untyped-def]
    events = read(select(OutboxEvent))
    webhooks = {e.uid for e in events if e.channel == Channel.WEBHOOK}
    inbox = {e.uid for e in events if e.channel == Channel.INBOX}
    assert len(webhooks) == EVENTS_PER_CHANNEL
    assert [e.uid for e in events if e.status != EventStatus.DELIVERED] == []
    # Every webhook reached the receiver, correctly signed; its effect happened once.
    assert set(receiver.effects) == webhooks
    assert set(receiver.effects.values()) == {1}
    # (A delivery cut off by the kill arrives truncated; it is refused and had no effect.)
    assert all(d.signature_ok for d in receiver.deliveries if d.complete)
    # Never two deliveries of one event at the same time.
    assert receiver.overlaps == []
    # One inbox row per inbox event.
    rows = read(select(InboxMessage.event_uid))
    assert len(rows) == len(set(rows)) and set(rows) == inbox
    # Exactly one recorded success per event: no result was written twice.
    ok_per_event = read(select(func.count()).select_from(OutboxAttempt)
                        .where(OutboxAttempt.ok).group_by(OutboxAttempt.event_id))
    assert len(ok_per_event) == len(events) and set(ok_per_event) == {1}


def test_killed_worker_loses_nothing_and_duplicates_nothing(db, settings, world, read,
                                                            start_worker) -> None:
    with WebhookReceiver() as receiver:
        _fill(db, settings, world, receiver)
        first = start_worker()
        # Kill it in the middle of a batch: deliveries in flight, results not yet recorded.
        _wait(lambda: len(receiver.effects) >= 60 and receiver.in_flight() > 0, 30,
              "the first worker to be busy")
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = time.monotonic()
        # Its claims are leased to a dead worker until the lease expires.
        assert read(select(OutboxEvent.id).where(OutboxEvent.locked_by.is_not(None)))

        # On PostgreSQL two workers take over at once; SQLite has one writer anyway.
        second = start_worker(processes=2 if BACKEND == "postgresql" else 1)
        _wait(_all_delivered(read), 45, "every event to be delivered")
        assert time.monotonic() - killed_at >= LEASE - 1  # the dead claims waited for the lease
        assert _stop(second) == 0

        _assert_each_event_had_its_effect_once(read, receiver)
        accepted = sum(1 for d in receiver.deliveries if d.complete and 200 <= d.status < 300)
        redelivered = accepted - len(receiver.effects)
        # Only the killed worker's unrecorded batch was delivered again, and dropped by id.
        assert 1 <= redelivered <= BATCH
        assert receiver.duplicates == redelivered


def test_two_workers_from_the_start_share_the_work(db, settings, world, read,
                                                   start_worker) -> None:
    with WebhookReceiver() as receiver:
        _fill(db, settings, world, receiver)
        # A long lease: on a loaded machine a short one could expire mid-batch and cause a
        # (legitimate, deduplicated) re-delivery, which is not what this test is about.
        process = start_worker(processes=2, lease=120)
        _wait(_all_delivered(read), 45, "every event to be delivered")
        assert _stop(process) == 0

        _assert_each_event_had_its_effect_once(read, receiver)
        assert receiver.duplicates == 0  # no crash, so not a single re-delivery
        workers = read(select(OutboxAttempt.worker).distinct())
        assert len(workers) == 2


def test_sigterm_finishes_the_batch_and_releases_the_rest(db, settings, world, read,
                                                          start_worker) -> None:
    with WebhookReceiver() as receiver:
        _fill(db, settings, world, receiver)
        process = start_worker(lease=120)
        _wait(lambda: len(receiver.effects) >= 30 and receiver.in_flight() > 0, 30,
              "the worker to be busy")
        assert _stop(process) == 0

        # Nothing stays leased, and every delivery the receiver saw was recorded as such.
        assert read(select(OutboxEvent.id).where(OutboxEvent.locked_by.is_not(None))) == []
        delivered = read(select(OutboxEvent.uid).where(
            OutboxEvent.channel == Channel.WEBHOOK, OutboxEvent.status == EventStatus.DELIVERED))
        assert set(delivered) == set(receiver.effects)
        assert 0 < len(delivered) < EVENTS_PER_CHANNEL
        assert receiver.duplicates == 0
