"""States and kinds of the rapid-response domain, each with its label, and the labels of its
audit entries."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class CaseStatus(LabelledEnum):
    """A response case is open until every task is done or waived; cancelled when its warning
    is withdrawn as published in error."""

    open = "open", N_("Open")
    closed = "closed", N_("Closed")
    cancelled = "cancelled", N_("Cancelled")


class CaseOrigin(StrEnum):
    """How a case was opened (stored, never shown as such)."""

    rules = "rules"  # opened by the joint-disposal rules when the warning was published
    manual = "manual"  # opened by hand


class TaskStatus(LabelledEnum):
    pending = "pending", N_("Pending")
    in_progress = "in_progress", N_("In progress")
    done = "done", N_("Done")
    waived = "waived", N_("Waived")
    # Ended unfinished because its warning was lifted or withdrawn (`closed_reason` says which):
    # neither done nor waived, and never counted as completed.
    closed = "closed", N_("Closed unfinished")


# Still to be worked on (reminded, escalated, shown as overdue).
OPEN_TASK_STATES = frozenset({TaskStatus.pending, TaskStatus.in_progress})
# Finished by the unit's work or the owner's decision: what completion shares count.
FINISHED_TASK_STATES = frozenset({TaskStatus.done, TaskStatus.waived})
# No longer open, however it ended.
ENDED_TASK_STATES = FINISHED_TASK_STATES | {TaskStatus.closed}


class UnitRole(LabelledEnum):
    lead = "lead", N_("Lead unit")  # 牵头单位
    cooperating = "cooperating", N_("Cooperating unit")  # 配合单位


# What its audit entries' actions and object types are called on the audit pages and the case
# timeline (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "response_case": N_("Response case"),
    "response_task": N_("Response task"),
    "disposal_rule": N_("Joint-disposal rule"),
    "response.case.open": N_("Case opened"),
    "response.case.close": N_("Case closed"),
    "response.case.cancel": N_("Case cancelled"),
    "response.case.reopen": N_("Case reopened"),
    "response.task.create": N_("Task created"),
    "response.task.start": N_("Task started"),
    "response.task.report": N_("Progress reported"),
    "response.task.complete": N_("Task done"),
    "response.task.waive": N_("Task waived"),
    "response.task.reopen": N_("Task reopened"),
    "response.task.remind": N_("Reminder sent"),
    "response.task.escalate": N_("Escalated to supervisors"),
    "response.task.close": N_("Task closed unfinished"),
    "response.rule.create": N_("Joint-disposal rule created"),
    "response.rule.update": N_("Joint-disposal rule changed"),
    "response.rule.deactivate": N_("Joint-disposal rule deactivated"),
}
