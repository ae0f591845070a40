"""The warnings domain's contributions (listed by the composition root, riskgate.composition).

Public warnings: life cycle, publication, push and acknowledgement, tracking.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="warnings",
    models=("riskgate.warnings.models",),
    api=(
        "riskgate.warnings.api",
        "riskgate.warnings.tracking_api",
        "riskgate.warnings.push_api",
        "riskgate.warnings.export:api",
        "riskgate.warnings.public_api",
    ),
    pages=(
        "riskgate.warnings.pages",
        "riskgate.warnings.page_actions",
        "riskgate.warnings.tracking_pages",
        "riskgate.warnings.push_pages",
        "riskgate.warnings.portal_pages",
        "riskgate.warnings.feeds",
        "riskgate.warnings.weekly",
        "riskgate.warnings.export:pages",
    ),
    jobs=("riskgate.warnings.jobs",),
    demo=("riskgate.warnings.demo:load_warnings_demo",),
    audit_labels=("riskgate.warnings.enums:AUDIT_LABELS",),
)
