"""Scheduled work of recalls: reminders of progress reports due, and late notices."""

from __future__ import annotations

from typing import Any

from riskgate.core.schedule import Every, JobRun, scheduled
from riskgate.recalls.service import remind_reports_due


@scheduled("recalls.reports_due", Every(hours=1),
           description="Remind enterprises of recall progress reports due; tell the regulator "
                       "of late ones")
def reports_due(run: JobRun) -> dict[str, Any]:
    """Idempotent: one reminder per recall and due date, one late notice per due date (outbox
    dedupe keys), so running it again sends nothing new."""
    with run.transaction() as db:
        return remind_reports_due(db, run.now)
