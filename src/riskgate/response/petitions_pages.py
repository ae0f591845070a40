"""Console pages of lifting petitions: the reviewers' list and a petition's page with the
decision form (解除申请), and the enterprise's own list with the new-petition form and its
evidence upload (我的解除申请)."""

from __future__ import annotations

from fastapi import Depends, Query, Request
from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from riskgate.core.errors import DomainError, NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.models import Organisation
from riskgate.reports.attachments import Upload, path_for
from riskgate.response import petitions
from riskgate.response.enums import PetitionStatus
from riskgate.response.models import LiftingPetition
from riskgate.warnings.models import PublicWarning
from riskgate.web.flash import redirect
from riskgate.web.forms import REQUIRED, Form, apply_domain_error, clean
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25


def _labels(ctx: RequestContext) -> dict:
    return {"status_labels": {s.value: gettext(petitions.PETITION_STATUS_LABELS[s], ctx.language)
                              for s in PetitionStatus},
            "status_choices": [(s.value, gettext(petitions.PETITION_STATUS_LABELS[s],
                                                 ctx.language)) for s in PetitionStatus]}


def _list(ctx: RequestContext, *, mine: bool, status: str | None, cursor: str | None):  # type: ignore[no-untyped-def]
    chosen = PetitionStatus(status) if status in PetitionStatus._value2member_map_ else None
    stmt = petitions.petitions_statement(ctx.actor, status=chosen, mine=mine)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=LiftingPetition.id,
                                 allowed_sorts={"id": LiftingPetition.id}, sort="-id",
                                 default_sort="-id", limit=PAGE_SIZE, cursor=cursor)
    ids = {p.warning_id for p in rows}
    numbers = dict(ctx.db.query(PublicWarning.id, PublicWarning.number).filter(
        PublicWarning.id.in_(ids)).all()) if ids else {}
    org_ids = {p.organisation_id for p in rows}
    names = dict(ctx.db.query(Organisation.id, Organisation.name_zh).filter(
        Organisation.id.in_(org_ids)).all()) if org_ids else {}
    return rows, next_cursor, chosen, numbers, names


@router.get("/console/petitions", response_class=HTMLResponse)
def petitions_list(status: str | None = Query(default=None, max_length=20),
                   cursor: str | None = Query(default=None, max_length=500),
                   ctx: RequestContext = require(Permission.PETITION_REVIEW)) -> Response:
    rows, next_cursor, chosen, numbers, names = _list(ctx, mine=False, status=status,
                                                      cursor=cursor)
    return render(ctx.request, "console/petitions/list.html", {
        "petitions": rows, "next_cursor": next_cursor, "status": chosen.value if chosen else "",
        "numbers": numbers, "names": names, "mine": False, **_labels(ctx)})


def _detail(ctx: RequestContext, petition: LiftingPetition, form: Form | None = None,
            status_code: int = 200, *, mine: bool) -> Response:
    warning = ctx.db.get(PublicWarning, petition.warning_id)
    organisation = ctx.db.get(Organisation, petition.organisation_id)
    decidable = (not mine and ctx.actor.can(Permission.PETITION_REVIEW)
                 and petition.status == PetitionStatus.submitted)
    return render(ctx.request, "console/petitions/detail.html", {
        "petition": petition, "warning": warning, "organisation": organisation,
        "evidence": petitions.evidence_of(ctx.db, petition.id), "form": form or Form(),
        "decidable": decidable, "mine": mine, **_labels(ctx)}, status_code=status_code)


@router.get("/console/petitions/{petition_id:int}", response_class=HTMLResponse)
def petition_detail(petition_id: IntId,
                    ctx: RequestContext = require(Permission.PETITION_REVIEW)) -> Response:
    return _detail(ctx, petitions.get_petition(ctx.db, ctx.actor, petition_id), mine=False)


@router.post("/console/petitions/{petition_id:int}/decide", response_class=HTMLResponse)
def petition_decide(petition_id: IntId, decision: str = FormField(default="", max_length=20),
                    note: str = FormField(default="", max_length=4000),
                    ctx: RequestContext = require(Permission.PETITION_REVIEW)) -> Response:
    note = clean(note)
    form = Form(values={"decision": decision, "note": note or ""})
    if decision not in ("accept", "reject"):
        form.add("decision", gettext(REQUIRED, ctx.language))
    if note is None:
        form.add("note", gettext(REQUIRED, ctx.language))
    if not form.errors:
        try:
            petition = petitions.decide(ctx.db, ctx.actor, petition_id,
                                        accept=decision == "accept", note=note or "")
            return redirect(ctx.request, f"/console/petitions/{petition.id}",
                            gettext("The decision was recorded.", ctx.language))
        except DomainError as error:
            apply_domain_error(form, error, ctx.language, ("decision", "note"))
            ctx.db.rollback()
    else:
        form.message = gettext("Some fields are invalid; see the field errors.", ctx.language)
    return _detail(ctx, petitions.get_petition(ctx.db, ctx.actor, petition_id), form, 422,
                   mine=False)


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
    rows, next_cursor, chosen, numbers, names = _list(ctx, mine=True, status=status,
                                                      cursor=cursor)
    warnings, rules = petitions.petitionable(ctx.db, ctx.actor)
    return render(ctx.request, "console/petitions/mine.html", {
        "petitions": rows, "next_cursor": next_cursor, "status": chosen.value if chosen else "",
        "numbers": numbers, "names": names, "form": form, "mine": True,
        "warning_choices": [(w.id, f"{w.number} {w.title}") for w in warnings],
        "rule_choices": [(r.id, f"{r.number} {r.title}") for r in rules],
        **_labels(ctx)}, status_code=status_code)


@router.get("/console/my-petitions", response_class=HTMLResponse)
def my_petitions(status: str | None = Query(default=None, max_length=20),
                 cursor: str | None = Query(default=None, max_length=500),
                 ctx: RequestContext = require(Permission.PETITION_FILE)) -> Response:
    return _mine_page(ctx, Form(values={"clean_consignments": "0"}), status=status,
                      cursor=cursor)


async def _petition_form(request: Request) -> tuple[dict[str, str], list[Upload]]:
    """The new-petition form: its fields, and its files read up to one byte past the limit."""
    data = await request.form()
    values = {name: str(data.get(name) or "") for name in (
        "warning_id", "control_rule_id", "body", "clean_consignments")}
    limit = request.app.state.settings.attachment_max_bytes
    uploads = [Upload(f.filename or "evidence", await f.read(limit + 1))
               for f in data.getlist("evidence") if isinstance(f, UploadFile)]
    return values, uploads


@router.post("/console/my-petitions", response_class=HTMLResponse)
def my_petition_file(submitted: tuple[dict[str, str], list[Upload]] = Depends(_petition_form),
                     ctx: RequestContext = require(Permission.PETITION_FILE)) -> Response:
    values, uploads = submitted
    form = Form(values=values)
    limit = ctx.settings.attachment_max_bytes
    ids = {}
    for name in ("warning_id", "control_rule_id"):
        text = clean(values[name])
        ids[name] = int(text) if text and text.isdigit() and len(text) < 10 else None
    consignments = clean(values["clean_consignments"]) or "0"
    if not consignments.isdigit() or len(consignments) > 7:
        form.add("clean_consignments", gettext("Must be 0 or more.", ctx.language))
        form.message = gettext("Some fields are invalid; see the field errors.", ctx.language)
        return _mine_page(ctx, form, 422)
    try:
        petition = petitions.submit(
            ctx.db, ctx.actor, warning_id=ids["warning_id"],
            control_rule_id=ids["control_rule_id"], body=values["body"][:8000],
            clean_consignments=int(consignments), uploads=uploads,
            root=ctx.settings.attachments_dir, max_bytes=limit,
            max_files=ctx.settings.attachment_max_files)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language,
                           ("warning_id", "control_rule_id", "body", "clean_consignments",
                            "evidence"))
        ctx.db.rollback()
        return _mine_page(ctx, form, 422)
    return redirect(ctx.request, f"/console/my-petitions/{petition.id}",
                    gettext("Your petition was submitted.", ctx.language))


@router.get("/console/my-petitions/{petition_id:int}", response_class=HTMLResponse)
def my_petition_detail(petition_id: IntId,
                       ctx: RequestContext = require(Permission.PETITION_FILE)) -> Response:
    petition = petitions.get_petition(ctx.db, ctx.actor, petition_id)
    return _detail(ctx, petition, mine=True)
