"""Import batches: run a file through a profile, quarantine bad rows, correct and re-process them.

`ingest_batch` streams the file in chunks: each chunk's good rows go through
`records.service.store_drafts` (duplicates are no-ops) and its bad rows into `quarantined_row`,
so rows_read = imported + duplicates + quarantined always holds. One audit entry per batch.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from sqlalchemy import Select, select, text
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import is_postgresql, utcnow
from riskgate.core.errors import Conflict, DomainError, FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.workflow import move
from riskgate.identity import service as identity
from riskgate.identity.models import Organisation
from riskgate.identity.scope import get_in_scope, scoped
from riskgate.intake.classify import prepare_draft
from riskgate.intake.enums import BatchStatus, QuarantineStatus
from riskgate.intake.errors_text import translate_problem
from riskgate.intake.models import ImportBatch, QuarantinedRow
from riskgate.intake.profile_service import profile_named
from riskgate.intake.profiles import Profile
from riskgate.intake.readers import FileRefused, SourceRow, open_csv, read_json, read_json_at
from riskgate.intake.workflow import BATCH_FLOW, QUARANTINE_FLOW
from riskgate.intake.xlsx import open_xlsx, sniff
from riskgate.intake.xmlfile import read_xml
from riskgate.records.events import RecordDrafted
from riskgate.records.normalise import storable
from riskgate.records.service import store_drafts
from riskgate.records.standard import STANDARD_COLUMNS, Problems, finish

CHUNK = 500
MAX_QUARANTINE_SHOWN = 200


class ImportRefused(DomainError):
    """The whole file was refused before any row was read; nothing was stored."""

    status = 422
    type_slug = "import-refused"
    title = N_("Import refused")
    message = N_("The file cannot be imported.")


def _sha256(binary: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := binary.read(1024 * 1024):
        digest.update(chunk)
    binary.seek(0)
    return digest.hexdigest()


def open_rows(profile: Profile, binary: IO[bytes]) -> tuple[str, list[str], Iterator[SourceRow]]:
    """The encoding (or format), the ignored (unknown) columns and the rows.

    The content, not the file name, picks the reader: a table profile reads a CSV or, when the
    bytes are a zip, an .xlsx workbook. Refuses a file missing required columns.
    """
    try:
        if profile.kind == "json":
            if profile.json_path:
                encoding, rows = read_json_at(binary, profile.json_path)
            else:
                encoding, rows = read_json(binary)
            return encoding, [], rows
        if profile.kind == "xml":
            encoding, rows = read_xml(binary, profile.record_element or "record")
            return encoding, [], rows
        if profile.kind == "xlsx" or sniff(binary) != "other":
            source = open_xlsx(binary)
        else:
            source = open_csv(binary, profile.encoding)
    except FileRefused as refused:
        raise ImportRefused(refused.message, **refused.params) from refused
    except LookupError as error:
        raise ImportRefused(N_("Unknown encoding {value}."), value=str(profile.encoding)) from error
    missing = [c for c in profile.required if c not in source.columns]
    if missing:
        raise ImportRefused(
            N_("Required columns are missing: {missing}. The file has: {found}."),
            missing=", ".join(missing),
            found=", ".join(source.columns),
        )
    ignored = [c for c in source.columns if c not in profile.known]
    if profile.name == "unit_template":
        ignored = [c for c in ignored if c not in STANDARD_COLUMNS]  # field names are fine too
    return source.encoding, ignored, source.rows


def map_row(profile: Profile,
            fields: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One row through the profile: the draft and its problems (empty when the row is good)."""
    problems = Problems()
    draft = finish(profile.map_row(fields, problems), problems)
    if profile.columns_of and problems.items:
        # Name the file's own column, the one a correction edits ("发生日期", not occurred_on).
        for problem in problems.items:
            column = profile.columns_of.get(problem["field"])
            if column is not None and column in fields:
                problem["field"] = column
    return draft, problems.items


def ingest_batch(
    db: Session,
    actor: Actor,
    *,
    profile_name: str,
    binary: IO[bytes],
    file_name: str,
    organisation_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportBatch:
    """Import one file as one batch; `binary` must be seekable. Returns the finished batch."""
    profile = profile_named(profile_name, db, actor)
    organisation = _owning_organisation(db, actor, organisation_id)
    sha256 = _sha256(binary)
    encoding, ignored, rows = open_rows(profile, binary)
    batch = ImportBatch(
        organisation_id=organisation.id, profile=profile.name, file_name=storable(file_name)[:255],
        sha256=sha256, encoding=encoding, actor_user_id=actor.user_id,
        actor_name=actor.username or "system", status=BatchStatus.running,
        rows_read=0, imported=0, duplicates=0, quarantined=0, ignored_columns=ignored,
    )  # fmt: skip
    db.add(batch)
    db.flush()
    received = utcnow()
    next_analyze = _refresh_statistics(db, 0)
    pending: list[tuple[dict[str, Any], str]] = []
    bad: list[QuarantinedRow] = []

    def flush_chunk() -> None:
        nonlocal next_analyze
        if pending:
            results = store_drafts(
                db, pending, channel=profile.channel, organisation_id=organisation.id,
                batch_id=batch.id, received_at=received,
            )  # fmt: skip
            created = sum(1 for r in results if r.created)
            batch.imported += created
            batch.duplicates += len(results) - created
            pending.clear()
            if batch.imported >= next_analyze:
                next_analyze = _refresh_statistics(db, batch.imported)
        if bad:
            db.add_all(bad)
            batch.quarantined += len(bad)
            bad.clear()
        db.flush()
        if progress is not None:
            progress(batch.rows_read)

    for row in rows:
        batch.rows_read += 1
        problems = row.problems
        draft: dict[str, Any] = {}
        if not problems and row.fields is not None:
            draft, problems = map_row(profile, row.fields)
        if problems:
            bad.append(_quarantine(batch, row, problems))
        else:
            pending.append((draft, storable(row.raw.rstrip("\r\n"))))
        if len(pending) + len(bad) >= CHUNK:
            flush_chunk()
    flush_chunk()
    complete_batch(db, actor, batch, action="import.batch", organisation_id=organisation.id,
                   noted={"profile": profile.name, "file_name": batch.file_name,
                          "sha256": sha256})
    return batch


def complete_batch(db: Session, actor: Actor, batch: ImportBatch, *, action: str,
                   noted: dict[str, Any], organisation_id: int) -> None:
    """Every row of the batch is stored or quarantined: the batch is completed — one audit
    entry, named by the caller (`import.batch`, `feed.poll`), with what the caller notes (the
    file, its digest) and the batch's counts."""
    move(db, BATCH_FLOW, batch, BatchStatus.completed, actor=actor, action=action,
         organisation_id=organisation_id, noted={**noted, **batch.counts()},
         finished_at=utcnow())


def _refresh_statistics(db: Session, imported: int) -> int:
    """Refresh PostgreSQL's statistics of risk_record; returns when to do it again.

    A table never analysed gets a plan that scans it whole for every chunk's duplicate lookup
    (10x slower). Once analysed, PostgreSQL scales its estimates with the table's size, so one
    run at the start and one after the first stored chunk are enough. SQLite needs nothing.
    """
    if is_postgresql(db):
        db.execute(text("ANALYZE risk_record"))
    return CHUNK if imported == 0 else 2**62


def _quarantine(batch: ImportBatch, row: SourceRow,
                problems: list[dict[str, Any]]) -> QuarantinedRow:
    fields = None
    if row.fields is not None:
        fields = json.loads(storable(json.dumps(row.fields, ensure_ascii=False, default=str)))
    return QuarantinedRow(
        batch_id=batch.id, line_number=row.line_number, raw_content=storable(row.raw),
        fields=fields,
        problems=problems, status=QuarantineStatus.open,
    )  # fmt: skip


def _owning_organisation(db: Session, actor: Actor, organisation_id: int | None) -> Organisation:
    """The organisation the records will belong to: the one named (in scope) or the actor's."""
    chosen = organisation_id or actor.organisation_id
    if chosen is None:
        raise ValidationFailed(
            fields=[FieldProblem("organisation", N_("Records must belong to an organisation."))]
        )
    return identity.get_organisation(db, actor, chosen)


def batches_statement(actor: Actor) -> Select[Any]:
    return scoped(select(ImportBatch), actor, ImportBatch.organisation_id)


def get_batch(db: Session, actor: Actor, batch_id: int) -> ImportBatch:
    return get_in_scope(
        db, ImportBatch, batch_id, actor, ImportBatch.organisation_id,
        object_name=N_("import batch"),
    )  # fmt: skip


def quarantined_rows(
    db: Session, batch: ImportBatch, *, limit: int | None = MAX_QUARANTINE_SHOWN
) -> list[QuarantinedRow]:
    stmt = (
        select(QuarantinedRow)
        .where(QuarantinedRow.batch_id == batch.id)
        .order_by(QuarantinedRow.line_number, QuarantinedRow.id)
    )
    return list(db.execute(stmt.limit(limit) if limit else stmt).scalars())


def reprocess_row(
    db: Session,
    actor: Actor,
    batch_id: int,
    row_id: int,
    fields: dict[str, Any],
    reason: str | None = None,
) -> QuarantinedRow:
    """Correct a quarantined row's fields and run it through its profile again.

    A good row becomes a record (or is found to duplicate one) and the row is resolved; the
    batch's counts move from quarantined to imported or duplicates. A row still bad stays open
    with its new problems.
    """
    batch = get_batch(db, actor, batch_id)
    row = db.execute(
        select(QuarantinedRow).where(
            QuarantinedRow.id == row_id, QuarantinedRow.batch_id == batch.id
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(N_("quarantined row"))
    if row.status != QuarantineStatus.open:
        raise Conflict(N_("This row was already corrected and imported."))
    profile = profile_named(batch.profile, db, actor, deleted=True)
    before = {"fields": row.fields, "problems": row.problems}
    merged = {**(row.fields or {}), **fields}
    draft, problems = map_row(profile, merged)
    row.fields = merged
    row.problems = problems
    if not problems:
        raw = _raw_of(profile, merged)
        (result,) = store_drafts(
            db, [(draft, raw)], channel=profile.channel,
            organisation_id=batch.organisation_id, batch_id=batch.id,
        )  # fmt: skip
        move(db, QUARANTINE_FLOW, row, QuarantineStatus.resolved, actor=actor,
             action="import.quarantine_reprocess", reason=reason,
             organisation_id=batch.organisation_id, record_id=result.record_id,
             noted_before=before, noted={"fields": merged, "problems": problems})
        batch.quarantined -= 1
        if result.created:
            batch.imported += 1
        else:
            batch.duplicates += 1
    else:  # corrected, still with problems: the row stays in quarantine
        audit.record(
            db, actor, "import.quarantine_reprocess", object_type="quarantined_row",
            object_id=row.id, before=before,
            after={"fields": merged, "problems": problems, "status": row.status,
                   "record_id": row.record_id},
            reason=reason, organisation_id=batch.organisation_id,
        )  # fmt: skip
    db.flush()
    return row


def _raw_of(profile: Profile, fields: dict[str, Any]) -> str:
    """The corrected row written back in its file's own form (a CSV line or a JSON object)."""
    if profile.kind in ("json", "xml"):
        return json.dumps(fields, ensure_ascii=False)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([fields.get(k, "") for k in fields])
    return buffer.getvalue()


REPORT_COLUMNS = ("line_number", "status", "field", "problem", "raw_content")


def report_csv(db: Session, actor: Actor, batch_id: int, language: str) -> Iterator[str]:
    """The batch report as CSV lines: a summary, then one line per problem of each bad row."""
    batch = get_batch(db, actor, batch_id)
    rows = quarantined_rows(db, batch, limit=None)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["batch", batch.id, "profile", batch.profile, "file", batch.file_name])
    writer.writerow(["sha256", batch.sha256, "encoding", batch.encoding or ""])
    writer.writerow([f"{k}={v}" for k, v in batch.counts().items()])
    if batch.ignored_columns:
        writer.writerow(["ignored_columns", *batch.ignored_columns])
    writer.writerow(REPORT_COLUMNS)
    yield "\ufeff" + buffer.getvalue()  # BOM: spreadsheet software then reads UTF-8
    for row in rows:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for problem in row.problems or [{"field": "", "message": "", "params": {}}]:
            writer.writerow([
                row.line_number, row.status, problem["field"],
                translate_problem(problem, language), row.raw_content.rstrip("\r\n"),
            ])  # fmt: skip
        yield buffer.getvalue()


def on_record_drafted(db: Session, event: RecordDrafted) -> None:
    """Follows `record.drafted`: the classifier completes what the source left empty."""
    prepare_draft(event.draft)
