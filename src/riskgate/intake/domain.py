"""The intake domain's contributions (listed by the composition root, riskgate.composition).

Import of files and feeds through profiles: validation, quarantine, classification.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="intake",
    models=("riskgate.intake.models",),
    api=("riskgate.intake.api",),
    pages=("riskgate.intake.pages",),
    audit_labels=("riskgate.intake.enums:AUDIT_LABELS",),
)
