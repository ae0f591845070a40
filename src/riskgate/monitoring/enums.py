"""Closed vocabularies of monitoring plans (M1) and monitoring points (M4), with the two
transition tables: the plan's life and the sampling task's life."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class PlanStatus(StrEnum):
    """An annual monitoring plan: drafted, approved, being carried out, closed."""

    draft = "draft"
    approved = "approved"
    in_progress = "in_progress"
    closed = "closed"


class PlanEvent(StrEnum):
    approve = "approve"
    start = "start"  # the first sampling tasks are generated
    revise = "revise"  # an approved version is revised: the new version awaits approval
    close = "close"


# The one transition table of the plan workflow: (from, event) -> to.
PLAN_TRANSITIONS: dict[tuple[PlanStatus, PlanEvent], PlanStatus] = {
    (PlanStatus.draft, PlanEvent.approve): PlanStatus.approved,
    (PlanStatus.approved, PlanEvent.start): PlanStatus.in_progress,
    (PlanStatus.approved, PlanEvent.revise): PlanStatus.draft,
    (PlanStatus.in_progress, PlanEvent.revise): PlanStatus.draft,
    (PlanStatus.approved, PlanEvent.close): PlanStatus.closed,
    (PlanStatus.in_progress, PlanEvent.close): PlanStatus.closed,
}

PLAN_LABELS = {
    PlanStatus.draft: N_("Draft"),
    PlanStatus.approved: N_("Approved"),
    PlanStatus.in_progress: N_("In progress"),
    PlanStatus.closed: N_("Closed"),
}


class SchedulePeriod(StrEnum):
    """How a plan spreads its samples over the year."""

    quarter = "quarter"
    month = "month"


PERIOD_COUNT = {SchedulePeriod.quarter: 4, SchedulePeriod.month: 12}


class TaskStatus(StrEnum):
    """A sampling task: assigned to a unit, samples taken, tested, done — or cancelled."""

    assigned = "assigned"
    sampled = "sampled"
    tested = "tested"
    done = "done"
    cancelled = "cancelled"


class TaskEvent(StrEnum):
    sample = "sample"
    test = "test"
    complete = "complete"
    cancel = "cancel"


# The one transition table of the sampling task: (from, event) -> to.
TASK_TRANSITIONS: dict[tuple[TaskStatus, TaskEvent], TaskStatus] = {
    (TaskStatus.assigned, TaskEvent.sample): TaskStatus.sampled,
    (TaskStatus.sampled, TaskEvent.test): TaskStatus.tested,
    (TaskStatus.tested, TaskEvent.complete): TaskStatus.done,
    (TaskStatus.assigned, TaskEvent.cancel): TaskStatus.cancelled,
    (TaskStatus.sampled, TaskEvent.cancel): TaskStatus.cancelled,
    (TaskStatus.tested, TaskEvent.cancel): TaskStatus.cancelled,
}

TASK_LABELS = {
    TaskStatus.assigned: N_("Assigned"),
    TaskStatus.sampled: N_("Sampled"),
    TaskStatus.tested: N_("Tested"),
    TaskStatus.done: N_("Done"),
    TaskStatus.cancelled: N_("Cancelled"),
}
OPEN_TASK_STATUSES = (TaskStatus.assigned, TaskStatus.sampled, TaskStatus.tested)


class Comparison(StrEnum):
    """How a measured value is compared with the limit to pass.

    `le`: at most the limit (residues, contaminants); `lt`: below it; `ge` / `gt`: at least /
    above it (e.g. a minimum content); `eq`: exactly it; `absent`: not detected (value 0).
    """

    le = "le"
    lt = "lt"
    ge = "ge"
    gt = "gt"
    eq = "eq"
    absent = "absent"


COMPARISON_SYMBOLS = {
    Comparison.le: "≤", Comparison.lt: "<", Comparison.ge: "≥", Comparison.gt: ">",
    Comparison.eq: "=", Comparison.absent: "",
}  # fmt: skip


class PointType(StrEnum):
    """Kinds of monitoring point (风险监测点) named by the implementation plans (M4)."""

    port = "port"
    bonded_zone = "bonded_zone"
    duty_free = "duty_free"
    cross_border_ecommerce = "cross_border_ecommerce"
    market = "market"
    production_base = "production_base"
    other = "other"


POINT_TYPE_LABELS = {
    PointType.port: N_("Port"),
    PointType.bonded_zone: N_("Comprehensive bonded zone"),
    PointType.duty_free: N_("Duty-free shop or zone"),
    PointType.cross_border_ecommerce: N_("Cross-border e-commerce"),
    PointType.market: N_("Market"),
    PointType.production_base: N_("Production or export base"),
    PointType.other: N_("Other"),
}
