"""Vocabularies of the assessment workflow and of the risk matrix, each member with its label,
and the labels of the assessment domain's audit entries."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class AssessmentStatus(LabelledEnum):
    """draft → in_review (with the expert committee) → concluded; draft → concluded for the risks
    an officer may conclude alone; draft / in_review → withdrawn (`workflow.ASSESSMENT_FLOW`)."""

    draft = "draft", N_("Draft")
    in_review = "in_review", N_("With the expert committee")
    concluded = "concluded", N_("Conclusion reached")
    withdrawn = "withdrawn", N_("Withdrawn")


class Conclusion(LabelledEnum):
    unsafe = "unsafe", N_("Unsafe")
    safe = "safe", N_("Safe")
    insufficient_evidence = "insufficient_evidence", N_("Insufficient evidence")


class RiskLevel(LabelledEnum):
    """The four risk levels of the EU product-safety risk matrix, most severe first."""

    serious = "serious", N_("Serious risk")
    high = "high", N_("High risk")
    medium = "medium", N_("Medium risk")
    low = "low", N_("Low risk")


class Urgency(LabelledEnum):
    """How soon harm may occur: immediate (products on the market / at the border now), short
    term (weeks), long term (months or more, e.g. chronic exposure)."""

    immediate = "immediate", N_("Immediate")
    short_term = "short_term", N_("Short term")
    long_term = "long_term", N_("Long term")


class ImpactScope(LabelledEnum):
    """How widely the product reaches consumers: nationwide, several provinces (regional),
    one locality or batch (local)."""

    nationwide = "nationwide", N_("Nationwide")
    regional = "regional", N_("Several provinces")
    local = "local", N_("Local")


# What the assessment domain's audit entries are called on pages (actions and object types).
AUDIT_LABELS: dict[str, str] = {
    "assessment.open": N_("Risk assessment opened"),
    "assessment.update": N_("Risk assessment changed"),
    "assessment.compute": N_("Risk matrix recomputed"),
    "assessment.submit": N_("Submitted to the expert committee"),
    "assessment.conclude": N_("Conclusion reached by the officer"),
    "assessment.committee_decision": N_("Conclusion reached by the expert committee"),
    "assessment.withdraw": N_("Risk assessment withdrawn"),
    "risk_assessment": N_("Risk assessment"),
}
