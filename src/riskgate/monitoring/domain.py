"""The monitoring domain's contributions (listed by the composition root, riskgate.composition).

Monitoring plans, sampling, monitoring points and the detection algorithms.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="monitoring",
    models=("riskgate.monitoring.models",),
    api=("riskgate.monitoring.api",),
    pages=("riskgate.monitoring.pages",),
    demo=("riskgate.monitoring.demo:load_monitoring_demo",),
    audit_labels=("riskgate.monitoring.enums:AUDIT_LABELS",),
)
