"""The outbox worker: claim due events, deliver them, record the outcome.

Delivery is at least once. A claim is a lease (`locked_by`, `locked_until`): the events of a
worker that crashed are claimed again once the lease has expired, and receivers drop the
duplicates by the event uid. A result is recorded only while the event is still leased to the
worker that delivered it, so a worker whose lease expired cannot overwrite another's result; and a
delivery starts only if it can finish inside the lease, so no event is delivered by two workers at
the same time.

On PostgreSQL any number of workers claim with FOR UPDATE SKIP LOCKED. On SQLite the engine
serialises writers (BEGIN IMMEDIATE, see core/db.py), so a claim is a plain UPDATE of the due rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import secrets
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, cast

from prometheus_client import Counter, Histogram
from sqlalchemy import Engine, Table, bindparam, event, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import make_session_factory, read_only_engine, transaction, utcnow
from riskgate.core.schedule import Scheduler
from riskgate.core.settings import Settings
from riskgate.identity.models import User
from riskgate.outbox.channels import ClaimedEvent, Deliverer, Endpoint, Outcome
from riskgate.outbox.enums import Channel, EventStatus
from riskgate.outbox.models import InboxMessage, OutboxAttempt, OutboxEvent, WebhookEndpoint

log = logging.getLogger("riskgate.outbox.worker")

BACKOFF_CAP_SECONDS = 3600.0
# Slack between the latest end of a delivery and the end of its lease (clock reads, commit).
LEASE_MARGIN_SECONDS = 0.5

DELIVERED = Counter("riskgate_outbox_delivered_total", "Outbox events delivered", ["channel"])
FAILED = Counter(
    "riskgate_outbox_failed_total", "Outbox delivery attempts that failed and will be retried",
    ["channel"],
)
DEAD = Counter("riskgate_outbox_dead_total", "Outbox events moved to the dead letters", ["channel"])
BATCH_SECONDS = Histogram(
    "riskgate_outbox_batch_seconds", "Time to claim, deliver and record one outbox batch",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
DELIVERY_SECONDS = Histogram(
    "riskgate_outbox_delivery_seconds", "Time of one outbox delivery attempt", ["channel"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

# Core statements on the tables: a batch is a few set-based statements, not an ORM unit of work.
_EVENTS = cast(Table, OutboxEvent.__table__)
_ATTEMPTS = cast(Table, OutboxAttempt.__table__)
_INBOX = cast(Table, InboxMessage.__table__)
_ENDPOINTS = cast(Table, WebhookEndpoint.__table__)
_WORKER_ACTOR = Actor.system("outbox-worker")


def default_worker_id() -> str:
    """hostname:pid:random — unique across hosts, processes and restarts."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def backoff_seconds(attempt: int, base: float, *, cap: float = BACKOFF_CAP_SECONDS,
                    rng: random.Random | None = None) -> float:
    """The wait before retrying after failed attempt number `attempt` (1, 2, …).

    Exponential (base, 2·base, 4·base …) up to the cap, with "equal jitter": half the delay is
    fixed, half random, so retries to a receiver that was down do not all arrive at once.
    """
    ceiling = min(max(cap, base), base * 2.0 ** min(max(attempt - 1, 0), 60))
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


@dataclass
class Totals:
    delivered: int = 0
    failed: int = 0
    dead: int = 0

    def add(self, other: Totals) -> None:
        self.delivered += other.delivered
        self.failed += other.failed
        self.dead += other.dead


class Worker:
    """Delivers outbox events. Run one per process (or thread); any number per database."""

    def __init__(self, engine: Engine, settings: Settings, *, worker_id: str | None = None,
                 on_batch: Callable[[Totals], None] | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.id = worker_id or default_worker_id()
        self.batch_size = settings.worker_batch_size
        self.max_attempts = settings.outbox_max_attempts
        self.lease = dt.timedelta(seconds=settings.worker_lease_seconds)
        # A delivery (connect + send + answer) must fit well inside the lease, or another worker
        # could claim the event while this one is still delivering it.
        self.timeout = min(settings.webhook_timeout_seconds, settings.worker_lease_seconds / 4)
        if self.timeout < settings.webhook_timeout_seconds:
            log.warning("delivery timeout lowered to a quarter of the lease",
                        extra={"timeout_seconds": self.timeout})
        self.totals = Totals()
        self._sessions = make_session_factory(engine)
        self._reader = read_only_engine(engine)
        self._pool = ThreadPoolExecutor(settings.worker_concurrency,
                                        thread_name_prefix="outbox-deliver")
        self._deliverer = Deliverer(settings, self.timeout)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._external_stop: threading.Event | None = None
        self._on_batch = on_batch
        self._rng = random.Random()
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        # Periodic jobs (core/schedule.py) ride on the worker loop; they run on their own thread.
        self.scheduler = Scheduler(engine, settings, owner=self.id)

    # --- Control ---------------------------------------------------------------------------

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set() or bool(self._external_stop and self._external_stop.is_set())

    def notify(self) -> None:
        """Events were committed: look for work now instead of at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the deliveries under way, release the claims not started, then return."""
        self._stopping.set()
        self._wake.set()

    def close(self) -> None:
        self.scheduler.close()
        self._pool.shutdown(wait=True)
        self._deliverer.close()

    def run_forever(self, stop_event: threading.Event | None = None) -> None:
        """Deliver until stopped; poll every worker_poll_seconds or wake early when notified."""
        self._external_stop = stop_event
        poll = self.settings.worker_poll_seconds
        errors = 0
        log.info("outbox worker started", extra={"worker": self.id})
        while not self.stopping:
            self._wake.clear()
            self.scheduler.tick()
            try:
                claimed = self.run_once()
                errors = 0
            except Exception:  # noqa: BLE001 — a worker outlives a database hiccup
                errors += 1
                claimed = 0
                log.exception("outbox batch failed", extra={"worker": self.id})
            if self.stopping:
                break
            if claimed >= self.batch_size:
                continue  # a full batch: more is probably due
            # After errors, back off (up to a minute) instead of hammering a sick database.
            self._wake.wait(min(60.0, poll * 2**errors) if errors else poll)
        log.info("outbox worker stopped", extra={"worker": self.id})

    def drain(self) -> Totals:
        """Deliver batches until nothing is due (the --once mode); returns this run's totals."""
        before = Totals(**vars(self.totals))
        while not self.stopping and self.run_once():
            pass
        return Totals(self.totals.delivered - before.delivered,
                      self.totals.failed - before.failed, self.totals.dead - before.dead)

    # --- One batch -------------------------------------------------------------------------

    def run_once(self) -> int:
        """Claim, deliver and record one batch; returns the number of events claimed."""
        started = time.perf_counter()
        batch, endpoints = self.claim()
        if not batch:
            return 0
        outcomes = self.deliver(batch, endpoints)
        self.record(batch, outcomes)
        BATCH_SECONDS.observe(time.perf_counter() - started)
        return len(batch)

    def claim(self) -> tuple[list[ClaimedEvent], dict[int, Endpoint]]:
        """Lease a batch of due events to this worker, in one short committed transaction.

        Due: pending, next attempt reached, and not leased (or the lease expired — its worker
        crashed or hung). Also reads the batch's webhook endpoints, so delivery needs no database.
        """
        now = utcnow()
        is_due = (
            _EVENTS.c.status == EventStatus.PENDING,
            _EVENTS.c.next_attempt_at <= now,
            or_(_EVENTS.c.locked_until.is_(None), _EVENTS.c.locked_until < now),
        )
        # An idle worker polls often; look before taking a write transaction, which on SQLite
        # is the database-wide write lock that the server's requests need too.
        with self._reader.connect() as connection:
            if connection.execute(select(_EVENTS.c.id).where(*is_due).limit(1)).first() is None:
                return [], {}
        due = (
            select(_EVENTS.c.id)
            .where(*is_due)
            .order_by(_EVENTS.c.next_attempt_at, _EVENTS.c.id)
            .limit(self.batch_size)
            # PostgreSQL: rows another worker is claiming are skipped, not waited for. SQLite
            # drops the clause; its writers are serialised anyway.
            .with_for_update(skip_locked=True)
        )
        lease_end = now + self.lease
        stmt = (
            update(_EVENTS)
            .where(_EVENTS.c.id.in_(due))
            .values(locked_by=self.id, locked_until=lease_end)
            .returning(_EVENTS.c.id, _EVENTS.c.uid, _EVENTS.c.topic, _EVENTS.c.channel,
                       _EVENTS.c.target, _EVENTS.c.payload, _EVENTS.c.attempts,
                       _EVENTS.c.created_at, _EVENTS.c.organisation_id)
        )
        with transaction(self._sessions) as session:
            rows = session.execute(stmt).all()
            batch = [ClaimedEvent(**row._mapping, locked_until=lease_end) for row in rows]
            endpoints = self._load_endpoints(session, batch)
        batch.sort(key=lambda e: e.id)
        return batch, endpoints

    def deliver(self, batch: Sequence[ClaimedEvent],
                endpoints: Mapping[int, Endpoint]) -> list[Outcome]:
        """Deliver the batch concurrently on the thread pool; one outcome per event, in order."""
        futures = [self._pool.submit(self._deliver_one, e, endpoints) for e in batch]
        return [future.result() for future in futures]

    def record(self, batch: Sequence[ClaimedEvent], outcomes: Sequence[Outcome]) -> Totals:
        """Write the outcomes in one transaction, for the events still leased to this worker."""
        now = utcnow()
        by_id = {e.id: (e, o) for e, o in zip(batch, outcomes, strict=True)}
        totals = Totals()
        counted: list[tuple[str, Channel]] = []
        with transaction(self._sessions) as session:
            # Lock our rows; an event whose lease expired and was claimed by another worker is
            # no longer ours, and its result is that worker's to write.
            owned = session.execute(
                select(_EVENTS.c.id)
                .where(_EVENTS.c.id.in_(by_id), _EVENTS.c.locked_by == self.id)
                .order_by(_EVENTS.c.id)
                .with_for_update()
            ).scalars().all()
            if len(owned) < len(by_id):
                log.warning("lease lost before recording; results dropped",
                            extra={"worker": self.id, "events": len(by_id) - len(owned)})
            missing_users = self._missing_inbox_users(session, [by_id[i] for i in owned])

            delivered: list[int] = []
            inbox_rows: list[dict[str, Any]] = []
            failures: list[dict[str, Any]] = []
            released: list[int] = []
            attempts: list[dict[str, Any]] = []
            for event_id in owned:
                event, outcome = by_id[event_id]
                if not outcome.attempted:
                    released.append(event_id)
                    continue
                if outcome.inbox is not None and outcome.inbox["user_id"] in missing_users:
                    outcome = Outcome(ok=False, permanent=True, started_at=outcome.started_at,
                                      finished_at=outcome.finished_at,
                                      error=f"user {outcome.inbox['user_id']} no longer exists")
                attempt = event.attempts + 1
                attempts.append({
                    "event_id": event_id, "attempt": attempt, "worker": self.id,
                    "started_at": outcome.started_at, "finished_at": outcome.finished_at,
                    "ok": outcome.ok, "error": outcome.error,
                })
                if outcome.ok:
                    delivered.append(event_id)
                    if outcome.inbox is not None:
                        inbox_rows.append(outcome.inbox)
                    totals.delivered += 1
                    counted.append(("delivered", event.channel))
                    continue
                dead = outcome.permanent or attempt >= self.max_attempts
                failures.append({
                    "b_id": event_id, "b_status": EventStatus.DEAD if dead else EventStatus.PENDING,
                    "b_attempts": attempt, "b_error": outcome.error,
                    "b_next": now if dead else now + dt.timedelta(seconds=backoff_seconds(
                        attempt, self.settings.outbox_backoff_base_seconds, rng=self._rng)),
                })
                if dead:
                    totals.dead += 1
                    counted.append(("dead", event.channel))
                    audit.record(
                        session, _WORKER_ACTOR, "outbox.dead", object_type="outbox_event",
                        object_id=event_id, organisation_id=event.organisation_id,
                        before={"status": EventStatus.PENDING, "attempts": event.attempts},
                        after={"status": EventStatus.DEAD, "attempts": attempt,
                               "last_error": outcome.error},
                    )
                else:
                    totals.failed += 1
                    counted.append(("failed", event.channel))
            self._write(session, now, delivered, inbox_rows, failures, released, attempts)
        metrics = {"delivered": DELIVERED, "failed": FAILED, "dead": DEAD}
        for kind, channel in counted:
            metrics[kind].labels(channel.value).inc()
        self.totals.add(totals)
        if self._on_batch is not None:
            self._on_batch(self.totals)
        return totals

    # --- Helpers ---------------------------------------------------------------------------

    def _deliver_one(self, event: ClaimedEvent, endpoints: Mapping[int, Endpoint]) -> Outcome:
        # Start only if the delivery can end inside the lease (connect and answer may each take
        # the timeout); later, another worker may claim the event and deliver it at the same time.
        latest_start = event.locked_until - dt.timedelta(
            seconds=2 * self.timeout + LEASE_MARGIN_SECONDS)
        if self.stopping or utcnow() > latest_start:
            return Outcome.not_attempted()
        started = time.perf_counter()
        try:
            outcome = self._deliverer.deliver(event, endpoints)
        except Exception as error:  # noqa: BLE001 — a bug in one channel must not stop the batch
            log.exception("delivery raised", extra={"event_id": event.id, "worker": self.id})
            outcome = Outcome(ok=False, error=f"{type(error).__name__}: {error}"[:500])
        DELIVERY_SECONDS.labels(event.channel.value).observe(time.perf_counter() - started)
        return outcome

    @staticmethod
    def _load_endpoints(session: Session, batch: Sequence[ClaimedEvent]) -> dict[int, Endpoint]:
        ids = {int(e.target) for e in batch
               if e.channel == Channel.WEBHOOK and e.target.isdigit()}
        if not ids:
            return {}
        rows = session.execute(
            select(_ENDPOINTS.c.id, _ENDPOINTS.c.url, _ENDPOINTS.c.secret, _ENDPOINTS.c.active)
            .where(_ENDPOINTS.c.id.in_(ids))
        ).all()
        return {row.id: Endpoint(*row) for row in rows}

    @staticmethod
    def _missing_inbox_users(session: Session,
                             items: Sequence[tuple[ClaimedEvent, Outcome]]) -> set[int]:
        """Users deleted since their message was queued (the insert would break the batch)."""
        wanted = {o.inbox["user_id"] for _e, o in items if o.ok and o.inbox is not None}
        if not wanted:
            return set()
        found = session.execute(select(User.id).where(User.id.in_(wanted))).scalars()
        return wanted - set(found)

    def _write(self, session: Session, now: dt.datetime, delivered: list[int],
               inbox_rows: list[dict[str, Any]], failures: list[dict[str, Any]],
               released: list[int], attempts: list[dict[str, Any]]) -> None:
        """The batch's writes: a handful of statements, whatever the batch size."""
        if inbox_rows:
            # The unique event_uid makes a second delivery of the same event a no-op.
            session.execute(
                self._insert(_INBOX).on_conflict_do_nothing(index_elements=["event_uid"]),
                inbox_rows,
            )
        if delivered:
            session.execute(
                update(_EVENTS).where(_EVENTS.c.id.in_(delivered)).values(
                    status=EventStatus.DELIVERED, delivered_at=now,
                    attempts=_EVENTS.c.attempts + 1, last_error=None,
                    locked_by=None, locked_until=None,
                )
            )
        if failures:
            session.execute(
                update(_EVENTS).where(_EVENTS.c.id == bindparam("b_id")).values(
                    status=bindparam("b_status", type_=_EVENTS.c.status.type),
                    attempts=bindparam("b_attempts"),
                    last_error=bindparam("b_error"),
                    next_attempt_at=bindparam("b_next", type_=_EVENTS.c.next_attempt_at.type),
                    locked_by=None, locked_until=None,
                ),
                failures,
            )
        if released:
            session.execute(
                update(_EVENTS).where(_EVENTS.c.id.in_(released))
                .values(locked_by=None, locked_until=None)
            )
        if attempts:
            session.execute(insert(_ATTEMPTS), attempts)


# --- Inside the server process -------------------------------------------------------------


class InProcessWorker:
    """The worker thread of the embedded (single-process) deployment; `stop()` at shutdown."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.thread = threading.Thread(target=self._run, name="outbox-worker", daemon=True)

    def _run(self) -> None:
        try:
            self.worker.run_forever()
        finally:
            self.worker.close()

    def notify(self) -> None:
        self.worker.notify()

    def stop(self, timeout: float | None = None) -> None:
        with _running_lock:
            _running.discard(self)
        self.worker.stop()
        self.thread.join(timeout if timeout is not None else 2 * self.worker.timeout + 5)


_running: set[InProcessWorker] = set()
_running_lock = threading.Lock()


def start_in_process(engine: Engine, settings: Settings) -> InProcessWorker:
    """Run a worker on a daemon thread, woken at once by commits that enqueued events."""
    _listen_for_commits()
    handle = InProcessWorker(Worker(engine, settings))
    with _running_lock:
        _running.add(handle)
    handle.thread.start()
    return handle


def _wake_after_commit(session: Session) -> None:
    # outbox.service.enqueue sets the flag; without this the event would wait for the next poll.
    if not session.info.pop("outbox_dirty", False):
        return
    url = getattr(session.bind, "url", None)
    with _running_lock:
        handles = list(_running)
    for handle in handles:
        if url is None or handle.worker.engine.url == url:
            handle.notify()


def _forget_after_rollback(session: Session) -> None:
    session.info.pop("outbox_dirty", None)


def _listen_for_commits() -> None:
    if not event.contains(Session, "after_commit", _wake_after_commit):
        event.listen(Session, "after_commit", _wake_after_commit)
        event.listen(Session, "after_rollback", _forget_after_rollback)
