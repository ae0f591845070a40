"""The linkage domain's contributions (listed by the composition root, riskgate.composition).

Near-duplicate clusters of records and recurrence flags.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="linkage",
    models=("riskgate.linkage.models",),
    api=("riskgate.linkage.api",),
    pages=("riskgate.linkage.pages",),
    sections=(("record", "console/clusters/_record_cluster_section.html"),),
    audit_labels=("riskgate.linkage.enums:AUDIT_LABELS",),
)
