"""The search domain's contributions (listed by the composition root, riskgate.composition).

Full-text search over records in Chinese and English, and export.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="search",
    api=("riskgate.search.api",),
    pages=("riskgate.search.pages",),
    warm_up=("riskgate.search.tokens:warm_up",),
    audit_labels=("riskgate.search.enums:AUDIT_LABELS",),
)
