"""Annual monitoring plans (M1): versions, approval, sampling tasks generated from the quotas.

A plan belongs to one unit (organisation) and year. Its content — targets, quotas, schedule —
lives in numbered versions: the current version is edited in place until it is approved; a change
after that is version n+1 with a reason (the old version stays readable, the diff is audited),
and an approved or running plan goes back to draft until the revision is approved.

Tasks are generated from an approved plan: one per target and schedule period with a quota,
assigned to the target's unit, with the period's end as due date. Generating again creates only
the missing ones (and updates the quota of tasks not yet sampled), so it is safe to repeat.
Results, progress and monitoring points live in `results`, `progress` and `points`;
`point_series` is re-exported here as the signals stage's entry point.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.reference import country, hs_lookup, normalise_hs_code, port, region
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import (
    Conflict,
    FieldProblem,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission, Role
from riskgate.core.workflow import move
from riskgate.identity import service as identity
from riskgate.identity.models import User, UserRole
from riskgate.identity.scope import get_in_scope, scoped
from riskgate.monitoring.enums import (
    OPEN_TASK_STATUSES,
    PERIOD_COUNT,
    PlanEvent,
    PlanStatus,
    SchedulePeriod,
    TaskEvent,
    TaskStatus,
)
from riskgate.monitoring.models import (
    MonitoringPlan,
    MonitoringPlanVersion,
    MonitoringPoint,
    SamplingTask,
)
from riskgate.monitoring.points import point_series  # noqa: F401 — the signals stage's entry
from riskgate.monitoring.workflow import PLAN, PLAN_FLOW, TASK, TASK_FLOW
from riskgate.outbox import service as outbox

TASK_TOPIC = "monitoring.task"
SAMPLING_ROLES = (Role.RISK_OFFICER, Role.PORT_OFFICER)


# --- Schedule (pure) -----------------------------------------------------------------------


def period_bounds(year: int, period: SchedulePeriod, number: int) -> tuple[dt.date, dt.date]:
    """First and last day of quarter or month `number` of `year`."""
    if period == SchedulePeriod.quarter:
        first_month, last_month = 3 * number - 2, 3 * number
    else:
        first_month = last_month = number
    last_day = calendar.monthrange(year, last_month)[1]
    return dt.date(year, first_month, 1), dt.date(year, last_month, last_day)


def spread(samples: int, periods: int) -> list[int]:
    """Samples per period, as even as possible, the remainder to the earliest periods."""
    base, extra = divmod(samples, periods)
    return [base + (1 if index < extra else 0) for index in range(periods)]


def quotas(target: dict[str, Any], period: SchedulePeriod) -> list[int]:
    return list(target.get("distribution") or spread(target["samples"],
                                                     PERIOD_COUNT[period]))


def target_label(target: dict[str, Any]) -> str:
    parts = [target.get("product_category"), target.get("hs_code")]
    return " / ".join(p for p in parts if p) or target["key"]


# --- Checking a plan's targets against the catalogue and the actor's scope -----------------


def _check_targets(db: Session, actor: Actor, targets: list[dict[str, Any]],
                   period: SchedulePeriod) -> list[dict[str, Any]]:
    """The targets as stored: keys assigned, codes normalised, everything checked."""
    problems: list[FieldProblem] = []
    checked: list[dict[str, Any]] = []
    keys: set[str] = {t["key"] for t in targets if t.get("key")}
    counter = 0
    for index, target in enumerate(targets):
        at = f"targets.{index}."
        item = dict(target)
        if not item.get("key"):
            counter += 1
            while f"t{counter}" in keys:
                counter += 1
            item["key"] = f"t{counter}"
            keys.add(item["key"])
        if not item.get("product_category") and not item.get("hs_code"):
            problems.append(FieldProblem(at + "product_category",
                                         N_("Give a product category or an HS code.")))
        if item.get("hs_code"):
            code = normalise_hs_code(item["hs_code"])
            if not code or hs_lookup(code) is None:
                problems.append(FieldProblem(at + "hs_code", N_("Unknown HS code {value}."),
                                             {"value": item["hs_code"]}))
            item["hs_code"] = code
        countries = []
        for value in item.get("origin_countries") or []:
            found = country(value)
            if found is None:
                problems.append(FieldProblem(at + "origin_countries",
                                             N_("Unknown country code {value}."), {"value": value}))
            else:
                countries.append(found.code)
        item["origin_countries"] = countries
        for name, lookup, message in (
            ("port_codes", port, N_("Unknown port code {value}.")),
            ("region_codes", region, N_("Unknown region code {value}.")),
        ):
            for value in item.get(name) or []:
                if lookup(value) is None:
                    problems.append(FieldProblem(at + name, message, {"value": value}))
        for point_id in item.get("monitoring_point_ids") or []:
            try:
                get_in_scope(db, MonitoringPoint, point_id, actor,
                             MonitoringPoint.organisation_id, object_name=N_("monitoring point"))
            except NotFound:
                problems.append(FieldProblem(at + "monitoring_point_ids",
                                             N_("Unknown monitoring point {value}."),
                                             {"value": point_id}))
        if item.get("organisation_id"):
            try:
                identity.get_organisation(db, actor, item["organisation_id"])
            except NotFound:
                problems.append(FieldProblem(at + "organisation_id",
                                             N_("Unknown organisation {value}."),
                                             {"value": item["organisation_id"]}))
        distribution = item.get("distribution")
        if distribution is not None and (
                len(distribution) != PERIOD_COUNT[period] or any(n < 0 for n in distribution)
                or sum(distribution) != item["samples"]):
            problems.append(FieldProblem(
                at + "distribution",
                N_("Give {periods} non-negative numbers of samples adding up to {samples}."),
                {"periods": PERIOD_COUNT[period], "samples": item["samples"]}))
        names = [t["name"].casefold() for t in item["test_items"]]
        if len(set(names)) != len(names):
            problems.append(FieldProblem(at + "test_items",
                                         N_("Each test item of a target needs its own name.")))
        checked.append(item)
    if problems:
        raise ValidationFailed(fields=problems)
    return checked


def _jsonable_targets(targets: list[Any]) -> list[dict[str, Any]]:
    return [t.model_dump(mode="json") if hasattr(t, "model_dump") else dict(t) for t in targets]


# --- Plans ---------------------------------------------------------------------------------


def plans_statement(actor: Actor, *, year: int | None = None,
                    status: PlanStatus | None = None) -> Select[Any]:
    stmt = scoped(select(MonitoringPlan), actor, MonitoringPlan.organisation_id)
    if year is not None:
        stmt = stmt.where(MonitoringPlan.year == year)
    if status is not None:
        stmt = stmt.where(MonitoringPlan.status == status)
    return stmt


def get_plan(db: Session, actor: Actor, plan_id: int) -> MonitoringPlan:
    return get_in_scope(db, MonitoringPlan, plan_id, actor, MonitoringPlan.organisation_id,
                        object_name=PLAN)


def get_version(db: Session, actor: Actor, plan_id: int,
                version: int | None = None) -> MonitoringPlanVersion:
    plan = get_plan(db, actor, plan_id)
    found = db.execute(select(MonitoringPlanVersion).where(
        MonitoringPlanVersion.plan_id == plan.id,
        MonitoringPlanVersion.version == (version or plan.current_version),
    )).scalar_one_or_none()
    if found is None:
        raise NotFound(N_("plan version"))
    return found


def versions(db: Session, actor: Actor, plan_id: int) -> list[MonitoringPlanVersion]:
    plan = get_plan(db, actor, plan_id)
    return list(db.execute(select(MonitoringPlanVersion).where(
        MonitoringPlanVersion.plan_id == plan.id).order_by(MonitoringPlanVersion.version.desc())
    ).scalars())


def _content(version: MonitoringPlanVersion) -> dict[str, Any]:
    return {"title": version.title, "description": version.description,
            "period": version.period, "targets": version.targets}


def create_plan(db: Session, actor: Actor, data: dict[str, Any]) -> MonitoringPlan:
    """A unit's plan for a year, as draft version 1 (one plan per unit and year: 409 else)."""
    organisation = identity.get_organisation(db, actor,
                                             data.get("organisation_id") or actor.organisation_id
                                             or 0)
    period = SchedulePeriod(data.get("period") or SchedulePeriod.quarter)
    targets = _check_targets(db, actor, _jsonable_targets(data.get("targets") or []), period)
    if db.execute(select(MonitoringPlan.id).where(
            MonitoringPlan.organisation_id == organisation.id,
            MonitoringPlan.year == data["year"])).first():
        raise Conflict(N_("{organisation} already has a monitoring plan for {year}; revise it."),
                       organisation=organisation.name_zh, year=data["year"])
    plan = MonitoringPlan(organisation_id=organisation.id, year=data["year"],
                          status=PlanStatus.draft, current_version=1)
    db.add(plan)
    db.flush()
    version = MonitoringPlanVersion(plan_id=plan.id, version=1, title=data["title"],
                                    description=data.get("description"), period=period,
                                    targets=targets, created_by=actor.username)
    db.add(version)
    db.flush()
    audit.record(db, actor, "monitoring.plan.create", object_type="monitoring_plan",
                 object_id=plan.id, after={"number": plan.number, "year": plan.year,
                                           **_content(version)},
                 organisation_id=organisation.id)
    return plan


def revise_plan(db: Session, actor: Actor, plan_id: int, changes: dict[str, Any],
                reason: str | None) -> MonitoringPlan:
    """Change the plan's content: in place while the current version is unapproved, else as
    version n+1 (reason required) that sends the plan back to draft for approval."""
    plan = get_plan(db, actor, plan_id)
    if plan.status == PlanStatus.closed:
        raise InvalidTransition(object=PLAN, current=PlanStatus.closed.msgid,
                                target=PlanEvent.revise.value)
    current = get_version(db, actor, plan.id)
    period = SchedulePeriod(changes.get("period") or current.period)
    new = {
        "title": changes.get("title") or current.title,
        "description": changes.get("description", current.description),
        "period": period,
        "targets": _check_targets(db, actor, _jsonable_targets(changes["targets"]), period)
        if changes.get("targets") is not None else current.targets,
    }
    if period != current.period and changes.get("targets") is None:
        new["targets"] = _check_targets(db, actor, [
            {**t, "distribution": None} for t in current.targets], period)
    before, after = audit.diff(_content(current), new)
    if not after and not before:
        return plan
    status_before = plan.status
    if current.approved_at is None:
        for name, value in new.items():
            setattr(current, name, value)
        if reason:
            current.reason = reason
        version = current
    else:
        if not reason:
            raise ValidationFailed(fields=[FieldProblem(
                "reason", N_("Give the reason for revising an approved plan."))])
        version = MonitoringPlanVersion(plan_id=plan.id, version=plan.current_version + 1,
                                        reason=reason, created_by=actor.username, **new)
        db.add(version)
        if plan.status != PlanStatus.draft:
            # Back to draft until the new version is approved: the move is audited on its own,
            # the revision's content below.
            move(db, PLAN_FLOW, plan, PlanEvent.revise.value, actor=actor,
                 action="monitoring.plan.revise", reason=reason,
                 current_version=version.version)
        else:
            plan.current_version = version.version
    db.flush()
    audit.record(db, actor, "monitoring.plan.revise", object_type="monitoring_plan",
                 object_id=plan.id,
                 before={**before, "version": current.version, "status": status_before},
                 after={**after, "version": version.version, "status": plan.status},
                 reason=reason, organisation_id=plan.organisation_id)
    return plan


def approve_plan(db: Session, actor: Actor, plan_id: int, reason: str | None) -> MonitoringPlan:
    """Approve the current version (draft → approved); a plan needs at least one target."""
    plan = get_plan(db, actor, plan_id)
    version = get_version(db, actor, plan.id)
    if not version.targets:
        raise Conflict(N_("A monitoring plan needs at least one target to be approved."))
    move(db, PLAN_FLOW, plan, PlanEvent.approve.value, actor=actor,
         action="monitoring.plan.approve", reason=reason, noted={"version": version.version})
    version.approved_at = utcnow()
    version.approved_by = actor.username
    db.flush()
    return plan


def close_plan(db: Session, actor: Actor, plan_id: int, reason: str | None) -> MonitoringPlan:
    """Close the year's plan; open tasks stay as they are (cancel them for the record)."""
    plan = get_plan(db, actor, plan_id)
    move(db, PLAN_FLOW, plan, PlanEvent.close.value, actor=actor,
         action="monitoring.plan.close", reason=reason)
    plan.closed_at = utcnow()
    db.flush()
    return plan


# --- Sampling tasks ------------------------------------------------------------------------


def unit_samplers(db: Session, organisation_id: int) -> list[User]:
    """The unit's active users who take samples: risk officers and port officers."""
    return list(db.execute(
        select(User).join(UserRole, UserRole.user_id == User.id).where(
            User.organisation_id == organisation_id, User.active.is_(True),
            UserRole.role.in_(SAMPLING_ROLES),
        ).order_by(User.id)
    ).scalars().unique())


def _notify(db: Session, task: SamplingTask, users: list[User], label: str) -> None:
    for user in users:
        outbox.notify_user(
            db, user, topic=TASK_TOPIC, subject=N_("Sampling task {task}"),
            body=N_("Take {samples} samples of {target} by {due_on} (task {task})."),
            params={"task": task.number, "samples": task.samples_planned, "target": label,
                    "due_on": task.due_on.isoformat()},
            link=f"/console/monitoring/tasks/{task.id}",
            dedupe_key=f"sampling-task:{task.id}:{task.organisation_id}:"
                       f"{task.assignee_user_id or 0}:{user.id}",
        )  # fmt: skip


def generate_tasks(db: Session, actor: Actor,
                   plan_id: int) -> tuple[list[SamplingTask], list[SamplingTask]]:
    """Create the tasks of the approved plan (quota × schedule period) that do not exist yet.

    Returns (created, existing). Existing tasks still `assigned` take the current quota.
    """
    plan = get_plan(db, actor, plan_id)
    if plan.status not in (PlanStatus.approved, PlanStatus.in_progress):
        raise Conflict(N_("Sampling tasks are generated from an approved plan; this one is "
                          "{status}."), status=PlanStatus(plan.status).msgid)
    version = get_version(db, actor, plan.id)
    existing = {(t.target_key, t.period): t for t in db.execute(
        select(SamplingTask).where(SamplingTask.plan_id == plan.id)).scalars()}
    created: list[SamplingTask] = []
    kept: list[SamplingTask] = []
    for target in version.targets:
        points = target.get("monitoring_point_ids") or []
        for number, quota in enumerate(quotas(target, version.period), start=1):
            task = existing.get((target["key"], number))
            if task is not None:
                if task.status == TaskStatus.assigned and quota and \
                        task.samples_planned != quota:
                    task.samples_planned = quota
                    task.plan_version = version.version
                kept.append(task)
                continue
            if quota <= 0:
                continue
            task = SamplingTask(
                plan_id=plan.id, plan_version=version.version, target_key=target["key"],
                organisation_id=target.get("organisation_id") or plan.organisation_id,
                period=number, samples_planned=quota, samples_taken=0,
                due_on=period_bounds(plan.year, version.period, number)[1],
                status=TaskStatus.assigned,
                monitoring_point_id=points[0] if len(points) == 1 else None,
            )  # fmt: skip
            db.add(task)
            created.append(task)
    db.flush()
    for task in created:
        target = next(t for t in version.targets if t["key"] == task.target_key)
        _notify(db, task, unit_samplers(db, task.organisation_id), target_label(target))
    if not created:
        return created, kept
    noted: dict[str, Any] = {"version": version.version,
                             "created": [t.number for t in created][:200],
                             "samples": sum(t.samples_planned for t in created)}
    if plan.status == PlanStatus.approved:
        # The plan starts with its first tasks; the move's entry notes them.
        move(db, PLAN_FLOW, plan, PlanEvent.start.value, actor=actor,
             action="monitoring.tasks.generate", noted=noted)
    else:
        audit.record(db, actor, "monitoring.tasks.generate", object_type="monitoring_plan",
                     object_id=plan.id, before={"status": plan.status},
                     after={"status": plan.status, **noted},
                     organisation_id=plan.organisation_id)
    return created, kept


def tasks_statement(actor: Actor, *, plan_id: int | None = None,
                    status: TaskStatus | None = None, overdue_on: dt.date | None = None,
                    organisation_id: int | None = None) -> Select[Any]:
    stmt = scoped(select(SamplingTask), actor, SamplingTask.organisation_id)
    if plan_id is not None:
        stmt = stmt.where(SamplingTask.plan_id == plan_id)
    if status is not None:
        stmt = stmt.where(SamplingTask.status == status)
    if organisation_id is not None:
        stmt = stmt.where(SamplingTask.organisation_id == organisation_id)
    if overdue_on is not None:
        stmt = stmt.where(SamplingTask.due_on < overdue_on,
                          SamplingTask.status.in_(OPEN_TASK_STATUSES))
    return stmt


def get_task(db: Session, actor: Actor, task_id: int) -> SamplingTask:
    return get_in_scope(db, SamplingTask, task_id, actor, SamplingTask.organisation_id,
                        object_name=TASK)


def task_target(db: Session, task: SamplingTask) -> dict[str, Any]:
    """The target of the plan version the task was generated from."""
    version = db.execute(select(MonitoringPlanVersion).where(
        MonitoringPlanVersion.plan_id == task.plan_id,
        MonitoringPlanVersion.version == task.plan_version)).scalar_one()
    return next((t for t in version.targets if t["key"] == task.target_key),
                {"key": task.target_key, "test_items": [], "samples": task.samples_planned})


def assign_task(db: Session, actor: Actor, task_id: int, *, organisation_id: int | None = None,
                assignee_user_id: int | None = None,
                monitoring_point_id: int | None = None) -> SamplingTask:
    """Reassign an open task to a unit and/or one of the unit's officers (who is notified)."""
    task = get_task(db, actor, task_id)
    if task.status not in OPEN_TASK_STATUSES:
        raise Conflict(N_("Only open sampling tasks can be assigned."))
    before = {"organisation_id": task.organisation_id, "assignee_user_id": task.assignee_user_id,
              "monitoring_point_id": task.monitoring_point_id}
    if organisation_id is not None and organisation_id != task.organisation_id:
        task.organisation_id = identity.get_organisation(db, actor, organisation_id).id
        task.assignee_user_id = None
    notify: list[User] = []
    if assignee_user_id is not None:
        user = identity.get_user(db, actor, assignee_user_id)
        if user.organisation_id != task.organisation_id or not user.active \
                or not (user.roles & set(SAMPLING_ROLES)):
            raise ValidationFailed(fields=[FieldProblem(
                "assignee_user_id",
                N_("Assign a risk officer or port officer of the unit that holds the task."))])
        task.assignee_user_id = user.id
        notify = [user]
    elif task.organisation_id != before["organisation_id"]:
        notify = unit_samplers(db, task.organisation_id)
    if monitoring_point_id is not None:
        task.monitoring_point_id = get_in_scope(
            db, MonitoringPoint, monitoring_point_id, actor, MonitoringPoint.organisation_id,
            object_name=N_("monitoring point")).id
    after = {"organisation_id": task.organisation_id, "assignee_user_id": task.assignee_user_id,
             "monitoring_point_id": task.monitoring_point_id}
    old, new = audit.diff(before, after)
    db.flush()
    if old or new:
        audit.record(db, actor, "monitoring.task.assign", object_type="sampling_task",
                     object_id=task.id, before=old, after=new,
                     organisation_id=task.organisation_id)
        _notify(db, task, notify, target_label(task_target(db, task)))
    return task


def transition_task(db: Session, actor: Actor, task_id: int, event: TaskEvent, *,
                    samples_taken: int | None = None, reason: str | None = None) -> SamplingTask:
    """Samples taken (with their number), completed, or cancelled (with a reason, by a holder
    of monitoring.plan). Results move a task to `tested` on their own."""
    task = get_task(db, actor, task_id)
    if event == TaskEvent.cancel:
        if not actor.can(Permission.MONITORING_PLAN):
            raise PermissionDenied(permission=Permission.MONITORING_PLAN.value)
        if not reason:
            raise ValidationFailed(fields=[FieldProblem(
                "reason", N_("Give the reason for cancelling the task."))])
    if event == TaskEvent.sample and not samples_taken:
        raise ValidationFailed(fields=[FieldProblem(
            "samples_taken", N_("Give the number of samples taken."))])
    if event == TaskEvent.test:
        raise Conflict(N_("A task is tested when its results are entered."))
    changes: dict[str, Any] = ({"samples_taken": samples_taken or 0}
                               if event == TaskEvent.sample else {})
    move(db, TASK_FLOW, task, event.value, actor=actor, action=f"monitoring.task.{event.value}",
         reason=reason, **changes)
    if event == TaskEvent.cancel:
        task.cancel_reason = reason
    if task.status == TaskStatus.done:
        task.done_at = utcnow()
    db.flush()
    return task
