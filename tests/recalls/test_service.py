"""Recall life cycle: validation (422 naming the field), transitions (409), progress reports,
sums and the automatic completion, scope (another enterprise or regulator: 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from riskgate.outbox.models import OutboxEvent
from riskgate.recalls import service
from riskgate.recalls.enums import RecallStatus
from riskgate.recalls.schemas import ProgressReportIn, RecallPatch
from riskgate.recalls.service import local_date
from tests.recalls.helpers import make_recall, make_started, recall_input, report
from tests.warnings.helpers import build_world


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def _fields(error: ValidationFailed) -> set[str]:
    return {p.loc for p in error.fields}


def _actions(db, recall) -> list[str]:  # type: ignore[no-untyped-def]
    return list(db.execute(select(AuditEntry.action).where(
        AuditEntry.object_type == "recall", AuditEntry.object_id == str(recall.id))
        .order_by(AuditEntry.id)).scalars())


def test_create_numbers_and_audits(world):
    recall = make_recall(world)
    assert recall.number.startswith("RCL-") and recall.status == RecallStatus.draft
    assert recall.enterprise_name == world.enterprise.name_zh
    assert recall.remedies == ["refund", "replace"]
    assert _actions(world.db, recall) == ["recall.create"]


def test_unregistered_enterprise_by_name(world):
    recall = make_recall(world, enterprise_id=None, enterprise_name="Acme Toys Ltd")
    assert recall.enterprise_id is None and recall.enterprise_name == "Acme Toys Ltd"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"enterprise_id": None}, "enterprise_id"),
    ({"origin": "foreign"}, "origin"),
    ({"warning_id": 999999}, "warning_id"),
    ({"record_id": 999999}, "record_id"),
    ({"case_id": 999999}, "case_id"),
])
def test_bad_input_names_the_field(world, overrides, field):
    with pytest.raises(ValidationFailed) as failed:
        make_recall(world, **overrides)
    assert field in _fields(failed.value)


def test_a_regulator_organisation_is_not_an_enterprise(world):
    with pytest.raises(ValidationFailed) as failed:
        make_recall(world, enterprise_id=world.other.id)
    assert _fields(failed.value) == {"enterprise_id"}


def test_schema_refuses_zero_units_and_no_remedy(world):
    from pydantic import ValidationError

    for overrides in ({"units_affected": 0}, {"remedies": []}, {"remedies": ["burn"]}):
        with pytest.raises(ValidationError):
            recall_input(world, **overrides)


def test_enterprise_cannot_record_a_recall(world):
    with pytest.raises(PermissionDenied):
        service.create_recall(world.db, world.actor(world.ent_user), recall_input(world))


def test_edit_only_a_draft(world):
    recall = make_recall(world)
    officer = world.actor(world.officer)
    service.update_recall(world.db, officer, recall.id, RecallPatch(units_affected=500))
    assert recall.units_affected == 500
    service.start_recall(world.db, officer, recall.id)
    with pytest.raises(Exception) as refused:
        service.update_recall(world.db, officer, recall.id, RecallPatch(units_affected=5))
    assert getattr(refused.value, "status", None) == 409


def test_transitions(world):
    officer = world.actor(world.officer)
    recall = make_recall(world)
    with pytest.raises(InvalidTransition):
        service.complete_recall(world.db, officer, recall.id)
    with pytest.raises(InvalidTransition):
        service.close_recall(world.db, officer, recall.id, "ok")
    service.start_recall(world.db, officer, recall.id)
    assert recall.started_on == local_date()
    assert recall.next_report_due == local_date() + dt.timedelta(days=14)
    with pytest.raises(InvalidTransition):
        service.start_recall(world.db, officer, recall.id)
    service.complete_recall(world.db, officer, recall.id, "done")
    with pytest.raises(ValidationFailed):
        service.close_recall(world.db, officer, recall.id, "  ")
    with pytest.raises(InvalidTransition):
        service.cancel_recall(world.db, officer, recall.id, "no")
    service.close_recall(world.db, officer, recall.id, "效果良好")
    assert recall.status == RecallStatus.closed and recall.evaluation == "效果良好"
    assert _actions(world.db, recall) == ["recall.create", "recall.start", "recall.complete",
                                          "recall.close"]


def test_cancel_needs_a_reason(world):
    officer = world.actor(world.officer)
    recall = make_started(world)
    with pytest.raises(ValidationFailed):
        service.cancel_recall(world.db, officer, recall.id, " ")
    service.cancel_recall(world.db, officer, recall.id, "误报")
    assert recall.status == RecallStatus.cancelled
    with pytest.raises(service.ReportsClosed):
        report(world, recall, 1)


def test_other_regulator_does_not_see_it(world):
    recall = make_recall(world)
    with pytest.raises(NotFound):
        service.get_recall(world.db, world.actor(world.other_officer), recall.id)
    with pytest.raises(NotFound):
        service.start_recall(world.db, world.actor(world.other_officer), recall.id)
    # The provincial officer is below the owner: not in its subtree either.
    with pytest.raises(NotFound):
        service.get_recall(world.db, world.actor(world.prov_officer), recall.id)


def test_reports_sum_and_complete_automatically(world):
    recall = make_started(world)
    first = report(world, recall, 400, by_remedy={"refund": 300, "replace": 100})
    assert recall.units_remedied == 400 and service.completion_percent(recall) == 40.0
    assert recall.status == RecallStatus.in_progress and first.by_remedy["refund"] == 300
    report(world, recall, 600)
    assert recall.units_remedied == 1000 and recall.status == RecallStatus.completed
    assert _actions(world.db, recall)[-2:] == ["recall.report", "recall.auto_complete"]
    # The owner's risk officer was told.
    subjects = [e.payload["subject"] for e in world.db.execute(select(OutboxEvent).where(
        OutboxEvent.target == str(world.officer.id))).scalars()]
    assert "Recall {number} is completed" in subjects


def test_report_beyond_affected_is_accepted_and_flagged(world):
    recall = make_started(world, units_affected=100)
    report(world, recall, 90)
    late = report(world, recall, 30)  # completes it, and is beyond the 100 affected
    assert recall.units_remedied == 120 and service.completion_percent(recall) == 100.0
    assert service.over_reported(recall)
    flags = service.report_flags(recall, service.reports_of(world.db, recall.id))
    assert flags[late.id] and list(flags.values()).count(True) == 1
    # A late report after completion is still accepted (the recall stays completed).
    report(world, recall, 5)
    assert recall.units_remedied == 125 and recall.status == RecallStatus.completed


def test_final_report_completes_below_100(world):
    recall = make_started(world)
    report(world, recall, 10, final=True, note="其余已无法联系")
    assert recall.status == RecallStatus.completed


@pytest.mark.parametrize(("overrides", "field"), [
    ({"by_remedy": {"repair": 5}}, "by_remedy.repair"),
    ({"by_remedy": {"refund": 3}}, "by_remedy"),
    ({"period_end": local_date() + dt.timedelta(days=2)}, "period_end"),
    ({"period_end": local_date() - dt.timedelta(days=2)}, "period_end"),
])
def test_bad_report_names_the_field(world, overrides, field):
    recall = make_started(world)
    with pytest.raises(ValidationFailed) as failed:
        report(world, recall, 5, **overrides)
    assert field in _fields(failed.value)


def test_report_on_draft_or_closed_is_409(world):
    officer = world.actor(world.officer)
    draft = make_recall(world)
    with pytest.raises(NotFound):  # the enterprise does not see drafts at all
        report(world, draft, 1)
    recall = make_started(world)
    service.complete_recall(world.db, officer, recall.id)
    service.close_recall(world.db, officer, recall.id, "ok")
    with pytest.raises(service.ReportsClosed) as refused:
        report(world, recall, 1)
    assert refused.value.status == 409 and recall.number in refused.value.translated("en")


def test_another_enterprise_gets_404(world):
    recall = make_started(world)
    with pytest.raises(NotFound):
        service.file_report(world.db, world.actor(world.ent2_user), recall.id,
                            ProgressReportIn(period_end=local_date(), units_remedied=1))
    with pytest.raises(NotFound):  # a regulator is no recalling enterprise
        service.file_report(world.db, world.actor(world.officer), recall.id,
                            ProgressReportIn(period_end=local_date(), units_remedied=1))


def test_dates_are_local_to_the_deployment(world, monkeypatch):
    """At 20:00 UTC it is already tomorrow in Beijing: the recall starts "today" there and a
    report dated that day is not in the future."""
    late_evening = dt.datetime(2026, 11, 21, 20, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(service, "utcnow", lambda: late_evening)
    recall = make_started(world)
    assert recall.started_on == dt.date(2026, 11, 22)
    report(world, recall, 5, period_end=dt.date(2026, 11, 22))
    assert recall.units_remedied == 5
