"""JSON routes of the effect evaluation of a response case (R2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Response
from pydantic import Field

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.permissions import Permission
from riskgate.core.schemas import InputModel, IntId, OutputModel
from riskgate.response import evaluation as service
from riskgate.response.enums import Recommendation

router = api_router(prefix="/api/v1", tags=["response"])


class EvaluationIn(InputModel):
    note: str | None = Field(default=None, max_length=5000)
    clean_weeks: int | None = Field(default=None, ge=1, le=104)


class EvaluationOut(OutputModel):
    id: int
    case_id: int
    figures: dict[str, Any]
    recommendation: Recommendation
    reasons: list[dict[str, Any]]
    note: str | None
    created_by: str | None
    created_at: dt.datetime


@router.post("/response/cases/{case_id:int}/evaluations", response_model=EvaluationOut,
             status_code=201, summary="Evaluate the effect of a case (proposes keep, downgrade "
                                      "or lift)")
def evaluate_case(case_id: IntId, body: EvaluationIn | None = None,
                  ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    body = body or EvaluationIn()
    return idempotent(ctx, body, lambda: EvaluationOut.model_validate(service.evaluate_case(
        ctx.db, ctx.actor, case_id, note=body.note, clean_weeks=body.clean_weeks)))


@router.get("/response/cases/{case_id:int}/evaluations", response_model=list[EvaluationOut],
            summary="The case's effect evaluations, newest first")
def list_evaluations(case_id: IntId,
                     ctx: RequestContext = require(Permission.RESPONSE_READ)
                     ) -> list[EvaluationOut]:
    return [EvaluationOut.model_validate(e)
            for e in service.evaluations_of(ctx.db, ctx.actor, case_id)]
