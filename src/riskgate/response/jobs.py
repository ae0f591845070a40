"""Scheduled work of response tasks (G1): a reminder to the unit once most of a task's time has
passed, and an escalation once it is overdue, to the supervisors of the unit's parent
organisation and of the case owner. Each happens once (`reminded_at`, `escalated_at`, outbox
dedupe keys) and is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.i18n import N_
from riskgate.core.permissions import Role
from riskgate.core.schedule import Every, JobRun, scheduled
from riskgate.identity.models import Organisation, User
from riskgate.identity.service import active_users
from riskgate.outbox import service as outbox
from riskgate.response.disposal import measure_label
from riskgate.response.enums import CaseStatus, TaskStatus
from riskgate.response.models import ResponseCase, ResponseTask
from riskgate.response.workflow import TASK_TYPE

REMINDER_TOPIC = "response.task.reminder"
ESCALATION_TOPIC = "response.task.escalation"
# The reminder goes once this share of the time between the task's creation and its deadline
# has passed (a 2-hour task is reminded 24 minutes before, a 7-day one about 34 hours before).
REMINDER_FRACTION = 0.8


def remind_at(task: ResponseTask, fraction: float = REMINDER_FRACTION) -> dt.datetime:
    return task.created_at + (task.due_at - task.created_at) * fraction


def escalation_recipients(db: Session, task: ResponseTask, case: ResponseCase) -> list[User]:
    """Supervisors of the unit's parent organisation and of the case owner (each user once)."""
    parent_id = db.execute(select(Organisation.parent_id).where(
        Organisation.id == task.organisation_id)).scalar_one_or_none()
    users: dict[int, User] = {}
    for org_id in (parent_id, case.organisation_id):
        if org_id is not None:
            for user in active_users(db, org_id, Role.SUPERVISOR):
                users.setdefault(user.id, user)
    return list(users.values())


def run_deadlines(db: Session, now: dt.datetime | None = None,
                  fraction: float = REMINDER_FRACTION) -> dict[str, int]:
    """Remind and escalate the open tasks of open cases as of `now`; returns the counts."""
    now = now or utcnow()
    system = Actor.system("response.deadlines")
    rows = db.execute(
        select(ResponseTask, ResponseCase)
        .join(ResponseCase, ResponseCase.id == ResponseTask.case_id)
        .where(ResponseCase.status == CaseStatus.open,
               ResponseTask.status.in_((TaskStatus.pending, TaskStatus.in_progress)),
               (ResponseTask.reminded_at.is_(None) | ResponseTask.escalated_at.is_(None)))
        .order_by(ResponseTask.due_at, ResponseTask.id)).all()
    names: dict[int, str] = {}
    reminded = escalated = 0
    for task, case in rows:
        if task.organisation_id not in names:
            names[task.organisation_id] = db.execute(select(Organisation.name_zh).where(
                Organisation.id == task.organisation_id)).scalar_one()
        params = {"case": case.number, "measure": measure_label(task.measure.value),
                  "title": case.title,
                  "deadline": task.due_at.isoformat(timespec="minutes"),
                  "organisation": names[task.organisation_id]}
        link = f"/console/response/tasks/{task.id}"
        if task.reminded_at is None and remind_at(task, fraction) <= now < task.due_at:
            for user in active_users(db, task.organisation_id):
                outbox.notify_user(
                    db, user, topic=REMINDER_TOPIC,
                    subject=N_("Reminder: response task for case {case} due {deadline}"),
                    body=N_("The measure {measure} of case {case} (\"{title}\") is due by "
                            "{deadline}; report your progress."),
                    params=params, link=link, dedupe_key=f"response-remind:{task.id}:{user.id}")
            task.reminded_at = now
            audit.record(db, system, "response.task.remind", object_type=TASK_TYPE,
                         object_id=task.id, after={"reminded_at": now.isoformat()},
                         organisation_id=case.organisation_id)
            reminded += 1
        if task.escalated_at is None and now >= task.due_at:
            for user in escalation_recipients(db, task, case):
                outbox.notify_user(
                    db, user, topic=ESCALATION_TOPIC,
                    subject=N_("Overdue: response task of {organisation} for case {case}"),
                    body=N_("{organisation} has not finished the measure {measure} of case "
                            "{case} (\"{title}\"), due by {deadline}."),
                    params=params, link=link, dedupe_key=f"response-escalate:{task.id}:{user.id}")
            task.escalated_at = now
            audit.record(db, system, "response.task.escalate", object_type=TASK_TYPE,
                         object_id=task.id, after={"escalated_at": now.isoformat(),
                                                   "due_at": task.due_at.isoformat()},
                         organisation_id=case.organisation_id)
            escalated += 1
    db.flush()
    return {"reminded": reminded, "escalated": escalated}


@scheduled("response.deadlines", Every(minutes=5),
           description="Remind units of response tasks near their deadline; escalate overdue ones")
def deadlines(run: JobRun) -> dict[str, Any]:
    """Idempotent: each task is reminded once and escalated once."""
    with run.transaction() as db:
        return run_deadlines(db, run.now)
