"""The signals domain's contributions (listed by the composition root, riskgate.composition).

Count series, detection runs, threshold rules and the triage of signals.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="signals",
    models=("riskgate.signals.models",),
    api=("riskgate.signals.api",),
    pages=("riskgate.signals.pages",),
    jobs=("riskgate.signals.jobs",),
    demo=("riskgate.signals.demo:load_signals_demo",),
    audit_labels=("riskgate.signals.enums:AUDIT_LABELS",),
)
