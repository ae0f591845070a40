"""JSON routes of the effect evaluation of a response case (R2)."""

from __future__ import annotations

from fastapi import Response

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.evaluation.effect import service
from riskgate.evaluation.effect.schemas import EvaluationIn, EvaluationOut

router = api_router(prefix="/api/v1", tags=["response"])


@router.post("/response/cases/{case_id:int}/evaluations", response_model=EvaluationOut,
             status_code=201, summary="Evaluate the effect of a case (proposes keep, downgrade "
                                      "or lift)")
def evaluate_case(case_id: IntId, body: EvaluationIn | None = None,
                  ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    sent = body or EvaluationIn()
    return idempotent(ctx, sent, lambda: EvaluationOut.model_validate(service.evaluate_case(
        ctx.db, ctx.actor, case_id, note=sent.note, clean_weeks=sent.clean_weeks)))


@router.get("/response/cases/{case_id:int}/evaluations", response_model=list[EvaluationOut],
            summary="The case's effect evaluations, newest first")
def list_evaluations(case_id: IntId,
                     ctx: RequestContext = require(Permission.RESPONSE_READ)
                     ) -> list[EvaluationOut]:
    return [EvaluationOut.model_validate(e)
            for e in service.evaluations_of(ctx.db, ctx.actor, case_id)]
