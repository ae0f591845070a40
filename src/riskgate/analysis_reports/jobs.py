"""The assessment reports' scheduled jobs: generate requested reports, request the quarterlies."""

from __future__ import annotations

from typing import Any

from riskgate.analysis_reports import service
from riskgate.core.schedule import DailyAt, Every, JobRun, scheduled


@scheduled(service.GENERATE_JOB, Every(minutes=5), lease_seconds=1800,
           description="Generate the assessment reports that were requested")
def generate(run: JobRun) -> dict[str, Any]:
    # A request makes this job due at once (core.schedule.make_due); the interval only catches
    # up on anything left over.
    return service.generate_pending(run.transaction, run.settings, run.now)


@scheduled(service.QUARTERLY_JOB, DailyAt(2, 30),
           description="Request last quarter's assessment report of each lead organisation")
def quarterly(run: JobRun) -> dict[str, Any]:
    with run.transaction() as db:
        return service.schedule_quarterlies(db, run.settings, run.now)
