"""Response cases (处置案件, R1 G1): opened by the joint-disposal rules when a warning is
published, updated by its follow-ups, opened by hand, closed when every task is done or waived.
Lifting the warning closes its open tasks unfinished (status `closed`, reason "warning lifted";
never counted as done) and the case; withdrawal closes them likewise and cancels the case.

Who gets a task: for each required measure, the lead units are the active organisations of the
rule's `lead_org_type` in the issuing organisation's subtree (the issuer included), narrowed to
the warning's ports (customs units whose `port_code` is listed) and regions (units whose
`region_code` lies in a listed region); when none is found the issuer leads. Cooperating units
are found the same way, but none found means no cooperating task. One task per (measure,
organisation, role); due `deadline_hours` after publication (after the follow-up for tasks an
adjustment adds). Each unit is told once per case and batch: one message listing its new tasks.
Task work (start, reports, waiving) lives in `response.tasks`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.audit.models import AuditEntry
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, NotFound
from riskgate.core.i18n import N_
from riskgate.core.numbers import next_number
from riskgate.core.workflow import move
from riskgate.identity.enums import OrgType
from riskgate.identity.models import Organisation, User
from riskgate.identity.scope import get_in_scope, in_subtree, scope_condition
from riskgate.identity.service import active_users
from riskgate.outbox import service as outbox
from riskgate.response import disposal
from riskgate.response.disposal import measure_label
from riskgate.response.enums import (
    OPEN_TASK_STATES,
    CaseOrigin,
    CaseStatus,
    TaskStatus,
    UnitRole,
)
from riskgate.response.models import ResponseCase, ResponseTask, TaskReport
from riskgate.response.workflow import CASE_FLOW, CASE_OBJECT, CASE_TYPE, TASK_FLOW, TASK_TYPE
from riskgate.warnings.enums import IN_FORCE_STATES, FollowUpKind
from riskgate.warnings.events import ResponseOfWarning, ResponseProgress, WarningIssued
from riskgate.warnings.models import PublicWarning, WarningProduct

TASK_TOPIC = "response.task"
LIFTED_REASON = N_("warning lifted")
WITHDRAWN_REASON = N_("warning withdrawn")
_CUSTOMS = (OrgType.DISTRICT_CUSTOMS.value, OrgType.SUBORDINATE_CUSTOMS.value,
            OrgType.CUSTOMS_HEAD_OFFICE.value)


class CaseAlreadyOpen(Conflict):
    type_slug = "response-case-open"
    title = N_("Response case already open")
    message = N_("Warning {number} already has an open response case ({case}).")


class OpenTasksRemain(Conflict):
    type_slug = "response-open-tasks"
    title = N_("Open tasks remain")
    message = N_("The case closes once every task is done or waived; still open: {tasks}.")


class WarningNotInForce(Conflict):
    type_slug = "response-warning-not-in-force"
    title = N_("Warning not in force")
    message = N_("A response case is opened only for a published warning in force.")


# ---------------------------------------------------------------- reading

def _visible_condition(actor: Actor) -> ColumnElement[bool] | None:
    """Cases owned in the actor's subtree, or with a task for a unit in it."""
    owned = scope_condition(actor, ResponseCase.organisation_id, object_type="response_case")
    tasked = scope_condition(actor, ResponseTask.organisation_id)
    if owned is None or tasked is None:  # the system: every case
        return None
    return or_(owned, ResponseCase.id.in_(select(ResponseTask.case_id).where(tasked)))


def cases_statement(actor: Actor, *, status: CaseStatus | None = None,
                    warning_id: int | None = None) -> Select[Any]:
    stmt = select(ResponseCase)
    condition = _visible_condition(actor)
    if condition is not None:
        stmt = stmt.where(condition)
    if status is not None:
        stmt = stmt.where(ResponseCase.status == status)
    if warning_id is not None:
        stmt = stmt.where(ResponseCase.warning_id == warning_id)
    return stmt


def get_case(db: Session, actor: Actor, case_id: int) -> ResponseCase:
    """A case the actor may read, else NotFound."""
    case: ResponseCase | None = db.execute(cases_statement(actor).where(
        ResponseCase.id == case_id)).scalar_one_or_none()
    if case is None:
        raise NotFound(CASE_OBJECT)
    return case


def owned_case(db: Session, actor: Actor, case_id: int) -> ResponseCase:
    """A case owned in the actor's subtree (the ones the actor may manage), else NotFound."""
    return get_in_scope(db, ResponseCase, case_id, actor, ResponseCase.organisation_id,
                        object_name=CASE_OBJECT)


def tasks_of(db: Session, case_id: int) -> list[ResponseTask]:
    return list(db.execute(select(ResponseTask).where(ResponseTask.case_id == case_id)
                           .order_by(ResponseTask.id)).scalars())


def case_for_warning(db: Session, warning_id: int) -> ResponseCase | None:
    """The warning's newest case that is not cancelled (None when there is none)."""
    return db.execute(select(ResponseCase).where(
        ResponseCase.warning_id == warning_id, ResponseCase.status != CaseStatus.cancelled)
        .order_by(ResponseCase.id.desc()).limit(1)).scalar_one_or_none()


def task_figures(db: Session, case_ids: list[int],
                 now: dt.datetime | None = None) -> dict[int, dict[str, int]]:
    """Per case: tasks in all, done, waived, closed unfinished (warning lifted or withdrawn), open
    and overdue (for boards and progress bars)."""
    now = now or utcnow()
    figures = {cid: {"total": 0, "done": 0, "waived": 0, "closed": 0, "open": 0, "overdue": 0}
               for cid in case_ids}
    if not case_ids:
        return figures
    rows = db.execute(select(ResponseTask.case_id, ResponseTask.status, ResponseTask.due_at)
                      .where(ResponseTask.case_id.in_(case_ids))).all()
    for case_id, status, due_at in rows:
        entry = figures[case_id]
        entry["total"] += 1
        if status == TaskStatus.done:
            entry["done"] += 1
        elif status == TaskStatus.waived:
            entry["waived"] += 1
        elif status == TaskStatus.closed:
            entry["closed"] += 1
        else:
            entry["open"] += 1
            if due_at < now:
                entry["overdue"] += 1
    return figures


def progress_of_warning(db: Session, query: ResponseOfWarning) -> list[ResponseProgress]:
    """Answers `warning.response`: the warning's case with its tasks per measure (none without
    a case), for warning tracking."""
    case = case_for_warning(db, query.warning_id)
    if case is None:
        return []
    figures = measure_figures(db, query.warning_id) or {}
    return [ResponseProgress(case.id, case.number, case.status.value, figures)]


def measure_figures(db: Session, warning_id: int) -> dict[str, dict[str, int]] | None:
    """Per measure of the warning's case: units tasked, done, open, overdue (None without a
    case). Used by warning tracking for "measures under way"."""
    case = case_for_warning(db, warning_id)
    if case is None:
        return None
    now = utcnow()
    result: dict[str, dict[str, int]] = {}
    for task in tasks_of(db, case.id):
        entry = result.setdefault(task.measure.value,
                                  {"tasks": 0, "done": 0, "open": 0, "overdue": 0})
        entry["tasks"] += 1
        if task.status == TaskStatus.done:
            entry["done"] += 1
        elif task.status in OPEN_TASK_STATES:
            entry["open"] += 1
            entry["overdue"] += int(task.due_at < now)
    return result


def timeline(db: Session, case: ResponseCase) -> list[AuditEntry]:
    """What happened, oldest first: the warning's publication and follow-ups, the case's and
    its tasks' audited changes (creation, reports, status changes, reminders, escalations)."""
    task_ids = [str(t.id) for t in tasks_of(db, case.id)]
    conditions = [(AuditEntry.object_type == CASE_TYPE) & (AuditEntry.object_id == str(case.id))]
    if task_ids:
        conditions.append((AuditEntry.object_type == TASK_TYPE)
                          & AuditEntry.object_id.in_(task_ids))
    if case.warning_id is not None:
        conditions.append((AuditEntry.object_type == "public_warning")
                          & (AuditEntry.object_id == str(case.warning_id))
                          & AuditEntry.action.in_(("warning.publish", "warning.adjust",
                                                   "warning.lift", "warning.withdraw")))
    return list(db.execute(select(AuditEntry).where(or_(*conditions))
                           .order_by(AuditEntry.occurred_at, AuditEntry.id)).scalars())


def reports_of(db: Session, task_id: int) -> list[TaskReport]:
    return list(db.execute(select(TaskReport).where(TaskReport.task_id == task_id)
                           .order_by(TaskReport.id)).scalars())


# ---------------------------------------------------------------- units

def _region_prefix(code: str) -> str:
    """A GB/T 2260 code as the prefix of the codes inside it: 310000 → 31, 310100 → 3101."""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def units_for(db: Session, warning: PublicWarning, org_type: OrgType | str) -> list[Organisation]:
    """The units of `org_type` that take a measure of the warning (see the module docstring);
    empty when none is found (the caller decides whether the issuer leads instead)."""
    issuer = db.get(Organisation, warning.organisation_id)
    if issuer is None:
        return []
    kind = str(getattr(org_type, "value", org_type))
    of_type = select(Organisation).where(Organisation.active.is_(True),
                                         Organisation.org_type == kind)
    candidates = list(db.execute(of_type.where(in_subtree(Organisation.path, issuer.path))
                                 .order_by(Organisation.path)).scalars())
    if not candidates and kind not in _CUSTOMS:
        # Joint disposal crosses agencies: a customs warning's market measures go to the market
        # regulators, which sit in their own tree. Take that agency's units (narrowed below),
        # and of those only the highest level present — its head office when no region is given.
        candidates = list(db.execute(of_type.order_by(Organisation.path)).scalars())
        candidates = _narrow_to_regions(candidates, warning)
        if candidates:
            top = min(o.path.count("/") for o in candidates)
            candidates = [o for o in candidates if o.path.count("/") == top]
        return candidates
    ports = set(warning.ports or [])
    if ports and str(getattr(org_type, "value", org_type)) in _CUSTOMS:
        candidates = [o for o in candidates if o.port_code in ports]
    return _narrow_to_regions(candidates, warning)


def _narrow_to_regions(candidates: list[Organisation],
                       warning: PublicWarning) -> list[Organisation]:
    prefixes = [_region_prefix(r) for r in warning.regions or []]
    if prefixes:
        candidates = [o for o in candidates
                      if o.region_code and any(o.region_code.startswith(p) for p in prefixes)]
    return candidates


def _categories(db: Session, warning: PublicWarning) -> list[str]:
    return [c for c in db.execute(select(WarningProduct.category).where(
        WarningProduct.warning_id == warning.id)).scalars() if c]


def _planned(db: Session, warning: PublicWarning,
             measures: list[str] | None = None) -> list[tuple[disposal.Requirement, int, UnitRole]]:
    """(requirement, organisation, role) for every task the warning calls for."""
    wanted = list(warning.measures or []) + list(measures or [])
    plan: list[tuple[disposal.Requirement, int, UnitRole]] = []
    units: dict[str, list[int]] = {}  # org type → unit ids; several measures share a type

    def unit_ids(org_type: OrgType | str) -> list[int]:
        kind = str(getattr(org_type, "value", org_type))
        if kind not in units:
            units[kind] = [o.id for o in units_for(db, warning, kind)]
        return units[kind]

    for need in disposal.requirements(db, level=warning.level, warning_type=warning.warning_type,
                                      categories=_categories(db, warning), measures=wanted):
        leads = unit_ids(need.lead_org_type) if need.lead_org_type is not None else []
        for org_id in leads or [warning.organisation_id]:
            plan.append((need, org_id, UnitRole.lead))
        taken = set(leads or [warning.organisation_id])
        for kind in need.cooperating_org_types:
            for unit_id in unit_ids(kind):
                if unit_id not in taken:
                    plan.append((need, unit_id, UnitRole.cooperating))
                    taken.add(unit_id)
    return plan


def task_lines(found: list[ResponseTask]) -> str:
    """One line per task for a batched message: measure and deadline (an ISO time, which the
    outbox shows in the platform's time zone)."""
    return "\n".join(f"- {measure_label(t.measure.value)}: "
                     f"{t.due_at.isoformat(timespec='minutes')}" for t in found)


def _notify_unit(db: Session, case: ResponseCase, found: list[ResponseTask],
                 users: list[User]) -> None:
    """One message per user of the unit for its new tasks of the case (not one per task)."""
    first = found[0]
    link = (f"/console/response/tasks/{first.id}" if len(found) == 1
            else "/console/response/tasks")
    for user in users:
        outbox.notify_user(
            db, user, topic=TASK_TOPIC,
            subject=N_("New response tasks for case {case}: {count}"),
            body=N_("Your unit must carry out these measures for case {case} (\"{title}\"), "
                    "each by its deadline:\n{tasks}"),
            params={"case": case.number, "title": case.title, "count": len(found),
                    "tasks": task_lines(found),
                    "deadline": min(t.due_at for t in found).isoformat(timespec="minutes")},
            link=link, dedupe_key=f"response-task:{first.id}:{user.id}")


def _add_tasks(db: Session, actor: Actor, case: ResponseCase, warning: PublicWarning,
               start: dt.datetime, measures: list[str] | None = None,
               plan: list[tuple[disposal.Requirement, int, UnitRole]] | None = None
               ) -> list[ResponseTask]:
    """Create the tasks the warning calls for (`plan`, when the caller has it already) that the
    case does not have yet; audited, each unit told."""
    existing = {(t.measure.value, t.organisation_id, t.unit_role.value)
                for t in tasks_of(db, case.id)}
    added: list[ResponseTask] = []
    by_unit: dict[int, list[ResponseTask]] = {}  # unit → its new tasks, told in one message
    for need, org_id, role in plan if plan is not None else _planned(db, warning, measures):
        key = (need.measure.value, org_id, role.value)
        if key in existing:
            continue
        existing.add(key)
        task = ResponseTask(case_id=case.id, measure=need.measure, organisation_id=org_id,
                            unit_role=role, disposal_rule_id=need.rule_id,
                            instructions=need.instructions,
                            due_at=start + dt.timedelta(hours=need.deadline_hours),
                            status=TaskStatus.pending, progress_percent=0,
                            created_by=actor.username)
        db.add(task)
        db.flush()
        audit.record(db, actor, "response.task.create", object_type=TASK_TYPE, object_id=task.id,
                     after={"case": case.number, "measure": need.measure.value,
                            "organisation_id": org_id, "role": role.value,
                            "due_at": task.due_at.isoformat(), "rule_id": need.rule_id},
                     organisation_id=case.organisation_id)
        by_unit.setdefault(org_id, []).append(task)
        added.append(task)
    for org_id, found in by_unit.items():
        _notify_unit(db, case, found, active_users(db, org_id))
    return added


def _new_case(db: Session, actor: Actor, warning: PublicWarning,
              origin: CaseOrigin) -> ResponseCase:
    case = ResponseCase(number=next_number(db, "RC"), organisation_id=warning.organisation_id,
                        warning_id=warning.id, title=warning.title, level=warning.level,
                        origin=origin, status=CaseStatus.open, opened_at=utcnow(),
                        opened_by=actor.username)
    db.add(case)
    db.flush()
    audit.record(db, actor, "response.case.open", object_type=CASE_TYPE, object_id=case.id,
                 after={"number": case.number, "warning_id": warning.id,
                        "level": warning.level.value, "origin": origin.value},
                 organisation_id=case.organisation_id)
    return case


# ---------------------------------------------------------------- the warning's hooks

def on_warning_issued(db: Session, event: WarningIssued) -> None:
    """Follows `warning.issued`: publication opens a case by the joint-disposal rules; an
    adjustment adds the tasks newly required (level raised, measures added); lifting closes the
    open tasks unfinished ("warning lifted") and the case; withdrawal closes them ("warning
    withdrawn") and cancels the case."""
    actor, warning, follow_up = event.actor, event.warning, event.follow_up
    case = case_for_warning(db, warning.id)
    kind = FollowUpKind(follow_up.kind) if follow_up is not None else None
    if kind is None or kind == FollowUpKind.adjustment:
        start = (warning.published_at if follow_up is None else follow_up.created_at) or utcnow()
        plan = _planned(db, warning)
        if case is None:
            if not plan:
                return
            case = _new_case(db, actor, warning, CaseOrigin.rules)
        elif kind is not None:
            case.level = warning.level
        added = _add_tasks(db, actor, case, warning, start, plan=plan)
        if added and case.status == CaseStatus.closed:
            move(db, CASE_FLOW, case, CaseStatus.open, actor=actor, action="response.case.reopen",
                 reason=N_("the warning was adjusted"), closed_at=None, closed_by=None)
        return
    if case is None or case.status == CaseStatus.cancelled:
        return
    reason = LIFTED_REASON if kind == FollowUpKind.lifting else WITHDRAWN_REASON
    now = utcnow()
    for task in tasks_of(db, case.id):
        if task.status in OPEN_TASK_STATES:
            move(db, TASK_FLOW, task, TaskStatus.closed, actor=actor,
                 action="response.task.close", organisation_id=case.organisation_id,
                 reason=reason, closed_reason=reason)
    if kind == FollowUpKind.lifting:
        if case.status == CaseStatus.open:
            move(db, CASE_FLOW, case, CaseStatus.closed, actor=actor,
                 action="response.case.close", reason=reason, closed_at=now,
                 closed_by=actor.username, close_note=reason)
    elif case.status == CaseStatus.open:
        move(db, CASE_FLOW, case, CaseStatus.cancelled, actor=actor,
             action="response.case.cancel", reason=reason, closed_at=now,
             closed_by=actor.username, close_note=reason)


# ---------------------------------------------------------------- by hand

def open_case(db: Session, actor: Actor, warning_id: int,
              measures: list[str] | None = None) -> ResponseCase:
    """Open a case for a published warning issued in the actor's subtree that has none open
    (409 otherwise), with the rules' tasks and those of `measures`."""

    warning = get_in_scope(db, PublicWarning, warning_id, actor, PublicWarning.organisation_id,
                           object_name=N_("warning"))
    if warning.status not in IN_FORCE_STATES:
        raise WarningNotInForce()
    existing = case_for_warning(db, warning.id)
    if existing is not None and existing.status == CaseStatus.open:
        raise CaseAlreadyOpen(number=warning.number, case=existing.number)
    case = _new_case(db, actor, warning, CaseOrigin.manual)
    _add_tasks(db, actor, case, warning, utcnow(), measures)
    return case


def close_case(db: Session, actor: Actor, case_id: int, note: str | None = None) -> ResponseCase:
    """Close a case owned in the actor's subtree once every task is done or waived; 409 naming
    the open tasks otherwise."""
    case = owned_case(db, actor, case_id)
    open_tasks = [t for t in tasks_of(db, case.id) if t.status in OPEN_TASK_STATES]
    if open_tasks and case.status == CaseStatus.open:
        names = dict(db.execute(select(Organisation.id, Organisation.name_zh).where(
            Organisation.id.in_({t.organisation_id for t in open_tasks}))).all())
        raise OpenTasksRemain(tasks=", ".join(
            f"#{t.id} {t.measure.value} ({names.get(t.organisation_id, '')})" for t in open_tasks))
    move(db, CASE_FLOW, case, CaseStatus.closed, actor=actor, action="response.case.close",
         reason=note, closed_at=utcnow(), closed_by=actor.username, close_note=note)
    return case


def warnings_without_case(db: Session, actor: Actor, limit: int = 100) -> list[PublicWarning]:
    """Warnings in force issued in the actor's subtree that have no open case (the choices of
    the console's "open by hand" form), newest first."""
    model = PublicWarning
    stmt = select(model).where(model.status.in_(IN_FORCE_STATES), ~model.id.in_(
        select(ResponseCase.warning_id).where(ResponseCase.status == CaseStatus.open,
                                              ResponseCase.warning_id.is_not(None))))
    condition = scope_condition(actor, model.organisation_id)
    if condition is not None:
        stmt = stmt.where(condition)
    return list(db.execute(stmt.order_by(model.id.desc()).limit(limit)).scalars())


def counts_by_status(db: Session, actor: Actor) -> dict[str, int]:
    stmt = cases_statement(actor).with_only_columns(ResponseCase.status, func.count()).group_by(
        ResponseCase.status)
    return {str(getattr(s, "value", s)): n for s, n in db.execute(stmt).all()}
