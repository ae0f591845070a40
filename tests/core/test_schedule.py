"""Scheduled jobs: a due job runs once among competing workers; failures are retried."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time

from sqlalchemy import select

from riskgate.core.db import make_engine, utcnow
from riskgate.core.schedule import DailyAt, Every, Job, JobRun, ScheduledJob, Scheduler, make_due


def _state(app, name):  # type: ignore[no-untyped-def]
    with app.state.session_factory() as db:
        row = db.execute(select(ScheduledJob).where(ScheduledJob.name == name)).scalar_one()
        db.expunge(row)
        return row


def test_two_workers_competing_for_one_due_job_run_it_once(app, settings):  # type: ignore[no-untyped-def]
    runs: list[str] = []
    lock = threading.Lock()

    def slow(run: JobRun) -> dict:
        with lock:
            runs.append(run.name)
        time.sleep(0.3)
        return {"ok": 1}

    jobs = {"test.once": Job("test.once", Every(hours=1), slow)}
    engines = [make_engine(settings.database_url) for _ in range(4)]
    schedulers = [Scheduler(e, settings, owner=f"w{i}", jobs=jobs) for i, e in enumerate(engines)]
    schedulers[0].ensure_rows()
    barrier = threading.Barrier(len(schedulers))
    outcomes: list[list] = []

    def compete(scheduler: Scheduler) -> None:
        barrier.wait()
        outcomes.append(scheduler.run_due())

    threads = [threading.Thread(target=compete, args=(s,)) for s in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    for engine in engines:
        engine.dispose()
    assert runs == ["test.once"]
    assert sorted(len(o) for o in outcomes) == [0, 0, 0, 1]
    state = _state(app, "test.once")
    assert state.runs == 1 and state.lease_owner is None and state.last_summary == {"ok": 1}
    assert state.next_due > utcnow() + dt.timedelta(minutes=59)


def test_a_failing_job_records_its_error_and_is_retried(app, settings):  # type: ignore[no-untyped-def]
    attempts: list[int] = []

    def flaky(run: JobRun) -> dict:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("upstream down")
        return {"attempt": len(attempts)}

    jobs = {"test.flaky": Job("test.flaky", Every(hours=6), flaky)}
    quick = settings.model_copy(update={"schedule_retry_seconds": 60})
    scheduler = Scheduler(app.state.engine, quick, owner="w", jobs=jobs)
    (outcome,) = scheduler.run_due()
    assert not outcome.ok and "upstream down" in outcome.error
    state = _state(app, "test.flaky")
    assert state.last_error == "RuntimeError: upstream down" and state.consecutive_failures == 1
    assert state.lease_owner is None
    assert state.next_due - utcnow() < dt.timedelta(seconds=61)  # the retry delay, not 6 hours
    assert scheduler.run_due() == []  # not due yet
    (outcome,) = scheduler.run_due(now=state.next_due + dt.timedelta(seconds=1))
    assert outcome.ok
    state = _state(app, "test.flaky")
    assert state.last_error is None and state.consecutive_failures == 0 and state.runs == 2


def test_a_live_lease_blocks_even_a_forced_run_and_an_expired_one_does_not(app, settings):  # type: ignore[no-untyped-def]
    ran: list[str] = []
    job = Job("test.lease", Every(minutes=5), lambda run: ran.append(run.name), lease_seconds=30)
    first = Scheduler(app.state.engine, settings, owner="first", jobs={job.name: job})
    second = Scheduler(app.state.engine, settings, owner="second", jobs={job.name: job})
    first.ensure_rows()
    now = utcnow()
    assert first.claim(job, now)  # first "crashes" holding the lease
    assert not second.run_job(job.name, now=now).ran
    later = now + dt.timedelta(seconds=31)
    assert second.run_job(job.name, now=later).ran and ran == [job.name]
    first.finish(job, now, ok=True)  # the crashed worker's late result is dropped
    assert _state(app, job.name).runs == 1


def test_make_due_brings_a_job_forward_and_jobs_not_due_wait(app, settings):  # type: ignore[no-untyped-def]
    ran: list[str] = []
    job = Job("test.due", Every(days=1), lambda run: ran.append(run.name))
    scheduler = Scheduler(app.state.engine, settings, owner="w", jobs={job.name: job})
    scheduler.run_due()
    assert scheduler.run_due() == [] and len(ran) == 1
    with app.state.session_factory() as db:
        make_due(db, job.name)
        db.commit()
    assert len(scheduler.run_due()) == 1 and len(ran) == 2


def test_daily_at_is_the_next_local_time():
    cadence = DailyAt(8, 30)  # Asia/Shanghai, UTC+8
    before = dt.datetime(2026, 11, 21, 0, 0, tzinfo=dt.UTC)  # 08:00 in Shanghai
    assert cadence.next_after(before) == dt.datetime(2026, 11, 21, 0, 30, tzinfo=dt.UTC)
    after = dt.datetime(2026, 11, 21, 1, 0, tzinfo=dt.UTC)
    assert cadence.next_after(after) == dt.datetime(2026, 11, 22, 0, 30, tzinfo=dt.UTC)
    assert Every(minutes=5).next_after(after) == after + dt.timedelta(minutes=5)


def test_the_worker_loop_runs_the_registered_jobs(app, settings):  # type: ignore[no-untyped-def]
    from riskgate.outbox.worker import Worker

    worker = Worker(app.state.engine, settings.model_copy(update={"schedule_poll_seconds": 0.05}))
    thread = threading.Thread(target=worker.run_forever)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with app.state.session_factory() as db:
                names = {s.name for s in db.execute(select(ScheduledJob)
                                                    .where(ScheduledJob.runs > 0)).scalars()}
            if {"feeds.poll", "submissions.remind", "channels.silence"} <= names:
                break
            time.sleep(0.1)
    finally:
        worker.stop()
        thread.join(10)
        worker.close()
    assert {"feeds.poll", "submissions.remind", "channels.silence"} <= names
    assert _state(app, "feeds.poll").last_error is None


def test_cli_lists_and_runs_jobs(settings):  # type: ignore[no-untyped-def]
    env = {**os.environ, "RISKGATE_DATABASE_URL": settings.database_url, "COLUMNS": "200"}

    def riskgate(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "riskgate.cli", *args], env=env,
                              capture_output=True, text=True, timeout=120)

    done = riskgate("jobs", "run", "channels.silence")
    assert done.returncode == 0, done.stderr
    assert "channels.silence done" in done.stderr
    listed = riskgate("jobs", "list")
    assert listed.returncode == 0 and "feeds.poll" in listed.stdout
    assert riskgate("jobs", "run", "no.such.job").returncode == 2
