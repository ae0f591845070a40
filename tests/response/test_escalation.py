"""Escalation that reaches someone (督查): an overdue task goes up the responsible unit's own
chain and up the case lead's chain, each to the first organisation with supervisors; a chain
with none is reported to the system administrators; the timeline and the 督查 view say so.
Also: reminders batched per unit and case, and message times in the platform's time zone."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.core.permissions import Role
from riskgate.outbox.channels import render_message
from riskgate.outbox.models import OutboxEvent
from riskgate.response import jobs, service, tasks
from riskgate.response.models import ResponseCase
from tests.factories import make_user, sign_in
from tests.response.helpers import joint_world, samr_task


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return joint_world(db, settings)


def _events(db, topic, user):  # type: ignore[no-untyped-def]
    return db.execute(select(OutboxEvent).where(
        OutboxEvent.topic == topic, OutboxEvent.channel == "inbox",
        OutboxEvent.target == str(user.id))).scalars().all()


def _escalation_entry(db, task):  # type: ignore[no-untyped-def]
    return db.execute(select(AuditEntry).where(
        AuditEntry.action == "response.task.escalate",
        AuditEntry.object_id == str(task.id))).scalar_one()


def test_joint_task_reaches_the_lead_supervisor_and_admins_hear_of_the_gap(world):
    task = samr_task(world.db, world)
    result = jobs.run_deadlines(world.db, task.due_at + dt.timedelta(minutes=1))
    assert result["escalated"] >= 1
    # The case lead's chain (customs head office) has a supervisor: told.
    assert _events(world.db, jobs.ESCALATION_TOPIC, world.supervisor)
    # The regulator's own chain has none: a configuration error for the system administrators.
    unrouted = _events(world.db, jobs.UNROUTED_TOPIC, world.sysadmin)
    assert unrouted and world.samr.name_zh in unrouted[0].payload["params"]["unrouted"]
    entry = _escalation_entry(world.db, task)
    assert entry.after["unrouted"] == [world.samr.name_zh]
    assert any(world.national.name_zh in r for r in entry.after["recipients"])
    assert entry.after["admins"]


def test_the_units_own_supervisor_is_found_first(world, settings):
    own = make_user(world.db, settings, world.samr, Role.SUPERVISOR, language="en")
    task = samr_task(world.db, world)
    jobs.run_deadlines(world.db, task.due_at + dt.timedelta(minutes=1))
    assert _events(world.db, jobs.ESCALATION_TOPIC, own)
    assert _events(world.db, jobs.ESCALATION_TOPIC, world.supervisor)
    assert not _events(world.db, jobs.UNROUTED_TOPIC, world.sysadmin)
    assert _escalation_entry(world.db, task).after["unrouted"] == []


def test_no_supervisor_anywhere_reaches_the_system_administrators(world):
    world.supervisor.active = False
    world.db.flush()
    task = samr_task(world.db, world)
    jobs.run_deadlines(world.db, task.due_at + dt.timedelta(minutes=1))
    assert not _events(world.db, jobs.ESCALATION_TOPIC, world.supervisor)
    unrouted = _events(world.db, jobs.UNROUTED_TOPIC, world.sysadmin)
    assert len(unrouted) == 1  # one message naming both chains
    entry = _escalation_entry(world.db, task)
    assert entry.after["recipients"] == []
    assert set(entry.after["unrouted"]) == {world.samr.name_zh, world.national.name_zh}
    assert task.escalated_at is not None


def test_supervisor_sees_the_joint_case_task_of_another_agency(world, settings):
    task = samr_task(world.db, world)
    task.due_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    world.db.flush()
    lead_view = tasks.overdue(world.db, world.actor(world.supervisor))
    assert task.id in {t.id for t in lead_view["tasks"]}
    samr_supervisor = make_user(world.db, settings, world.samr, Role.SUPERVISOR)
    own_view = tasks.overdue(world.db, world.actor(samr_supervisor))
    assert [t.id for t in own_view["tasks"]] == [task.id]  # its own unit's only
    # The provincial customs' supervisor leads no such case: not in its view.
    prov = make_user(world.db, settings, world.provincial, Role.SUPERVISOR)
    assert task.id not in {t.id for t in tasks.overdue(world.db, world.actor(prov))["tasks"]}


def test_timeline_names_whom_it_reached(client, world):
    task = samr_task(world.db, world)
    task.due_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    jobs.run_deadlines(world.db)
    world.db.commit()
    sign_in(client, world.supervisor.username)
    page = client.get(f"/console/response/cases/{task.case_id}?lang=en")
    assert page.status_code == 200
    assert "Escalated to:" in page.text and world.supervisor.display_name in page.text
    assert "data-unrouted" in page.text and world.samr.name_zh in page.text
    overdue = client.get("/console/response/overdue?lang=en")
    assert f'data-task="{task.id}"' in overdue.text


def test_reminders_are_batched_per_unit_and_case(world):
    task = samr_task(world.db, world)
    case = world.db.get(ResponseCase, task.case_id)
    mine = [t for t in service.tasks_of(world.db, case.id)
            if t.organisation_id == world.samr.id]
    assert len(mine) >= 2
    for other in mine:  # set-up only: the unit's tasks due together
        other.due_at = task.due_at
    world.db.flush()
    jobs.run_deadlines(world.db, max(jobs.remind_at(t) for t in mine) + dt.timedelta(seconds=1))
    reminders = _events(world.db, jobs.REMINDER_TOPIC, world.samr_officer)
    assert len(reminders) == 1
    assert reminders[0].payload["params"]["count"] == len(mine)
    assert all(t.reminded_at is not None for t in mine)


def test_message_times_are_shown_in_the_platforms_zone():
    payload = {"subject": "Due {deadline}", "body": "Tasks:\n{tasks}", "language": "en",
               "params": {"deadline": "2026-12-07T16:30+00:00",
                          "tasks": "- 暂停销售: 2026-12-07T23:00:00+00:00"}}
    message = render_message(payload, "zh-CN", "Asia/Shanghai")
    assert message.subject == "Due 2026-12-08 00:30"
    assert message.body.endswith("暂停销售: 2026-12-08 07:00")
    assert "+00:00" not in message.body
    odd = render_message({**payload, "params": {"deadline": "2026-13-40T10:00+00:00",
                                                "tasks": ""}}, "en", "Asia/Shanghai")
    assert odd.subject == "Due 2026-13-40T10:00+00:00"
