"""The workflow of a delivery's acknowledgement (签收, see core.workflow).

pending → reminded (the deadline passed) → escalated (a further period passed); any of them →
acknowledged by the recipient.
"""

from __future__ import annotations

from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.warnings.enums import DeliveryState as D

OBJECT = N_("delivery")
OBJECT_TYPE = "warning_delivery"

DELIVERY_FLOW: Workflow[D] = Workflow(
    object_name=OBJECT,
    audit_type=OBJECT_TYPE,
    transitions={
        D.pending: {D.reminded, D.acknowledged},
        D.reminded: {D.escalated, D.acknowledged},
        D.escalated: {D.acknowledged},
        D.acknowledged: set(),
    },
    status_field="state",
)
