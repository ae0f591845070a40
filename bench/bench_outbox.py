"""Outbox throughput: webhook events delivered per second to a loopback receiver.

Scenarios: SQLite with the in-process worker (the embedded default), PostgreSQL with one and with
two `riskgate worker` processes. Each builds its own database, enqueues the events through the
real service, then times the worker until every event is delivered. The receiver runs in its own
process (so it does not share the worker's GIL), verifies every signature and drops duplicates.

    .venv/bin/python bench/bench_outbox.py [--events 5000] [--no-postgresql] [--write]

`--write` records the table in bench/RESULTS_outbox.md. Target: at least 500 events/s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.servers (the loopback receiver)

from databases import create_database, drop_database  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from tests.servers import serve_webhooks_in_process  # noqa: E402

from riskgate.composition import wire  # noqa: E402
from riskgate.core.context import Actor  # noqa: E402
from riskgate.core.db import make_engine, make_session_factory, read_only_engine, transaction  # noqa: E402
from riskgate.core.settings import Settings  # noqa: E402
from riskgate.identity import service as identity  # noqa: E402
from riskgate.identity.enums import OrgLevel, OrgType  # noqa: E402
from riskgate.outbox import service as outbox  # noqa: E402
from riskgate.outbox.enums import EventStatus  # noqa: E402
from riskgate.outbox.models import OutboxEvent  # noqa: E402
from riskgate.outbox.worker import start_in_process  # noqa: E402

wire()  # every model and stage follower, as in the server

TARGET = 500.0
DATE = "2026-11-21"


@dataclass
class Result:
    scenario: str
    events: int
    wall_seconds: float  # worker start → last event delivered (start-up included)
    steady_rate: float  # events/s between the first and the last recorded batch
    duplicates: int
    bad_signatures: int
    overlaps: int

    @property
    def wall_rate(self) -> float:
        return self.events / self.wall_seconds


class Receiver:
    """The loopback webhook receiver, in a process of its own."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipe, child = context.Pipe()
        self.process = context.Process(target=serve_webhooks_in_process, args=(child,),
                                       daemon=True)
        self.process.start()
        self.port = self.pipe.recv()

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def use_secret(self, secret: str) -> None:
        self.pipe.send(("secret", secret))

    def totals(self) -> tuple[int, int, int, int]:
        self.pipe.send(("totals",))
        return self.pipe.recv()

    def close(self) -> None:
        self.pipe.send(("stop",))
        self.process.join(5)


def enqueue(url: str, events: int, receiver: Receiver) -> None:
    """An organisation, one endpoint at the receiver, and `events` webhook events."""
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as db:
        org = identity.create_organisation(db, Actor.system("bench"), identity.OrganisationInput(
            code="BENCH", name_zh="基准测试机构", name_en="Benchmark",
            org_type=OrgType.DISTRICT_CUSTOMS, level=OrgLevel.PROVINCIAL))
        actor = Actor(user_id=None, username="bench", organisation_id=org.id,
                      organisation_path=org.path)
        _endpoint, secret = outbox.create_webhook(db, actor, url=receiver.url(),
                                                  description="bench", topics=["*"])
        for n in range(events):
            outbox.notify_webhooks(db, org.id, topic="warning.issued",
                                   data={"n": n, "product": "冷冻虾仁", "hazard": "氯霉素"})
    receiver.use_secret(secret)
    engine.dispose()


def wait_delivered(url: str, events: int, timeout: float = 600) -> tuple[float, float]:
    """Block until every event is delivered; (monotonic end, steady-state rate)."""
    engine = make_engine(url)
    reader = read_only_engine(engine)
    deadline = time.monotonic() + timeout
    try:
        with reader.connect() as conn:
            while True:
                done = conn.execute(select(func.count()).where(
                    OutboxEvent.status == EventStatus.DELIVERED)).scalar_one()
                conn.rollback()
                if done >= events:
                    end = time.monotonic()
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"only {done} of {events} delivered")
                time.sleep(0.05)
            first, last = conn.execute(select(func.min(OutboxEvent.delivered_at),
                                              func.max(OutboxEvent.delivered_at))).one()
            # delivered_at is per batch: the first batch marks the start, the rest the work.
            in_first = conn.execute(select(func.count()).where(
                OutboxEvent.delivered_at == first)).scalar_one()
        span = (last - first).total_seconds()
        return end, (events - in_first) / span if span > 0 else float("inf")
    finally:
        engine.dispose()


def worker_env(url: str) -> dict[str, str]:
    return {**os.environ, "RISKGATE_DATABASE_URL": url, "RISKGATE_ENVIRONMENT": "test",
            "RISKGATE_LOG_LEVEL": "WARNING"}


def run_scenario(kind: str, processes: int, events: int) -> Result:
    scenario = ("SQLite, in-process worker" if kind == "sqlite"
                else f"PostgreSQL, {processes} worker process{'es' if processes > 1 else ''}")
    with tempfile.TemporaryDirectory() as tmp:
        url = create_database(kind, Path(tmp), f"rgbench_outbox_{os.getpid()}")
        receiver = Receiver()
        try:
            enqueue(url, events, receiver)
            if kind == "sqlite":
                settings = Settings(database_url=url, environment="test", log_level="WARNING",
                                    _env_file=None)  # type: ignore[call-arg]
                engine = make_engine(url)
                started = time.monotonic()
                handle = start_in_process(engine, settings)
                end, steady = wait_delivered(url, events)
                handle.stop()
                engine.dispose()
            else:
                started = time.monotonic()
                process = subprocess.Popen(
                    [sys.executable, "-m", "riskgate.outbox.cli", "--processes", str(processes)],
                    env=worker_env(url), cwd=tmp, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL, start_new_session=True)
                try:
                    end, steady = wait_delivered(url, events)
                finally:
                    process.send_signal(signal.SIGTERM)
                    process.wait(30)
            effects, duplicates, bad, overlaps = receiver.totals()
            if effects != events:
                raise AssertionError(f"receiver saw {effects} distinct events of {events}")
            return Result(scenario, events, end - started, steady, duplicates, bad, overlaps)
        finally:
            receiver.close()
            drop_database(url)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}, " \
           f"Python {platform.python_version()}"


def table(results: list[Result]) -> str:
    lines = [
        "| Scenario | Events | Wall time (s) | Events/s incl. start-up | Events/s steady | "
        "Re-deliveries | Bad signatures | Overlaps | ≥ 500/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    for r in results:
        lines.append(
            f"| {r.scenario} | {r.events} | {r.wall_seconds:.2f} | {r.wall_rate:.0f} | "
            f"{r.steady_rate:.0f} | {r.duplicates} | {r.bad_signatures} | {r.overlaps} | "
            f"{'yes' if r.wall_rate >= TARGET else 'no'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--no-postgresql", action="store_true")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS_outbox.md")
    args = parser.parse_args()

    scenarios = [("sqlite", 1)]
    if not args.no_postgresql:
        scenarios += [("postgresql", 1), ("postgresql", 2)]
    results = []
    for kind, processes in scenarios:
        result = run_scenario(kind, processes, args.events)
        print(f"{result.scenario}: {result.wall_rate:.0f} events/s "
              f"({result.steady_rate:.0f} steady)", flush=True)
        results.append(result)
    print()
    print(table(results))
    if args.write:
        command = " ".join([".venv/bin/python", "bench/bench_outbox.py", *sys.argv[1:]])
        settings = Settings(_env_file=None)  # type: ignore[call-arg]
        (ROOT / "bench" / "RESULTS_outbox.md").write_text(
            f"## Outbox delivery throughput\n\n"
            f"Date: {DATE}. Machine: {machine()}.\n\n"
            f"Command: `{command}`\n\n"
            f"Webhook events delivered to a loopback receiver (stdlib ThreadingHTTPServer in its "
            f"own process, verifying every signature). Default worker settings: batch "
            f"{settings.worker_batch_size}, {settings.worker_concurrency} delivery threads per "
            f"worker, lease {settings.worker_lease_seconds} s. *Incl. start-up* counts from the "
            f"worker's start (process spawn and imports for `riskgate worker`) to the last "
            f"delivery; *steady* from the first recorded batch to the last. Target: "
            f"≥ {TARGET:.0f} events/s.\n\n{table(results)}\n\n"
            f"On {os.cpu_count()} cores the receiver, PostgreSQL and the workers share the CPUs, "
            f"so a second worker process raises the steady rate by a quarter to a half (it varies "
            f"between runs), and its start-up (spawning and importing two processes) weighs on a "
            f"run this short. Per event the "
            f"worker spends most of its time in the HTTP client (httpx); claiming and recording a "
            f"batch of 100 takes a few statements (one UPDATE … RETURNING to claim; a locking "
            f"SELECT, one UPDATE, one multi-row INSERT of attempts to record).\n",
            encoding="utf-8")


if __name__ == "__main__":
    main()
