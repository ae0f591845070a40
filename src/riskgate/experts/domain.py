"""The experts domain's contributions (listed by the composition root, riskgate.composition).

The expert committee: panels, conflicts of interest, reviews, votes and meetings.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="experts",
    models=("riskgate.experts.models",),
    api=("riskgate.experts.api",),
    pages=("riskgate.experts.pages",),
    demo=("riskgate.experts.demo:load_experts_demo",),
    audit_labels=("riskgate.experts.enums:AUDIT_LABELS",),
)
