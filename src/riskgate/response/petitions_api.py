"""JSON routes of lifting petitions: an enterprise files one (multipart, with evidence files);
the issuer of the warning decides it."""

from __future__ import annotations

import datetime as dt

from fastapi import File, Form, Query, Response, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import Field

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import INT_ID_MAX, InputModel, IntId, OutputModel
from riskgate.reports.attachments import Upload
from riskgate.response import petitions
from riskgate.response.enums import PetitionStatus
from riskgate.response.models import LiftingPetition

router = api_router(prefix="/api/v1/response", tags=["lifting petitions"])


class EvidenceOut(OutputModel):
    id: int
    sha256: str
    media_type: str
    size: int
    original_name: str


class PetitionOut(OutputModel):
    id: int
    organisation_id: int
    warning_id: int
    control_rule_id: int | None
    body: str
    clean_consignments: int
    status: PetitionStatus
    submitted_by: str | None
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    decision_note: str | None
    created_at: dt.datetime
    evidence: list[EvidenceOut] = []


class DecisionIn(InputModel):
    accept: bool
    note: str = Field(min_length=1, max_length=4000)


def detail(ctx: RequestContext, petition: LiftingPetition) -> PetitionOut:
    out = PetitionOut.model_validate(petition)
    out.evidence = [EvidenceOut.model_validate(e)
                    for e in petitions.evidence_of(ctx.db, petition.id)]
    return out


def read_uploads(files: list[UploadFile], max_bytes: int) -> list[Upload]:
    """The files' bytes, each read up to one byte past the limit (so the check can refuse)."""
    return [Upload(f.filename or "evidence", f.file.read(max_bytes + 1)) for f in files
            if f is not None]


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
def get_petition(petition_id: IntId, ctx: RequestContext = require(Permission.CONSOLE_VIEW)):
    return detail(ctx, petitions.get_petition(ctx.db, ctx.actor, petition_id))


@router.post("/petitions/{petition_id:int}/decide", response_model=PetitionOut,
             summary="Accept or reject a petition, once, with a note")
def decide_petition(petition_id: IntId, body: DecisionIn,
                    ctx: RequestContext = require(Permission.PETITION_REVIEW)):
    return detail(ctx, petitions.decide(ctx.db, ctx.actor, petition_id, accept=body.accept,
                                        note=body.note))
