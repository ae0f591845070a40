"""Response cases opened by the joint-disposal rules, their tasks and closing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from riskgate.core.errors import Conflict, NotFound, PermissionDenied
from riskgate.outbox.models import OutboxEvent
from riskgate.response import disposal, service, tasks
from riskgate.response.enums import CaseOrigin, CaseStatus, TaskStatus, UnitRole
from riskgate.response.models import DisposalRule
from tests.response.helpers import published_case, response_world, task_for
from tests.warnings.helpers import adjust, build_world, lift, make_published_warning

PDF = b"%PDF-1.4\n% evidence\n"


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return response_world(db, settings)


def _report(world, user, task, tmp_path, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("body", "已完成口岸布控")
    kwargs.setdefault("progress_percent", 50)
    return tasks.report(world.db, world.actor(user), task.id, root=tmp_path,
                        max_bytes=1024 * 1024, max_files=5, **kwargs)


def test_migration_inserted_the_default_rules(db):
    rules = db.execute(select(DisposalRule).where(DisposalRule.is_default.is_(True))).scalars()
    assert {r.name for r in rules} == {row["name"] for row in disposal.default_rows()}
    assert disposal.ensure_defaults(db) == 0


@pytest.mark.parametrize("level,measures", [
    ("I", {"port_control", "suspend_sales", "defect_recall", "trace_investigation"}),
    ("II", {"port_control", "trace_investigation", "targeted_supervision", "defect_recall",
            "suspend_sales"}),
    ("III", {"targeted_supervision", "port_control", "suspend_sales", "defect_recall"}),
    ("IV", {"targeted_supervision", "suspend_sales", "defect_recall"}),
])
def test_publication_opens_a_case_by_the_rules(world, level, measures):
    case = published_case(world.db, world, level=level)
    assert case.number.startswith("RC-") and case.origin == CaseOrigin.rules
    assert case.status == CaseStatus.open and case.level.value == level
    found = service.tasks_of(world.db, case.id)
    # The warning names suspend_sales and defect_recall; the category 玩具 adds its rule at I/II.
    assert {t.measure.value for t in found} == measures
    assert all(t.status == TaskStatus.pending for t in found)
    warning_published = world.db.get(type(case), case.id)
    assert warning_published is not None


def test_units_are_resolved_by_type_port_and_region(world):
    case = published_case(world.db, world, level="I", ports=["shanghai_yangshan"])
    port = [t for t in service.tasks_of(world.db, case.id) if t.measure.value == "port_control"]
    # Lead: district customs at the listed port — none (provincial is Waigaoqiao) → the issuer;
    # cooperating: the subordinate customs at Yangshan.
    roles = {(t.organisation_id, t.unit_role) for t in port}
    assert (world.national.id, UnitRole.lead) in roles
    assert (world.city.id, UnitRole.cooperating) in roles
    suspend = task_for(world.db, case, "suspend_sales")
    assert suspend.organisation_id == world.market.id  # market regulator in the subtree
    assert suspend.due_at - case.opened_at < dt.timedelta(hours=24, minutes=1)
    # Ports narrow customs units for every measure: no district customs at Yangshan.
    assert task_for(world.db, case, "trace_investigation").organisation_id == world.national.id
    # Without ports, within region 310000: the provincial customs leads.
    other = published_case(world.db, world, level="I")
    trace = task_for(world.db, other, "trace_investigation")
    assert (trace.organisation_id, trace.unit_role) == (world.provincial.id, UnitRole.lead)
    # Outside the regions listed, nobody of the type is found: the issuer leads.
    far = published_case(world.db, world, level="I", regions=["440000"])
    assert task_for(world.db, far, "suspend_sales").organisation_id == world.national.id


def test_units_are_told_once_per_case(world):
    """One message per unit and case listing its tasks, not one per task."""
    case = published_case(world.db, world, level="I")
    task = task_for(world.db, case, "suspend_sales")
    mine = [t for t in service.tasks_of(world.db, case.id)
            if t.organisation_id == task.organisation_id]
    assert len(mine) >= 2
    events = world.db.execute(select(OutboxEvent).where(
        OutboxEvent.topic == service.TASK_TOPIC, OutboxEvent.channel == "inbox",
        OutboxEvent.target == str(world.market_officer.id))).scalars().all()
    assert len(events) == 1
    assert events[0].payload["params"]["count"] == len(mine)
    assert events[0].payload["params"]["tasks"].count("\n") == len(mine) - 1


def test_most_specific_rule_wins(world):
    supervisor = world.actor(world.supervisor)
    disposal.create_rule(world.db, supervisor, {
        "name": "I 通告 口岸", "level": "I", "warning_type": "notice", "category": None,
        "measure": "port_control", "lead_org_type": "subordinate_customs",
        "cooperating_org_types": [], "deadline_hours": 1})
    case = published_case(world.db, world, level="I")
    port = task_for(world.db, case, "port_control")
    assert port.organisation_id == world.city.id
    assert port.due_at - case.opened_at < dt.timedelta(hours=1, minutes=1)


def test_adjustment_adds_tasks_and_keeps_existing(world):
    case = published_case(world.db, world, level="III")
    before = {t.id for t in service.tasks_of(world.db, case.id)}
    warning = service.case_for_warning(world.db, case.warning_id)
    from riskgate.warnings.models import PublicWarning
    adjust(world, world.db.get(PublicWarning, case.warning_id), level="II")
    after = service.tasks_of(world.db, case.id)
    assert before < {t.id for t in after}
    assert "trace_investigation" in {t.measure.value for t in after}
    assert warning is not None and warning.level.value == "II"


def test_lifting_closes_open_tasks_unfinished_and_the_case(world, tmp_path):
    case = published_case(world.db, world, level="IV")
    task = task_for(world.db, case, "targeted_supervision")
    _report(world, world.market_officer, task, tmp_path, complete=True)
    from riskgate.warnings.models import PublicWarning
    lift(world, world.db.get(PublicWarning, case.warning_id))
    assert case.status == CaseStatus.closed
    states = {t.id: t.status for t in service.tasks_of(world.db, case.id)}
    assert states.pop(task.id) == TaskStatus.done
    # Closed with the reason, never waived nor counted as done.
    assert set(states.values()) == {TaskStatus.closed}
    assert {t.closed_reason for t in service.tasks_of(world.db, case.id)
            if t.id != task.id} == {service.LIFTED_REASON}
    figures = service.task_figures(world.db, [case.id])[case.id]
    assert figures["done"] == 1 and figures["waived"] == 0
    assert figures["closed"] == figures["total"] - 1 and figures["open"] == 0
    with pytest.raises(Conflict):
        _report(world, world.officer, task_for(world.db, case, "suspend_sales"), tmp_path)


def test_close_refused_with_open_tasks_then_allowed(world, tmp_path):
    case = published_case(world.db, world, level="IV")
    officer = world.actor(world.officer)
    with pytest.raises(service.OpenTasksRemain) as refused:
        service.close_case(world.db, officer, case.id)
    assert "suspend_sales" in str(refused.value.params["tasks"])
    for task in service.tasks_of(world.db, case.id):
        if task.organisation_id == world.national.id:
            tasks.waive(world.db, officer, task.id, "不适用")
        else:
            _report(world, world.market_officer, task, tmp_path, progress_percent=100)
    closed = service.close_case(world.db, officer, case.id, "处置完毕")
    assert closed.status == CaseStatus.closed
    with pytest.raises(tasks.CaseClosed):
        _report(world, world.market_officer, task_for(world.db, case, "targeted_supervision"),
                tmp_path)


def test_report_with_quantities_and_evidence(world, tmp_path):
    case = published_case(world.db, world, level="I")
    task = task_for(world.db, case, "suspend_sales")
    row = _report(world, world.market_officer, task, tmp_path,
                  quantities={"seized_units": 120, "value_cny": Decimal("3500.50")},
                  uploads=[tasks.Upload("现场.pdf", PDF)])
    assert row.quantities == {"seized_units": 120, "value_cny": "3500.50"}
    assert task.status == TaskStatus.in_progress and task.progress_percent == 50
    assert tasks.evidence_of(world.db, [row.id])[row.id][0].media_type == "application/pdf"
    with pytest.raises(tasks.EvidenceRefused):
        _report(world, world.market_officer, task, tmp_path,
                uploads=[tasks.Upload("x.exe", b"MZ\x90\x00")])


def test_only_the_tasks_unit_reports(world, tmp_path):
    case = published_case(world.db, world, level="I")
    task = task_for(world.db, case, "suspend_sales")
    with pytest.raises(PermissionDenied):
        _report(world, world.officer, task, tmp_path)
    with pytest.raises(NotFound):
        _report(world, world.other_officer, task, tmp_path)


def test_waive_reopen_and_manual_opening(world, tmp_path):
    case = published_case(world.db, world, level="IV")
    officer = world.actor(world.officer)
    task = task_for(world.db, case, "targeted_supervision")
    _report(world, world.market_officer, task, tmp_path, complete=True)
    tasks.reopen(world.db, officer, task.id, "证据不足")
    assert task.status == TaskStatus.in_progress and task.completed_at is None
    with pytest.raises(service.CaseAlreadyOpen):
        service.open_case(world.db, officer, case.warning_id)
    with pytest.raises(NotFound):
        tasks.waive(world.db, world.actor(world.market_officer), task.id, "x")


def test_withdrawal_cancels_the_case(world):
    case = published_case(world.db, world, level="IV")
    from riskgate.warnings.lifecycle import service as warnings
    warnings.withdraw_published(world.db, world.actor(world.approver), case.warning_id, "误发")
    assert case.status == CaseStatus.cancelled


def test_case_scope(world):
    case = published_case(world.db, world, level="I")
    assert service.get_case(world.db, world.actor(world.market_officer), case.id)
    with pytest.raises(NotFound):
        service.get_case(world.db, world.actor(world.other_officer), case.id)
    with pytest.raises(NotFound):
        service.close_case(world.db, world.actor(world.market_officer), case.id)


def test_warning_without_case_gets_one_by_hand(world):
    warning = make_published_warning(world, level="IV", warning_type="notice")
    case = service.case_for_warning(world.db, warning.id)
    from riskgate.warnings.lifecycle import service as warnings
    assert case is not None
    case.status = CaseStatus.cancelled  # as if withdrawn earlier (test set-up only)
    world.db.flush()
    opened = service.open_case(world.db, world.actor(world.officer), warning.id, ["interview"])
    assert opened.origin == CaseOrigin.manual
    assert "interview" in {t.measure.value for t in service.tasks_of(world.db, opened.id)}
    assert warnings.get_warning(world.db, world.actor(world.officer), warning.id)


def test_market_measures_cross_to_the_market_regulators_tree(db, settings):
    # The plain warnings world: no market regulator under the customs head office, a national
    # one beside it. A customs level I warning's market withdrawal goes to that agency.
    plain = build_world(db, settings)
    case = published_case(db, plain, level="I", regions=[])
    suspend = task_for(db, case, "suspend_sales")
    assert (suspend.organisation_id, suspend.unit_role) == (plain.other.id, UnitRole.lead)
