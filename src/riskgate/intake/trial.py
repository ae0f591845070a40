"""Preview and dry run of an import: see what a file would give before anything is stored.

`preview` maps the first rows and writes nothing. `dry_run` runs the real import of the whole
file (`ingest_batch`, so `store_drafts`' duplicate check sees the database *and* the earlier
rows of the same file, chunk after chunk) inside a savepoint that is then rolled back: the
counts are exactly what a commit would give, and nothing stays — no record, no batch, no
quarantined row, no audit entry, no record number used up. The caller's transaction is left
as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.intake.profile_service import profile_named
from riskgate.intake.profiles import Profile
from riskgate.intake.readers import FileRefused
from riskgate.intake.service import (
    ImportRefused,
    ingest_batch,
    map_row,
    open_rows,
    quarantined_rows,
)

PREVIEW_ROWS = 20
MAX_PROBLEMS = 200


@dataclass
class PreviewRow:
    line_number: int
    raw: str
    source: dict[str, Any] | None
    fields: dict[str, Any]
    problems: list[dict[str, Any]]


@dataclass
class Preview:
    profile: str
    encoding: str
    columns: list[str]
    ignored_columns: list[str]
    rows: list[PreviewRow] = field(default_factory=list)


@dataclass
class DryRun:
    profile: str
    encoding: str | None
    rows_read: int
    imported: int
    duplicates: int
    quarantined: int
    ignored_columns: list[str]
    problems: list[dict[str, Any]] = field(default_factory=list)  # first MAX_PROBLEMS rows


def _shown(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_shown(v) for v in value]
    if isinstance(value, dict):
        return {k: _shown(v) for k, v in value.items()}
    return str(value) if hasattr(value, "value") else value


def preview(
    db: Session, actor: Actor, *, profile_name: str, binary: IO[bytes], limit: int = PREVIEW_ROWS
) -> Preview:
    """The first `limit` rows mapped to record fields, with their problems; stores nothing."""
    profile = profile_named(profile_name, db, actor)
    encoding, ignored, rows = open_rows(profile, binary)
    columns = list(profile.known) if profile.kind in ("json", "xml") else []
    result = Preview(profile.name, encoding, columns, ignored)
    for row in rows:
        problems = row.problems
        draft: dict[str, Any] = {}
        if not problems and row.fields is not None:
            draft, problems = map_row(profile, row.fields)
        if row.fields and not result.columns:
            result.columns = list(row.fields)
        shown = {k: _shown(v) for k, v in draft.items() if v not in (None, "", [])}
        result.rows.append(PreviewRow(row.line_number, row.raw, row.fields, shown, problems))
        if len(result.rows) >= limit:
            break
    close = getattr(rows, "close", None)
    if close is not None:
        close()  # lets the xlsx reader close its workbook
    return result


def sample_columns(profile: Profile, binary: IO[bytes], rows: int = 50) -> list[str]:
    """The columns of a sample file (a table's header; the keys of the first JSON/XML rows).
    A file that cannot be read is refused (`ImportRefused`, 422) as an import would be."""
    _encoding, ignored, source = open_rows(profile, binary)
    if profile.kind in ("csv", "xlsx"):
        columns = ignored
    else:
        found: dict[str, None] = {}
        try:
            for index, row in enumerate(source):
                found.update(dict.fromkeys(row.fields or {}))
                if index + 1 >= rows:
                    break
        except FileRefused as refused:
            raise ImportRefused(refused.message, **refused.params) from refused
        columns = list(found)
    close = getattr(source, "close", None)
    if close is not None:
        close()
    return [c for c in columns if c][:200]


def dry_run(
    db: Session,
    actor: Actor,
    *,
    profile_name: str,
    binary: IO[bytes],
    file_name: str,
    organisation_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> DryRun:
    """The counts and problems the import would give, from a real import rolled back."""
    savepoint = db.begin_nested()
    try:
        batch = ingest_batch(
            db, actor, profile_name=profile_name, binary=binary, file_name=file_name,
            organisation_id=organisation_id, progress=progress,
        )  # fmt: skip
        problems = [
            {"line_number": row.line_number, "raw": row.raw_content, "problems": row.problems}
            for row in quarantined_rows(db, batch, limit=MAX_PROBLEMS)
        ]
        result = DryRun(
            batch.profile, batch.encoding, batch.rows_read, batch.imported, batch.duplicates,
            batch.quarantined, list(batch.ignored_columns), problems,
        )  # fmt: skip
    finally:
        savepoint.rollback()
    return result
