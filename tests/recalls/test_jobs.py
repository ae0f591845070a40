"""The recalls.reports_due job: one reminder per period to the enterprise, one late notice to
the regulator when a report is more than 7 days late."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from riskgate.core.schedule import load_jobs
from riskgate.outbox.models import OutboxEvent
from riskgate.recalls.service import local_date, remind_reports_due
from tests.recalls.helpers import make_started, report
from tests.warnings.helpers import build_world


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def _count(db, topic_key: str) -> int:  # type: ignore[no-untyped-def]
    return db.execute(select(func.count()).select_from(OutboxEvent).where(
        OutboxEvent.dedupe_key.like(f"{topic_key}%"), OutboxEvent.channel == "inbox")
    ).scalar_one()


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def test_job_is_registered():
    assert "recalls.reports_due" in load_jobs()


def test_reminder_once_per_period_and_late_notice(world):
    recall = make_started(world)
    due = recall.next_report_due
    assert remind_reports_due(world.db, _at(due))["due"] == 0  # not yet past
    assert remind_reports_due(world.db, _at(due + dt.timedelta(days=1)))["reminded"] == 1
    remind_reports_due(world.db, _at(due + dt.timedelta(days=2)))
    assert _count(world.db, f"recall-due:{recall.id}:") == 1  # once per period
    assert _count(world.db, f"recall-late:{recall.id}:") == 0
    result = remind_reports_due(world.db, _at(due + dt.timedelta(days=8)))
    assert result["late"] == 1
    remind_reports_due(world.db, _at(due + dt.timedelta(days=9)))
    late = world.db.execute(select(OutboxEvent).where(
        OutboxEvent.dedupe_key.like(f"recall-late:{recall.id}:%"),
        OutboxEvent.channel == "inbox")).scalars().all()
    assert [e.target for e in late] == [str(world.officer.id)]  # the owner's risk officer


def test_a_report_moves_the_due_date(world):
    recall = make_started(world)
    report(world, recall, 10)
    assert recall.next_report_due == local_date() + dt.timedelta(days=14)
    assert remind_reports_due(world.db, _at(local_date() + dt.timedelta(days=3)))["due"] == 0
