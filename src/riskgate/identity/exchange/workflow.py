"""The workflow of an exchange agreement (see core.workflow).

proposed → accepted (by the other side's administrator) or rejected; accepted → revoked (by
either side's administrator). Audited in the proposing organisation's trail.
"""

from __future__ import annotations

from typing import Any

from riskgate.audit.chain import to_jsonable
from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.identity.exchange.enums import AgreementStatus as S
from riskgate.identity.exchange.models import ExchangeAgreement

OBJECT = N_("exchange agreement")
OBJECT_TYPE = "exchange_agreement"

SNAPSHOT_FIELDS = ("provider_id", "receiver_id", "access", "status", "title", "note",
                   "proposed_by_org_id", "decided_by_user_id", "decision_note")

AGREEMENT_FLOW: Workflow[S] = Workflow(
    object_name=OBJECT,
    audit_type=OBJECT_TYPE,
    transitions={
        S.proposed: {S.accepted, S.rejected},
        S.accepted: {S.revoked},
        S.rejected: set(),
        S.revoked: set(),
    },
    audited=("decided_by_user_id", "decision_note"),
    organisation=lambda agreement: agreement.proposed_by_org_id,
)


def snapshot(agreement: ExchangeAgreement) -> dict[str, Any]:
    """The audited fields of an agreement, with its terms."""
    data = {name: to_jsonable(getattr(agreement, name)) for name in SNAPSHOT_FIELDS}
    data["terms"] = [f"{t.dimension.value}:{t.code}" for t in agreement.terms]
    return data
