"""The workflows of a monitoring plan and of a sampling task (see core.workflow); both move by
named events.

A plan: draft → approved (approve) → in progress (start: its first sampling tasks are
generated) → closed (close, also from approved); an approved or running plan goes back to draft
when an approved version is revised (revise). A task: assigned → sampled (sample, with the
number of samples taken) → tested (its results are entered; results entered on an assigned task
take it there at once) → done (complete); an open task may be cancelled (cancel, with a
reason).
"""

from __future__ import annotations

from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.monitoring.enums import PlanEvent, PlanStatus, TaskEvent, TaskStatus

PLAN = N_("monitoring plan")
TASK = N_("sampling task")

PLAN_FLOW: Workflow[PlanStatus] = Workflow(
    object_name=PLAN,
    audit_type="monitoring_plan",
    transitions={
        PlanStatus.draft: {PlanStatus.approved},
        PlanStatus.approved: {PlanStatus.in_progress, PlanStatus.draft, PlanStatus.closed},
        PlanStatus.in_progress: {PlanStatus.draft, PlanStatus.closed},
        PlanStatus.closed: set(),
    },
    # Events are plain strings: `move` takes an enum member for a status, not for an event.
    events={
        (PlanStatus.draft, PlanEvent.approve.value): PlanStatus.approved,
        (PlanStatus.approved, PlanEvent.start.value): PlanStatus.in_progress,
        (PlanStatus.approved, PlanEvent.revise.value): PlanStatus.draft,
        (PlanStatus.in_progress, PlanEvent.revise.value): PlanStatus.draft,
        (PlanStatus.approved, PlanEvent.close.value): PlanStatus.closed,
        (PlanStatus.in_progress, PlanEvent.close.value): PlanStatus.closed,
    },
)

TASK_FLOW: Workflow[TaskStatus] = Workflow(
    object_name=TASK,
    audit_type="sampling_task",
    transitions={
        TaskStatus.assigned: {TaskStatus.sampled, TaskStatus.tested, TaskStatus.cancelled},
        TaskStatus.sampled: {TaskStatus.tested, TaskStatus.cancelled},
        TaskStatus.tested: {TaskStatus.done, TaskStatus.cancelled},
        TaskStatus.done: set(),
        TaskStatus.cancelled: set(),
    },
    events={
        (TaskStatus.assigned, TaskEvent.sample.value): TaskStatus.sampled,
        (TaskStatus.sampled, TaskEvent.test.value): TaskStatus.tested,
        (TaskStatus.tested, TaskEvent.complete.value): TaskStatus.done,
        (TaskStatus.assigned, TaskEvent.cancel.value): TaskStatus.cancelled,
        (TaskStatus.sampled, TaskEvent.cancel.value): TaskStatus.cancelled,
        (TaskStatus.tested, TaskEvent.cancel.value): TaskStatus.cancelled,
    },
    audited=("samples_taken",),
)
