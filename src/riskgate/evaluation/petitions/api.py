"""JSON routes of lifting petitions: an enterprise files one (multipart, with evidence files);
the issuer of the warning decides it."""

from __future__ import annotations

from fastapi import File, Form, Query, Response, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import INT_ID_MAX, IntId
from riskgate.core.uploads import read_uploads
from riskgate.evaluation.enums import PetitionStatus
from riskgate.evaluation.models import LiftingPetition
from riskgate.evaluation.petitions import service as petitions
from riskgate.evaluation.petitions.schemas import DecisionIn, EvidenceOut, PetitionOut

router = api_router(prefix="/api/v1/response", tags=["lifting petitions"])


def detail(ctx: RequestContext, petition: LiftingPetition) -> PetitionOut:
    out = PetitionOut.model_validate(petition)
    out.evidence = [EvidenceOut.model_validate(e)
                    for e in petitions.evidence_of(ctx.db, petition.id)]
    return out


@router.get("/petitions", response_model=Page[PetitionOut],
            summary="My enterprise's petitions, or (reviewers) those against my subtree's warnings")
def list_petitions(
    status: PetitionStatus | None = None,
    mine: bool = False,
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.CONSOLE_VIEW),
) -> Page[PetitionOut]:
    stmt = petitions.petitions_statement(ctx.actor, status=status, mine=mine)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=LiftingPetition.id,
                                 allowed_sorts={"id": LiftingPetition.id}, sort=None,
                                 default_sort="-id", limit=limit, cursor=cursor)
    return Page(items=[PetitionOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/petitions", response_model=PetitionOut, status_code=201,
             summary="Petition to lift a warning's measures or a control rule (evidence required)")
def file_petition(
    body: str = Form(max_length=8000),
    warning_id: int | None = Form(default=None, ge=1, le=INT_ID_MAX),
    control_rule_id: int | None = Form(default=None, ge=1, le=INT_ID_MAX),
    clean_consignments: int = Form(default=0, ge=0, le=1_000_000),
    evidence: list[UploadFile] = File(default=[]),
    ctx: RequestContext = require(Permission.PETITION_FILE),
) -> Response:
    petition = petitions.submit(
        ctx.db, ctx.actor, warning_id=warning_id, control_rule_id=control_rule_id, body=body,
        clean_consignments=clean_consignments,
        uploads=read_uploads(evidence, ctx.settings.attachment_max_bytes),
        root=ctx.settings.attachments_dir, max_bytes=ctx.settings.attachment_max_bytes,
        max_files=ctx.settings.attachment_max_files)
    return JSONResponse(jsonable_encoder(detail(ctx, petition)), status_code=201)


@router.get("/petitions/{petition_id:int}", response_model=PetitionOut)
def get_petition(petition_id: IntId,
                 ctx: RequestContext = require(Permission.CONSOLE_VIEW)) -> PetitionOut:
    return detail(ctx, petitions.get_petition(ctx.db, ctx.actor, petition_id))


@router.post("/petitions/{petition_id:int}/decide", response_model=PetitionOut,
             summary="Accept or reject a petition, once, with a note")
def decide_petition(petition_id: IntId, body: DecisionIn,
                    ctx: RequestContext = require(Permission.PETITION_REVIEW)) -> PetitionOut:
    return detail(ctx, petitions.decide(ctx.db, ctx.actor, petition_id, accept=body.accept,
                                        note=body.note))
