"""The warnings domain's contributions (listed by the composition root, riskgate.composition).

Public warnings, one sub-package per concept: the life cycle (drafting, the comment window,
review, issuing authority, publication and follow-ups), publication (the portal, feeds, CAP,
export, the weekly report), push (subscriptions, targeted push, acknowledgement) and tracking.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="warnings",
    models=("riskgate.warnings.models",),
    api=(
        "riskgate.warnings.lifecycle.api",
        "riskgate.warnings.tracking.api",
        "riskgate.warnings.push.api",
        "riskgate.warnings.publication.export:api",
        "riskgate.warnings.publication.api",
    ),
    pages=(
        "riskgate.warnings.lifecycle.pages",
        "riskgate.warnings.lifecycle.authority_pages",
        "riskgate.warnings.tracking.pages",
        "riskgate.warnings.push.pages",
        "riskgate.warnings.publication.pages",
        "riskgate.warnings.publication.preview",
        "riskgate.warnings.publication.feeds",
        "riskgate.warnings.publication.weekly",
        "riskgate.warnings.publication.export:pages",
    ),
    jobs=("riskgate.warnings.push.jobs",),
    demo=("riskgate.warnings.demo:load_warnings_demo",),
    audit_labels=("riskgate.warnings.enums:AUDIT_LABELS",),
)
