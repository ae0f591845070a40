"""The outbox domain's contributions (listed by the composition root, riskgate.composition).

Outbox events, their delivery, webhooks and the in-app inbox.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="outbox",
    models=("riskgate.outbox.models",),
    api=("riskgate.outbox.api",),
    pages=("riskgate.outbox.pages", "riskgate.outbox.inbox_pages",),
    audit_labels=("riskgate.outbox.enums:AUDIT_LABELS",),
)
