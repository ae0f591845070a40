"""Assessment reports (A4): request, generate, store, list and download.

A request (`request_report`) checks the parameters and the organisation's scope, stores a
`pending` row, audits it, and makes the generation job due; the worker (`generate_pending`) reads
the data in a short read transaction, renders the PDF or workbook outside any transaction (so
SQLite's single write lock is never held while WeasyPrint works), stores the file under its
SHA-256 and marks the row `ready` — or `failed` with the error — in a second short transaction,
audited. Generating twice (an expired lease) stores the same kind of file and is harmless; the
row is only updated while still pending.

The quarterly job (`schedule_quarterlies`) requests, once, after each quarter's end, the
quarterly PDF of every lead organisation: the top-level organisations of the regulators (not
enterprises or laboratories), whose subtree is the whole of their system.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from riskgate.analysis_reports import periods, render
from riskgate.analysis_reports.content import Category, Scope, category_name, gather
from riskgate.analysis_reports.enums import (
    MEDIA_TYPES,
    CategoryDimension,
    ReportFormat,
    ReportKind,
    ReportStatus,
)
from riskgate.analysis_reports.models import AnalysisReport
from riskgate.analysis_reports.schemas import ReportIn
from riskgate.analysis_reports.workflow import OBJECT, OBJECT_TYPE, REPORT_FLOW
from riskgate.audit import service as audit
from riskgate.catalog.enums import HazardClass
from riskgate.catalog.reference import hs_chapter
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.schedule import make_due
from riskgate.core.settings import Settings
from riskgate.core.workflow import move
from riskgate.identity import auth_service
from riskgate.identity import service as identity
from riskgate.identity.enums import OrgType
from riskgate.identity.models import Organisation, User
from riskgate.identity.scope import get_in_scope, scoped

GENERATE_JOB = "analysis_reports.generate"
QUARTERLY_JOB = "analysis_reports.quarterly"
SCHEDULER_NAME = "analysis_reports.quarterly"
GENERATOR_NAME = "analysis_reports.generate"
# Reports generated per job run (each takes a few seconds); the rest wait for the next run.
BATCH = 10

LEAD_TYPES = frozenset(t for t in OrgType if not t.is_enterprise and t != OrgType.LAB)


class ReportNotReady(Conflict):
    type_slug = "report-not-ready"
    title = N_("Report not ready")
    message = N_("This report has not been generated yet (status: {status}).")


# --- Requests --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRequest:
    """What a caller asks for; `quarter` ('2026Q3') or `start` and `end` give the period."""

    kind: ReportKind = ReportKind.quarterly
    format: ReportFormat = ReportFormat.pdf
    language: str = "zh-CN"
    quarter: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    category_dimension: CategoryDimension | None = None
    category_value: str | None = None
    organisation_id: int | None = None

    @classmethod
    def of(cls, body: ReportIn) -> ReportRequest:
        """The request the API's (and the page's) input model describes."""
        return cls(**body.model_dump())


def _period(request: ReportRequest, settings: Settings, today: dt.date) -> periods.Period:
    problems: list[FieldProblem] = []
    if request.quarter:
        period = periods.parse_quarter(request.quarter)
        if period is None:
            raise ValidationFailed(fields=[FieldProblem(
                "quarter", N_("Give a quarter like 2026Q3."))])
    elif request.start and request.end:
        if request.end < request.start:
            problems.append(FieldProblem("end", N_("The end is before the start.")))
        period = periods.custom(request.start, request.end)
    else:
        raise ValidationFailed(fields=[FieldProblem(
            "quarter", N_("Give a quarter, or a start and an end date."))])
    if not problems and period.start > today:
        problems.append(FieldProblem("quarter" if request.quarter else "start",
                                     N_("The period has not started yet.")))
    if not problems and period.days > settings.analysis_report_max_days:
        problems.append(FieldProblem("end", N_("A report covers at most {days} days."),
                                     {"days": settings.analysis_report_max_days}))
    if problems:
        raise ValidationFailed(fields=problems)
    return period


def _category(request: ReportRequest) -> Category | None:
    if request.kind == ReportKind.quarterly:
        if request.category_dimension or request.category_value:
            raise ValidationFailed(fields=[FieldProblem(
                "category_value", N_("A quarterly report covers every category; choose the "
                                     "report by category to narrow it."))])
        return None
    value = (request.category_value or "").strip()
    if request.category_dimension is None or not value:
        raise ValidationFailed(fields=[FieldProblem(
            "category_value", N_("Choose the category the report is about."))])
    dimension = request.category_dimension
    if dimension == CategoryDimension.hazard_class and value not in set(HazardClass):
        raise ValidationFailed(fields=[FieldProblem(
            "category_value", N_("Unknown hazard class: {value}."), {"value": value[:40]})])
    if dimension == CategoryDimension.hs_chapter:
        value = value.zfill(2) if value.isdigit() and len(value) <= 2 else value
        entry = hs_chapter(value) if len(value) == 2 and value.isdigit() else None
        if entry is None:
            raise ValidationFailed(fields=[FieldProblem(
                "category_value", N_("Unknown HS chapter: {value}."), {"value": value[:40]})])
    if len(value) > 200:
        raise ValidationFailed(fields=[FieldProblem(
            "category_value", N_("At most {max} characters."), {"max": 200})])
    return Category(dimension, value)


def local_today(settings: Settings, now: dt.datetime | None = None) -> dt.date:
    return (now or utcnow()).astimezone(ZoneInfo(settings.timezone)).date()


def _title(kind: ReportKind, category: Category | None, period: periods.Period, lang: str
           ) -> str:
    title = f"{period.label} {kind.label(lang)}"
    if category is not None:
        title += f" · {category_name(category, lang)}"
    return title[:300]


def request_report(db: Session, actor: Actor, settings: Settings,
                   request: ReportRequest) -> AnalysisReport:
    """Record a report request (pending) for the worker to generate; audited."""
    today = local_today(settings)
    period = _period(request, settings, today)
    category = _category(request)
    organisation_id = request.organisation_id or actor.organisation_id
    if organisation_id is None:
        raise ValidationFailed(fields=[FieldProblem(
            "organisation_id", N_("Choose the organisation the report is about."))])
    organisation = identity.get_organisation(db, actor, organisation_id)
    language = "en" if request.language == "en" else "zh-CN"
    report = _new_report(organisation, request.kind, request.format, language, period, category,
                         requested_by=actor, scheduled=False)
    db.add(report)
    db.flush()
    audit.record(db, actor, "analysis_report.request", object_type=OBJECT_TYPE,
                 object_id=report.id, after=_snapshot(report), organisation_id=organisation.id)
    make_due(db, GENERATE_JOB)
    return report


def _new_report(organisation: Organisation, kind: ReportKind, file_format: ReportFormat,
                language: str, period: periods.Period, category: Category | None, *,
                requested_by: Actor, scheduled: bool) -> AnalysisReport:
    return AnalysisReport(
        organisation_id=organisation.id, kind=kind, status=ReportStatus.pending,
        title=_title(kind, category, period, language), period_start=period.start,
        period_end=period.end, period_label=period.label,
        category_dimension=category.dimension if category else None,
        category_value=category.value if category else None, language=language,
        format=file_format, requested_at=utcnow(), requested_by_id=requested_by.user_id,
        requested_by=requested_by.username[:100], scheduled=scheduled, attempts=0, summary={},
    )  # fmt: skip


def _snapshot(report: AnalysisReport) -> dict[str, Any]:
    return {
        "kind": report.kind, "status": report.status, "title": report.title,
        "period": f"{report.period_start.isoformat()}~{report.period_end.isoformat()}",
        "category_dimension": report.category_dimension, "category_value": report.category_value,
        "language": report.language, "format": report.format, "sha256": report.sha256,
        "size": report.size, "error": report.error, "scheduled": report.scheduled,
    }  # fmt: skip


# --- Reading ---------------------------------------------------------------------------------


def reports_statement(actor: Actor, *, status: ReportStatus | None = None,
                      kind: ReportKind | None = None) -> Select[Any]:
    stmt = scoped(select(AnalysisReport), actor, AnalysisReport.organisation_id)
    if status is not None:
        stmt = stmt.where(AnalysisReport.status == status)
    if kind is not None:
        stmt = stmt.where(AnalysisReport.kind == kind)
    return stmt


def get_report(db: Session, actor: Actor, report_id: int) -> AnalysisReport:
    return get_in_scope(db, AnalysisReport, report_id, actor, AnalysisReport.organisation_id,
                        object_name=OBJECT)


def path_for(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256[2:4] / sha256


@dataclass(frozen=True)
class Download:
    file_name: str
    media_type: str
    data: bytes


def download(db: Session, actor: Actor, settings: Settings, report_id: int) -> Download:
    """The stored file of a ready report in scope, checked against its SHA-256 (a GET: reads
    run on the read-only engine, so downloads are logged by the access log, not audited)."""
    report = get_report(db, actor, report_id)
    if report.status != ReportStatus.ready or not report.sha256:
        raise ReportNotReady(status=report.status.value)
    try:
        data = path_for(Path(settings.analysis_reports_dir), report.sha256).read_bytes()
    except FileNotFoundError as error:
        raise NotFound(N_("report file")) from error
    if hashlib.sha256(data).hexdigest() != report.sha256:
        raise NotFound(N_("report file"))
    return Download(report.file_name or f"report-{report.id}.{report.format.value}",
                    report.media_type or MEDIA_TYPES[report.format], data)


# --- Generating (the worker) -----------------------------------------------------------------


def store_file(root: Path, data: bytes) -> str:
    """Write the bytes under their SHA-256 (atomically, by rename) unless already there."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_for(root, digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".report-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def _file_name(report: AnalysisReport) -> str:
    kind = "quarterly" if report.kind == ReportKind.quarterly else "category"
    suffix = f"-{report.category_value}" if report.category_value else ""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in suffix)[:60]
    return f"riskgate-{kind}-{report.period_label.replace('~', '_')}{safe}.{report.format.value}"


def _requester(db: Session, report: AnalysisReport) -> tuple[Actor, str]:
    """Whose data scope the report is generated in, and the name printed on it."""
    if report.requested_by_id is None:
        return Actor.system(report.requested_by or SCHEDULER_NAME), report.requested_by
    user = db.get(User, report.requested_by_id)
    if user is None or not user.active:
        raise RuntimeError("the account that requested the report is no longer active")
    return auth_service.actor_for(user, report.language), user.display_name


def _render(db: Session, report: AnalysisReport, settings: Settings, now: dt.datetime
            ) -> tuple[Callable[[], bytes], dict[str, Any]]:
    """Gather the content in this (read) transaction; return how to render it afterwards."""
    actor, printed_name = _requester(db, report)
    organisation = db.get(Organisation, report.organisation_id)
    if organisation is None:
        raise RuntimeError("organisation gone")
    category = (Category(report.category_dimension, report.category_value)
                if report.category_dimension and report.category_value else None)
    period = periods.Period(report.period_start, report.period_end, report.period_label)
    scope = Scope(actor, organisation, period, settings.timezone, category)
    content = gather(db, scope, kind=report.kind, language=report.language,
                     now=now)
    writer = render.to_pdf if report.format == ReportFormat.pdf else render.to_xlsx

    def write() -> bytes:
        return writer(content, generated_by=printed_name, timezone=settings.timezone)

    return write, content.summary()


Transaction = Callable[[], AbstractContextManager[Session]]


def generate_one(transaction: Transaction, settings: Settings, report_id: int,
                 now: dt.datetime | None = None) -> ReportStatus:
    """Generate one pending report: read, render outside the transaction, then record."""
    now = now or utcnow()
    error: str | None = None
    data: bytes | None = None
    summary: dict[str, Any] = {}
    with transaction() as db:
        report = db.get(AnalysisReport, report_id)
        if report is None or report.status != ReportStatus.pending:
            return report.status if report else ReportStatus.failed
        try:
            write, summary = _render(db, report, settings, now)
        except Exception as failure:  # noqa: BLE001 — kept on the report, shown to the user
            error = f"{type(failure).__name__}: {failure}"[:2000]
    if error is None:
        try:
            data = write()
        except Exception as failure:  # noqa: BLE001
            error = f"{type(failure).__name__}: {failure}"[:2000]
    digest = store_file(Path(settings.analysis_reports_dir), data) if data is not None else None
    with transaction() as db:
        report = db.get(AnalysisReport, report_id)
        if report is None or report.status != ReportStatus.pending:
            return report.status if report else ReportStatus.failed
        # What is not audited changes beside the move; the file (or the error) with it.
        report.attempts = (report.attempts or 0) + 1
        report.generated_at = utcnow()
        if data is not None:
            report.media_type = MEDIA_TYPES[report.format]
            report.file_name = _file_name(report)
            report.summary = summary
            move(db, REPORT_FLOW, report, ReportStatus.ready,
                 actor=Actor.system(GENERATOR_NAME), action="analysis_report.generate",
                 sha256=digest, size=len(data))
        else:
            move(db, REPORT_FLOW, report, ReportStatus.failed,
                 actor=Actor.system(GENERATOR_NAME), action="analysis_report.generate",
                 error=error)
        return report.status


def generate_pending(transaction: Transaction, settings: Settings,
                     now: dt.datetime | None = None) -> dict[str, int]:
    """Generate up to BATCH pending reports, oldest first (the generation job)."""
    with transaction() as db:
        ids = list(db.execute(
            select(AnalysisReport.id).where(AnalysisReport.status == ReportStatus.pending)
            .order_by(AnalysisReport.requested_at, AnalysisReport.id).limit(BATCH)).scalars())
    outcome = {"ready": 0, "failed": 0}
    for report_id in ids:
        status = generate_one(transaction, settings, report_id, now)
        if status in (ReportStatus.ready, ReportStatus.failed):
            outcome[status.value] += 1
    with transaction() as db:
        left = db.execute(select(AnalysisReport.id).where(
            AnalysisReport.status == ReportStatus.pending).limit(1)).first()
        if left is not None:
            make_due(db, GENERATE_JOB)
    return outcome


# --- The quarterly schedule ------------------------------------------------------------------


def lead_organisations(db: Session) -> list[Organisation]:
    """Top-level regulator organisations (not enterprises or laboratories), active."""
    return list(db.execute(
        select(Organisation).where(Organisation.parent_id.is_(None),
                                   Organisation.active.is_(True),
                                   Organisation.org_type.in_(list(LEAD_TYPES)))
        .order_by(Organisation.id)).scalars())


def schedule_quarterlies(db: Session, settings: Settings, now: dt.datetime) -> dict[str, Any]:
    """Request the last quarter's report of every lead organisation that has none yet."""
    period = periods.previous_quarter(local_today(settings, now))
    system = Actor.system(SCHEDULER_NAME)
    requested = 0
    for organisation in lead_organisations(db):
        exists = db.execute(select(AnalysisReport.id).where(
            AnalysisReport.organisation_id == organisation.id,
            AnalysisReport.kind == ReportKind.quarterly,
            AnalysisReport.period_start == period.start,
            AnalysisReport.scheduled.is_(True)).limit(1)).first()
        if exists is not None:
            continue
        report = _new_report(organisation, ReportKind.quarterly, ReportFormat.pdf,
                             settings.default_language, period, None, requested_by=system,
                             scheduled=True)
        db.add(report)
        db.flush()
        audit.record(db, system, "analysis_report.request", object_type=OBJECT_TYPE,
                     object_id=report.id, after=_snapshot(report),
                     organisation_id=organisation.id)
        requested += 1
    if requested:
        make_due(db, GENERATE_JOB)
    return {"quarter": period.label, "requested": requested}

