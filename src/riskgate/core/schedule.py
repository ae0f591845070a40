"""Scheduled jobs: named periodic work (feed polls, reminders, health checks) run by the worker.

A job is registered in code with `@scheduled(name, cadence)`; its state lives in the
`scheduled_job` table (next due, last start and finish, last error, a lease). Any number of worker
processes tick the scheduler; a due job is claimed by one of them with a conditional UPDATE (the
lease), on PostgreSQL after `FOR UPDATE SKIP LOCKED`, so each due run happens once. A failing job
records its error and is retried after `schedule_retry_seconds` (or its cadence, if sooner); a
worker that dies mid-run loses its lease when it expires and another worker runs the job again.

Registering a job in a domain (see docs/architecture.md, "Scheduled jobs"):

    # riskgate/<domain>/jobs.py
    from riskgate.core.schedule import Every, JobRun, scheduled

    @scheduled("signals.detect", Every(minutes=15), description="Run the detection plans")
    def detect(run: JobRun) -> dict:
        with run.transaction() as db:
            ...
        return {"signals": 3}   # shown by `riskgate jobs list` and kept as last_summary

and name the module in the domain's `domain.py` (`Domain(jobs=("riskgate.<domain>.jobs",))`);
the composition root installs the domains and `load_jobs` imports their job modules. Jobs open
their own short transactions through `run.transaction()` — never one spanning network calls,
which on SQLite would hold the single write lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Engine, Integer, String, Table, Text, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from riskgate.core import domain
from riskgate.core.db import Base, make_session_factory, read_only_engine, transaction, utcnow
from riskgate.core.settings import Settings

log = logging.getLogger("riskgate.schedule")

class ScheduledJob(Base):
    """The shared state of one registered job; the row is created the first time a worker ticks."""

    __tablename__ = "scheduled_job"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_due: Mapped[dt.datetime]
    last_started: Mapped[dt.datetime | None]
    last_finished: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[dt.datetime | None]


_JOBS_TABLE = cast(Table, ScheduledJob.__table__)


# --- Cadences ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Every:
    """A fixed interval after the start of the previous run."""

    seconds: float = 0
    minutes: float = 0
    hours: float = 0
    days: float = 0

    @property
    def interval(self) -> dt.timedelta:
        return dt.timedelta(days=self.days, hours=self.hours, minutes=self.minutes,
                            seconds=self.seconds)

    def next_after(self, moment: dt.datetime) -> dt.datetime:
        return moment + max(self.interval, dt.timedelta(seconds=1))

    def describe(self) -> str:
        return f"every {self.interval}"


@dataclass(frozen=True)
class DailyAt:
    """Once a day at a local time (default Asia/Shanghai), e.g. DailyAt(8, 30)."""

    hour: int
    minute: int = 0
    timezone: str = "Asia/Shanghai"

    @property
    def interval(self) -> dt.timedelta:
        return dt.timedelta(days=1)

    def next_after(self, moment: dt.datetime) -> dt.datetime:
        zone = ZoneInfo(self.timezone)
        local = moment.astimezone(zone)
        candidate = local.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        if candidate <= local:
            candidate = (local + dt.timedelta(days=1)).replace(
                hour=self.hour, minute=self.minute, second=0, microsecond=0)
        return candidate.astimezone(dt.UTC)

    def describe(self) -> str:
        return f"daily at {self.hour:02d}:{self.minute:02d} {self.timezone}"


Cadence = Every | DailyAt


# --- Registry ------------------------------------------------------------------------------


@dataclass
class JobRun:
    """What a job gets: the time it was due to run, settings, and short transactions."""

    name: str
    now: dt.datetime
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.sessions) as session:
            yield session


@dataclass(frozen=True)
class Job:
    name: str
    cadence: Cadence
    run: Callable[[JobRun], dict[str, Any] | None]
    description: str = ""
    # Longest expected run; past it, another worker may start the job again.
    lease_seconds: int = 600


JOBS: dict[str, Job] = {}


JobFunction = Callable[[JobRun], Any]


def scheduled(name: str, cadence: Cadence, *, description: str = "",
              lease_seconds: int = 600) -> Callable[[JobFunction], JobFunction]:
    """Register the decorated function as the job `name` (names are unique, ≤ 100 characters)."""

    def register(function: JobFunction) -> JobFunction:
        if len(name) > 100:
            raise ValueError(f"job name too long: {name}")
        existing = JOBS.get(name)
        if existing is not None and existing.run is not function:
            raise ValueError(f"job {name} is registered twice")
        JOBS[name] = Job(name, cadence, function, description or (function.__doc__ or "").strip()
                         .split("\n")[0], lease_seconds)
        return function

    return register


def load_jobs() -> dict[str, Job]:
    """Import the installed domains' job modules (registering their jobs); the registry."""
    for _module in domain.modules("jobs"):
        pass
    return JOBS


# --- Running -------------------------------------------------------------------------------


@dataclass
class Outcome:
    name: str
    ran: bool
    ok: bool = True
    error: str | None = None
    summary: dict[str, Any] | None = None
    seconds: float = 0.0


@dataclass
class Scheduler:
    """Claims and runs due jobs. One per worker process; `tick()` is cheap and never blocks."""

    engine: Engine
    settings: Settings
    owner: str
    jobs: dict[str, Job] | None = None
    _sessions: sessionmaker[Session] = field(init=False)
    _executor: ThreadPoolExecutor | None = field(default=None, init=False)
    _running: Future[Any] | None = field(default=None, init=False)
    _last_tick: float = field(default=float("-inf"), init=False)
    _rows_ready: bool = field(default=False, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self._sessions = make_session_factory(self.engine)
        if self.jobs is None:
            self.jobs = load_jobs()

    # The worker calls these two.

    def tick(self) -> None:
        """Start a background pass over the due jobs, at most every schedule_poll_seconds."""
        if not self.settings.schedule_enabled or not self.jobs:
            return
        with self._lock:
            clock = time.monotonic()
            if clock - self._last_tick < self.settings.schedule_poll_seconds:
                return
            if self._running is not None and not self._running.done():
                return
            self._last_tick = clock
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="scheduler")
            self._running = self._executor.submit(self._safe_run_due)

    def close(self) -> None:
        """Wait for a job under way (it records its outcome), then stop."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    # Also used directly by tests and the CLI.

    def ensure_rows(self, now: dt.datetime | None = None) -> None:
        """Create the state row of every registered job that has none (due at once)."""
        now = now or utcnow()
        insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        rows = [{"name": name, "next_due": now, "runs": 0, "consecutive_failures": 0}
                for name in self.jobs or {}]
        if not rows:
            return
        with transaction(self._sessions) as session:
            known = set(session.execute(select(ScheduledJob.name)).scalars())
            missing = [row for row in rows if row["name"] not in known]
            if missing:
                session.execute(insert(_JOBS_TABLE).on_conflict_do_nothing(
                    index_elements=["name"]), missing)
        self._rows_ready = True

    def due_names(self, now: dt.datetime) -> list[str]:
        with read_only_engine(self.engine).connect() as connection:
            names = connection.execute(
                select(_JOBS_TABLE.c.name).where(
                    _JOBS_TABLE.c.next_due <= now,
                    or_(_JOBS_TABLE.c.lease_until.is_(None), _JOBS_TABLE.c.lease_until < now),
                ).order_by(_JOBS_TABLE.c.next_due)
            ).scalars().all()
        return [n for n in names if n in (self.jobs or {})]

    def run_due(self, now: dt.datetime | None = None) -> list[Outcome]:
        """Claim and run, one after another, every job due now; returns what ran."""
        if not self._rows_ready:
            self.ensure_rows()
        outcomes = []
        for name in self.due_names(now or utcnow()):
            outcome = self.run_job(name, now=now, force=False)
            if outcome.ran:
                outcomes.append(outcome)
        return outcomes

    def run_job(self, name: str, *, now: dt.datetime | None = None,
                force: bool = True) -> Outcome:
        """Run one job if this scheduler can claim it (`force`: even if it is not due yet)."""
        job = (self.jobs or {}).get(name)
        if job is None:
            raise KeyError(name)
        if not self._rows_ready:
            self.ensure_rows()
        started = now or utcnow()
        if not self.claim(job, started, force=force):
            return Outcome(name, ran=False)
        clock = time.perf_counter()
        run = JobRun(name, started, self.settings, self.engine, self._sessions)
        try:
            summary = job.run(run)
        except Exception as error:  # noqa: BLE001 — a failing job is recorded and retried
            log.exception("scheduled job failed", extra={"job": name})
            message = f"{type(error).__name__}: {error}"[:2000]
            self.finish(job, started, ok=False, error=message)
            return Outcome(name, True, False, message, seconds=time.perf_counter() - clock)
        summary = _jsonable(summary)
        self.finish(job, started, ok=True, summary=summary)
        return Outcome(name, True, True, None, summary, time.perf_counter() - clock)

    def claim(self, job: Job, now: dt.datetime, *, force: bool = False) -> bool:
        """Take the job's lease with one conditional UPDATE; True if this scheduler got it."""
        table = _JOBS_TABLE
        free = or_(table.c.lease_until.is_(None), table.c.lease_until < now)
        conditions = [table.c.name == job.name, free]
        if not force:
            conditions.append(table.c.next_due <= now)
        # PostgreSQL: a row another worker is claiming is skipped rather than waited for.
        candidate = select(table.c.name).where(*conditions).with_for_update(skip_locked=True)
        stmt = (
            update(table)
            .where(table.c.name.in_(candidate), *conditions)
            .values(lease_owner=self.owner[:100],
                    lease_until=now + dt.timedelta(seconds=job.lease_seconds),
                    last_started=now)
            .returning(table.c.name)
        )
        with transaction(self._sessions) as session:
            return session.execute(stmt).first() is not None

    def finish(self, job: Job, started: dt.datetime, *, ok: bool, error: str | None = None,
               summary: dict[str, Any] | None = None) -> None:
        """Record the outcome and the next due time, only while this scheduler holds the lease."""
        table = _JOBS_TABLE
        finished = utcnow()
        # An interval counts from the start (a steady rhythm); a time of day from the end.
        next_due = job.cadence.next_after(started if isinstance(job.cadence, Every) else finished)
        values: dict[str, Any] = {
            "last_finished": finished, "lease_owner": None, "lease_until": None,
            "runs": table.c.runs + 1,
        }
        if ok:
            values.update(last_error=None, last_summary=summary, consecutive_failures=0,
                          next_due=max(next_due, finished))
        else:
            retry = finished + dt.timedelta(seconds=self.settings.schedule_retry_seconds)
            values.update(last_error=error, consecutive_failures=table.c.consecutive_failures + 1,
                          next_due=min(retry, max(next_due, finished)))
        with transaction(self._sessions) as session:
            done = session.execute(
                update(table)
                .where(table.c.name == job.name, table.c.lease_owner == self.owner[:100])
                .values(**values)
            )
            if done.rowcount == 0:  # type: ignore[attr-defined]
                log.warning("lease lost before the job finished; outcome dropped",
                            extra={"job": job.name, "worker": self.owner})

    def request_run(self, name: str, when: dt.datetime | None = None) -> None:
        """Make a job due now (e.g. after "poll now"); the next tick of any worker runs it."""
        make_due(self._sessions, name, when)

    def _safe_run_due(self) -> None:
        try:
            self.run_due()
        except Exception:  # noqa: BLE001 — the worker outlives a database hiccup
            log.exception("scheduler pass failed", extra={"worker": self.owner})


def make_due(sessions_or_session: sessionmaker[Session] | Session, name: str,
             when: dt.datetime | None = None) -> None:
    """Bring a job's next run forward to `when` (default now); never pushes it back."""
    when = when or utcnow()
    stmt = (update(_JOBS_TABLE)
            .where(_JOBS_TABLE.c.name == name, _JOBS_TABLE.c.next_due > when)
            .values(next_due=when))
    if isinstance(sessions_or_session, Session):
        sessions_or_session.execute(stmt)
        return
    with transaction(sessions_or_session) as session:
        session.execute(stmt)


def job_states(session: Session) -> list[ScheduledJob]:
    return list(session.execute(select(ScheduledJob).order_by(ScheduledJob.name)).scalars())


def _jsonable(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        return {"result": str(value)}
    return {str(k): (v if isinstance(v, int | float | str | bool | None) else str(v))
            for k, v in value.items()}
