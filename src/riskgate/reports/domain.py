"""The reports domain's contributions (listed by the composition root, riskgate.composition).

Reports from the public and from enterprises (complaints, whistleblowing, accidents).
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="reports",
    models=("riskgate.reports.models",),
    api=("riskgate.reports.api",),
    pages=("riskgate.reports.pages", "riskgate.reports.console",),
    demo=("riskgate.reports.demo:load_reports_demo",),
    audit_labels=("riskgate.reports.enums:AUDIT_LABELS",),
)
