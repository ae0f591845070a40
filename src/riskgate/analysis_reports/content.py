"""What a report says: the figures, series and tables of one organisation's subtree for a period.

Everything is read through the owning domains' scoped reads — `signals.service.signals_in_period`,
`assessment.service.assessments_statement`, `experts.service.decisions_in_period`,
`warnings.service.warnings_statement`, `records.service.records_statement` — so a report never
shows what its requester could not see, and is further limited to the chosen organisation's
subtree and, for a per-category report, to one hazard class, HS chapter or product category.
The result is plain data (labels already translated) that the PDF and Excel writers lay out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from riskgate.analysis_reports.enums import CategoryDimension, ReportKind
from riskgate.analysis_reports.periods import Period, week_index, week_starts
from riskgate.assessment import service as assessments
from riskgate.assessment.enums import AssessmentStatus, Conclusion, RiskLevel
from riskgate.assessment.models import RiskAssessment
from riskgate.catalog.codes import code_title
from riskgate.catalog.reference import (
    country,
    hazard_class,
    hs_chapter,
    source_channel,
    warning_type,
)
from riskgate.core.context import Actor
from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_, gettext
from riskgate.experts import service as experts
from riskgate.identity.models import Organisation
from riskgate.identity.scope import in_subtree
from riskgate.records import service as records
from riskgate.records.models import RiskRecord
from riskgate.signals import service as signals
from riskgate.signals.enums import Severity, SignalKind, SignalStatus
from riskgate.signals.models import Signal, SignalRecord
from riskgate.warnings.lifecycle import service as warnings
from riskgate.warnings.models import PublicWarning

NOT_GIVEN = N_("Not given")
# Tables list at most this many rows (the figures always count everything).
MAX_ROWS = 500
TOP = 10


@dataclass(frozen=True)
class Category:
    dimension: CategoryDimension
    value: str

    def label(self, lang: str) -> str:
        return f"{self.dimension.label(lang)}: {category_name(self, lang)}"


@dataclass
class Table:
    """Rows of one table, the total before truncation, and the column headings."""

    headings: list[str]
    rows: list[list[Any]]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


@dataclass
class ReportContent:
    title: str
    organisation: str
    period: Period
    language: str
    category: str | None
    generated_at: dt.datetime
    figures: dict[str, int] = field(default_factory=dict)
    # Breakdowns: (label, count), largest first unless an order is natural (risk levels).
    records_by_channel: list[tuple[str, int]] = field(default_factory=list)
    signals_by_kind: list[tuple[str, int]] = field(default_factory=list)
    signals_by_status: list[tuple[str, int]] = field(default_factory=list)
    assessments_by_level: list[tuple[str, int]] = field(default_factory=list)
    assessments_by_conclusion: list[tuple[str, int]] = field(default_factory=list)
    assessments_by_status: list[tuple[str, int]] = field(default_factory=list)
    decisions_by_outcome: list[tuple[str, int]] = field(default_factory=list)
    top_origins: list[tuple[str, int]] = field(default_factory=list)
    top_hazards: list[tuple[str, int]] = field(default_factory=list)
    top_products: list[tuple[str, int]] = field(default_factory=list)
    # Weekly series over the period (Mondays of the ISO weeks).
    weeks: list[dt.date] = field(default_factory=list)
    weekly_records: list[int] = field(default_factory=list)
    weekly_signals: list[int] = field(default_factory=list)
    signal_kinds_weekly: list[tuple[str, list[int]]] = field(default_factory=list)
    signals: Table = field(default_factory=lambda: Table([], [], 0))
    assessments: Table = field(default_factory=lambda: Table([], [], 0))
    decisions: Table = field(default_factory=lambda: Table([], [], 0))
    warnings: Table = field(default_factory=lambda: Table([], [], 0))

    def summary(self) -> dict[str, Any]:
        """The headline figures kept with the stored report (list page, API)."""
        return dict(self.figures)


def category_name(category: Category, lang: str) -> str:
    if category.dimension == CategoryDimension.hazard_class:
        hazard = hazard_class(category.value)
        return hazard.label(lang) if hazard else category.value
    if category.dimension == CategoryDimension.hs_chapter:
        chapter = hs_chapter(category.value)
        return f"{category.value} {_short(chapter.label(lang))}" if chapter else category.value
    return category.value


def _t(message: str, lang: str) -> str:
    return gettext(message, lang)


def _label_of(enum: type[LabelledEnum], value: Any, lang: str) -> str:
    """A stored code's label ("Not given" for none; an unknown code as it is)."""
    if value is None:
        return _t(NOT_GIVEN, lang)
    return enum.label_of(value, lang)


def _local(value: dt.datetime | None, timezone: str, fmt: str = "%Y-%m-%d") -> str:
    return "" if value is None else value.astimezone(ZoneInfo(timezone)).strftime(fmt)


def _country(code: str | None, lang: str) -> str:
    entry = country(code) if code else None
    return entry.label(lang) if entry else (code or _t(NOT_GIVEN, lang))


def _hazard(code: Any, lang: str) -> str:
    entry = hazard_class(str(code)) if code else None
    return entry.label(lang) if entry else (str(code) if code else _t(NOT_GIVEN, lang))


def _channel(code: Any, lang: str) -> str:
    entry = source_channel(str(code)) if code else None
    return entry.label(lang) if entry else str(code)


def _ordered(counter: Counter[Any], enum: type[LabelledEnum],
             lang: str) -> list[tuple[str, int]]:
    """Counts in the vocabulary's own order (e.g. serious → low), then anything else."""
    order = list(enum)
    keys = [k for k in order if counter.get(k)] + sorted(
        (k for k in counter if k not in order), key=lambda k: str(k))
    return [(_label_of(enum, k, lang), counter[k]) for k in keys]


# --- Scope -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The actor (whose data scope applies), the organisation reported on, the period."""

    actor: Actor
    organisation: Organisation
    period: Period
    timezone: str
    category: Category | None = None

    @property
    def org_ids(self) -> Select[Any]:
        return select(Organisation.id).where(in_subtree(Organisation.path,
                                                        self.organisation.path))

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return self.period.utc_bounds(self.timezone)


def _hs_range(column: Any, chapter: str) -> Any:
    upper = chapter[:-1] + chr(ord(chapter[-1]) + 1)
    return (column >= chapter) & (column < upper)


def _record_condition(category: Category | None) -> Any:
    if category is None:
        return None
    if category.dimension == CategoryDimension.hazard_class:
        return RiskRecord.hazard_class == category.value
    if category.dimension == CategoryDimension.hs_chapter:
        return _hs_range(RiskRecord.hs_code, category.value)
    return RiskRecord.product_category == category.value


def _assessment_condition(category: Category | None) -> Any:
    if category is None:
        return None
    if category.dimension == CategoryDimension.hazard_class:
        return RiskAssessment.hazard_class == category.value
    if category.dimension == CategoryDimension.hs_chapter:
        return _hs_range(RiskAssessment.hs_code, category.value)
    return RiskAssessment.product_category == category.value


# --- Records ---------------------------------------------------------------------------------


def _records(scope: Scope) -> Select[Any]:
    start, end = scope.bounds
    stmt = records.records_statement(scope.actor).where(
        RiskRecord.organisation_id.in_(scope.org_ids),
        RiskRecord.received_at >= start, RiskRecord.received_at < end)
    condition = _record_condition(scope.category)
    return stmt if condition is None else stmt.where(condition)


def _grouped(db: Session, base: Select[Any], column: Any, limit: int | None = None
             ) -> list[tuple[Any, int]]:
    ids = base.with_only_columns(RiskRecord.id).subquery()
    count = func.count(RiskRecord.id)
    stmt = (select(column, count).where(RiskRecord.id.in_(select(ids.c.id)))
            .group_by(column).order_by(count.desc(), column))
    if limit:
        stmt = stmt.limit(limit)
    return [(value, int(n)) for value, n in db.execute(stmt)]


def _fill_records(db: Session, scope: Scope, content: ReportContent, lang: str) -> None:
    base = _records(scope)
    by_channel = _grouped(db, base, RiskRecord.source_channel)
    content.records_by_channel = [(_channel(c, lang), n) for c, n in by_channel]
    content.figures["records"] = sum(n for _c, n in by_channel)
    content.top_origins = [(_country(c, lang), n) for c, n in
                           _grouped(db, base, RiskRecord.origin_country, TOP)]
    content.top_hazards = [(_hazard(h, lang), n) for h, n in
                           _grouped(db, base, RiskRecord.hazard_class, TOP)]
    chapter = func.substr(RiskRecord.hs_code, 1, 2)
    content.top_products = [(_chapter_label(c, lang), n) for c, n in
                            _grouped(db, base, chapter, TOP)]
    zone = ZoneInfo(scope.timezone)
    weekly = [0] * len(content.weeks)
    received = base.with_only_columns(RiskRecord.received_at).order_by(None)
    for (moment,) in db.execute(received.execution_options(yield_per=5000)):
        index = week_index(content.weeks, moment.astimezone(zone).date())
        if index is not None:
            weekly[index] += 1
    content.weekly_records = weekly


def _chapter_label(code: str | None, lang: str) -> str:
    if not code:
        return _t(NOT_GIVEN, lang)
    entry = hs_chapter(code)
    return f"{code} {_short(entry.label(lang))}" if entry else code


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Signals ---------------------------------------------------------------------------------


def _fill_signals(db: Session, scope: Scope, content: ReportContent, lang: str) -> None:
    found = signals.signals_in_period(db, scope.actor, scope.period.start, scope.period.end,
                                      timezone=scope.timezone)
    allowed = set(db.execute(
        select(Signal.id).where(Signal.id.in_([s.id for s in found] or [-1]),
                                Signal.organisation_id.in_(scope.org_ids))).scalars())
    if scope.category is not None:
        matching = select(SignalRecord.signal_id).join(
            RiskRecord, RiskRecord.id == SignalRecord.record_id).where(
            _record_condition(scope.category))
        condition: ColumnElement[bool] = Signal.id.in_(matching)
        if scope.category.dimension == CategoryDimension.hazard_class:
            condition = or_(condition, Signal.hazard_class == scope.category.value)
        allowed &= set(db.execute(select(Signal.id).where(
            Signal.id.in_(allowed or {-1}), condition)).scalars())
    chosen = sorted((s for s in found if s.id in allowed),
                    key=lambda s: (s.first_fired_at, s.id))
    content.figures["signals"] = len(chosen)
    content.figures["signals_open"] = sum(
        1 for s in chosen if s.status in (SignalStatus.new, SignalStatus.triage))
    content.figures["signals_to_assessment"] = sum(
        1 for s in chosen if s.status == SignalStatus.assessment)
    kinds: Counter[Any] = Counter(s.kind for s in chosen)
    content.signals_by_kind = _ordered(kinds, SignalKind, lang)
    content.signals_by_status = _ordered(Counter(s.status for s in chosen), SignalStatus, lang)
    zone = ZoneInfo(scope.timezone)
    weekly = [0] * len(content.weeks)
    per_kind = {kind: [0] * len(content.weeks) for kind in SignalKind}
    for s in chosen:
        index = week_index(content.weeks, s.first_fired_at.astimezone(zone).date())
        if index is not None:
            weekly[index] += 1
            per_kind.setdefault(s.kind, [0] * len(content.weeks))[index] += 1
    content.weekly_signals = weekly
    content.signal_kinds_weekly = [(_label_of(SignalKind, k, lang), v)
                                   for k, v in per_kind.items() if any(v)]
    rows = [[
        s.number, _local(s.first_fired_at, scope.timezone), _label_of(SignalKind, s.kind, lang),
        _label_of(Severity, s.severity, lang), _label_of(SignalStatus, s.status, lang),
        code_title(s.title, lang), s.record_count,
    ] for s in chosen[:MAX_ROWS]]
    content.signals = Table([_t(h, lang) for h in (
        N_("Number"), N_("First fired"), N_("Kind"), N_("Severity"), N_("Status"), N_("Title"),
        N_("Records"))], rows, len(chosen))


# --- Assessments, decisions, warnings --------------------------------------------------------


def _assessments_in_period(db: Session, scope: Scope) -> list[RiskAssessment]:
    start, end = scope.bounds
    stmt = assessments.assessments_statement(scope.actor).where(
        RiskAssessment.organisation_id.in_(scope.org_ids),
        or_((RiskAssessment.created_at >= start) & (RiskAssessment.created_at < end),
            (RiskAssessment.concluded_at >= start) & (RiskAssessment.concluded_at < end)))
    condition = _assessment_condition(scope.category)
    if condition is not None:
        stmt = stmt.where(condition)
    return list(db.execute(stmt.order_by(RiskAssessment.created_at, RiskAssessment.id))
                .scalars())


def _fill_assessments(db: Session, scope: Scope, content: ReportContent, lang: str
                      ) -> list[RiskAssessment]:
    found = _assessments_in_period(db, scope)
    content.figures["assessments"] = len(found)
    content.figures["assessments_concluded"] = sum(1 for a in found if a.conclusion)
    content.figures["assessments_unsafe"] = sum(
        1 for a in found if a.conclusion == Conclusion.unsafe)
    content.assessments_by_level = _ordered(
        Counter(a.risk_level for a in found if a.risk_level), RiskLevel, lang)
    content.assessments_by_conclusion = _ordered(
        Counter(a.conclusion for a in found if a.conclusion), Conclusion, lang)
    content.assessments_by_status = _ordered(
        Counter(a.status for a in found), AssessmentStatus, lang)
    rows = [[
        a.number, _local(a.created_at, scope.timezone), a.title,
        _hazard(a.hazard_class, lang) if a.hazard_class else "",
        _label_of(RiskLevel, a.risk_level, lang) if a.risk_level else "",
        str(a.warning_level) if a.warning_level else "",
        _label_of(AssessmentStatus, a.status, lang),
        _label_of(Conclusion, a.conclusion, lang) if a.conclusion else "",
        _local(a.concluded_at, scope.timezone),
    ] for a in found[:MAX_ROWS]]
    content.assessments = Table([_t(h, lang) for h in (
        N_("Number"), N_("Opened"), N_("Title"), N_("Hazard class"), N_("Risk level"),
        N_("Warning level"), N_("Status"), N_("Conclusion"), N_("Concluded"))], rows, len(found))
    return found


def _fill_decisions(db: Session, scope: Scope, content: ReportContent, lang: str) -> None:
    found = experts.decisions_in_period(db, scope.actor, scope.period.start, scope.period.end,
                                        timezone=scope.timezone)
    allowed: set[int] = set()
    ids = {d.assessment_id for d in found}
    if ids:
        stmt = assessments.assessments_statement(scope.actor).where(
            RiskAssessment.id.in_(ids), RiskAssessment.organisation_id.in_(scope.org_ids))
        condition = _assessment_condition(scope.category)
        if condition is not None:
            stmt = stmt.where(condition)
        allowed = set(db.execute(stmt.with_only_columns(RiskAssessment.id)).scalars())
    chosen = [d for d in found if d.assessment_id in allowed]
    content.figures["decisions"] = len(chosen)
    content.decisions_by_outcome = _ordered(Counter(d.decision for d in chosen), Conclusion, lang)
    rows = [[
        d.assessment_number, d.assessment_title,
        d.panel_name_en if lang == "en" and d.panel_name_en else d.panel_name_zh,
        _label_of(Conclusion, d.decision, lang), _tally_text(d.tally, lang),
        f"{d.votes_cast}/{d.experts_assigned}", _via(d.decided_via, lang),
        _local(d.decided_at, scope.timezone),
    ] for d in chosen[:MAX_ROWS]]
    content.decisions = Table([_t(h, lang) for h in (
        N_("Assessment"), N_("Title"), N_("Panel"), N_("Decision"), N_("Votes"),
        N_("Votes cast / experts"), N_("Decided by"), N_("Decided"))], rows, len(chosen))


# How a panel decided (`experts` stores the code as text: it has no enum of its own).
VIA_LABELS = {"votes": N_("Vote of the panel"), "casting_vote": N_("Casting vote of the chair"),
              "meeting": N_("Committee meeting")}


def _via(value: str, lang: str) -> str:
    return _t(VIA_LABELS[value], lang) if value in VIA_LABELS else value


def _tally_text(tally: dict[str, Any], lang: str) -> str:
    parts = []
    for key in (c.value for c in Conclusion):
        if tally.get(key):
            parts.append(f"{Conclusion(key).label(lang)} {tally[key]}")
    parts += [f"{k} {v}" for k, v in sorted(tally.items()) if k not in set(Conclusion) and v]
    return ", ".join(parts)


def _fill_warnings(db: Session, scope: Scope, content: ReportContent, lang: str) -> None:
    start, end = scope.bounds
    stmt = warnings.warnings_statement(scope.actor).where(
        PublicWarning.organisation_id.in_(scope.org_ids),
        PublicWarning.created_at >= start, PublicWarning.created_at < end)
    condition = _assessment_condition(scope.category)
    if condition is not None:
        stmt = stmt.where(PublicWarning.assessment_id.in_(
            select(RiskAssessment.id).where(condition)))
    found = list(db.execute(stmt.order_by(PublicWarning.created_at, PublicWarning.id)).scalars())
    content.figures["draft_warnings"] = len(found)
    rows = []
    for w in found[:MAX_ROWS]:
        kind = warning_type(str(w.warning_type)) if w.warning_type else None
        rows.append([w.number, _local(w.created_at, scope.timezone), w.title, str(w.level),
                     kind.label(lang) if kind else str(w.warning_type or "")])
    content.warnings = Table([_t(h, lang) for h in (
        N_("Number"), N_("Created"), N_("Title"), N_("Level"), N_("Warning type"))],
        rows, len(found))


# --- The whole report ------------------------------------------------------------------------


def gather(db: Session, scope: Scope, *, kind: ReportKind, language: str,
           now: dt.datetime) -> ReportContent:
    """Everything a report of `kind` shows, in `language`."""
    lang = language
    organisation = scope.organisation.name_en if lang == "en" and scope.organisation.name_en \
        else scope.organisation.name_zh
    category = scope.category.label(lang) if scope.category else None
    title = kind.label(lang)
    content = ReportContent(title=title, organisation=organisation, period=scope.period,
                            language=lang, category=category, generated_at=now)
    content.weeks = week_starts(scope.period)
    _fill_records(db, scope, content, lang)
    _fill_signals(db, scope, content, lang)
    _fill_assessments(db, scope, content, lang)
    _fill_decisions(db, scope, content, lang)
    _fill_warnings(db, scope, content, lang)
    return content


__all__ = ["Category", "ReportContent", "Scope", "Table", "gather"]
