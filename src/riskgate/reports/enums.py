"""Vocabularies of public and enterprise reports, each member with its label (English msgids)."""

from __future__ import annotations

from typing import Any

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_
from riskgate.records.enums import AgeGroup, InjurySeverity

__all__ = [
    "AUDIT_LABELS", "TEMPLATE_ENUMS", "AgeGroup", "EnterpriseReportKind", "InjurySeverity",
    "InspectionResult", "ReportKind", "ReportRoute", "ReportStatus", "RewardStatus",
]


class ReportKind(LabelledEnum):
    """The two kinds of report the public files on the portal."""

    complaint = "complaint", N_("Consumer complaint")
    whistleblower = "whistleblower", N_("Whistleblower report")


class ReportRoute(LabelledEnum):
    """Where the problem was met: on the domestic market (12315, market regulator) or at the
    border — an import/export, a cross-border purchase, a port (12360, customs)."""

    market = "market", N_("On the domestic market (shop, online store) — 12315")
    border = "border", N_(
        "At the border: an import or export, a cross-border purchase, a port — 12360")


class ReportStatus(LabelledEnum):
    """Where a public report stands; changes only through its workflow (`reports.workflow`)."""

    received = "received", N_("Received, to be examined")
    accepted = "accepted", N_("Accepted")
    in_progress = "in_progress", N_("Being handled")
    closed = "closed", N_("Closed")
    rejected = "rejected", N_("Rejected")


class RewardStatus(LabelledEnum):
    """A whistleblower's reward: proposed, then approved (or declined), then paid."""

    none = "none", N_("No reward decided")
    proposed = "proposed", N_("Reward proposed")
    approved = "approved", N_("Reward approved")
    declined = "declined", N_("No reward")
    paid = "paid", N_("Reward paid")


class EnterpriseReportKind(LabelledEnum):
    """What an enterprise files from its account."""

    accident = "accident", N_("Accident report")
    self_inspection = "self_inspection", N_("Self-inspection result")


class InspectionResult(LabelledEnum):
    passed = "pass", N_("Pass")
    failed = "fail", N_("Fail")


# The enums the report templates label plain stored codes with (`code|label(ReportStatus)`).
TEMPLATE_ENUMS: dict[str, Any] = {
    "ReportKind": ReportKind, "ReportRoute": ReportRoute, "ReportStatus": ReportStatus,
    "RewardStatus": RewardStatus, "EnterpriseReportKind": EnterpriseReportKind,
    "InspectionResult": InspectionResult, "AgeGroup": AgeGroup, "InjurySeverity": InjurySeverity,
}

# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "report.submitted": N_("Report filed"),
    "report.status_changed": N_("Report status changed"),
    "report.note_added": N_("Note added to a report"),
    "whistleblower.identity_revealed": N_("Whistleblower's identity opened"),
    "whistleblower.reward_changed": N_("Whistleblower's reward changed"),
    "enterprise_report.filed": N_("Enterprise report filed"),
    "public_report": N_("Public report"),
    "enterprise_report": N_("Enterprise report"),
}
