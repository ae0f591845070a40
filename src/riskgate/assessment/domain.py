"""The assessment domain's contributions (listed by the composition root, riskgate.composition).

Risk assessment: the risk matrix and the mapping to warning levels.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="assessment",
    models=("riskgate.assessment.models",),
    api=("riskgate.assessment.api",),
    pages=("riskgate.assessment.pages",),
    demo=("riskgate.assessment.demo:load_assessment_demo",),
    audit_labels=("riskgate.assessment.enums:AUDIT_LABELS",),
)
