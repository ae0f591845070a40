"""The channels domain's contributions (listed by the composition root, riskgate.composition).

Feed subscriptions, quarterly unit submissions and channel health.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="channels",
    models=("riskgate.channels.models",),
    api=("riskgate.channels.api",),
    pages=("riskgate.channels.pages",),
    jobs=("riskgate.channels.jobs",),
    demo=("riskgate.channels.demo:load_channel_demo",),
    audit_labels=("riskgate.channels.enums:AUDIT_LABELS",),
)
