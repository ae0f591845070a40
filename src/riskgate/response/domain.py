"""The response domain's contributions (listed by the composition root, riskgate.composition).

Rapid response: joint-disposal rules, response cases and tasks. Its case page asks the later
stages what followed (`events.ShownOnCase`); the evaluation stage answers with its section.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="response",
    models=("riskgate.response.models",),
    api=("riskgate.response.api",),
    pages=("riskgate.response.pages",),
    jobs=("riskgate.response.jobs",),
    demo=("riskgate.response.demo:load_response_demo",),
    audit_labels=("riskgate.response.enums:AUDIT_LABELS",),
)
