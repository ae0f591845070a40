"""One-off shares of a risk record: loaded in the actor's scope (a transfer needs the right to
act on it), then shared through the exchange service (audited, the receiver told)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.identity.exchange import service as exchange
from riskgate.identity.exchange.enums import ShareKind
from riskgate.identity.exchange.schemas import ShareIn
from riskgate.records import service as records
from riskgate.records.models import RiskRecord
from riskgate.records.service import RECORD_TYPE


def share_record(db: Session, actor: Actor, record_id: int, body: ShareIn) -> RiskRecord:
    record = records.get_record(db, actor, record_id, to_act=body.kind != ShareKind.copy)
    exchange.share_object(db, actor, RECORD_TYPE, record.id, body.organisation_id, body.kind,
                          body.reason, owner_org_id=record.organisation_id,
                          title=f"{record.record_number} {record.title}",
                          link=f"/console/records/{record.id}")
    return record
