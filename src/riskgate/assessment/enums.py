"""Vocabularies of the assessment workflow and of the risk matrix."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class AssessmentStatus(StrEnum):
    """draft → in_review (with the expert committee) → concluded; draft → concluded for the risks
    an officer may conclude alone; draft / in_review → withdrawn."""

    draft = "draft"
    in_review = "in_review"
    concluded = "concluded"
    withdrawn = "withdrawn"


class Conclusion(StrEnum):
    unsafe = "unsafe"
    safe = "safe"
    insufficient_evidence = "insufficient_evidence"


class RiskLevel(StrEnum):
    """The four risk levels of the EU product-safety risk matrix, most severe first."""

    serious = "serious"
    high = "high"
    medium = "medium"
    low = "low"


class Urgency(StrEnum):
    """How soon harm may occur: immediate (products on the market / at the border now), short
    term (weeks), long term (months or more, e.g. chronic exposure)."""

    immediate = "immediate"
    short_term = "short_term"
    long_term = "long_term"


class ImpactScope(StrEnum):
    """How widely the product reaches consumers: nationwide, several provinces (regional),
    one locality or batch (local)."""

    nationwide = "nationwide"
    regional = "regional"
    local = "local"


STATUS_LABELS: dict[AssessmentStatus, str] = {
    AssessmentStatus.draft: N_("Draft"),
    AssessmentStatus.in_review: N_("With the expert committee"),
    AssessmentStatus.concluded: N_("Conclusion reached"),
    AssessmentStatus.withdrawn: N_("Withdrawn"),
}
CONCLUSION_LABELS: dict[Conclusion, str] = {
    Conclusion.unsafe: N_("Unsafe"),
    Conclusion.safe: N_("Safe"),
    Conclusion.insufficient_evidence: N_("Insufficient evidence"),
}
RISK_LEVEL_LABELS: dict[RiskLevel, str] = {
    RiskLevel.serious: N_("Serious risk"),
    RiskLevel.high: N_("High risk"),
    RiskLevel.medium: N_("Medium risk"),
    RiskLevel.low: N_("Low risk"),
}
URGENCY_LABELS: dict[Urgency, str] = {
    Urgency.immediate: N_("Immediate"),
    Urgency.short_term: N_("Short term"),
    Urgency.long_term: N_("Long term"),
}
SCOPE_LABELS: dict[ImpactScope, str] = {
    ImpactScope.nationwide: N_("Nationwide"),
    ImpactScope.regional: N_("Several provinces"),
    ImpactScope.local: N_("Local"),
}
