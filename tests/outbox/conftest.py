"""Fixtures for delivery tests: loopback servers, workers on the test database, a small world."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.db import read_only_engine
from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import Organisation, User
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import EventStatus
from riskgate.outbox.models import OutboxEvent, WebhookEndpoint
from riskgate.outbox.worker import Worker
from tests.factories import make_org, make_user
from tests.servers import SmtpServer, WebhookReceiver


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def workers(app, settings) -> Iterator[Callable[..., Worker]]:  # type: ignore[no-untyped-def]
    """Make Workers on the test database; keyword arguments override settings."""
    made: list[Worker] = []

    def make(**overrides: object) -> Worker:
        worker = Worker(app.state.engine, settings.model_copy(update=overrides))
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.stop()
        worker.close()


@dataclass
class World:
    org: Organisation
    admin: User
    actor: Actor


@pytest.fixture
def world(db: Session, settings) -> World:  # type: ignore[no-untyped-def]
    """An organisation with a system administrator (English, no e-mail), committed."""
    org = make_org(db)
    admin = make_user(db, settings, org, Role.SYSTEM_ADMIN, language="en")
    db.commit()
    return World(org, admin, actor_for(admin, "en"))


def add_webhook(db: Session, world: World, receiver: WebhookReceiver,
                url: str | None = None) -> WebhookEndpoint:
    """Register an endpoint through the service; the receiver learns its signing secret."""
    endpoint, secret = outbox.create_webhook(db, world.actor, url=url or receiver.url(),
                                             description="test", topics=["*"])
    receiver.secret = secret
    db.commit()
    return endpoint


@pytest.fixture
def read(app) -> Callable[..., list]:  # type: ignore[no-untyped-def]
    """Run a SELECT in a short read-only session and return all rows (scalars by default).

    Reading through the `db` fixture would keep a transaction open, and on SQLite an open write
    transaction blocks the worker.
    """
    engine = read_only_engine(app.state.engine)

    def run(stmt, *, scalars: bool = True) -> list:  # type: ignore[no-untyped-def]
        with app.state.session_factory(bind=engine) as session:
            result = session.execute(stmt)
            return list(result.scalars().all() if scalars else result.all())

    return run


def status_counts(read) -> dict[EventStatus, int]:  # type: ignore[no-untyped-def]
    rows = read(select(OutboxEvent.status, func.count()).group_by(OutboxEvent.status),
                scalars=False)
    return {status: count for status, count in rows}
