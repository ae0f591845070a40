"""The workflows of a public report (see core.workflow): its handling, and a whistleblower's
reward.

received → accepted (or rejected, with a reason) → in progress → closed; an accepted report may
be closed or rejected at once. A reward is proposed (with an amount, once the report is
accepted) or declined; a proposed one approved or declined; an approved one paid.
"""

from __future__ import annotations

from dataclasses import replace

from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.reports.enums import ReportKind, ReportStatus, RewardStatus

S = ReportStatus
R = RewardStatus
OBJECT_TYPE = "public_report"
# The audited workflow fields of a report (`PublicReport.snapshot`): never contact or identity.
AUDITED = ("status", "status_reason", "reward_status", "reward_eligible", "reward_amount")

REPORT_FLOW: Workflow[S] = Workflow(
    object_name=N_("complaint"),
    audit_type=OBJECT_TYPE,
    transitions={
        S.received: {S.accepted, S.rejected},
        S.accepted: {S.in_progress, S.closed, S.rejected},
        S.in_progress: {S.closed},
        S.closed: set(),
        S.rejected: set(),
    },
    audited=AUDITED,
)
# One table for both kinds; the 409 names the kind of report it refused to move.
FLOWS: dict[ReportKind, Workflow[S]] = {
    ReportKind.complaint: REPORT_FLOW,
    ReportKind.whistleblower: replace(REPORT_FLOW, object_name=N_("whistleblower report")),
}

REWARD_FLOW: Workflow[R] = Workflow(
    object_name=N_("reward"),
    audit_type=OBJECT_TYPE,
    status_field="reward_status",
    transitions={
        R.none: {R.proposed, R.declined},
        R.proposed: {R.approved, R.declined},
        R.approved: {R.paid},
        R.declined: set(),
        R.paid: set(),
    },
    audited=AUDITED,
)
