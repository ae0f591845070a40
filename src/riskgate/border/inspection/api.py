"""JSON route of inspection results: the port officer records a line's result; a failure
becomes a risk record."""

from __future__ import annotations

from sqlalchemy.orm import Session

from riskgate.border.inspection import service as inspection
from riskgate.border.inspection.schemas import InspectionIn, InspectionOut
from riskgate.border.models import InspectionResult
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId

router = api_router(prefix="/api/v1/border", tags=["border"])


def inspection_out(db: Session, result: InspectionResult) -> InspectionOut:
    numbers = inspection.record_numbers(db, [result.record_id] if result.record_id else [])
    return InspectionOut.model_validate({
        "id": result.id, "line_id": result.line_id, "declaration_id": result.declaration_id,
        "outcome": result.outcome.value, "findings": result.findings,
        "inspected_by": result.inspected_by, "inspected_at": result.inspected_at,
        "record_id": result.record_id, "record_number": numbers.get(result.record_id or 0),
    })  # fmt: skip


@router.post("/lines/{line_id:int}/inspection", response_model=InspectionOut, status_code=201,
             summary="Record the inspection result of a line; a failure becomes a risk record")
def record_inspection(line_id: IntId, body: InspectionIn,
                      ctx: RequestContext = require(Permission.INSPECTION_RECORD)
                      ) -> InspectionOut:
    result = inspection.record_inspection(ctx.db, ctx.actor, line_id, body.outcome,
                                          body.findings, body.hazard_type)
    return inspection_out(ctx.db, result)
