"""Generating assessment reports: content, scope, PDF text and fonts, Excel, validation, the
quarterly schedule."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from riskgate.analysis_reports import periods, render, service
from riskgate.analysis_reports.enums import CategoryDimension, ReportFormat, ReportKind
from riskgate.analysis_reports.models import AnalysisReport
from riskgate.audit.models import AuditEntry
from riskgate.core.errors import NotFound, ValidationFailed
from riskgate.identity.auth_service import actor_for
from riskgate.signals.models import Signal
from tests.analysis_reports.helpers import organisations, pdf_fonts, pdf_text, push

pytestmark = pytest.mark.skipif(not render.chinese_font_installed(),
                                reason="fonts-wqy-microhei is not installed")


def this_quarter(settings) -> str:  # type: ignore[no-untyped-def]
    return periods.quarter_of(service.local_today(settings)).label


def request(db, user, settings, **fields):  # type: ignore[no-untyped-def]
    report = service.request_report(db, actor_for(user, "zh-CN"), settings,
                                     service.ReportRequest(**fields))
    db.commit()
    return report


def fetch(db, user, settings, report_id: int) -> bytes:  # type: ignore[no-untyped-def]
    db.commit()  # end the read transaction: the worker changed the row in its own
    db.expire_all()
    return service.download(db, actor_for(user, "zh-CN"), settings, report_id).data


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    w = organisations(db, settings)
    # A death raises a threshold signal at once (the signals' after-store step).
    push(db, w.officer_a, title="电暖器起火致一人死亡", product_name="电暖器",
         injury_severity="fatal", hazard_class="physical", origin_country="CN",
         hs_code="851629", source_channel="injury")
    push(db, w.officer_a, hazard_class="chemical", origin_country="DE", hs_code="950300")
    push(db, w.officer_b, title="乙海关的婴儿奶瓶", product_name="奶瓶", hazard_class="chemical",
         origin_country="US", injury_severity="fatal")
    w.signals = {s.organisation_id: s for s in db.execute(select(Signal)).scalars()}
    assert set(w.signals) == {w.a.id, w.b.id}
    return w


def test_quarterly_pdf_shows_the_period_in_chinese(db, settings, world, generate):
    report = request(db, world.supervisor_root, settings, quarter=this_quarter(settings),
                     organisation_id=world.root.id)
    assert report.status.value == "pending"
    assert generate() == {"ready": 1, "failed": 0}
    db.commit()
    db.expire_all()
    report = db.get(AnalysisReport, report.id)
    assert report.status.value == "ready" and report.media_type == "application/pdf"
    data = fetch(db, world.supervisor_root, settings, report.id)
    assert hashlib.sha256(data).hexdigest() == report.sha256 and len(data) == report.size
    text = pdf_text(data)
    assert "季度风险评估报告" in text and "海关总署（测试）" in text
    for signal in world.signals.values():
        assert signal.number in text
    assert "电暖器" in text and "奶瓶" in text
    assert "页码 1 / " in text  # page numbers in the footer
    assert any("WenQuanYi" in font for font in pdf_fonts(data))
    assert report.summary["records"] == 3 and report.summary["signals"] == 2
    actions = set(db.execute(select(AuditEntry.action).where(
        AuditEntry.object_type == "analysis_report")).scalars())
    assert actions == {"analysis_report.request", "analysis_report.generate"}


def test_english_report(db, settings, world, generate):
    report = request(db, world.officer_a, settings, quarter=this_quarter(settings),
                     language="en")
    generate()
    text = pdf_text(fetch(db, world.officer_a, settings, report.id))
    assert "Quarterly risk assessment report" in text and "Customs A" in text
    assert "Page 1" in text


def test_report_is_scoped_to_the_requester_and_organisation(db, settings, world, generate):
    mine = request(db, world.officer_b, settings, quarter=this_quarter(settings))
    generate()
    text = pdf_text(fetch(db, world.officer_b, settings, mine.id))
    assert world.signals[world.b.id].number in text
    assert world.signals[world.a.id].number not in text
    assert "电暖器" not in text
    # B can neither request a report about A nor download A's reports.
    with pytest.raises(NotFound):
        request(db, world.officer_b, settings, quarter=this_quarter(settings),
                organisation_id=world.a.id)
    db.rollback()
    theirs = request(db, world.officer_a, settings, quarter=this_quarter(settings))
    generate()
    with pytest.raises(NotFound):
        fetch(db, world.officer_b, settings, theirs.id)
    # The root's supervisor asking about A sees A only.
    about_a = request(db, world.supervisor_root, settings, quarter=this_quarter(settings),
                      organisation_id=world.a.id)
    generate()
    text = pdf_text(fetch(db, world.supervisor_root, settings, about_a.id))
    assert world.signals[world.a.id].number in text
    assert world.signals[world.b.id].number not in text


def test_report_by_hazard_class(db, settings, world, generate):
    report = request(db, world.supervisor_root, settings, kind=ReportKind.category,
                     quarter=this_quarter(settings), organisation_id=world.root.id,
                     category_dimension=CategoryDimension.hazard_class,
                     category_value="physical", format=ReportFormat.xlsx)
    generate()
    book = load_workbook(io.BytesIO(fetch(db, world.supervisor_root, settings, report.id)))
    assert book.sheetnames == ["摘要", "每周", "风险信号", "风险评估", "专家委员会决定",
                               "预警草稿"]
    summary = {row[0]: row[1] for row in book["摘要"].iter_rows(values_only=True) if row}
    assert summary["收到的风险信息"] == 1 and summary["产生的风险信号"] == 1
    assert "物理" in str(summary["类别"])
    signals = list(book["风险信号"].iter_rows(values_only=True))
    assert signals[0][0] == "编号" and signals[1][0] == world.signals[world.a.id].number
    assert len(signals) == 2


def test_excel_holds_every_table_and_native_charts(db, settings, world, generate):
    report = request(db, world.officer_a, settings, quarter=this_quarter(settings),
                     format=ReportFormat.xlsx)
    generate()
    data = fetch(db, world.officer_a, settings, report.id)
    book = load_workbook(io.BytesIO(data))
    weekly = list(book["每周"].iter_rows(values_only=True))
    assert sum(row[1] for row in weekly[1:]) == 2
    db.expire_all()
    assert db.get(AnalysisReport, report.id).file_name.endswith(".xlsx")
    with io.BytesIO(data) as handle:
        from zipfile import ZipFile

        names = ZipFile(handle).namelist()
    assert any(name.startswith("xl/charts/chart") for name in names)


@pytest.mark.parametrize(("fields", "where"), [
    ({"quarter": "2026Q5"}, "quarter"),
    ({"quarter": "next"}, "quarter"),
    ({}, "quarter"),
    ({"start": dt.date(2024, 3, 1), "end": dt.date(2024, 1, 1)}, "end"),
    ({"start": dt.date(2020, 1, 1), "end": dt.date(2024, 1, 1)}, "end"),
    ({"start": dt.date(2099, 1, 1), "end": dt.date(2099, 2, 1)}, "start"),
    ({"quarter": "2024Q1", "kind": ReportKind.category}, "category_value"),
    ({"quarter": "2024Q1", "kind": ReportKind.category,
      "category_dimension": CategoryDimension.hs_chapter, "category_value": "100"},
     "category_value"),
    ({"quarter": "2024Q1", "kind": ReportKind.category,
      "category_dimension": CategoryDimension.hazard_class, "category_value": "radiation"},
     "category_value"),
    ({"quarter": "2024Q1", "category_dimension": CategoryDimension.hazard_class,
      "category_value": "physical"}, "category_value"),
])
def test_bad_requests_are_refused(db, settings, world, fields, where):
    with pytest.raises(ValidationFailed) as caught:
        request(db, world.officer_a, settings, **fields)
    assert caught.value.fields[0].loc == where


def test_report_by_hs_chapter(db, settings, world, generate):
    report = request(db, world.officer_a, settings, kind=ReportKind.category,
                     quarter=this_quarter(settings),
                     category_dimension=CategoryDimension.hs_chapter, category_value="95")
    generate()
    text = pdf_text(fetch(db, world.officer_a, settings, report.id))
    assert "95 玩具" in text and "分类风险评估报告" in text
    assert world.signals[world.a.id].number not in text  # its record is chapter 85
    padded = request(db, world.officer_a, settings, kind=ReportKind.category,
                     quarter=this_quarter(settings),
                     category_dimension=CategoryDimension.hs_chapter, category_value="9")
    assert padded.category_value == "09"


def test_failed_generation_keeps_the_error(db, settings, world, generate):
    from riskgate.identity import service as identity
    from tests.factories import SYSTEM

    report = request(db, world.officer_a, settings, quarter=this_quarter(settings))
    identity.update_user(db, SYSTEM, world.officer_a.id, {"active": False})
    db.commit()
    assert generate() == {"ready": 0, "failed": 1}
    db.expire_all()
    failed = db.get(AnalysisReport, report.id)
    assert failed.status.value == "failed" and "no longer active" in failed.error
    with pytest.raises(service.ReportNotReady):
        fetch(db, world.supervisor_root, settings, report.id)


def test_a_changed_file_is_not_served(db, settings, world, generate):
    report = request(db, world.officer_a, settings, quarter=this_quarter(settings))
    generate()
    db.expire_all()
    stored = db.get(AnalysisReport, report.id)
    path = service.path_for(Path(settings.analysis_reports_dir), stored.sha256)
    path.write_bytes(b"%PDF-1.7 tampered")
    with pytest.raises(NotFound):
        fetch(db, world.officer_a, settings, report.id)


def test_quarterly_schedule_requests_each_lead_organisation_once(db, settings, world, generate):
    from riskgate.identity.demo import make_uscc
    from riskgate.identity.enums import OrgLevel, OrgType
    from tests.factories import make_org

    # Enterprises are roots of their own trees, but not lead organisations.
    make_org(db, org_type=OrgType.ENTERPRISE, level=OrgLevel.NONE,
             uscc=make_uscc("310115", "31748252"))
    db.commit()
    now = dt.datetime.now(dt.UTC)
    first = service.schedule_quarterlies(db, settings, now)
    db.commit()
    again = service.schedule_quarterlies(db, settings, now)
    db.commit()
    assert first["requested"] == 1 and again["requested"] == 0
    last = periods.previous_quarter(service.local_today(settings))
    (report,) = db.execute(select(AnalysisReport)).scalars()
    assert report.organisation_id == world.root.id and report.scheduled
    assert (report.period_start, report.period_end) == (last.start, last.end)
    assert generate() == {"ready": 1, "failed": 0}
    text = pdf_text(fetch(db, world.supervisor_root, settings, report.id))
    assert last.label in text


def test_empty_period_still_renders(db, settings, world, generate):
    report = request(db, world.officer_a, settings, quarter="2021Q1")
    generate()
    text = pdf_text(fetch(db, world.officer_a, settings, report.id))
    assert "本期暂无数据" in text and "本期无。" in text
