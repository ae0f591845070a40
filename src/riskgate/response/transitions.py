"""The transition tables of response cases and tasks, and the one function moving each.

Task: pending → in_progress → done; pending / in_progress → waived (with a reason);
done → in_progress (reopened, with a reason).
Case: open → closed (every task done or waived) or cancelled (warning withdrawn);
closed → open (an adjustment of the warning added tasks).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.errors import InvalidTransition
from riskgate.core.i18n import N_
from riskgate.response.enums import CaseStatus, TaskStatus
from riskgate.response.models import ResponseCase, ResponseTask

CASE_OBJECT = N_("response case")
TASK_OBJECT = N_("response task")
CASE_TYPE = "response_case"
TASK_TYPE = "response_task"

TASK_STATUS_LABELS = {
    TaskStatus.pending: N_("Pending"),
    TaskStatus.in_progress: N_("In progress"),
    TaskStatus.done: N_("Done"),
    TaskStatus.waived: N_("Waived"),
}
CASE_STATUS_LABELS = {
    CaseStatus.open: N_("Open"),
    CaseStatus.closed: N_("Closed"),
    CaseStatus.cancelled: N_("Cancelled"),
}

TASK_TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.pending: frozenset({TaskStatus.in_progress, TaskStatus.waived}),
    TaskStatus.in_progress: frozenset({TaskStatus.done, TaskStatus.waived}),
    TaskStatus.done: frozenset({TaskStatus.in_progress}),
    TaskStatus.waived: frozenset(),
}
CASE_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.open: frozenset({CaseStatus.closed, CaseStatus.cancelled}),
    CaseStatus.closed: frozenset({CaseStatus.open}),
    CaseStatus.cancelled: frozenset(),
}


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value.value if hasattr(value, "value") else value


def task_snapshot(task: ResponseTask) -> dict[str, Any]:
    return {name: _plain(getattr(task, name)) for name in (
        "status", "progress_percent", "started_at", "completed_at", "waived_reason")}


def case_snapshot(case: ResponseCase) -> dict[str, Any]:
    return {name: _plain(getattr(case, name)) for name in (
        "status", "closed_at", "closed_by", "close_note")}


def check_task(task: ResponseTask, target: TaskStatus) -> None:
    if target not in TASK_TRANSITIONS[TaskStatus(task.status)]:
        raise InvalidTransition(object=TASK_OBJECT,
                                current=TASK_STATUS_LABELS[TaskStatus(task.status)],
                                target=TASK_STATUS_LABELS[target])


def move_task(db: Session, actor: Actor, task: ResponseTask, target: TaskStatus, *,
              action: str, organisation_id: int, reason: str | None = None,
              **changes: Any) -> ResponseTask:
    """The one place that changes a task's status; audited before/after (organisation: the
    case owner's, so the owner's audit trail shows the whole case)."""
    check_task(task, target)
    before = task_snapshot(task)
    task.status = target
    for name, value in changes.items():
        setattr(task, name, value)
    db.flush()
    old, new = audit.diff(before, task_snapshot(task))
    audit.record(db, actor, action, object_type=TASK_TYPE, object_id=task.id, before=old,
                 after=new, reason=reason, organisation_id=organisation_id)
    return task


def move_case(db: Session, actor: Actor, case: ResponseCase, target: CaseStatus, *,
              action: str, reason: str | None = None, **changes: Any) -> ResponseCase:
    """The one place that changes a case's status; audited before/after."""
    if target not in CASE_TRANSITIONS[CaseStatus(case.status)]:
        raise InvalidTransition(object=CASE_OBJECT,
                                current=CASE_STATUS_LABELS[CaseStatus(case.status)],
                                target=CASE_STATUS_LABELS[target])
    before = case_snapshot(case)
    case.status = target
    for name, value in changes.items():
        setattr(case, name, value)
    db.flush()
    old, new = audit.diff(before, case_snapshot(case))
    audit.record(db, actor, action, object_type=CASE_TYPE, object_id=case.id, before=old,
                 after=new, reason=reason, organisation_id=case.organisation_id)
    return case
