"""Reminders and escalations of response tasks, at given times."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.outbox.models import OutboxEvent
from riskgate.response import service
from riskgate.response.jobs import remind_at, run_deadlines
from tests.response.helpers import published_case, response_world, task_for


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return response_world(db, settings)


def _keys(db, prefix):  # type: ignore[no-untyped-def]
    return {k for k in db.execute(select(OutboxEvent.dedupe_key)).scalars()
            if k and k.startswith(prefix)}


def test_reminder_once_then_escalation_once(world):
    case = published_case(world.db, world, level="I")
    task = task_for(world.db, case, "port_control")  # 2 hours
    early = task.created_at + dt.timedelta(minutes=30)
    assert run_deadlines(world.db, early)["reminded"] == 0
    at = remind_at(task) + dt.timedelta(seconds=1)
    first = run_deadlines(world.db, at)
    assert first["reminded"] >= 1 and task.reminded_at == at
    assert _keys(world.db, f"response-remind:{task.id}:")
    assert run_deadlines(world.db, at + dt.timedelta(seconds=5))["reminded"] == 0
    late = task.due_at + dt.timedelta(minutes=1)
    result = run_deadlines(world.db, late)
    assert result["escalated"] >= 1 and task.escalated_at == late
    # Supervisors of the unit's parent and of the case owner (national) are told.
    assert f"response-escalate:{task.id}:{world.supervisor.id}:inbox" in _keys(
        world.db, "response-escalate:")
    run_deadlines(world.db, late + dt.timedelta(hours=1))
    assert task.escalated_at == late
    entries = world.db.execute(select(AuditEntry).where(
        AuditEntry.action == "response.task.escalate",
        AuditEntry.object_id == str(task.id))).scalars().all()
    assert len(entries) == 1


def test_escalation_reaches_the_parent_supervisor(world, tmp_path):
    case = published_case(world.db, world, level="I", ports=["shanghai_yangshan"])
    task = [t for t in service.tasks_of(world.db, case.id)
            if t.measure.value == "port_control" and t.organisation_id == world.city.id][0]
    run_deadlines(world.db, task.due_at + dt.timedelta(minutes=1))
    keys = _keys(world.db, f"response-escalate:{task.id}:")
    assert f"response-escalate:{task.id}:{world.prov_supervisor.id}:inbox" in keys
    assert f"response-escalate:{task.id}:{world.supervisor.id}:inbox" in keys


def test_finished_tasks_and_closed_cases_are_left_alone(world):
    case = published_case(world.db, world, level="IV")
    from riskgate.response import tasks
    officer = world.actor(world.officer)
    for task in service.tasks_of(world.db, case.id):
        tasks.waive(world.db, officer, task.id, "不适用")
    far = dt.datetime.now(dt.UTC) + dt.timedelta(days=60)
    assert run_deadlines(world.db, far) == {"reminded": 0, "escalated": 0}
