"""Closed vocabularies of monitoring plans (M1) and monitoring points (M4), each member with its
label, and the labels of the monitoring domain's audit entries. The plan's and the sampling
task's transition tables are in `workflow.py`."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class PlanStatus(LabelledEnum):
    """An annual monitoring plan: drafted, approved, being carried out, closed."""

    draft = "draft", N_("Draft")
    approved = "approved", N_("Approved")
    in_progress = "in_progress", N_("In progress")
    closed = "closed", N_("Closed")


class PlanEvent(StrEnum):
    """The named steps of a plan (`workflow.PLAN_FLOW.events`)."""

    approve = "approve"
    start = "start"  # the first sampling tasks are generated
    revise = "revise"  # an approved version is revised: the new version awaits approval
    close = "close"


class SchedulePeriod(LabelledEnum):
    """How a plan spreads its samples over the year."""

    quarter = "quarter", N_("Per quarter")
    month = "month", N_("Per month")


PERIOD_COUNT = {SchedulePeriod.quarter: 4, SchedulePeriod.month: 12}


class TaskStatus(LabelledEnum):
    """A sampling task: assigned to a unit, samples taken, tested, done — or cancelled."""

    assigned = "assigned", N_("Assigned")
    sampled = "sampled", N_("Sampled")
    tested = "tested", N_("Tested")
    done = "done", N_("Done")
    cancelled = "cancelled", N_("Cancelled")


class TaskEvent(StrEnum):
    """The named steps of a sampling task (`workflow.TASK_FLOW.events`)."""

    sample = "sample"
    test = "test"
    complete = "complete"
    cancel = "cancel"


OPEN_TASK_STATUSES = (TaskStatus.assigned, TaskStatus.sampled, TaskStatus.tested)


class Comparison(LabelledEnum):
    """How a measured value is compared with the limit to pass.

    `le`: at most the limit (residues, contaminants); `lt`: below it; `ge` / `gt`: at least /
    above it (e.g. a minimum content); `eq`: exactly it; `absent`: not detected (value 0).
    """

    le = "le", N_("At most the limit (≤)")
    lt = "lt", N_("Below the limit (<)")
    ge = "ge", N_("At least the limit (≥)")
    gt = "gt", N_("Above the limit (>)")
    eq = "eq", N_("Equal to the limit (=)")
    absent = "absent", N_("Not detected")

    @property
    def symbol(self) -> str:
        """How the comparison is written before a limit ("≤ 0.02 mg/kg")."""
        return COMPARISON_SYMBOLS[self]


COMPARISON_SYMBOLS = {
    Comparison.le: "≤", Comparison.lt: "<", Comparison.ge: "≥", Comparison.gt: ">",
    Comparison.eq: "=", Comparison.absent: "",
}  # fmt: skip


def comparison_symbol(code: str | None) -> str:
    """The symbol of a stored comparison code (plan targets keep plain strings)."""
    member = Comparison.parse(code)
    return member.symbol if member is not None else (code or "")


class PointType(LabelledEnum):
    """Kinds of monitoring point (风险监测点) named by the implementation plans (M4)."""

    port = "port", N_("Port")
    bonded_zone = "bonded_zone", N_("Comprehensive bonded zone")
    duty_free = "duty_free", N_("Duty-free shop or zone")
    cross_border_ecommerce = "cross_border_ecommerce", N_("Cross-border e-commerce")
    market = "market", N_("Market")
    production_base = "production_base", N_("Production or export base")
    other = "other", N_("Other")


# What the monitoring domain's audit entries are called on pages (actions and object types).
AUDIT_LABELS: dict[str, str] = {
    "monitoring.plan.create": N_("Monitoring plan created"),
    "monitoring.plan.revise": N_("Monitoring plan revised"),
    "monitoring.plan.approve": N_("Monitoring plan approved"),
    "monitoring.plan.close": N_("Monitoring plan closed"),
    "monitoring.tasks.generate": N_("Sampling tasks generated"),
    "monitoring.task.assign": N_("Sampling task assigned"),
    "monitoring.task.sample": N_("Samples taken"),
    "monitoring.task.complete": N_("Sampling task completed"),
    "monitoring.task.cancel": N_("Sampling task cancelled"),
    "monitoring.results.enter": N_("Sampling results entered"),
    "monitoring.results.import": N_("Sampling results imported"),
    "monitoring.point.create": N_("Monitoring point registered"),
    "monitoring.point.update": N_("Monitoring point changed"),
    "monitoring.point.attribute": N_("Records attributed to a monitoring point"),
    "monitoring_plan": N_("Monitoring plan"),
    "sampling_task": N_("Sampling task"),
    "sampling_result": N_("Sampling result"),
    "monitoring_point": N_("Monitoring point"),
}
