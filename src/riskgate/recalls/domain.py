"""The recalls domain's contributions (listed by the composition root, riskgate.composition).

Recalls: ordered, voluntary and foreign; progress reports; the public recall list.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="recalls",
    models=("riskgate.recalls.models",),
    api=("riskgate.recalls.api", "riskgate.recalls.public_api",),
    pages=("riskgate.recalls.pages", "riskgate.recalls.portal_pages",),
    jobs=("riskgate.recalls.jobs",),
    demo=("riskgate.recalls.demo:load_recalls_demo",),
    audit_labels=("riskgate.recalls.enums:AUDIT_LABELS",),
)
