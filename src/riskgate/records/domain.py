"""The records domain's contributions (listed by the composition root, riskgate.composition).

The unified risk record.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="records",
    models=("riskgate.records.models",),
    api=("riskgate.records.api",),
    pages=("riskgate.records.pages",),
    audit_labels=("riskgate.records.enums:AUDIT_LABELS",),
)
