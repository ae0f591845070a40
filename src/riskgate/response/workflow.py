"""The workflows of response cases and tasks (see core.workflow).

Task: pending → in_progress → done; pending / in_progress → waived (with a reason);
done → in_progress (reopened, with a reason); pending / in_progress → closed (unfinished, when
the warning is lifted or withdrawn; `closed_reason` says which).
Case: open → closed (every task done or waived) or cancelled (warning withdrawn);
closed → open (an adjustment of the warning added tasks).

A task's moves are audited in its case owner's trail (`organisation_id` of each move), so that
the owner's audit trail shows the whole case.
"""

from __future__ import annotations

from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.response.enums import CaseStatus, TaskStatus

CASE_OBJECT = N_("response case")
TASK_OBJECT = N_("response task")
CASE_TYPE = "response_case"
TASK_TYPE = "response_task"

TASK_FLOW: Workflow[TaskStatus] = Workflow(
    object_name=TASK_OBJECT,
    audit_type=TASK_TYPE,
    transitions={
        TaskStatus.pending: {TaskStatus.in_progress, TaskStatus.waived, TaskStatus.closed},
        TaskStatus.in_progress: {TaskStatus.done, TaskStatus.waived, TaskStatus.closed},
        TaskStatus.done: {TaskStatus.in_progress},
        TaskStatus.waived: set(),
        TaskStatus.closed: set(),
    },
    audited=("progress_percent", "started_at", "completed_at", "waived_reason", "closed_reason"),
)

CASE_FLOW: Workflow[CaseStatus] = Workflow(
    object_name=CASE_OBJECT,
    audit_type=CASE_TYPE,
    transitions={
        CaseStatus.open: {CaseStatus.closed, CaseStatus.cancelled},
        CaseStatus.closed: {CaseStatus.open},
        CaseStatus.cancelled: set(),
    },
    audited=("closed_at", "closed_by", "close_note"),
)
