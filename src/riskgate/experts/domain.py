"""The experts domain's contributions (listed by the composition root, riskgate.composition).

The expert committee: panels, conflicts of interest, reviews, votes and meetings.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="experts",
    models=("riskgate.experts.models",),
    api=("riskgate.experts.api",),
    pages=("riskgate.experts.pages", "riskgate.experts.page_actions",),
    demo=("riskgate.experts.demo:load_experts_demo",),
)
