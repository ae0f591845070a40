"""JSON routes for risk assessments and draft warnings."""

from __future__ import annotations

from fastapi import Query, Response

from riskgate.assessment import service
from riskgate.assessment.enums import AssessmentStatus
from riskgate.assessment.events import WarningsOfAssessment
from riskgate.assessment.models import RiskAssessment
from riskgate.assessment.schemas import (
    AssessmentDetailOut,
    AssessmentIn,
    AssessmentOut,
    AssessmentPatch,
    MatrixIn,
    MatrixOut,
    TransitionIn,
)
from riskgate.core.events import ask
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId, IntIdQuery

router = api_router(prefix="/api/v1", tags=["assessments"])


def _detail(ctx: RequestContext, assessment: RiskAssessment) -> AssessmentDetailOut:
    return AssessmentDetailOut.model_validate({
        **AssessmentOut.model_validate(assessment).model_dump(),
        "record_ids": service.record_ids(ctx.db, assessment.id),
        "matrix_result": assessment.matrix_result,
        "warning_ids": [w.id for w in ask(ctx.db, WarningsOfAssessment(assessment.id))],
    })  # fmt: skip


@router.get("/assessments", response_model=Page[AssessmentOut],
            summary="Risk assessments in my scope")
def list_assessments(
    status: AssessmentStatus | None = None,
    signal_id: IntIdQuery = None,
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.ASSESSMENT_READ),
) -> Page[AssessmentOut]:
    rows, next_cursor = paginate(
        ctx.db, service.assessments_statement(ctx.actor, status=status, signal_id=signal_id),
        id_column=RiskAssessment.id, allowed_sorts={"id": RiskAssessment.id}, sort=None,
        default_sort="-id", limit=limit, cursor=cursor,
    )  # fmt: skip
    return Page(items=[AssessmentOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/assessments/compute", response_model=MatrixOut,
             summary="Compute the risk matrix for given scenarios (nothing is stored)")
def compute_what_if(body: MatrixIn,
                    ctx: RequestContext = require(Permission.ASSESSMENT_READ)) -> MatrixOut:
    result = service.what_if([s.model_dump() for s in body.scenarios], body.urgency,
                             body.impact_scope)
    return MatrixOut.model_validate(result.to_dict())


@router.post("/assessments", response_model=AssessmentDetailOut, status_code=201,
             summary="Open a draft risk assessment")
def create_assessment(body: AssessmentIn,
                      ctx: RequestContext = require(Permission.ASSESSMENT_WRITE)) -> Response:
    def create() -> AssessmentDetailOut:
        return _detail(ctx, service.create_assessment(ctx.db, ctx.actor, body.model_dump()))

    return idempotent(ctx, body, create)


@router.get("/assessments/{assessment_id:int}", response_model=AssessmentDetailOut)
def get_assessment(assessment_id: IntId,
                   ctx: RequestContext = require(Permission.ASSESSMENT_READ)
                   ) -> AssessmentDetailOut:
    return _detail(ctx, service.get_assessment(ctx.db, ctx.actor, assessment_id))


@router.patch("/assessments/{assessment_id:int}", response_model=AssessmentDetailOut,
              summary="Edit a draft assessment (recomputes the matrix when its inputs change)")
def update_assessment(assessment_id: IntId, body: AssessmentPatch,
                      ctx: RequestContext = require(Permission.ASSESSMENT_WRITE)
                      ) -> AssessmentDetailOut:
    changes = body.model_dump(exclude_unset=True, exclude={"reason"})
    if "scenarios" in changes and changes["scenarios"] is None:
        del changes["scenarios"]
    assessment = service.update_assessment(ctx.db, ctx.actor, assessment_id, changes,
                                           body.reason)
    return _detail(ctx, assessment)


@router.post("/assessments/{assessment_id:int}/compute", response_model=AssessmentDetailOut,
             summary="Recompute and store a draft's matrix outputs")
def compute_assessment(assessment_id: IntId,
                       ctx: RequestContext = require(Permission.ASSESSMENT_WRITE)
                       ) -> AssessmentDetailOut:
    return _detail(ctx, service.compute_assessment(ctx.db, ctx.actor, assessment_id))


@router.post("/assessments/{assessment_id:int}/transition", response_model=AssessmentDetailOut,
             summary="Submit to the committee, conclude (low/medium risk) or withdraw")
def transition_assessment(assessment_id: IntId, body: TransitionIn,
                          ctx: RequestContext = require(Permission.ASSESSMENT_WRITE)
                          ) -> AssessmentDetailOut:
    assessment = service.transition(ctx.db, ctx.actor, assessment_id, status=body.status,
                                    conclusion=body.conclusion, rationale=body.rationale,
                                    reason=body.reason)
    return _detail(ctx, assessment)
