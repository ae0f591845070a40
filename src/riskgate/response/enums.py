"""States and kinds of the rapid-response domain."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class CaseStatus(StrEnum):
    """A response case is open until every task is done or waived; cancelled when its warning
    is withdrawn as published in error."""

    open = "open"
    closed = "closed"
    cancelled = "cancelled"


class CaseOrigin(StrEnum):
    rules = "rules"  # opened by the joint-disposal rules when the warning was published
    manual = "manual"  # opened by hand


class TaskStatus(StrEnum):
    pending = "pending"
    in_progress = "in_progress"
    done = "done"
    waived = "waived"


FINISHED_TASK_STATES = frozenset({TaskStatus.done, TaskStatus.waived})


class UnitRole(StrEnum):
    lead = "lead"  # 牵头单位
    cooperating = "cooperating"  # 配合单位


class Recommendation(StrEnum):
    """What an effect evaluation proposes for the warning (R2)."""

    keep = "keep"
    downgrade = "downgrade"
    lift = "lift"


class PetitionStatus(StrEnum):
    submitted = "submitted"
    accepted = "accepted"
    rejected = "rejected"


# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "case.evaluate": N_("Case effect evaluated"),
}
