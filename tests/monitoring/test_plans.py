"""Plan lifecycle with revisions, task generation, results → risk records, import, progress."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.catalog.enums import SourceChannel
from riskgate.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from riskgate.monitoring import points, progress, results, service
from riskgate.monitoring.enums import Comparison, PlanStatus, TaskEvent, TaskStatus
from riskgate.outbox.models import OutboxEvent
from riskgate.records.models import RiskRecord
from tests.monitoring.conftest import plan_body, target


def approved_plan(db, unit, **changes):  # type: ignore[no-untyped-def]
    plan = service.create_plan(db, unit.officer_actor, {**plan_body(**changes),
                                                        "organisation_id": unit.org.id})
    service.approve_plan(db, unit.approver_actor, plan.id, None)
    return plan


def test_verdict_against_limits():
    assert results.verdict(0.01, 0.02, Comparison.le)
    assert not results.verdict(0.03, 0.02, Comparison.le)
    assert not results.verdict(0.02, 0.02, Comparison.lt)
    assert results.verdict(3.2, 3.0, Comparison.ge)
    assert results.verdict(0, None, Comparison.absent)
    assert not results.verdict(1, None, Comparison.absent)
    assert results.verdict(99, None, Comparison.le)  # no limit: nothing to fail


def test_spread_and_period_bounds():
    assert service.spread(10, 4) == [3, 3, 2, 2]
    assert service.period_bounds(2026, service.SchedulePeriod.quarter, 1)[1] == dt.date(2026, 3, 31)
    assert service.period_bounds(2026, service.SchedulePeriod.month, 2)[1] == dt.date(2026, 2, 28)


def test_lifecycle_with_revisions(db, unit):
    plan = service.create_plan(db, unit.officer_actor, plan_body())
    assert plan.status == PlanStatus.draft and plan.number.startswith("MP-2026-")
    # Unapproved: revised in place.
    service.revise_plan(db, unit.officer_actor, plan.id, {"title": "修订标题"}, None)
    assert plan.current_version == 1
    service.approve_plan(db, unit.approver_actor, plan.id, "符合国家计划框架")
    assert plan.status == PlanStatus.approved
    created, _ = service.generate_tasks(db, unit.officer_actor, plan.id)
    assert plan.status == PlanStatus.in_progress and len(created) == 4
    # Approved: a revision needs a reason and becomes version 2; the plan awaits approval again.
    with pytest.raises(ValidationFailed):
        service.revise_plan(db, unit.officer_actor, plan.id, {"title": "再次修订"}, None)
    service.revise_plan(db, unit.officer_actor, plan.id,
                        {"targets": [target(key="t1", samples=12), target(hs_code="040210",
                                                                           samples=4)]},
                        "增加乳粉抽样批次")
    assert plan.current_version == 2 and plan.status == PlanStatus.draft
    old = service.get_version(db, unit.officer_actor, plan.id, 1)
    assert old.targets[0]["samples"] == 8 and old.title == "修订标题"
    with pytest.raises(Conflict):
        service.generate_tasks(db, unit.officer_actor, plan.id)
    service.approve_plan(db, unit.approver_actor, plan.id, None)
    created, kept = service.generate_tasks(db, unit.officer_actor, plan.id)
    assert len(created) == 4 and len(kept) == 4
    assert sorted({t.samples_planned for t in kept}) == [3]  # 12 over 4 quarters
    entry = db.execute(select(AuditEntry).where(AuditEntry.action == "monitoring.plan.revise")
                       .order_by(AuditEntry.id.desc())).scalars().first()
    assert entry.reason == "增加乳粉抽样批次" and entry.after["version"] == 2
    assert "targets" in entry.after and "title" not in entry.after  # only the diff
    service.close_plan(db, unit.officer_actor, plan.id, None)
    with pytest.raises(InvalidTransition):
        service.approve_plan(db, unit.approver_actor, plan.id, None)
    with pytest.raises(InvalidTransition):
        service.revise_plan(db, unit.officer_actor, plan.id, {"title": "x"}, "x")


def test_bad_targets_are_named(db, unit):
    with pytest.raises(ValidationFailed) as caught:
        service.create_plan(db, unit.officer_actor, plan_body(targets=[
            target(hs_code="771234", origin_countries=["XX"], port_codes=["nowhere"],
                   distribution=[1, 1, 1, 1])]))
    locs = {f.loc for f in caught.value.fields}
    assert {"targets.0.hs_code", "targets.0.origin_countries", "targets.0.port_codes",
            "targets.0.distribution"} <= locs
    service.create_plan(db, unit.officer_actor, plan_body())
    with pytest.raises(Conflict):
        service.create_plan(db, unit.officer_actor, plan_body())
    with pytest.raises(NotFound):
        service.create_plan(db, unit.officer_actor, {**plan_body(), "organisation_id":
                                                     unit.other.id})


def test_tasks_generated_assigned_and_notified(db, unit):
    plan = approved_plan(db, unit, period="month",
                         targets=[target(samples=6, distribution=[1, 1, 1, 0, 0, 0, 1, 1, 1,
                                                                   0, 0, 0])])
    created, _ = service.generate_tasks(db, unit.officer_actor, plan.id)
    assert [t.period for t in created] == [1, 2, 3, 7, 8, 9]
    assert created[0].due_on == dt.date(2026, 1, 31) and created[0].status == TaskStatus.assigned
    again, kept = service.generate_tasks(db, unit.officer_actor, plan.id)
    assert again == [] and len(kept) == 6
    inbox = db.execute(select(OutboxEvent).where(OutboxEvent.topic == service.TASK_TOPIC,
                                                 OutboxEvent.channel == "inbox")).scalars().all()
    assert {e.target for e in inbox} == {str(unit.officer.id), str(unit.port.id)}
    assert len(inbox) == 12
    task = service.assign_task(db, unit.officer_actor, created[0].id,
                               assignee_user_id=unit.port.id)
    assert task.assignee_user_id == unit.port.id
    with pytest.raises(ValidationFailed):
        service.assign_task(db, unit.officer_actor, created[0].id,
                            assignee_user_id=unit.approver.id)
    with pytest.raises(NotFound):
        service.get_task(db, unit.other_actor, created[0].id)


def _result(**changes):  # type: ignore[no-untyped-def]
    return {"sample_code": "S1", "test_item": "铅", "measured_value": 0.05, "lab_name":
            "上海海关技术中心", "tested_on": dt.date(2026, 2, 3),
            "enterprise_uscc": None, "enterprise_name": "示例进口商", **changes}


def test_results_become_records_once(db, unit):
    plan = approved_plan(db, unit)
    task = service.generate_tasks(db, unit.officer_actor, plan.id)[0][0]
    entered = results.enter_results(db, unit.port_actor, task.id, [
        _result(), _result(test_item="阪崎克罗诺杆菌", measured_value=0),
        _result(sample_code="S2", measured_value=0.01)])
    assert [e.result.passed for e in entered] == [False, True, True]
    assert task.status == TaskStatus.tested and task.samples_taken == 2
    failing = entered[0].result
    record = db.get(RiskRecord, failing.record_id)
    assert record.source_channel == SourceChannel.monitoring_plan_sampling
    assert record.hazard_type == "heavy_metals" and record.hazard_class == "chemical"
    assert record.origin_country == "NZ" and record.port_code == "shanghai_yangshan"
    assert "0.05mg/kg" in record.description and "≤0.02mg/kg" in record.description
    assert record.hs_code == "190110" and record.organisation_id == unit.org.id
    assert entered[1].result.record_id is None
    again = results.enter_results(db, unit.port_actor, task.id, [_result()])
    assert not again[0].created and again[0].result.id == failing.id
    assert db.execute(select(RiskRecord).where(
        RiskRecord.source_channel == "monitoring_plan_sampling")).scalars().all() == [record]
    with pytest.raises(ValidationFailed):  # an override needs a reason
        results.enter_results(db, unit.port_actor, task.id, [_result(sample_code="S3",
                                                                     passed=True)])
    overridden = results.enter_results(db, unit.port_actor, task.id, [
        _result(sample_code="S3", passed=True, override_reason="复检合格")])[0].result
    assert overridden.passed and not overridden.computed_passed and overridden.record_id is None
    service.transition_task(db, unit.port_actor, task.id, TaskEvent.complete)
    assert task.status == TaskStatus.done
    with pytest.raises(Conflict):
        results.enter_results(db, unit.port_actor, task.id, [_result(sample_code="S9")])


def test_cancel_needs_reason_and_planner(db, unit):
    from riskgate.core.errors import PermissionDenied

    plan = approved_plan(db, unit)
    task = service.generate_tasks(db, unit.officer_actor, plan.id)[0][1]
    with pytest.raises(PermissionDenied):
        service.transition_task(db, unit.port_actor, task.id, TaskEvent.cancel, reason="x")
    with pytest.raises(ValidationFailed):
        service.transition_task(db, unit.officer_actor, task.id, TaskEvent.cancel)
    service.transition_task(db, unit.officer_actor, task.id, TaskEvent.cancel,
                            reason="口岸暂无该类商品进口")
    assert task.status == TaskStatus.cancelled and task.cancel_reason


def test_import_reports_bad_rows(db, unit):
    plan = approved_plan(db, unit)
    task = service.generate_tasks(db, unit.officer_actor, plan.id)[0][0]
    csv = (
        "任务编号,样品编号,检测项目,检测值,单位,检测机构,检测日期\n"
        f"{task.number},S1,铅,0.08,mg/kg,上海海关技术中心,2026-02-03\n"
        f"{task.number},S1,阪崎克罗诺杆菌,未检出,,上海海关技术中心,2026-02-03\n"
        f"{task.number},S2,铅,abc,mg/kg,上海海关技术中心,2026-02-03\n"
        "ST-2026-999999,S3,铅,0.01,mg/kg,,\n"
    ).encode("gb18030")
    report = results.import_results(db, unit.officer_actor, io.BytesIO(csv), "r.csv")
    assert (report.rows_read, report.stored, report.failed, report.records) == (4, 2, 1, 1)
    assert [r["line"] for r in report.rejected] == [4, 5]
    assert "measured_value" in report.rejected[0]["problems"][0]
    again = results.import_results(db, unit.officer_actor, io.BytesIO(csv), "r.csv")
    assert again.stored == 0 and again.duplicates == 2
    with pytest.raises(ValidationFailed):
        results.import_results(db, unit.officer_actor, io.BytesIO(b"a,b\n1,2\n"), "x.csv")
    # Another organisation cannot import into the task: the row is rejected as unknown.
    foreign = results.import_results(db, unit.other_actor, io.BytesIO(csv), "r.csv")
    assert foreign.stored == 0 and len(foreign.rejected) == 4


def test_import_xlsx(db, unit):
    from openpyxl import Workbook

    plan = approved_plan(db, unit)
    task = service.generate_tasks(db, unit.officer_actor, plan.id)[0][0]
    book = Workbook()
    sheet = book.active
    sheet.append(["task", "sample_code", "test_item", "measured_value"])
    sheet.append([task.number, "X1", "铅", 0.5])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    report = results.import_results(db, unit.officer_actor, buffer, "r.xlsx")
    assert report.stored == 1 and report.records == 1


def test_progress_figures(db, unit):
    plan = approved_plan(db, unit, targets=[target(samples=8), target(hs_code="040210",
                                                                      samples=4)])
    tasks = service.generate_tasks(db, unit.officer_actor, plan.id)[0]
    first = tasks[0]
    service.transition_task(db, unit.port_actor, first.id, TaskEvent.sample, samples_taken=2)
    results.enter_results(db, unit.port_actor, first.id, [
        _result(), _result(test_item="阪崎克罗诺杆菌", measured_value=0),
        _result(sample_code="S2", measured_value=0.0)])
    figures = progress.plan_progress(db, unit.officer_actor, plan.id, dt.date(2026, 4, 15))
    assert (figures.totals.planned, figures.totals.taken, figures.totals.tested,
            figures.totals.failed) == (12, 2, 2, 1)
    assert [r.planned for r in figures.by_target] == [8, 4]
    assert [r.planned for r in figures.by_period] == [3, 3, 3, 3]
    # Q1 ended on 31 March: the tasks of Q1 except the tested one... all open ones are overdue.
    assert {t.period for t in figures.overdue} == {1}
    assert len(figures.overdue) == 2


def test_point_series_and_attribution(db, unit):
    point = points.create_point(db, unit.officer_actor, {
        "code": "SH-YS-FOOD", "name": "洋山港进口食品监测点", "point_type": "port",
        "region_code": "310115", "port_code": "shanghai_yangshan", "hs_chapters": ["4", "19"],
        "product_categories": ["乳制品"]})
    assert point.hs_chapters == ["04", "19"]
    plan = approved_plan(db, unit, targets=[target(monitoring_point_ids=[point.id])])
    task = service.generate_tasks(db, unit.officer_actor, plan.id)[0][0]
    assert task.monitoring_point_id == point.id
    results.enter_results(db, unit.port_actor, task.id, [
        _result(tested_on=dt.date(2026, 2, 3)), _result(sample_code="S2",
                                                         tested_on=dt.date(2026, 2, 18))])
    series = points.point_series(db, unit.officer_actor, point.id, 4,
                                 today=dt.date(2026, 2, 20))
    assert series == [(dt.date(2026, 1, 26), 0), (dt.date(2026, 2, 2), 1),
                      (dt.date(2026, 2, 9), 0), (dt.date(2026, 2, 16), 1)]
    assert service.point_series is points.point_series
    with pytest.raises(NotFound):
        points.point_series(db, unit.other_actor, point.id, 4)
    with pytest.raises(ValidationFailed):
        points.point_series(db, unit.officer_actor, point.id, 0)
    with pytest.raises(Conflict):
        points.create_point(db, unit.officer_actor, {"code": "SH-YS-FOOD", "name": "x",
                                                     "point_type": "market"})
