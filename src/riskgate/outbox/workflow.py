"""The delivery states of an outbox event (see core.workflow).

pending → delivered, or → dead after the last attempt; a dead letter is replayed (→ pending) by
an operator. The worker writes its outcomes for a whole batch in one statement, not through
`move` (the one known exception: thousands of rows a second, audited where a letter dies); the
replay, one event moved by a person, goes through `move`.
"""

from __future__ import annotations

from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.outbox.enums import EventStatus as S

DELIVERY_FLOW: Workflow[S] = Workflow(
    object_name=N_("outbox event"),
    audit_type="outbox_event",
    transitions={
        S.PENDING: {S.DELIVERED, S.DEAD},
        S.DELIVERED: set(),
        S.DEAD: {S.PENDING},
    },
    audited=("attempts",),
)
