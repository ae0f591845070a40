"""Console pages for imports: batches, upload with preview and dry run, corrections of quarantined
rows, the report and the template, and saved profiles (column mappings from a sample file).

The upload form posts the same file to preview, dry run or import (three buttons); the file is
spooled to a temporary file by Starlette and streamed by the readers, within the body limit.
A refused file shows the upload page again with the reasons (the one form path, `attempt`).
"""

from __future__ import annotations

from typing import Any

from fastapi import File, Form, Query, UploadFile
from fastapi.responses import HTMLResponse, Response

from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.choices import organisation_choices
from riskgate.intake import profile_service, service, template, trial
from riskgate.intake.custom import FORMATS, TARGET_FIELDS, build_profile
from riskgate.intake.enums import QuarantineStatus
from riskgate.intake.errors_text import translate_problem
from riskgate.intake.models import ImportBatch, ImportProfile
from riskgate.intake.schemas import ProfileCreate
from riskgate.intake.workflow import QUARANTINE_FLOW
from riskgate.records.pages import catalogue_label
from riskgate.web.flash import redirect
from riskgate.web.forms import Done, attempt, submit
from riskgate.web.forms import Form as PageForm
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25


def _problems(problems: list[dict[str, Any]], language: str) -> list[dict[str, str]]:
    return [{"field": p["field"], "message": translate_problem(p, language)} for p in problems]


@router.get("/console/imports", response_class=HTMLResponse)
def import_list(
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.IMPORT_READ),
) -> Response:
    rows, next_cursor = paginate(
        ctx.db, service.batches_statement(ctx.actor), id_column=ImportBatch.id,
        allowed_sorts={"id": ImportBatch.id}, sort="-id", default_sort="-id", limit=PAGE_SIZE,
        cursor=cursor,
    )  # fmt: skip
    return render(ctx.request, "console/imports/list.html",
                  {"batches": rows, "next_cursor": next_cursor})  # fmt: skip


def _upload_page(ctx: RequestContext, form: PageForm, status_code: int = 200,
                 **extra: Any) -> Response:  # fmt: skip
    return render(ctx.request, "console/imports/upload.html", {
        "form": form,
        "profiles": profile_service.profile_choices(ctx.db, ctx.actor),
        "organisations": organisation_choices(ctx), **extra,
    }, status_code=status_code)  # fmt: skip


@router.get("/console/imports/new", response_class=HTMLResponse)
def import_new(ctx: RequestContext = require(Permission.IMPORT_RUN)) -> Response:
    return _upload_page(ctx, PageForm(values={"organisation_id": ctx.actor.organisation_id}))


@router.post("/console/imports", response_class=HTMLResponse)
def import_submit(
    file: UploadFile = File(),
    profile: str = Form(max_length=40),
    organisation_id: int | None = Form(default=None, ge=1, le=2_147_483_647),
    step: str = Form(default="preview", max_length=20),
    ctx: RequestContext = require(Permission.IMPORT_RUN),
) -> Response:
    """One form, three steps: preview (first rows), dry run (whole file, rolled back), import."""
    form = PageForm(values={"profile": profile, "organisation_id": organisation_id,
                            "step": step})
    name = file.filename or "upload"

    def act() -> Done:
        if step == "import":
            batch = service.ingest_batch(
                ctx.db, ctx.actor, profile_name=profile, binary=file.file, file_name=name,
                organisation_id=organisation_id,
            )  # fmt: skip
            return (f"/console/imports/{batch.id}",
                    N_("File imported: {imported} new, {duplicates} duplicates, {quarantined} "
                       "quarantined."), batch.counts())  # fmt: skip
        if step == "dry-run":
            result = trial.dry_run(
                ctx.db, ctx.actor, profile_name=profile, binary=file.file, file_name=name,
                organisation_id=organisation_id,
            )  # fmt: skip
            problems = [{**p, "problems": _problems(p["problems"], ctx.language)}
                        for p in result.problems]  # fmt: skip
            return _upload_page(ctx, form, dry_run=result, dry_problems=problems,
                                file_name=name)  # fmt: skip
        shown = trial.preview(ctx.db, ctx.actor, profile_name=profile, binary=file.file)
        rows = [{"row": r, "problems": _problems(r.problems, ctx.language)} for r in shown.rows]
        return _upload_page(ctx, form, preview=shown, preview_rows=rows, file_name=name)

    return attempt(ctx, act=act, done=lambda answer: answer, form=form,
                   again=lambda refused, _status: _upload_page(ctx, refused, 422))


@router.get("/console/imports/template.xlsx")
def import_template(ctx: RequestContext = require(Permission.IMPORT_READ)) -> Response:
    return Response(
        template.build_template(), media_type=template.XLSX_TYPE,
        headers={"Content-Disposition": 'attachment; filename="riskgate-unit-template.xlsx"'},
    )  # fmt: skip


@router.get("/console/imports/{batch_id:int}", response_class=HTMLResponse)
def import_detail(batch_id: IntId,
                  ctx: RequestContext = require(Permission.IMPORT_READ)) -> Response:
    batch = service.get_batch(ctx.db, ctx.actor, batch_id)
    rows = [
        {"row": r, "problems": _problems(r.problems, ctx.language),
         # A correction is offered while the row's workflow still allows it in.
         "correctable": QUARANTINE_FLOW.allows(r.status, QuarantineStatus.resolved)}
        for r in service.quarantined_rows(ctx.db, batch)
    ]
    return render(ctx.request, "console/imports/detail.html", {"batch": batch, "rows": rows})


@router.post("/console/imports/{batch_id:int}/rows/{row_id:int}", response_class=HTMLResponse)
def import_correct(
    batch_id: IntId,
    row_id: IntId,
    column: list[str] = Form(default=[], max_length=200),
    value: list[str] = Form(default=[], max_length=200),
    reason: str = Form(default="", max_length=500),
    ctx: RequestContext = require(Permission.IMPORT_RUN),
) -> Response:
    """The row's own columns come back as `column`/`value` pairs, with a reason. A refusal (a
    row already corrected, one outside the actor's scope) is the error page: the row's form is
    gone from the batch page once the row is resolved."""
    fields = dict(zip(column, value, strict=False))
    row = service.reprocess_row(ctx.db, ctx.actor, batch_id, row_id, fields, reason or None)
    message = (
        gettext("Row {line} corrected and imported.", ctx.language, line=row.line_number)
        if row.status == QuarantineStatus.resolved
        else gettext("Row {line} still has problems.", ctx.language, line=row.line_number)
    )
    return redirect(ctx.request, f"/console/imports/{batch_id}#row-{row.id}", message)


@router.get("/console/imports/{batch_id:int}/report.csv")
def import_report_page(batch_id: IntId,
                       ctx: RequestContext = require(Permission.IMPORT_READ)) -> Response:
    content = "".join(service.report_csv(ctx.db, ctx.actor, batch_id, ctx.language))
    return Response(content, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="import-{batch_id}-report.csv"'})


# --- saved profiles -----------------------------------------------------------------------


@router.get("/console/import-profiles", response_class=HTMLResponse)
def profile_list(ctx: RequestContext = require(Permission.IMPORT_READ)) -> Response:
    stmt = profile_service.profiles_statement(ctx.actor).order_by(ImportProfile.name).limit(500)
    return render(ctx.request, "console/imports/profiles.html",
                  {"profiles": list(ctx.db.execute(stmt).scalars()),
                   "label": catalogue_label})  # fmt: skip


def _profile_page(ctx: RequestContext, form: PageForm, columns: list[str],
                  status_code: int = 200) -> Response:  # fmt: skip
    return render(ctx.request, "console/imports/profile_form.html", {
        "form": form, "columns": columns, "formats": [(f, f) for f in FORMATS],
        "targets": TARGET_FIELDS, "organisations": organisation_choices(ctx),
    }, status_code=status_code)  # fmt: skip


@router.get("/console/import-profiles/new", response_class=HTMLResponse)
def profile_new(ctx: RequestContext = require(Permission.IMPORT_RUN)) -> Response:
    return _profile_page(ctx, PageForm(values={"format": "csv",
                                               "organisation_id": ctx.actor.organisation_id}), [])


@router.post("/console/import-profiles/columns", response_class=HTMLResponse)
def profile_columns(
    file: UploadFile = File(),
    format: str = Form(default="csv", max_length=10),  # noqa: A002
    record_path: str = Form(default="", max_length=200),
    ctx: RequestContext = require(Permission.IMPORT_RUN),
) -> Response:
    """Read a sample file's columns so each can be mapped to a field."""
    form = PageForm(values={"format": format, "record_path": record_path,
                            "organisation_id": ctx.actor.organisation_id})  # fmt: skip
    probe = build_profile({"name": "sample", "format": format if format in FORMATS else "csv",
                           "record_path": record_path or None})  # fmt: skip
    return attempt(ctx, act=lambda: trial.sample_columns(probe, file.file), form=form,
                   done=lambda columns: _profile_page(ctx, form, columns),
                   again=lambda refused, _status: _profile_page(ctx, refused, [], 422))


@router.post("/console/import-profiles", response_class=HTMLResponse)
def profile_create(
    name: str = Form(default="", max_length=40),
    organisation_id: str = Form(default="", max_length=12),
    format: str = Form(default="csv", max_length=10),  # noqa: A002
    source_channel: str = Form(default="", max_length=40),
    column: list[str] = Form(default=[], max_length=200),
    target: list[str] = Form(default=[], max_length=200),
    constants: str = Form(default="", max_length=5000),
    date_format: str = Form(default="", max_length=40),
    encoding: str = Form(default="", max_length=20),
    record_path: str = Form(default="", max_length=200),
    restore_hs_zeros: str = Form(default=""),
    description: str = Form(default="", max_length=500),
    ctx: RequestContext = require(Permission.IMPORT_RUN),
) -> Response:
    """Save the mapping chosen on the columns page (`column`/`target` pairs, constants one
    `field=value` per line): shaped into the API's `ProfileCreate`, then the one form path."""
    fixed = {}
    for line in constants.splitlines()[:50]:
        key, _sep, text = line.partition("=")
        if key.strip() and text.strip():
            fixed[key.strip()] = text.strip()
    data = {
        "name": name.strip(), "format": format, "source_channel": source_channel or None,
        "mapping": {c: t for c, t in zip(column, target, strict=False) if t},
        "constants": fixed, "date_format": date_format.strip() or None,
        "encoding": encoding.strip() or None, "record_path": record_path.strip() or None,
        "restore_hs_zeros": bool(restore_hs_zeros), "description": description.strip() or None,
        "organisation_id": int(organisation_id) if organisation_id.isdigit() else None,
    }  # fmt: skip
    return submit(
        ctx, None, ProfileCreate, form=PageForm(values={**data, "constants": constants}),
        data=data,
        act=lambda body: profile_service.create_profile(ctx.db, ctx.actor, body.model_dump()),
        done=lambda saved: ("/console/import-profiles", N_("Import profile {name} saved."),
                            {"name": saved.name}),
        again=lambda form, _status: _profile_page(ctx, form, column, 422),
    )


@router.post("/console/import-profiles/{profile_id:int}/delete", response_class=HTMLResponse)
def profile_delete(
    profile_id: IntId,
    reason: str = Form(default="", max_length=500),
    ctx: RequestContext = require(Permission.IMPORT_RUN),
) -> Response:
    saved = profile_service.delete_profile(ctx.db, ctx.actor, profile_id, reason or None)
    return redirect(ctx.request, "/console/import-profiles", gettext(
        "Import profile {name} deleted.", ctx.language, name=saved.name))
