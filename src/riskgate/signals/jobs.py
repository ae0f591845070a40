"""The signal stage's scheduled jobs: weekly series nightly, daily series and the threshold
rules hourly, overdue reminders hourly. Each is safe to run twice: a re-run sees the same
records behind the same keys and changes nothing (`raising`), reminders are sent once."""

from __future__ import annotations

from typing import Any

from riskgate.core.schedule import DailyAt, Every, JobRun, scheduled
from riskgate.signals import service, triage


@scheduled(service.WEEKLY_JOB, DailyAt(2, 30), lease_seconds=3600,
           description="Test the weekly count series of risk records for aberrations")
def detect_weekly(run: JobRun) -> dict[str, Any]:
    with run.transaction() as db:
        return service.run_weekly(db, run.settings.timezone, run.now)


@scheduled(service.DAILY_JOB, Every(hours=1), lease_seconds=1800,
           description="Test the daily count series of the fast channels")
def detect_daily(run: JobRun) -> dict[str, Any]:
    with run.transaction() as db:
        return service.run_daily(db, run.settings.timezone, run.now)


@scheduled(service.THRESHOLD_JOB, Every(hours=1), lease_seconds=1800,
           description="Apply the threshold rules: deaths and injuries, foreign notices, "
                       "recurrence")
def apply_thresholds(run: JobRun) -> dict[str, Any]:
    with run.transaction() as db:
        return service.run_thresholds(db, run.settings.timezone, run.now)


@scheduled("signals.overdue", Every(hours=1),
           description="Remind officers of signals past their triage deadline (once each)")
def remind_overdue(run: JobRun) -> dict[str, Any]:
    with run.transaction() as db:
        return triage.remind_overdue(db, run.now)
