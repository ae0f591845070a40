"""The audit domain's contributions (listed by the composition root, riskgate.composition).

The append-only, hash-chained audit trail.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="audit",
    models=("riskgate.audit.models",),
    api=("riskgate.audit.api",),
    pages=("riskgate.audit.pages",),
    template_globals=("riskgate.audit.links:TEMPLATE_GLOBALS",),
)
