"""The workflow of a risk assessment (see core.workflow).

draft → in_review (submitted to the expert committee) → concluded (the committee's decision);
draft → concluded by the officer alone (a computed low or medium risk only, `service.conclude`);
draft / in_review → withdrawn, with a reason. Each move is audited with the assessment's fields
(`RiskAssessment.snapshot`).
"""

from __future__ import annotations

from riskgate.assessment.enums import AssessmentStatus as S
from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow

OBJECT = N_("risk assessment")
OBJECT_TYPE = "risk_assessment"

# The audited fields of an assessment beside its status (those of `RiskAssessment.snapshot`).
AUDITED = ("number", "organisation_id", "title", "description", "signal_id", "hazard_class",
           "product_category", "hs_code", "origin_country", "scenarios", "urgency",
           "impact_scope", "severity", "probability", "risk_level", "warning_level",
           "warning_type", "measures", "conclusion", "conclusion_rationale",
           "committee_meeting_id", "withdrawn_reason")

ASSESSMENT_FLOW: Workflow[S] = Workflow(
    object_name=OBJECT,
    audit_type=OBJECT_TYPE,
    transitions={
        S.draft: {S.in_review, S.concluded, S.withdrawn},
        S.in_review: {S.concluded, S.withdrawn},
        S.concluded: set(),
        S.withdrawn: set(),
    },
    audited=AUDITED,
)
