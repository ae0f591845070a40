"""Console form of inspection results, on the declaration's page: the port officer records a
red or yellow line's result; a failure creates a risk record."""

from __future__ import annotations

from fastapi import Depends
from fastapi.responses import HTMLResponse, Response

from riskgate.border.declarations.pages import declaration_page
from riskgate.border.inspection import service as inspection
from riskgate.border.inspection.schemas import InspectionIn
from riskgate.border.models import InspectionResult
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.web.forms import Form, Submitted, read_submitted, submit
from riskgate.web.routing import page_router

router = page_router()


@router.post("/console/border/lines/{line_id:int}/inspection", response_class=HTMLResponse)
def inspection_submit(line_id: IntId, submitted: Submitted = Depends(read_submitted),
                      ctx: RequestContext = require(Permission.INSPECTION_RECORD)) -> Response:
    def again(form: Form, status: int) -> Response:
        _line, declaration = inspection.line_in_scope(ctx.db, ctx.actor, line_id)
        return declaration_page(ctx, declaration.id, forms={line_id: form}, status_code=status)

    def done(result: InspectionResult) -> tuple[str, str]:
        message = (N_("The inspection result was recorded and a risk record created.")
                   if result.record_id else N_("The inspection result was recorded."))
        return f"/console/border/declarations/{result.declaration_id}", message

    return submit(ctx, submitted, InspectionIn,
                  act=lambda body: inspection.record_inspection(
                      ctx.db, ctx.actor, line_id, body.outcome, body.findings,
                      body.hazard_type),
                  done=done, again=again)
