"""The channels domain's scheduled jobs: poll feeds, remind units, watch for silent channels."""

from __future__ import annotations

from typing import Any

from riskgate.channels import feed_service, health, submissions
from riskgate.core.schedule import Every, JobRun, scheduled


@scheduled(feed_service.POLL_JOB, Every(minutes=1), lease_seconds=1800,
           description="Poll the feed subscriptions that are due")
def poll_feeds(run: JobRun) -> dict[str, Any]:
    return feed_service.poll_due(run.transaction, run.settings, run.now)


@scheduled("submissions.remind", Every(hours=6),
           description="Remind responsible units of quarterly submissions due or overdue")
def remind_units(run: JobRun) -> dict[str, Any]:
    with run.transaction() as db:
        return submissions.send_reminders(db, run.settings, run.now)


@scheduled("channels.silence", Every(hours=1),
           description="Alert when a channel is silent beyond its expected cadence")
def watch_silence(run: JobRun) -> dict[str, Any]:
    with run.transaction() as db:
        return health.check_silences(db, run.now)
