"""Scheduled work of public warnings: acknowledgement reminders and escalations."""

from __future__ import annotations

from typing import Any

from riskgate.core.schedule import Every, JobRun, scheduled
from riskgate.warnings.push.acknowledgement import remind_and_escalate


@scheduled("warnings.acknowledgements", Every(minutes=5),
           description="Remind and escalate warning deliveries not acknowledged in time")
def acknowledgements(run: JobRun) -> dict[str, Any]:
    """Idempotent: each delivery moves pending → reminded → escalated once, and the messages
    carry outbox dedupe keys."""
    with run.transaction() as db:
        return remind_and_escalate(db, run.now)
