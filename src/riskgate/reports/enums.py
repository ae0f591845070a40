"""Vocabularies of public and enterprise reports, with their labels (English msgids)."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class ReportKind(StrEnum):
    """The two kinds of report the public files on the portal."""

    complaint = "complaint"
    whistleblower = "whistleblower"


class ReportRoute(StrEnum):
    """Where the problem was met: on the domestic market (12315, market regulator) or at the
    border — an import/export, a cross-border purchase, a port (12360, customs)."""

    market = "market"
    border = "border"


class ReportStatus(StrEnum):
    """Where a public report stands; changes only through `service.TRANSITIONS`."""

    received = "received"
    accepted = "accepted"
    in_progress = "in_progress"
    closed = "closed"
    rejected = "rejected"


class RewardStatus(StrEnum):
    """A whistleblower's reward: proposed, then approved (or declined), then paid."""

    none = "none"
    proposed = "proposed"
    approved = "approved"
    declined = "declined"
    paid = "paid"


class EnterpriseReportKind(StrEnum):
    """What an enterprise files from its account."""

    accident = "accident"
    self_inspection = "self_inspection"


class InspectionResult(StrEnum):
    passed = "pass"
    failed = "fail"


class AgeGroup(StrEnum):
    """Age group of the injured (the record keeps the code)."""

    infant = "0-3"
    child = "4-14"
    teenager = "15-17"
    adult = "18-59"
    senior = "60+"
    unknown = "unknown"


KIND_LABELS = {
    ReportKind.complaint: N_("Consumer complaint"),
    ReportKind.whistleblower: N_("Whistleblower report"),
}
ROUTE_LABELS = {
    ReportRoute.market: N_("On the domestic market (shop, online store) — 12315"),
    ReportRoute.border: N_(
        "At the border: an import or export, a cross-border purchase, a port — 12360"),
}
STATUS_LABELS = {
    ReportStatus.received: N_("Received, to be examined"),
    ReportStatus.accepted: N_("Accepted"),
    ReportStatus.in_progress: N_("Being handled"),
    ReportStatus.closed: N_("Closed"),
    ReportStatus.rejected: N_("Rejected"),
}
REWARD_LABELS = {
    RewardStatus.none: N_("No reward decided"),
    RewardStatus.proposed: N_("Reward proposed"),
    RewardStatus.approved: N_("Reward approved"),
    RewardStatus.declined: N_("No reward"),
    RewardStatus.paid: N_("Reward paid"),
}
ENTERPRISE_KIND_LABELS = {
    EnterpriseReportKind.accident: N_("Accident report"),
    EnterpriseReportKind.self_inspection: N_("Self-inspection result"),
}
RESULT_LABELS = {
    InspectionResult.passed: N_("Pass"),
    InspectionResult.failed: N_("Fail"),
}
AGE_GROUP_LABELS = {
    AgeGroup.infant: N_("0–3 years"),
    AgeGroup.child: N_("4–14 years"),
    AgeGroup.teenager: N_("15–17 years"),
    AgeGroup.adult: N_("18–59 years"),
    AgeGroup.senior: N_("60 years or older"),
    AgeGroup.unknown: N_("Unknown"),
}
SEVERITY_LABELS = {
    "none": N_("No injury"),
    "minor": N_("Minor injury"),
    "serious": N_("Serious injury"),
    "fatal": N_("Death"),
    "unknown": N_("Unknown"),
}
