"""Lay a report's content out as a PDF (WeasyPrint, from a Jinja template with print CSS and
inline SVG charts) or as an Excel workbook (openpyxl, a summary sheet, one sheet per table and
native Excel charts).

The PDF uses the Chinese font WenQuanYi Micro Hei (Debian `fonts-wqy-microhei`), found through
fontconfig; without it Chinese text would render as empty boxes, so `check_fonts` says so first.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
from functools import lru_cache, partial
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from riskgate.analysis_reports import charts
from riskgate.analysis_reports.content import ReportContent
from riskgate.core.i18n import N_, gettext
from riskgate.web.templating import environment

FONT = "WenQuanYi Micro Hei"
# WeasyPrint reports every layout step at INFO and fontTools every subset: noise in our logs.
for _noisy in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(_noisy).setLevel(logging.WARNING)

RISK_LEVEL_TITLE = N_("Assessments by risk level")
TEMPLATE = "console/analysis_reports/report_pdf.html"
STYLESHEET = "console/analysis_reports/report_pdf.css"
FIGURES = (
    ("records", N_("Risk records received")),
    ("signals", N_("Signals raised")),
    ("signals_open", N_("Signals awaiting triage")),
    ("signals_to_assessment", N_("Signals sent to assessment")),
    ("assessments", N_("Risk assessments")),
    ("assessments_concluded", N_("Assessments concluded")),
    ("assessments_unsafe", N_("Concluded unsafe")),
    ("decisions", N_("Expert committee decisions")),
    ("draft_warnings", N_("Draft warnings created")),
)


@lru_cache(maxsize=1)
def chinese_font_installed() -> bool:
    """Whether fontconfig knows the report font (Debian package fonts-wqy-microhei)."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", f":family={FONT}", "family"], capture_output=True,
                           text=True, timeout=10, check=False)
    return bool(found.stdout.strip())


def _week_labels(content: ReportContent) -> list[str]:
    return [w.strftime("%m-%d") for w in content.weeks]


def build_charts(content: ReportContent) -> dict[str, str]:
    """The report's charts as SVG documents, by name."""
    lang = content.language
    empty = gettext("No data in this period", lang)
    weeks = _week_labels(content)
    signal_series = content.signal_kinds_weekly or [
        (gettext("Signals", lang), content.weekly_signals)]
    return {
        "weekly_records": charts.line_chart(
            weeks, [(gettext("Records", lang), content.weekly_records)],
            title=gettext("Risk records received per week", lang), empty_message=empty),
        "records_by_channel": charts.bar_chart(
            [label for label, _n in content.records_by_channel[:12]],
            [n for _label, n in content.records_by_channel[:12]],
            title=gettext("Records by channel", lang), empty_message=empty),
        "weekly_signals": charts.stacked_bar_chart(
            weeks, signal_series, title=gettext("Signals per week, by kind", lang),
            empty_message=empty),
        "risk_levels": charts.donut_chart(
            content.assessments_by_level, title=gettext("Assessments by risk level", lang),
            empty_message=empty, size=charts.Size(440, 240)),
        "conclusions": charts.donut_chart(
            content.assessments_by_conclusion, title=gettext("Conclusions", lang),
            empty_message=empty, size=charts.Size(440, 240)),
    }


def _translate(lang: str, message: str, **params: Any) -> str:
    return gettext(message, lang, **params)


def css_text(text: str) -> Markup:
    """`text` as a quoted CSS string (for `content:` in the page margins), escaped for CSS."""
    escaped = "".join(c if c.isalnum() or c in " .:-/()" or ord(c) > 127 else f"\\{ord(c):x} "
                      for c in text)
    return Markup(f'"{escaped}"')


def _context(content: ReportContent, *, generated_by: str, timezone: str) -> dict[str, Any]:
    lang = content.language
    generated_at = content.generated_at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")
    return {
        "lang": lang,
        "_": partial(_translate, lang),
        "content": content,
        "charts": {name: Markup(svg) for name, svg in build_charts(content).items()},
        "figures": [(gettext(label, lang), content.figures.get(key, 0))
                    for key, label in FIGURES],
        "generated_by": generated_by,
        "generated_at": generated_at,
        # Page-margin texts of the print CSS (translated here: the CSS is not scanned for msgids).
        "footer_generated": gettext("Generated {when}", lang, when=generated_at),
        "page_label": gettext("Page", lang),
        "font": FONT,
        "css_text": css_text,
    }


def _html(content: ReportContent, *, generated_by: str, timezone: str) -> tuple[str, str]:
    """The report's HTML and its print CSS."""
    context = _context(content, generated_by=generated_by, timezone=timezone)
    return (environment.get_template(TEMPLATE).render(context),
            environment.get_template(STYLESHEET).render(context))


def to_pdf(content: ReportContent, *, generated_by: str, timezone: str) -> bytes:
    """The report as a PDF (A4, header and footer with page numbers)."""
    from weasyprint import CSS, HTML  # heavy (Pango, cairo): loaded by the worker that needs it

    html, css = _html(content, generated_by=generated_by, timezone=timezone)
    # The document title (PDF metadata) comes from <title>; nothing is fetched (_refuse_fetch).
    return bytes(HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(
        stylesheets=[CSS(string=css, url_fetcher=_refuse_fetch)]))


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Reports embed everything they show; nothing is fetched (no file, no network)."""
    raise ValueError(f"report templates fetch nothing: {url[:80]}")


# --- Excel -----------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """A value openpyxl can write and no spreadsheet will run as a formula."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            value = "'" + value
    return value


def to_xlsx(content: ReportContent, *, generated_by: str, timezone: str) -> bytes:
    """The report as a workbook: summary with breakdowns, weekly series, one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, PieChart, Reference
    from openpyxl.styles import Font

    lang = content.language
    book = Workbook()
    summary = book.active
    summary.title = gettext("Summary", lang)[:31]
    bold = Font(bold=True)
    summary.append([_cell(content.title)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([gettext("Organisation", lang), _cell(content.organisation)])
    summary.append([gettext("Period", lang),
                    f"{content.period.start.isoformat()} ~ {content.period.end.isoformat()}"])
    if content.category:
        summary.append([gettext("Category", lang), _cell(content.category)])
    generated = content.generated_at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")
    summary.append([gettext("Generated", lang), f"{generated} {_cell(generated_by)}"])
    summary.append([])
    summary.append([gettext("Figure", lang), gettext("Count", lang)])
    summary.cell(summary.max_row, 1).font = bold
    for key, label in FIGURES:
        summary.append([gettext(label, lang), content.figures.get(key, 0)])
    breakdowns = (
        (N_("Records by channel"), content.records_by_channel),
        (N_("Signals by kind"), content.signals_by_kind),
        (N_("Signals by status"), content.signals_by_status),
        (N_("Assessments by risk level"), content.assessments_by_level),
        (N_("Conclusions"), content.assessments_by_conclusion),
        (N_("Expert committee decisions"), content.decisions_by_outcome),
        (N_("Top countries of origin"), content.top_origins),
        (N_("Top hazard classes"), content.top_hazards),
        (N_("Top HS chapters"), content.top_products),
    )
    for title, pairs in breakdowns:
        summary.append([])
        summary.append([gettext(title, lang), gettext("Count", lang)])
        summary.cell(summary.max_row, 1).font = bold
        first = summary.max_row + 1
        for label, count in pairs:
            summary.append([_cell(label), count])
        if title == RISK_LEVEL_TITLE and pairs:
            pie = PieChart()
            pie.title = gettext(title, lang)
            pie.add_data(Reference(summary, min_col=2, min_row=first - 1,
                                   max_row=summary.max_row), titles_from_data=True)
            pie.set_categories(Reference(summary, min_col=1, min_row=first,
                                         max_row=summary.max_row))
            summary.add_chart(pie, "D8")
    summary.column_dimensions["A"].width = 36
    summary.column_dimensions["B"].width = 24

    weekly = book.create_sheet(gettext("Weekly", lang)[:31])
    weekly.append([gettext("Week starting", lang), gettext("Records", lang),
                   gettext("Signals", lang)])
    for week, records, signals in zip(content.weeks, content.weekly_records or
                                      [0] * len(content.weeks),
                                      content.weekly_signals or [0] * len(content.weeks),
                                      strict=True):
        weekly.append([week, records, signals])
    if content.weeks:
        last = len(content.weeks) + 1
        line = LineChart()
        line.title = gettext("Risk records received per week", lang)
        line.add_data(Reference(weekly, min_col=2, min_row=1, max_row=last),
                      titles_from_data=True)
        line.set_categories(Reference(weekly, min_col=1, min_row=2, max_row=last))
        weekly.add_chart(line, "E2")
        bars = BarChart()
        bars.title = gettext("Signals per week", lang)
        bars.add_data(Reference(weekly, min_col=3, min_row=1, max_row=last),
                      titles_from_data=True)
        bars.set_categories(Reference(weekly, min_col=1, min_row=2, max_row=last))
        weekly.add_chart(bars, "E20")
    weekly.column_dimensions["A"].width = 14
    for cell in weekly["A"][1:]:
        cell.number_format = "yyyy-mm-dd"

    for title, table in ((N_("Signals"), content.signals),
                         (N_("Risk assessments"), content.assessments),
                         (N_("Expert committee decisions"), content.decisions),
                         (N_("Draft warnings"), content.warnings)):
        sheet = book.create_sheet(gettext(title, lang)[:31])
        sheet.append([_cell(h) for h in table.headings])
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        if table.truncated:
            sheet.append([gettext("Showing the first {shown} of {total} rows.", lang,
                                  shown=len(table.rows), total=table.total)])
        sheet.freeze_panes = "A2"
        for letter in "ABCDEFGHI":
            sheet.column_dimensions[letter].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

