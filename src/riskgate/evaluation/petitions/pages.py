"""Console pages of lifting petitions: the reviewers' list and a petition's page with the
decision form (解除申请), and the enterprise's own list with the new-petition form and its
evidence upload (我的解除申请). Each POST goes through the one form path."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, File, Query, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from riskgate.core.errors import NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.core.uploads import read_uploads
from riskgate.evaluation.enums import PetitionStatus
from riskgate.evaluation.models import LiftingPetition
from riskgate.evaluation.petitions import service as petitions
from riskgate.evaluation.petitions.schemas import DecisionForm, PetitionForm
from riskgate.evaluation.petitions.workflow import PETITION_FLOW
from riskgate.identity.models import Organisation
from riskgate.reports.attachments import path_for
from riskgate.warnings.models import PublicWarning
from riskgate.web.forms import Form, Submitted, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25


def _list(ctx: RequestContext, *, mine: bool, status: str | None,
          cursor: str | None) -> dict[str, Any]:
    """A page of petitions with the numbers of their warnings and the names of their
    enterprises (labels of the statuses come from the enum: `|label`)."""
    chosen = PetitionStatus.parse(status)
    stmt = petitions.petitions_statement(ctx.actor, status=chosen, mine=mine)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=LiftingPetition.id,
                                 allowed_sorts={"id": LiftingPetition.id}, sort="-id",
                                 default_sort="-id", limit=PAGE_SIZE, cursor=cursor)
    ids = {p.warning_id for p in rows}
    numbers = dict(ctx.db.execute(select(PublicWarning.id, PublicWarning.number).where(
        PublicWarning.id.in_(ids))).all()) if ids else {}
    org_ids = {p.organisation_id for p in rows}
    names = dict(ctx.db.execute(select(Organisation.id, Organisation.name_zh).where(
        Organisation.id.in_(org_ids))).all()) if org_ids else {}
    return {"petitions": rows, "next_cursor": next_cursor,
            "status": chosen.value if chosen else "", "numbers": numbers, "names": names,
            "mine": mine, "status_choices": PetitionStatus.choices(ctx.language)}


@router.get("/console/petitions", response_class=HTMLResponse)
def petitions_list(status: str | None = Query(default=None, max_length=20),
                   cursor: str | None = Query(default=None, max_length=500),
                   ctx: RequestContext = require(Permission.PETITION_REVIEW)) -> Response:
    return render(ctx.request, "console/petitions/list.html",
                  _list(ctx, mine=False, status=status, cursor=cursor))


def _detail(ctx: RequestContext, petition: LiftingPetition, form: Form | None = None,
            status_code: int = 200, *, mine: bool) -> Response:
    warning = ctx.db.get(PublicWarning, petition.warning_id)
    organisation = ctx.db.get(Organisation, petition.organisation_id)
    decidable = (not mine and ctx.actor.can(Permission.PETITION_REVIEW)
                 and bool(PETITION_FLOW.next_states(petition)))
    return render(ctx.request, "console/petitions/detail.html", {
        "petition": petition, "warning": warning, "organisation": organisation,
        "evidence": petitions.evidence_of(ctx.db, petition.id), "form": form or Form(),
        "decidable": decidable, "mine": mine}, status_code=status_code)


@router.get("/console/petitions/{petition_id:int}", response_class=HTMLResponse)
def petition_detail(petition_id: IntId,
                    ctx: RequestContext = require(Permission.PETITION_REVIEW)) -> Response:
    return _detail(ctx, petitions.get_petition(ctx.db, ctx.actor, petition_id), mine=False)


@router.post("/console/petitions/{petition_id:int}/decide", response_class=HTMLResponse)
def petition_decide(petition_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.PETITION_REVIEW)) -> Response:
    """Accept or reject, with a note. A refusal answers 422 with the petition's page (a second
    decision's 409 too, as this page always did); a petition out of scope is 404."""
    return submit(ctx, submitted, DecisionForm,
                  act=lambda body: petitions.decide(ctx.db, ctx.actor, petition_id,
                                                    accept=body.decision == "accept",
                                                    note=body.note),
                  done=lambda petition: (f"/console/petitions/{petition.id}",
                                         N_("The decision was recorded.")),
                  again=lambda form, _status: _detail(
                      ctx, petitions.get_petition(ctx.db, ctx.actor, petition_id), form, 422,
                      mine=False))


@router.get("/console/petitions/{petition_id:int}/evidence/{evidence_id:int}")
def petition_evidence(petition_id: IntId, evidence_id: IntId,
                      ctx: RequestContext = require(Permission.CONSOLE_VIEW)) -> Response:
    evidence = petitions.get_evidence(ctx.db, ctx.actor, petition_id, evidence_id)
    try:
        data = path_for(ctx.settings.attachments_dir, evidence.sha256).read_bytes()
    except FileNotFoundError as error:
        raise NotFound(N_("attachment file")) from error
    return Response(data, media_type=evidence.media_type, headers={
        "Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff"})


# --- the enterprise's own ---------------------------------------------------------------------


def _mine_page(ctx: RequestContext, form: Form, status_code: int = 200, *,
               status: str | None = None, cursor: str | None = None) -> Response:
    warnings, rules = petitions.petitionable(ctx.db, ctx.actor)
    return render(ctx.request, "console/petitions/mine.html", {
        **_list(ctx, mine=True, status=status, cursor=cursor), "form": form,
        "warning_choices": [(w.id, f"{w.number} {w.title}") for w in warnings],
        "rule_choices": [(r.id, f"{r.number} {r.title}") for r in rules],
    }, status_code=status_code)


@router.get("/console/my-petitions", response_class=HTMLResponse)
def my_petitions(status: str | None = Query(default=None, max_length=20),
                 cursor: str | None = Query(default=None, max_length=500),
                 ctx: RequestContext = require(Permission.PETITION_FILE)) -> Response:
    return _mine_page(ctx, Form(values={"clean_consignments": "0"}), status=status,
                      cursor=cursor)


@router.post("/console/my-petitions", response_class=HTMLResponse)
def my_petition_file(submitted: Submitted = Depends(read_submitted),
                     evidence: list[UploadFile] = File(default=[]),
                     ctx: RequestContext = require(Permission.PETITION_FILE)) -> Response:
    """File a petition with its evidence files (each read up to one byte past the limit, so
    that the check can refuse it). Any refusal answers 422 with the form again, as it always
    did; a warning or rule that does not name the enterprise is 404."""
    uploads = read_uploads(evidence, ctx.settings.attachment_max_bytes)
    return submit(ctx, submitted, PetitionForm,
                  act=lambda body: petitions.submit(
                      ctx.db, ctx.actor, warning_id=body.warning_id,
                      control_rule_id=body.control_rule_id, body=body.body,
                      clean_consignments=body.clean_consignments, uploads=uploads,
                      root=ctx.settings.attachments_dir,
                      max_bytes=ctx.settings.attachment_max_bytes,
                      max_files=ctx.settings.attachment_max_files),
                  done=lambda petition: (f"/console/my-petitions/{petition.id}",
                                         N_("Your petition was submitted.")),
                  again=lambda form, _status: _mine_page(ctx, form, 422))


@router.get("/console/my-petitions/{petition_id:int}", response_class=HTMLResponse)
def my_petition_detail(petition_id: IntId,
                       ctx: RequestContext = require(Permission.PETITION_FILE)) -> Response:
    petition = petitions.get_petition(ctx.db, ctx.actor, petition_id)
    return _detail(ctx, petition, mine=True)
