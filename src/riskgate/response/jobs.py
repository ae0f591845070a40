"""Scheduled work of response tasks (G1): a reminder to the unit once most of a task's time has
passed, and an escalation (督查) once it is overdue. Each happens once (`reminded_at`,
`escalated_at`, outbox dedupe keys) and is audited.

Reminders are batched: one message per unit and case, listing the tasks due soon.

Escalation goes up two chains, each to the first organisation (the start included) that has
active users with the supervisor role: the responsible unit's own chain, and the case lead's
(the case owner's) chain. A chain with no supervisor at all is a configuration error: it is
reported to the system administrators (those whose subtree holds the unit, else every one), and
the escalation's audit entry — the case timeline — names whom it reached and what it did not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.i18n import N_
from riskgate.core.permissions import Role
from riskgate.core.schedule import Every, JobRun, scheduled
from riskgate.identity.models import Organisation, User, UserRole
from riskgate.identity.service import active_users, organisation_chain
from riskgate.outbox import service as outbox
from riskgate.response.disposal import measure_label
from riskgate.response.enums import OPEN_TASK_STATES, CaseStatus
from riskgate.response.models import ResponseCase, ResponseTask
from riskgate.response.service import task_lines
from riskgate.response.workflow import TASK_TYPE

REMINDER_TOPIC = "response.task.reminder"
ESCALATION_TOPIC = "response.task.escalation"
UNROUTED_TOPIC = "response.task.escalation_unrouted"
# The reminder goes once this share of the time between the task's creation and its deadline
# has passed (a 2-hour task is reminded 24 minutes before, a 7-day one about 34 hours before).
REMINDER_FRACTION = 0.8


def remind_at(task: ResponseTask, fraction: float = REMINDER_FRACTION) -> dt.datetime:
    return task.created_at + (task.due_at - task.created_at) * fraction


def supervisors_up(db: Session, organisation_id: int) -> tuple[Organisation | None, list[User]]:
    """The first organisation up the chain from `organisation_id` (itself included) with active
    supervisors, and those supervisors; (None, []) when the chain has none."""
    for org in organisation_chain(db, organisation_id):
        found = active_users(db, org.id, Role.SUPERVISOR)
        if found:
            return org, found
    return None, []


def system_admins(db: Session, organisation: Organisation | None) -> list[User]:
    """Active system administrators whose subtree holds `organisation`, else every one."""
    admins = list(db.execute(select(User).where(
        User.active.is_(True),
        User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.SYSTEM_ADMIN)))
        .order_by(User.id)).scalars())
    if organisation is not None:
        paths = dict(db.execute(select(Organisation.id, Organisation.path).where(
            Organisation.id.in_({a.organisation_id for a in admins}))).all())
        near = [a for a in admins
                if organisation.path.startswith(paths.get(a.organisation_id, "-"))]
        if near:
            return near
    return admins


@dataclass
class Escalation:
    """Whom an overdue task's escalation reaches: supervisors found up each chain, the chains
    (their start) that have none, and the system administrators told of those."""

    supervisors: list[User] = field(default_factory=list)
    reached: list[Organisation] = field(default_factory=list)
    unrouted: list[Organisation] = field(default_factory=list)
    admins: list[User] = field(default_factory=list)


def escalation_for(db: Session, task: ResponseTask, case: ResponseCase) -> Escalation:
    """Up the unit's own chain and up the case lead's chain (each user once)."""
    result = Escalation()
    seen: set[int] = set()
    starts = [task.organisation_id]
    if case.organisation_id != task.organisation_id:
        starts.append(case.organisation_id)
    for start in starts:
        org, found = supervisors_up(db, start)
        if org is None:
            unit = db.get(Organisation, start)
            if unit is not None:
                result.unrouted.append(unit)
            continue
        if org not in result.reached:
            result.reached.append(org)
        for user in found:
            if user.id not in seen:
                seen.add(user.id)
                result.supervisors.append(user)
    if result.unrouted:
        result.admins = system_admins(db, result.unrouted[0])
    return result


def escalation_recipients(db: Session, task: ResponseTask, case: ResponseCase) -> list[User]:
    """The supervisors an overdue task escalates to (see `escalation_for`)."""
    return escalation_for(db, task, case).supervisors


def _who(users: list[User], names: dict[int, str]) -> list[str]:
    return [f"{u.display_name} ({names.get(u.organisation_id, '')})" for u in users]


def _escalate(db: Session, system: Actor, task: ResponseTask, case: ResponseCase,
              params: dict[str, Any], now: dt.datetime) -> Escalation:
    """Tell the supervisors found, mark the task escalated and audit whom it reached (the
    system administrators are told afterwards, once per case: `_report_unrouted`)."""
    found = escalation_for(db, task, case)
    link = f"/console/response/tasks/{task.id}"
    for user in found.supervisors:
        outbox.notify_user(
            db, user, topic=ESCALATION_TOPIC,
            subject=N_("Overdue: response task of {organisation} for case {case}"),
            body=N_("{organisation} has not finished the measure {measure} of case "
                    "{case} (\"{title}\"), due by {deadline}."),
            params=params, link=link, dedupe_key=f"response-escalate:{task.id}:{user.id}")
    ids = ({u.organisation_id for u in found.supervisors + found.admins})
    names = dict(db.execute(select(Organisation.id, Organisation.name_zh).where(
        Organisation.id.in_(ids))).all()) if ids else {}
    task.escalated_at = now
    audit.record(db, system, "response.task.escalate", object_type=TASK_TYPE,
                 object_id=task.id, after={
                     "escalated_at": now.isoformat(), "due_at": task.due_at.isoformat(),
                     "recipients": _who(found.supervisors, names),
                     "organisations": [o.name_zh for o in found.reached],
                     "unrouted": [o.name_zh for o in found.unrouted],
                     "admins": _who(found.admins, names)},
                 organisation_id=case.organisation_id)
    return found


def _report_unrouted(db: Session, case: ResponseCase,
                     found: list[tuple[ResponseTask, Escalation]]) -> None:
    """Tell the system administrators, once per case and run, of the overdue tasks whose
    escalation found no supervisor up some chain: a configuration error."""
    admins: dict[int, User] = {}
    unrouted: list[str] = []
    for _task, escalation in found:
        for admin in escalation.admins:
            admins.setdefault(admin.id, admin)
        unrouted += [o.name_zh for o in escalation.unrouted if o.name_zh not in unrouted]
    late = [task for task, _escalation in found]
    params = {"case": case.number, "title": case.title, "count": len(late),
              "tasks": task_lines(late), "unrouted": "、".join(unrouted)}
    for admin in admins.values():
        outbox.notify_user(
            db, admin, topic=UNROUTED_TOPIC,
            subject=N_("Configuration error: no supervisor to escalate case {case} to"),
            body=N_("{count} overdue tasks of case {case} (\"{title}\") could not be escalated "
                    "in full: no organisation in the chain of {unrouted} has an active user with "
                    "the supervisor role. Give one of them a supervisor.\n{tasks}"),
            params=params, link=None,
            dedupe_key=f"response-unrouted:{case.id}:{late[0].id}:{admin.id}")


def _remind(db: Session, system: Actor, case: ResponseCase, found: list[ResponseTask],
            organisation: str, now: dt.datetime) -> None:
    """One reminder per user of the unit for its tasks of the case due soon."""
    first = found[0]
    params = {"case": case.number, "title": case.title, "count": len(found),
              "organisation": organisation, "tasks": task_lines(found),
              "deadline": min(t.due_at for t in found).isoformat(timespec="minutes")}
    link = (f"/console/response/tasks/{first.id}" if len(found) == 1
            else "/console/response/tasks")
    for user in active_users(db, first.organisation_id):
        outbox.notify_user(
            db, user, topic=REMINDER_TOPIC,
            subject=N_("Reminder: response tasks for case {case} due from {deadline}"),
            body=N_("These measures of case {case} (\"{title}\") are due soon; report your "
                    "progress:\n{tasks}"),
            params=params, link=link, dedupe_key=f"response-remind:{first.id}:{user.id}")
    for task in found:
        task.reminded_at = now
        audit.record(db, system, "response.task.remind", object_type=TASK_TYPE,
                     object_id=task.id, after={"reminded_at": now.isoformat()},
                     organisation_id=case.organisation_id)


def run_deadlines(db: Session, now: dt.datetime | None = None,
                  fraction: float = REMINDER_FRACTION) -> dict[str, int]:
    """Remind and escalate the open tasks of open cases as of `now`; returns the counts (of
    tasks)."""
    now = now or utcnow()
    system = Actor.system("response.deadlines")
    rows = db.execute(
        select(ResponseTask, ResponseCase)
        .join(ResponseCase, ResponseCase.id == ResponseTask.case_id)
        .where(ResponseCase.status == CaseStatus.open,
               ResponseTask.status.in_(OPEN_TASK_STATES),
               (ResponseTask.reminded_at.is_(None) | ResponseTask.escalated_at.is_(None)))
        .order_by(ResponseTask.due_at, ResponseTask.id)).all()
    names: dict[int, str] = {}
    cases: dict[int, ResponseCase] = {}
    due_soon: dict[tuple[int, int], list[ResponseTask]] = {}  # (case, unit) → tasks
    unrouted: dict[int, list[tuple[ResponseTask, Escalation]]] = {}  # case → tasks and chains
    reminded = escalated = 0
    for task, case in rows:
        if task.organisation_id not in names:
            names[task.organisation_id] = db.execute(select(Organisation.name_zh).where(
                Organisation.id == task.organisation_id)).scalar_one()
        cases[case.id] = case
        if task.reminded_at is None and remind_at(task, fraction) <= now < task.due_at:
            due_soon.setdefault((case.id, task.organisation_id), []).append(task)
            reminded += 1
        if task.escalated_at is None and now >= task.due_at:
            params = {"case": case.number, "measure": measure_label(task.measure.value),
                      "title": case.title,
                      "deadline": task.due_at.isoformat(timespec="minutes"),
                      "organisation": names[task.organisation_id]}
            reach = _escalate(db, system, task, case, params, now)
            if reach.unrouted:
                unrouted.setdefault(case.id, []).append((task, reach))
            escalated += 1
    for (case_id, org_id), found in due_soon.items():
        _remind(db, system, cases[case_id], found, names[org_id], now)
    for case_id, gaps in unrouted.items():
        _report_unrouted(db, cases[case_id], gaps)
    db.flush()
    return {"reminded": reminded, "escalated": escalated}


@scheduled("response.deadlines", Every(minutes=5),
           description="Remind units of response tasks near their deadline; escalate overdue ones")
def deadlines(run: JobRun) -> dict[str, Any]:
    """Idempotent: each task is reminded once and escalated once."""
    with run.transaction() as db:
        return run_deadlines(db, run.now)
