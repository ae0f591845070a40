"""A plan's progress: samples planned, taken, tested and failed per target and period, and the
overdue tasks.

planned = the quotas of tasks not cancelled; taken = the samples the tasks report taken;
tested = distinct samples with at least one result; failed = distinct samples with at least one
failing result. A task is overdue when it is still open after its due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.monitoring.enums import OPEN_TASK_STATUSES, TaskStatus
from riskgate.monitoring.models import SamplingResult, SamplingTask
from riskgate.monitoring.service import get_plan, get_version, quotas, target_label


@dataclass
class Row:
    target_key: str
    label: str
    period: int | None
    planned: int = 0
    taken: int = 0
    tested: int = 0
    failed: int = 0

    def add(self, other: Row) -> None:
        self.planned += other.planned
        self.taken += other.taken
        self.tested += other.tested
        self.failed += other.failed


@dataclass
class Progress:
    plan_id: int
    period: Any
    totals: Row
    by_target: list[Row]
    by_period: list[Row]
    cells: list[Row]
    overdue: list[SamplingTask]


def plan_progress(db: Session, actor: Actor, plan_id: int, today: dt.date) -> Progress:
    """Figures of the plan's current version; tasks of targets since removed still count under
    their own key, so nothing sampled disappears from the totals."""
    plan = get_plan(db, actor, plan_id)
    version = get_version(db, actor, plan.id)
    tasks = list(db.execute(select(SamplingTask).where(SamplingTask.plan_id == plan.id)
                            .order_by(SamplingTask.id)).scalars())
    tested = dict(db.execute(
        select(SamplingResult.task_id, func.count(func.distinct(SamplingResult.sample_code)))
        .join(SamplingTask, SamplingTask.id == SamplingResult.task_id)
        .where(SamplingTask.plan_id == plan.id).group_by(SamplingResult.task_id)).all())
    failed = dict(db.execute(
        select(SamplingResult.task_id, func.count(func.distinct(SamplingResult.sample_code)))
        .join(SamplingTask, SamplingTask.id == SamplingResult.task_id)
        .where(SamplingTask.plan_id == plan.id, SamplingResult.passed.is_(False))
        .group_by(SamplingResult.task_id)).all())
    labels = {t["key"]: target_label(t) for t in version.targets}
    cells: dict[tuple[str, int], Row] = {}
    for target in version.targets:  # planned quotas show even before tasks are generated
        for number, quota in enumerate(quotas(target, version.period), start=1):
            if quota:
                cells[(target["key"], number)] = Row(target["key"], labels[target["key"]],
                                                     number)
    for task in tasks:
        key = (task.target_key, task.period)
        cell = cells.setdefault(key, Row(task.target_key, labels.get(task.target_key,
                                                                     task.target_key),
                                         task.period))
        if task.status != TaskStatus.cancelled:
            cell.planned += task.samples_planned
        cell.taken += task.samples_taken
        cell.tested += int(tested.get(task.id, 0))
        cell.failed += int(failed.get(task.id, 0))
    generated = {(t.target_key, t.period) for t in tasks}
    for target in version.targets:
        for number, quota in enumerate(quotas(target, version.period), start=1):
            if quota and (target["key"], number) not in generated:
                cells[(target["key"], number)].planned += quota
    ordered = [cells[k] for k in sorted(cells, key=lambda k: (k[1], k[0]))]
    by_target: dict[str, Row] = {}
    by_period: dict[int, Row] = {}
    totals = Row("", "", None)
    for cell in ordered:
        by_target.setdefault(cell.target_key, Row(cell.target_key, cell.label, None)).add(cell)
        by_period.setdefault(cell.period or 0, Row("", "", cell.period)).add(cell)
        totals.add(cell)
    overdue = [t for t in tasks if t.status in OPEN_TASK_STATUSES and t.due_on < today]
    return Progress(plan.id, version.period, totals, list(by_target.values()),
                    [by_period[k] for k in sorted(by_period)], ordered, overdue)
