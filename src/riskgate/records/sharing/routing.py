"""Routing by competence (按职责分送): a record just stored reaches the authority that acts on it.

A record about goods in domestic circulation (trade direction "domestic", or unknown with no
port — a complaint about goods on sale — with a region) is
shared with the market regulator of its region — the one whose region code is the longest prefix
of the record's; a record about goods at a port (a port code) with that port's customs district
(the district customs above the organisation holding the port code, or that organisation when it
is itself a district). A one-off share of kind "routed" (the receiver may act), audited; nothing
when the owner is already in the receiver's subtree.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.i18n import N_
from riskgate.identity.enums import OrgType
from riskgate.identity.exchange import service as exchange
from riskgate.identity.exchange.enums import ShareKind
from riskgate.identity.models import Organisation, ScopeGrant
from riskgate.identity.service import organisation_chain
from riskgate.records.enums import TradeDirection
from riskgate.records.events import RecordsStored
from riskgate.records.models import RiskRecord
from riskgate.records.service import RECORD_TYPE

ROUTER = Actor.system("routing-by-competence")
REASON = N_("routing by competence")
# Larger chunks (an import) are routed without an inbox message per record.
NOTIFY_UP_TO = 20
_CUSTOMS = (OrgType.DISTRICT_CUSTOMS, OrgType.SUBORDINATE_CUSTOMS, OrgType.CUSTOMS_HEAD_OFFICE)


def market_regulator(regulators: list[Organisation], region_code: str) -> Organisation | None:
    """The market regulator whose region is the nearest (longest) prefix of `region_code`."""
    best: Organisation | None = None
    best_len = -1
    for org in regulators:
        prefix = exchange.region_prefix(org.region_code or "")
        if len(prefix) >= 2 and region_code.startswith(prefix) and len(prefix) > best_len:
            best, best_len = org, len(prefix)
    return best


def customs_district(db: Session, port_code: str) -> Organisation | None:
    """The district customs of a port: above the organisation that holds the port code."""
    holder = db.execute(select(Organisation).where(
        Organisation.port_code == port_code, Organisation.org_type.in_(_CUSTOMS),
        Organisation.active.is_(True)).order_by(Organisation.id).limit(1)).scalar_one_or_none()
    if holder is None:
        return None
    districts = [org for org in organisation_chain(db, holder.id)
                 if org.org_type == OrgType.DISTRICT_CUSTOMS]
    return districts[0] if districts else holder


def on_records_stored(db: Session, event: RecordsStored) -> None:
    ids = [r.record_id for r in event.records]
    if not ids:
        return
    rows = db.execute(select(RiskRecord.id, RiskRecord.organisation_id, RiskRecord.title,
                             RiskRecord.trade_direction, RiskRecord.region_code,
                             RiskRecord.port_code)
                      .where(RiskRecord.id.in_(ids),
                             (RiskRecord.region_code.is_not(None))
                             | (RiskRecord.port_code.is_not(None)))).all()
    if not rows:
        return
    regulators = list(db.execute(select(Organisation).where(
        Organisation.org_type == OrgType.MARKET_REGULATOR, Organisation.active.is_(True),
        Organisation.region_code.is_not(None))).scalars())
    notify = len(ids) <= NOTIFY_UP_TO
    # Shares the chunk's records already have (a re-stored record is routed once): one query.
    shared = set(db.execute(select(ScopeGrant.object_id, ScopeGrant.organisation_id).where(
        ScopeGrant.object_type == RECORD_TYPE,
        ScopeGrant.object_id.in_([row.id for row in rows]))).tuples())
    districts: dict[str, Organisation | None] = {}  # one lookup per port in a chunk
    for row in rows:
        target: Organisation | None = None
        market_side = row.trade_direction == TradeDirection.domestic or (
            row.trade_direction == TradeDirection.unknown and not row.port_code)
        if market_side and row.region_code:
            target = market_regulator(regulators, row.region_code)
        elif row.port_code:
            if row.port_code not in districts:
                districts[row.port_code] = customs_district(db, row.port_code)
            target = districts[row.port_code]
        if target is None:
            continue
        owner = db.get_one(Organisation, row.organisation_id)
        if owner.path.startswith(target.path) or (row.id, target.id) in shared:
            continue
        exchange.share_object(db, ROUTER, RECORD_TYPE, row.id, target.id, ShareKind.routed,
                              REASON, owner_org_id=owner.id, title=row.title,
                              link=f"/console/records/{row.id}", notify=notify)
