"""The records domain's contributions (listed by the composition root, riskgate.composition).

The unified risk record.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="records",
    models=("riskgate.records.models",),
    api=("riskgate.records.api", "riskgate.records.sharing.api"),
    pages=("riskgate.records.pages", "riskgate.records.sharing.pages"),
    # One-off shares (转交 / 抄送) of a record, from its page.
    sections=(("record", "console/records/_share_section.html"),),
    audit_labels=("riskgate.records.enums:AUDIT_LABELS",),
)
