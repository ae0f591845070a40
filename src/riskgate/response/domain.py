"""The response domain's contributions (listed by the composition root, riskgate.composition).

Rapid response: joint-disposal rules, response cases and tasks, effect evaluation, lifting
petitions.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="response",
    models=("riskgate.response.models",),
    api=(
        "riskgate.response.api",
        "riskgate.response.evaluation_api",
        "riskgate.response.petitions_api",
    ),
    pages=("riskgate.response.pages", "riskgate.response.petitions_pages",),
    jobs=("riskgate.response.jobs",),
    demo=("riskgate.response.demo:load_response_demo",),
    audit_labels=("riskgate.response.enums:AUDIT_LABELS",),
)
