"""The weekly report of warnings, like EU Safety Gate's: the warnings published in one ISO week
(Monday 00:00 to Sunday 24:00, Asia/Shanghai), counted by level, type, product category, origin
country and hazard class, with their list and the follow-ups of the week.

It lists what the reader may read (`lifecycle.service.warnings_statement`): the public sees
announcements (公告) only; a signed-in regulator also bulletins and notices. Levels and types
are those at publication (the frozen original), so a report does not change when a warning is
adjusted later.

Pages (PUBLIC): `/warnings/weekly` (this week; `?week=2026-W47` jumps to a week),
`/warnings/weekly/{year}-W{week}` and `/warnings/weekly/{year}-W{week}.xlsx`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.catalog import reference
from riskgate.core.context import Actor
from riskgate.core.errors import NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.warnings.enums import PUBLISHED_STATES, FollowUpKind
from riskgate.warnings.lifecycle import service
from riskgate.warnings.models import PublicWarning, WarningFollowUp, WarningProduct
from riskgate.warnings.publication import origin
from riskgate.warnings.publication.service import permalink
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")
FIRST_YEAR = 2000
TEMPLATE = "portal/warnings/weekly.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_VALUE = "-"


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """"2026-W47" → IsoWeek(2026, 47); anything else (or a week the year lacks) is 404."""
        match = WEEK_PATTERN.match(text or "")
        if match is None:
            raise NotFound(N_("week"))
        year, week = int(match[1]), int(match[2])
        try:
            monday = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise NotFound(N_("week")) from None
        if monday.year < FIRST_YEAR - 1 or year > 9998:
            raise NotFound(N_("week"))
        return cls(year, week)

    @classmethod
    def of(cls, day: dt.date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def current(cls, now: dt.datetime | None = None) -> IsoWeek:
        now = now or dt.datetime.now(dt.UTC)
        return cls.of(now.astimezone(LOCAL_TZ).date())

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[Monday 00:00, next Monday 00:00) local time, in UTC."""
        start = dt.datetime.combine(self.monday, dt.time(), LOCAL_TZ)
        return start.astimezone(dt.UTC), (start + dt.timedelta(days=7)).astimezone(dt.UTC)

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + dt.timedelta(weeks=weeks))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


@dataclass
class WeeklyItem:
    warning: PublicWarning
    level: str
    warning_type: str
    categories: list[str]
    countries: list[str]


@dataclass
class WeeklyReport:
    week: IsoWeek
    items: list[WeeklyItem] = field(default_factory=list)
    follow_ups: list[tuple[WarningFollowUp, PublicWarning]] = field(default_factory=list)
    by_level: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    by_country: Counter[str] = field(default_factory=Counter)
    by_hazard_class: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return len(self.items)


def _visible(actor: Actor) -> Any:
    return service.warnings_statement(actor).where(
        PublicWarning.status.in_(PUBLISHED_STATES), PublicWarning.published_at.is_not(None))


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def weekly_report(db: Session, actor: Actor, week: IsoWeek) -> WeeklyReport:
    """The report of one week for what the actor may read."""
    start, end = week.bounds()
    report = WeeklyReport(week)
    visible = _visible(actor)
    warnings = list(db.execute(visible.where(
        PublicWarning.published_at >= start, PublicWarning.published_at < end).order_by(
        PublicWarning.published_at, PublicWarning.id)).scalars())
    ids = [w.id for w in warnings]
    current_categories: dict[int, list[str]] = {}
    if ids:
        for warning_id, category in db.execute(select(
                WarningProduct.warning_id, WarningProduct.category).where(
                WarningProduct.warning_id.in_(ids)).order_by(
                WarningProduct.position, WarningProduct.id)):
            if category and category.strip():
                current_categories.setdefault(warning_id, []).append(category.strip())
    for warning in warnings:
        original = warning.original or {}
        level = str(original.get("level") or warning.level)
        warning_type = str(original.get("warning_type") or warning.warning_type)
        products = original.get("products")
        categories = ([str(p["category"]).strip() for p in products if p.get("category")]
                      if products is not None else current_categories.get(warning.id, []))
        categories = list(dict.fromkeys(c for c in categories if c))
        countries = list(dict.fromkeys(original.get("origin_countries")
                                       or warning.origin_countries or []))
        report.items.append(WeeklyItem(warning, level, warning_type, categories, countries))
        report.by_level[level] += 1
        report.by_type[warning_type] += 1
        report.by_category.update(categories or [NO_VALUE])
        report.by_country.update(countries or [NO_VALUE])
        report.by_hazard_class[str(warning.hazard_class or NO_VALUE)] += 1
    visible_ids = visible.with_only_columns(PublicWarning.id)
    rows = db.execute(select(WarningFollowUp, PublicWarning).join(
        PublicWarning, PublicWarning.id == WarningFollowUp.warning_id).where(
        WarningFollowUp.created_at >= start, WarningFollowUp.created_at < end,
        WarningFollowUp.warning_id.in_(visible_ids)).order_by(
        WarningFollowUp.created_at, WarningFollowUp.id)).all()
    report.follow_ups = [(f, w) for f, w in rows]
    return report


# ---------------------------------------------------------------- labels and the workbook


def level_label(code: str, lang: str) -> str:
    entry = reference.warning_level(code)
    return entry.display(lang) if entry else code


def type_label(code: str, lang: str) -> str:
    entry = reference.warning_type(code)
    return entry.label(lang) if entry else code


def country_label(code: str, lang: str) -> str:
    if code == NO_VALUE:
        return gettext(N_("Not given"), lang)
    entry = reference.country(code)
    return entry.label(lang) if entry else code


def hazard_label(code: str, lang: str) -> str:
    if code == NO_VALUE:
        return gettext(N_("Not given"), lang)
    entry = reference.hazard_class(code)
    return entry.label(lang) if entry else code


def category_label(value: str, lang: str) -> str:
    return gettext(N_("Not given"), lang) if value == NO_VALUE else value


def count_tables(report: WeeklyReport, lang: str) -> list[tuple[str, list[tuple[str, int]]]]:
    """(title, [(label, count)]) for each breakdown, largest first (levels in their order)."""
    levels = [(level_label(e.code.value, lang), report.by_level.get(e.code.value, 0))
              for e in reference.warning_levels()]
    types = [(type_label(e.code.value, lang), report.by_type.get(e.code.value, 0))
             for e in reference.warning_types() if report.by_type.get(e.code.value)]
    return [
        (gettext(N_("By level"), lang), levels),
        (gettext(N_("By type"), lang), types),
        (gettext(N_("By product category"), lang),
         [(category_label(k, lang), n) for k, n in report.by_category.most_common()]),
        (gettext(N_("By origin country"), lang),
         [(country_label(k, lang), n) for k, n in report.by_country.most_common()]),
        (gettext(N_("By hazard class"), lang),
         [(hazard_label(k, lang), n) for k, n in report.by_hazard_class.most_common()]),
    ]


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
        if value[:1] in ("=", "+", "-", "@") and value != NO_VALUE:
            return "'" + value
    return value


def _local(value: dt.datetime) -> str:
    return _aware(value).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def workbook(report: WeeklyReport, lang: str, base_url: str) -> bytes:
    """The report as .xlsx: summary counts, the warnings, the follow-ups."""
    from openpyxl import Workbook  # a heavy dependency, loaded only for a download

    book = Workbook(write_only=True)
    summary = book.create_sheet(gettext(N_("Summary"), lang))
    summary.append([gettext(N_("Weekly report of warnings {week}"), lang, week=str(report.week))])
    summary.append([gettext(N_("From"), lang), report.week.monday.isoformat(),
                    gettext(N_("To"), lang), report.week.sunday.isoformat()])
    summary.append([gettext(N_("Warnings published"), lang), report.total])
    summary.append([gettext(N_("Follow-ups"), lang), len(report.follow_ups)])
    for title, rows in count_tables(report, lang):
        summary.append([])
        summary.append([title])
        for label, count in rows:
            summary.append([_cell(label), count])
    sheet = book.create_sheet(gettext(N_("Warnings"), lang))
    sheet.append([gettext(m, lang) for m in (
        N_("Warning number"), N_("Published on"), N_("Level"), N_("Type"), N_("Title"),
        N_("Product categories"), N_("Origin countries"), N_("Hazard class"), N_("Permalink"))])
    base = base_url.rstrip("/")
    for item in report.items:
        w = item.warning
        sheet.append([_cell(v) for v in (
            w.number, _local(w.published_at) if w.published_at else "",
            level_label(item.level, lang), type_label(item.warning_type, lang),
            (w.title_en or w.title) if lang == "en" else w.title, "; ".join(item.categories),
            "; ".join(country_label(c, lang) for c in item.countries),
            hazard_label(str(w.hazard_class or NO_VALUE), lang), base + permalink(w))])
    follow = book.create_sheet(gettext(N_("Follow-ups"), lang))
    follow.append([gettext(m, lang) for m in (
        N_("Warning number"), N_("Follow-up"), N_("Kind"), N_("Date"), N_("Level after"),
        N_("Reason"))])
    for follow_up, w in report.follow_ups:
        follow.append([_cell(v) for v in (
            w.number, follow_up.sequence, FollowUpKind(follow_up.kind).label(lang),
            _local(follow_up.created_at), level_label(str(follow_up.level_after), lang),
            follow_up.reason)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- pages


@router.get("/warnings/weekly", response_class=HTMLResponse)
def weekly_current(week: str | None = None,
                   ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    """This week's report; `?week=2026-W47` (the week picker) goes to that week's page."""
    if week:
        chosen = IsoWeek.parse(week.strip()[:10])
        return RedirectResponse(f"/warnings/weekly/{chosen}", status_code=303)
    return _page(ctx, IsoWeek.current())


@router.get("/warnings/weekly/{week}.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}}})
def weekly_xlsx(week: str, ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    iso_week = IsoWeek.parse(week)
    report = weekly_report(ctx.db, ctx.actor, iso_week)
    body = workbook(report, ctx.language, origin.base_url(ctx))
    return Response(body, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="warnings-weekly-{iso_week}.xlsx"',
        "Cache-Control": "private, max-age=60"})


@router.get("/warnings/weekly/{week}", response_class=HTMLResponse)
def weekly_page(week: str, ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    return _page(ctx, IsoWeek.parse(week))


def _page(ctx: RequestContext, week: IsoWeek) -> Response:
    lang = ctx.language
    report = weekly_report(ctx.db, ctx.actor, week)
    current = IsoWeek.current()
    return render(ctx.request, TEMPLATE, {
        "report": report, "week": week, "tables": count_tables(report, lang),
        "previous": week.shifted(-1), "next": week.shifted(1) if week < current else None,
        "current": current,
        "level_label": lambda code: level_label(code, lang),
        "type_label": lambda code: type_label(code, lang),
        "country_label": lambda code: country_label(code, lang),
        "local_time": _local, "permalink": permalink,
        "english": lang == "en",
    })
