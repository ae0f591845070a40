"""Effect evaluation of a case (R2): a recall at 100 % with every task done and no new record
for 4 weeks proposes lifting; open tasks keep the warning; the approvers are told."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.catalog.enums import MeasureType, WarningLevel
from riskgate.core.errors import NotFound
from riskgate.evaluation.effect import service as evaluation
from riskgate.evaluation.enums import Recommendation
from riskgate.outbox.models import OutboxEvent
from riskgate.records.models import RiskRecord
from riskgate.response.enums import CaseOrigin, CaseStatus, TaskStatus, UnitRole
from riskgate.response.models import ResponseCase, ResponseTask
from tests.recalls.helpers import make_started, report
from tests.warnings.helpers import build_world, make_published_warning


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    # The case is built here; the response and border followers of publication are their owners'.
    from riskgate.border.rules import derivation as rule_derivation
    from riskgate.core.events import suspended
    from riskgate.response import service as response

    with suspended(response.on_warning_issued, rule_derivation.on_warning_issued):
        yield build_world(db, settings)


def make_case(world, warning, statuses=(TaskStatus.done, TaskStatus.waived)):  # type: ignore[no-untyped-def]
    case = ResponseCase(number=f"RC-T-{warning.id}", organisation_id=warning.organisation_id,
                        warning_id=warning.id, title=warning.title, level=WarningLevel.III,
                        origin=CaseOrigin.manual, status=CaseStatus.open)
    world.db.add(case)
    world.db.flush()
    for status in statuses:
        world.db.add(ResponseTask(case_id=case.id, measure=MeasureType.defect_recall,
                                  organisation_id=warning.organisation_id,
                                  unit_role=UnitRole.lead, status=status,
                                  due_at=warning.published_at + dt.timedelta(days=1)))
    world.db.flush()
    return case


def _later(warning, weeks: int) -> dt.datetime:  # type: ignore[no-untyped-def]
    published = warning.published_at
    published = published if published.tzinfo else published.replace(tzinfo=dt.UTC)
    return published + dt.timedelta(weeks=weeks)


def test_recall_at_100_proposes_lifting(world):
    warning = make_published_warning(world)
    case = make_case(world, warning)
    recall = make_started(world, warning_id=warning.id, units_affected=200)
    report(world, recall, 200)
    officer = world.actor(world.officer)
    result = evaluation.evaluate_case(world.db, officer, case.id, now=_later(warning, 5))
    assert result.recommendation == Recommendation.lift
    assert result.figures["recalls"]["rate"] == 1.0
    assert result.figures["tasks"] == {"tasks": 2, "finished": 2, "share": 1.0}
    assert result.figures["records"]["weeks"] == 5
    assert {r["code"] for r in result.reasons} >= {"tasks_finished.met", "recall_complete.met"}
    audited = world.db.execute(select(AuditEntry).where(
        AuditEntry.action == "case.evaluate")).scalar_one()
    assert audited.object_id == str(case.id)
    told = {e.target for e in world.db.execute(select(OutboxEvent).where(
        OutboxEvent.topic == "response.evaluation", OutboxEvent.channel == "inbox")).scalars()}
    assert told == {str(world.approver.id), str(world.approver2.id)}
    assert evaluation.evaluations_of(world.db, officer, case.id) == [result]


def test_open_tasks_keep_or_downgrade(world):
    warning = make_published_warning(world)
    case = make_case(world, warning, (TaskStatus.done, TaskStatus.in_progress))
    recall = make_started(world, case_id=case.id, units_affected=100)
    report(world, recall, 10)
    officer = world.actor(world.officer)
    early = evaluation.evaluate_case(world.db, officer, case.id, now=_later(warning, 1))
    assert early.recommendation == Recommendation.keep
    assert early.figures["recalls"]["rate"] == 0.1
    later = evaluation.evaluate_case(world.db, officer, case.id, now=_later(warning, 6))
    assert later.recommendation == Recommendation.downgrade  # clean weeks and conformity met
    keep_told = world.db.execute(select(OutboxEvent).where(
        OutboxEvent.dedupe_key.like(f"case-evaluation:{early.id}:%"))).scalars().all()
    assert keep_told == []


def test_a_new_matching_record_resets_the_clean_weeks(world):
    warning = make_published_warning(world)
    case = make_case(world, warning)
    from riskgate.records.service import store_drafts

    stored = store_drafts(world.db, [({
        "title": "塑料玩具邻苯超标", "product_name": "塑料玩具", "language": "zh-CN",
        "external_reference": f"EVAL-{case.id}", "trade_direction": "import",
        "confidentiality": "internal", "hazard_types": [], "enterprises": [],
        "hs_code": "95030090", "source_channel": "inspection_supervision",
    }, None)], channel=None, organisation_id=world.national.id,
        received_at=_later(warning, 3))
    record = world.db.get(RiskRecord, stored[0].record_id)
    result = evaluation.evaluate_case(world.db, world.actor(world.officer), case.id,
                                      now=_later(warning, 5))
    assert result.figures["records"]["weeks"] == 2 and result.figures["records"]["records"] == 1
    assert result.recommendation == Recommendation.downgrade
    assert world.db.get(RiskRecord, record.id) is not None


def test_rising_nonconformity_keeps():
    figures = {"tasks": {"tasks": 1, "finished": 1, "share": 1.0},
               "recalls": {"recalls": 0, "units_affected": 0, "units_remedied": 0, "rate": None},
               "records": {"weeks": 8}, "nonconformity": {"earlier": 0.01, "latest": 0.2}}
    recommendation, reasons = evaluation.recommend(figures)
    assert recommendation == Recommendation.keep
    assert "nonconformity.rising" in {r["code"] for r in reasons}
    figures["nonconformity"] = {"earlier": 0.2, "latest": 0.0}
    assert evaluation.recommend(figures)[0] == Recommendation.lift


def test_case_outside_scope_is_404(world):
    warning = make_published_warning(world)
    case = make_case(world, warning)
    with pytest.raises(NotFound):
        evaluation.evaluate_case(world.db, world.actor(world.other_officer), case.id)


def test_evaluation_api(client, world):
    from tests.factories import auth_headers, token_for

    warning = make_published_warning(world)
    case = make_case(world, warning)
    recall = make_started(world, warning_id=warning.id, units_affected=10)
    report(world, recall, 10)
    world.db.commit()
    officer = auth_headers(token_for(world.db, world.officer), "en")
    outsider = auth_headers(token_for(world.db, world.other_officer), "en")
    world.db.commit()
    url = f"/api/v1/response/cases/{case.id}/evaluations"
    created = client.post(url, headers=officer)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["figures"]["recalls"]["rate"] == 1.0 and body["figures"]["tasks"]["share"] == 1.0
    assert client.post(url, json={"clean_weeks": 0}, headers=officer).status_code == 422
    listed = client.get(url, headers=officer).json()
    assert [e["id"] for e in listed] == [body["id"]]
    assert client.get(url, headers=outsider).status_code == 404
    assert client.post(url, json={}, headers=outsider).status_code == 404
