"""The analysis_reports domain's contributions (listed by riskgate.composition).

Quarterly and per-category assessment reports as PDF and Excel.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="analysis_reports",
    models=("riskgate.analysis_reports.models",),
    api=("riskgate.analysis_reports.api",),
    pages=("riskgate.analysis_reports.pages",),
    jobs=("riskgate.analysis_reports.jobs",),
    audit_labels=("riskgate.analysis_reports.enums:AUDIT_LABELS",),
)
