"""Bulk export of warnings: CSV (UTF-8 with BOM, so Excel reads the Chinese), Excel .xlsx and
JSON.

- Public: `GET /warnings/export.{csv,xlsx,json}` — announcements (公告) only, with the portal's
  filters (level, category, country, date_from/date_to of publication, state). Not audited:
  everything in it is public.
- Staff: `GET /api/v1/warnings/export?format=csv|xlsx|json` (WARNING_READ) — the warnings the
  caller may read (`lifecycle.service.warnings_statement`), filtered by level, type, status,
  country, category and publication dates; audited as `warning.export`.

Bounded: at most MAX_EXPORT_ROWS warnings (more is a 422 asking to narrow the filters). Rows
are read in chunks of CHUNK by id and written into a spooled temporary file (memory, then
disk) inside the request's transaction, then streamed after it ended, as the record export
does. Cells a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Path, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog import reference
from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.core.context import Actor
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.identity.models import Organisation
from riskgate.search.export import chunks
from riskgate.warnings.enums import PublicState, WarningStatus
from riskgate.warnings.lifecycle import service
from riskgate.warnings.lifecycle.workflow import OBJECT_TYPE
from riskgate.warnings.models import PublicWarning, WarningFacet, WarningProduct
from riskgate.warnings.publication import origin
from riskgate.warnings.publication.feeds import web_link
from riskgate.warnings.publication.service import PortalFilters, public_statement
from riskgate.web.routing import page_router

api = api_router(prefix="/api/v1", tags=["warnings"])
pages = page_router()

MAX_EXPORT_ROWS = 10_000
CHUNK = 500
SPOOL_BYTES = 8 * 1024 * 1024
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FORMAT_PATTERN = "^(csv|xlsx|json)$"


def _local(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S")


def _labels(codes: Iterable[str], lookup: Callable[[str], Any], lang: str) -> str:
    names = []
    for code in codes or []:
        entry = lookup(code)
        names.append(entry.label(lang) if entry is not None else str(code))
    return "; ".join(names)


class Row:
    """One warning with what its columns need (products and issuing organisation)."""

    __slots__ = ("warning", "products", "organisation", "base_url")

    def __init__(self, warning: PublicWarning, products: list[WarningProduct],
                 organisation: Organisation | None, base_url: str) -> None:
        self.warning = warning
        self.products = products
        self.organisation = organisation
        self.base_url = base_url


def _level(row: Row, lang: str) -> str:
    entry = reference.warning_level(row.warning.level)
    return entry.display(lang) if entry else str(row.warning.level)


def _type(row: Row, lang: str) -> str:
    entry = reference.warning_type(row.warning.warning_type)
    return entry.label(lang) if entry else str(row.warning.warning_type)


def _hazard_class(row: Row, lang: str) -> str | None:
    code = row.warning.hazard_class
    entry = reference.hazard_class(code) if code else None
    return entry.label(lang) if entry else code


def _products(row: Row, lang: str) -> str:
    parts = []
    for p in row.products:
        details = ", ".join(v for v in (p.brand, p.model, p.batch and f"batch {p.batch}",
                                        p.barcode) if v)
        parts.append(p.name + (f" ({details})" if details else ""))
    return "; ".join(parts)


def _distinct(values: Iterable[str | None]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


Column = tuple[str, str, Callable[[Row, str], Any]]
# (JSON key, column title msgid, value for CSV/xlsx in the language)
COLUMNS: list[Column] = [
    ("number", N_("Warning number"), lambda r, lang: r.warning.number),
    ("issued_by", N_("Issued by"), lambda r, lang: r.organisation.name(lang)
     if r.organisation else ""),
    ("level", N_("Level"), _level),
    ("warning_type", N_("Type"), _type),
    ("status", N_("Status"), lambda r, lang: WarningStatus(r.warning.status).label(lang)),
    ("title", N_("Title"), lambda r, lang: r.warning.title),
    ("title_en", N_("Title (English)"), lambda r, lang: r.warning.title_en),
    ("summary", N_("Summary"), lambda r, lang: r.warning.summary),
    ("hazard", N_("Hazard"), lambda r, lang: r.warning.hazard),
    ("hazard_class", N_("Hazard class"), lambda r, lang: _hazard_class(r, lang)),
    ("products", N_("Products"), _products),
    ("hs_codes", N_("HS codes"), lambda r, lang: _distinct(p.hs_code for p in r.products)),
    ("categories", N_("Product categories"),
     lambda r, lang: _distinct(p.category for p in r.products)),
    ("origin_countries", N_("Origin countries"),
     lambda r, lang: _labels(r.warning.origin_countries, reference.country, lang)),
    ("regions", N_("Regions"), lambda r, lang: _labels(r.warning.regions, reference.region, lang)),
    ("ports", N_("Ports"), lambda r, lang: _labels(r.warning.ports, reference.port, lang)),
    ("measures", N_("Measures"),
     lambda r, lang: _labels(r.warning.measures, reference.measure_type, lang)),
    ("effective_from", N_("Effective from"), lambda r, lang: r.warning.effective_from),
    ("effective_until", N_("Effective until"), lambda r, lang: r.warning.effective_until),
    ("published_at", N_("Published on"), lambda r, lang: _local(r.warning.published_at)),
    ("follow_ups", N_("Follow-ups"), lambda r, lang: r.warning.follow_up_count),
    ("consumer_instructions", N_("What consumers should do"),
     lambda r, lang: r.warning.consumer_instructions),
    ("enterprise_instructions", N_("What enterprises must do"),
     lambda r, lang: r.warning.enterprise_instructions),
    ("permalink", N_("Permalink"), lambda r, lang: web_link(r.warning, r.base_url)),
]  # fmt: skip


def _cell(value: Any) -> Any:
    """A spreadsheet cell that never runs as a formula and that XML can carry."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
    return value


def json_item(row: Row) -> dict[str, Any]:
    """The machine-readable form: codes, not labels; times in ISO 8601 UTC."""
    w = row.warning
    published = w.published_at
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=dt.UTC)
    return {
        "id": w.id, "number": w.number,
        "issued_by": {"id": w.organisation_id,
                      "code": row.organisation.code if row.organisation else None,
                      "name": row.organisation.name_zh if row.organisation else None},
        "level": str(w.level), "warning_type": str(w.warning_type), "status": str(w.status),
        "title": w.title, "title_en": w.title_en, "summary": w.summary,
        "summary_en": w.summary_en, "hazard": w.hazard,
        "hazard_class": str(w.hazard_class) if w.hazard_class else None,
        "products": [p.snapshot() for p in row.products],
        "origin_countries": list(w.origin_countries or []), "regions": list(w.regions or []),
        "ports": list(w.ports or []), "measures": list(w.measures or []),
        "effective_from": w.effective_from.isoformat() if w.effective_from else None,
        "effective_until": w.effective_until.isoformat() if w.effective_until else None,
        "published_at": published.isoformat() if published else None,
        "follow_up_count": w.follow_up_count,
        "consumer_instructions": w.consumer_instructions,
        "enterprise_instructions": w.enterprise_instructions,
        "permalink": web_link(w, row.base_url),
    }  # fmt: skip


def rows(db: Session, stmt: Select[Any], base_url: str) -> Iterator[Row]:
    """The warnings of the statement, newest publication first, read CHUNK at a time."""
    ordered = stmt.with_only_columns(PublicWarning.id).order_by(
        PublicWarning.published_at.desc(), PublicWarning.id.desc())
    ids = list(db.execute(ordered.limit(MAX_EXPORT_ROWS)).scalars())
    organisations: dict[int, Organisation] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        warnings = {w.id: w for w in db.execute(
            select(PublicWarning).where(PublicWarning.id.in_(chunk))).scalars()}
        products: dict[int, list[WarningProduct]] = {}
        for product in db.execute(select(WarningProduct).where(
                WarningProduct.warning_id.in_(chunk)).order_by(
                WarningProduct.position, WarningProduct.id)).scalars():
            products.setdefault(product.warning_id, []).append(product)
        wanted = {w.organisation_id for w in warnings.values()} - organisations.keys()
        if wanted:
            organisations.update({o.id: o for o in db.execute(
                select(Organisation).where(Organisation.id.in_(wanted))).scalars()})
        for warning_id in chunk:
            warning = warnings[warning_id]
            yield Row(warning, products.get(warning_id, []),
                      organisations.get(warning.organisation_id), base_url)


def write(items: Iterable[Row], file_format: str, lang: str) -> IO[bytes]:
    """Write the rows into a spooled temporary file, rewound, ready to stream."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 — returned open
    if file_format == "json":
        out.write(b"[")
        for index, row in enumerate(items):
            out.write((b",\n" if index else b"\n") + json.dumps(
                json_item(row), ensure_ascii=False).encode())
        out.write(b"\n]\n")
    elif file_format == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow([gettext(title, lang) for _key, title, _value in COLUMNS])
        for row in items:
            writer.writerow([_cell(value(row, lang)) for _key, _title, value in COLUMNS])
        text.flush()
        text.detach()
    else:
        from openpyxl import Workbook  # a heavy dependency, loaded only for Excel

        book = Workbook(write_only=True)
        sheet = book.create_sheet(gettext(N_("Warnings"), lang))
        sheet.append([gettext(title, lang) for _key, title, _value in COLUMNS])
        for row in items:
            sheet.append([_cell(value(row, lang)) for _key, _title, value in COLUMNS])
        book.save(out)
    out.seek(0)
    return out


def _bounded(db: Session, stmt: Select[Any]) -> int:
    total = db.execute(select(func.count()).select_from(
        stmt.with_only_columns(PublicWarning.id).limit(MAX_EXPORT_ROWS + 1).subquery())
    ).scalar_one()
    if total > MAX_EXPORT_ROWS:
        raise ValidationFailed(fields=[FieldProblem(
            "format", N_("An export holds at most {max} warnings; narrow the filters."),
            {"max": MAX_EXPORT_ROWS})])  # fmt: skip
    return int(total)


def export_public(db: Session, filters: PortalFilters, file_format: str, lang: str,
                  base_url: str) -> tuple[IO[bytes], int]:
    """The public warnings the portal would list with these filters."""
    stmt = public_statement(db, filters.check()).where(PublicWarning.published_at.is_not(None))
    total = _bounded(db, stmt)
    return write(rows(db, stmt, base_url), file_format, lang), total


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), LOCAL_TZ).astimezone(dt.UTC)


def staff_statement(actor: Actor, *, level: WarningLevel | None = None,
                    warning_type: WarningType | None = None, status: WarningStatus | None = None,
                    country: str | None = None, category: str | None = None,
                    date_from: dt.date | None = None,
                    date_to: dt.date | None = None) -> Select[Any]:
    """The warnings the actor may read (every state), filtered."""
    stmt = service.warnings_statement(actor, status=status, level=level,
                                      warning_type=warning_type)
    for facet, value in (("country", country and country.upper()), ("category", category)):
        if value:
            stmt = stmt.where(exists().where(
                WarningFacet.warning_id == PublicWarning.id, WarningFacet.facet == facet,
                WarningFacet.value == value))
    if date_from:
        stmt = stmt.where(PublicWarning.published_at >= _local_midnight(date_from))
    if date_to:
        stmt = stmt.where(PublicWarning.published_at
                          < _local_midnight(date_to + dt.timedelta(days=1)))
    return stmt


def export_for_staff(db: Session, actor: Actor, stmt: Select[Any], file_format: str, lang: str,
                     base_url: str, described: dict[str, Any]) -> tuple[IO[bytes], int]:
    """The warnings of `staff_statement`, audited (format, rows, filters)."""
    total = _bounded(db, stmt)
    # Recorded first: on SQLite this makes the request a writer before it reads at length.
    audit.record(db, actor, "warning.export", object_type=OBJECT_TYPE,
                 after={"format": file_format, "rows": total, "filters": described})
    return write(rows(db, stmt, base_url), file_format, lang), total


def _response(file: IO[bytes], count: int, file_format: str, stem: str) -> StreamingResponse:
    stamp = dt.datetime.now(LOCAL_TZ).strftime("%Y%m%d-%H%M%S")
    return StreamingResponse(chunks(file), media_type=FORMATS[file_format], headers={
        "Content-Disposition": f'attachment; filename="{stem}-{stamp}.{file_format}"',
        "X-Export-Rows": str(count), "X-Export-Limit": str(MAX_EXPORT_ROWS)})


# ---------------------------------------------------------------- routes


def public_filters(
    level: WarningLevel | None = None,
    category: str | None = Query(default=None, max_length=100),
    country: str | None = Query(default=None, max_length=2),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    state: PublicState | None = None,
) -> PortalFilters:
    return PortalFilters(level=level, category=category, country=country, date_from=date_from,
                         date_to=date_to, state=state)


@pages.get("/warnings/export.{file_format}", response_class=StreamingResponse,
                 responses={200: {"content": {t: {} for t in FORMATS.values()}}})
def public_export(
    file_format: str = Path(pattern=FORMAT_PATTERN),
    filters: PortalFilters = Depends(public_filters),
    ctx: RequestContext = require(Permission.PUBLIC),
) -> StreamingResponse:
    """Public warnings (announcements) as CSV, Excel or JSON, at most 10,000."""
    file, count = export_public(ctx.db, filters, file_format, ctx.language, origin.base_url(ctx))
    return _response(file, count, file_format, "warnings")


@api.get("/warnings/export", response_class=StreamingResponse,
         summary="Export the warnings I may read (CSV, Excel or JSON), at most 10,000",
         responses={200: {"content": {t: {} for t in FORMATS.values()}}})
def staff_export(
    format: str = Query(default="csv", pattern=FORMAT_PATTERN),  # noqa: A002
    level: WarningLevel | None = None,
    type: WarningType | None = None,  # noqa: A002
    status: WarningStatus | None = None,
    country: str | None = Query(default=None, pattern="^[A-Za-z]{2}$"),
    category: str | None = Query(default=None, max_length=100),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    ctx: RequestContext = require(Permission.WARNING_READ),
) -> StreamingResponse:
    """Every state the caller may read; publication dates are local days (Asia/Shanghai)."""
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed(fields=[FieldProblem(
            "date_to", N_("The end date must not be before the start date."))])
    stmt = staff_statement(ctx.actor, level=level, warning_type=type, status=status,
                           country=country, category=category, date_from=date_from,
                           date_to=date_to)
    described = {k: (v.isoformat() if isinstance(v, dt.date) else str(v))
                 for k, v in (("level", level), ("type", type), ("status", status),
                              ("country", country), ("category", category),
                              ("date_from", date_from), ("date_to", date_to)) if v}
    file, count = export_for_staff(ctx.db, ctx.actor, stmt, format, ctx.language,
                                   origin.base_url(ctx), described)
    return _response(file, count, format, "warnings")
