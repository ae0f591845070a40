"""Exporting risk records as CSV (UTF-8 with BOM, so Excel reads the Chinese) or Excel .xlsx.

The file is written inside the request's transaction into a spooled temporary file (memory,
then disk past a few MB) and streamed to the client after the transaction has ended, so a slow
download never holds a database connection. Cells that a spreadsheet would run as a formula
(=, +, -, @ first) are prefixed with an apostrophe (CSV/formula injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterable
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog import reference
from riskgate.core.context import Actor
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.i18n import N_, gettext
from riskgate.records.models import RiskRecord
from riskgate.search import service
from riskgate.search.service import RecordFilters

MAX_EXPORT_ROWS = 100_000
SPOOL_BYTES = 8 * 1024 * 1024
TIME_ZONE = ZoneInfo("Asia/Shanghai")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _label(entry: Any, lang: str, code: Any) -> str:
    if code is None:
        return ""
    return entry.label(lang) if entry is not None else str(code)


def _enterprises(record: RiskRecord, lang: str) -> str:
    parts = []
    for item in record.enterprises:
        who = " ".join(p for p in (item.name, item.uscc and f"({item.uscc})") if p)
        role = item.role.label(lang)
        parts.append(f"{role}: {who}" + (f" [{item.country}]" if item.country else ""))
    return "; ".join(parts)


def _time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(TIME_ZONE).strftime("%Y-%m-%d %H:%M:%S")


Column = tuple[str, Callable[[RiskRecord, str], Any]]
COLUMNS: list[Column] = [
    (N_("Record number"), lambda r, lang: r.record_number),
    (N_("Source channel"), lambda r, lang: _label(
        reference.source_channel(str(r.source_channel)), lang, r.source_channel)),
    (N_("External reference"), lambda r, lang: r.external_reference),
    (N_("Received"), lambda r, lang: _time(r.received_at)),
    (N_("Occurred on"), lambda r, lang: r.occurred_on.isoformat() if r.occurred_on else ""),
    (N_("Title"), lambda r, lang: r.title),
    (N_("Description"), lambda r, lang: r.description),
    (N_("Product"), lambda r, lang: r.product_name),
    (N_("Brand"), lambda r, lang: r.brand),
    (N_("Model"), lambda r, lang: r.model),
    (N_("Batch / lot"), lambda r, lang: r.batch_number),
    (N_("Barcode"), lambda r, lang: r.barcode),
    (N_("HS code"), lambda r, lang: r.hs_code),
    (N_("Hazard class"), lambda r, lang: _label(
        reference.hazard_class(r.hazard_class), lang, r.hazard_class)),
    (N_("Hazard type"), lambda r, lang: _label(
        reference.hazard_type(str(r.hazard_type)) if r.hazard_type else None, lang,
        r.hazard_type)),
    (N_("Substance"), lambda r, lang: r.hazard_substance),
    (N_("Origin country"), lambda r, lang: _label(
        reference.country(r.origin_country), lang, r.origin_country)),
    (N_("Notifying country"), lambda r, lang: _label(
        reference.country(r.notifying_country), lang, r.notifying_country)),
    (N_("Trade direction"), lambda r, lang: r.trade_direction.label(lang)),
    (N_("Injuries"), lambda r, lang: r.injuries_count),
    (N_("Enterprises"), lambda r, lang: _enterprises(r, lang)),
    (N_("Measures taken"), lambda r, lang: r.measures_taken),
    (N_("Confidentiality"), lambda r, lang: r.confidentiality.label(lang)),
]  # fmt: skip


def _safe(value: Any) -> Any:
    """A cell value that no spreadsheet will run as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def header(lang: str) -> list[str]:
    return [gettext(title, lang) for title, _value in COLUMNS]


def row(record: RiskRecord, lang: str) -> list[Any]:
    return [_safe(value(record, lang)) for _title, value in COLUMNS]


def write(records: Iterable[RiskRecord], file_format: str, lang: str) -> IO[bytes]:
    """Write the records into a spooled temporary file, rewound, ready to stream."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 — returned open
    if file_format == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(header(lang))
        for record in records:
            writer.writerow(row(record, lang))
        text.flush()
        text.detach()
    else:
        from openpyxl import Workbook  # only an Excel export pays for loading openpyxl

        book = Workbook(write_only=True)
        sheet = book.create_sheet(gettext("Risk records", lang))
        sheet.append(header(lang))
        for record in records:
            sheet.append([_excel(v) for v in row(record, lang)])
        book.save(out)
    out.seek(0)
    return out


def _excel(value: Any) -> Any:
    # openpyxl refuses control characters that XML cannot carry.
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    return value


def chunks(file: IO[bytes], size: int = 64 * 1024) -> Iterable[bytes]:
    """The file's bytes for a streaming response; closes it at the end."""
    try:
        while block := file.read(size):
            yield block
    finally:
        file.close()


def export_records(
    db: Session, actor: Actor, query: str | None, filters: RecordFilters, file_format: str,
    lang: str,
) -> tuple[IO[bytes], int]:
    """Export the records a search would list (in scope, filtered, ranked when there is a query),
    at most MAX_EXPORT_ROWS (more is a 422 asking to narrow the filters); audited."""
    query = service.check_query(query)
    stmt, hits = service.search_statement(db, actor, query, filters)
    total = service.count_up_to(db, stmt, MAX_EXPORT_ROWS)
    if total > MAX_EXPORT_ROWS:
        raise ValidationFailed(fields=[FieldProblem(
            "q", N_("An export holds at most {max} records; narrow the search or the filters."),
            {"max": MAX_EXPORT_ROWS})])  # fmt: skip
    # Recorded first: on SQLite this makes the request a writer before it reads at length.
    audit.record(
        db, actor, "record.export", object_type="risk_record",
        after={"format": file_format, "rows": total, "query": query,
               "filters": filters.described()},
    )  # fmt: skip
    records = service.iterate(db, service.ordered_for_export(stmt, hits))
    return write(records, file_format, lang), total
