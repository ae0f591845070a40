"""JSON route of one-off shares of a risk record."""

from __future__ import annotations

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.exchange import service as exchange
from riskgate.identity.exchange.schemas import ShareIn, ShareOut
from riskgate.records.service import RECORD_TYPE
from riskgate.records.sharing.service import share_record

router = api_router(prefix="/api/v1", tags=["records"])


@router.post("/records/{record_id:int}/shares", response_model=list[ShareOut],
             summary="Transfer or copy a record to another organisation (with a reason)")
def share(record_id: IntId, body: ShareIn,
          ctx: RequestContext = require(Permission.OBJECT_SHARE)) -> list[ShareOut]:
    record = share_record(ctx.db, ctx.actor, record_id, body)
    return [ShareOut.model_validate(g) for g in exchange.shares_of(ctx.db, RECORD_TYPE,
                                                                   record.id)]
