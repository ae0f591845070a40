"""Warning fan-out: one published warning matching 10,000 webhook subscriptions, from the
publish call to the last webhook delivered by the outbox worker.

Set-up (not timed): a national customs office publishes; a regulator has one user with 10,000
webhook endpoints (all at one loopback receiver, in a process of its own, which verifies every
signature and drops duplicates) and one webhook subscription per endpoint. The endpoints and
subscriptions are bulk-inserted as set-up data; the warning goes through the real life cycle
(draft, review, approval, publish), and the publish call does the matching, the deliveries and
the outbox events in one transaction. The worker is already running when the warning is
published: SQLite with the in-process worker, PostgreSQL with one `riskgate worker` process.

    .venv/bin/python bench/bench_warning_fanout.py [--subscriptions 10000] [--no-postgresql]

Target: all delivered within 60 s of the publish call.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.servers and tests.warnings.helpers

from bench_outbox import Receiver, machine, worker_env  # noqa: E402
from databases import create_database, drop_database  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from tests.warnings.helpers import warning_input  # noqa: E402

from riskgate.composition import wire  # noqa: E402
from riskgate.core.context import Actor  # noqa: E402
from riskgate.core.db import (  # noqa: E402
    bulk_insert,
    make_engine,
    make_session_factory,
    read_only_engine,
    transaction,
    utcnow,
)
from riskgate.core.permissions import Role  # noqa: E402
from riskgate.core.settings import Settings  # noqa: E402
from riskgate.identity import service as identity  # noqa: E402
from riskgate.identity.auth_service import actor_for  # noqa: E402
from riskgate.identity.enums import OrgLevel, OrgType  # noqa: E402
from riskgate.outbox import service as outbox  # noqa: E402
from riskgate.outbox.enums import Channel, EventStatus  # noqa: E402
from riskgate.outbox.models import OutboxEvent, WebhookEndpoint  # noqa: E402
from riskgate.outbox.worker import start_in_process  # noqa: E402
from riskgate.warnings.enums import PushChannel  # noqa: E402
from riskgate.warnings.lifecycle import service  # noqa: E402
from riskgate.warnings.models import WarningSubscription  # noqa: E402

wire()  # every model and stage follower, as in the server

TARGET_SECONDS = 60.0
PASSWORD = "Bench-Password-2026!"
SYSTEM = Actor.system("bench")


@dataclass
class Result:
    scenario: str
    subscriptions: int
    publish_seconds: float  # the publish call and its commit (matching + deliveries + events)
    total_seconds: float  # publish call → last webhook delivered
    duplicates: int
    bad_signatures: int


def _user(db, settings, org, role, name):  # type: ignore[no-untyped-def]
    return identity.create_user(db, SYSTEM, settings, identity.UserInput(
        username=name, display_name=name, organisation_id=org.id, password=PASSWORD,
        roles=[role], email=None, language="en"))


def set_up(url: str, settings: Settings, count: int, receiver: Receiver) -> tuple[int, Actor]:
    """The issuer, the subscriber and its endpoints and subscriptions; returns the approved
    warning's id and the approver who publishes it."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with transaction(sessions) as db:
        national = identity.create_organisation(db, SYSTEM, identity.OrganisationInput(
            code="BENCH-N", name_zh="海关总署（基准）", name_en="Head office",
            org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL))
        regulator = identity.create_organisation(db, SYSTEM, identity.OrganisationInput(
            code="BENCH-R", name_zh="市场监管（基准）", name_en="Regulator",
            org_type=OrgType.MARKET_REGULATOR, level=OrgLevel.NATIONAL))
        officer = _user(db, settings, national, Role.RISK_OFFICER, "bench_officer")
        approver = _user(db, settings, national, Role.APPROVER, "bench_approver")
        subscriber = _user(db, settings, regulator, Role.RISK_OFFICER, "bench_subscriber")
        # One endpoint through the service (for its secret), the others with the same secret.
        first, secret = outbox.create_webhook(db, actor_for(subscriber, "en"),
                                              url=receiver.url(), description="bench",
                                              topics=["*"])
        bulk_insert(db, WebhookEndpoint.__table__, [  # type: ignore[arg-type]
            {"organisation_id": regulator.id, "url": receiver.url(), "secret": secret,
             "description": f"bench {n}", "topics": "*", "active": True,
             "created_at": utcnow()} for n in range(1, count)])
        endpoint_ids = list(db.execute(select(WebhookEndpoint.id).where(
            WebhookEndpoint.organisation_id == regulator.id).order_by(WebhookEndpoint.id))
            .scalars())
        assert endpoint_ids[0] == first.id and len(endpoint_ids) == count
        now = utcnow()
        bulk_insert(db, WarningSubscription.__table__, [  # type: ignore[arg-type]
            {"organisation_id": regulator.id, "user_id": subscriber.id, "name": f"hook {n}",
             "channel": PushChannel.webhook, "email": None, "webhook_endpoint_id": endpoint_id,
             "hs_prefixes": ["95"] if n % 2 else [], "categories": [], "countries": [],
             "levels": [], "warning_types": [], "regions": [], "active": True,
             "created_by": "bench", "created_at": now, "updated_at": now}
            for n, endpoint_id in enumerate(endpoint_ids)])
        officer_actor, approver_actor = actor_for(officer, "en"), actor_for(approver, "en")
        warning = service.create_warning(db, officer_actor, warning_input(None, regions=[]))
        service.submit_for_review(db, officer_actor, warning.id)
        service.approve(db, approver_actor, warning.id)
        warning_id = warning.id
    receiver.use_secret(secret)
    engine.dispose()
    return warning_id, approver_actor


def delivered_count(reader) -> int:  # type: ignore[no-untyped-def]
    with reader.connect() as conn:
        return conn.execute(select(func.count()).where(
            OutboxEvent.channel == Channel.WEBHOOK, OutboxEvent.topic == "warning.published",
            OutboxEvent.status == EventStatus.DELIVERED)).scalar_one()


def run_scenario(kind: str, count: int) -> Result:
    scenario = ("SQLite, in-process worker" if kind == "sqlite"
                else "PostgreSQL, 1 worker process")
    with tempfile.TemporaryDirectory() as tmp:
        url = create_database(kind, Path(tmp), f"rgbench_fanout_{os.getpid()}")
        settings = Settings(database_url=url, environment="test", log_level="WARNING",
                            _env_file=None)  # type: ignore[call-arg]
        receiver = Receiver()
        process = handle = None
        try:
            warning_id, approver = set_up(url, settings, count, receiver)
            engine = make_engine(url)
            reader = read_only_engine(engine)
            if kind == "sqlite":
                handle = start_in_process(engine, settings)
            else:
                process = subprocess.Popen(
                    [sys.executable, "-m", "riskgate.outbox.cli", "--processes", "1"],
                    env=worker_env(url), cwd=tmp, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL, start_new_session=True)
                time.sleep(4)  # imports and start-up, before the clock starts
            started = time.monotonic()
            with transaction(make_session_factory(engine)) as db:
                service.publish(db, approver, warning_id)
            published = time.monotonic()
            deadline = started + 600
            while delivered_count(reader) < count:
                if time.monotonic() > deadline:
                    raise TimeoutError("not all delivered in 600 s")
                time.sleep(0.05)
            end = time.monotonic()
            effects, duplicates, bad, _overlaps = receiver.totals()
            if effects != count:
                raise AssertionError(f"receiver saw {effects} distinct deliveries of {count}")
            return Result(scenario, count, published - started, end - started, duplicates, bad)
        finally:
            if handle is not None:
                handle.stop()
            if process is not None:
                process.send_signal(signal.SIGTERM)
                process.wait(30)
            receiver.close()
            drop_database(url)


def table(results: list[Result]) -> str:
    lines = ["| Scenario | Subscriptions | Publish call (s) | Publish → all delivered (s) | "
             "Deliveries/s | Re-deliveries | Bad signatures | < 60 s |",
             "|---|---:|---:|---:|---:|---:|---:|:-:|"]
    for r in results:
        lines.append(f"| {r.scenario} | {r.subscriptions} | {r.publish_seconds:.2f} | "
                     f"{r.total_seconds:.2f} | {r.subscriptions / r.total_seconds:.0f} | "
                     f"{r.duplicates} | {r.bad_signatures} | "
                     f"{'yes' if r.total_seconds < TARGET_SECONDS else 'no'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--no-postgresql", action="store_true")
    args = parser.parse_args()
    kinds = ["sqlite"] + ([] if args.no_postgresql else ["postgresql"])
    results = []
    for kind in kinds:
        result = run_scenario(kind, args.subscriptions)
        print(f"{result.scenario}: publish {result.publish_seconds:.2f} s, all delivered after "
              f"{result.total_seconds:.2f} s", flush=True)
        results.append(result)
    print(f"\n{machine()}\n")
    print(table(results))


if __name__ == "__main__":
    main()
