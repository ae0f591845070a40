"""Tracking and evaluation of warnings (W3): the way from the first record to publication through
a real chain record → signal → assessment → warning, acknowledgement and measures, follow-ups,
the performance view per issuing organisation, and scope (another organisation sees nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from riskgate.assessment import service as assessments
from riskgate.assessment.enums import Conclusion
from riskgate.assessment.models import RiskAssessment
from riskgate.core.db import utcnow
from riskgate.core.errors import NotFound, ValidationFailed
from riskgate.records.models import RiskRecord
from riskgate.records.service import store_drafts
from riskgate.signals import triage
from riskgate.signals.enums import SignalStatus
from riskgate.signals.models import Signal, SignalRecord
from riskgate.warnings.lifecycle import service
from riskgate.warnings.models import PublicWarning, WarningDelivery
from riskgate.warnings.push import acknowledgement
from riskgate.warnings.tracking import service as tracking
from tests.assessment.conftest import MEDIUM
from tests.factories import auth_headers, token_for
from tests.warnings.helpers import (
    WarningWorld,
    adjust,
    build_world,
    lift,
    make_published_warning,
    warning_input,
)

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai
_refs = iter(range(1, 10_000))


@pytest.fixture
def world(db, settings) -> WarningWorld:  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def fatal_records(world: WarningWorld, count: int = 2) -> list[int]:
    """Fatal-injury records of the national organisation: the pipeline raises a signal."""
    drafts = [({
        "title": "电热水壶漏电致人死亡", "product_name": "电热水壶", "language": "zh-CN",
        "external_reference": f"TRK-{next(_refs)}", "trade_direction": "import",
        "confidentiality": "internal", "hazard_types": [], "enterprises": [],
        "hazard_class": "physical", "hs_code": "851671", "origin_country": "CN",
        "injury_severity": "fatal", "occurred_on": utcnow().date(),
        "source_channel": "inspection_supervision",
    }, None) for _ in range(count)]  # fmt: skip
    stored = store_drafts(world.db, drafts, channel=None, organisation_id=world.national.id)
    return [s.record_id for s in stored]


def published_from_chain(world: WarningWorld) -> tuple[PublicWarning, dict[str, int]]:
    """Records → signal (death/injury threshold) → assessment (triaged, concluded unsafe) →
    the drafted warning completed, approved and published; all through the services."""
    db, officer = world.db, world.actor(world.officer)
    records = fatal_records(world)
    signal = db.execute(select(Signal).join(SignalRecord, SignalRecord.signal_id == Signal.id)
                        .where(SignalRecord.record_id == records[0])).scalar_one()
    triage.transition(db, officer, signal.id, status=SignalStatus.triage)
    triage.transition(db, officer, signal.id, status=SignalStatus.assessment)
    assessment_id = signal.assessment_id
    assert assessment_id
    assessments.update_assessment(db, officer, assessment_id, {
        "scenarios": [MEDIUM], "urgency": "short_term", "impact_scope": "regional"})
    assessments.conclude(db, officer, assessment_id, conclusion=Conclusion.unsafe,
                         rationale="电热水壶漏电，已致死亡。")
    (draft,) = service.warnings_for_assessment(db, assessment_id)
    service.update_warning(db, officer, draft.id, warning_input(
        world, assessment_id=assessment_id, level="II", warning_type="notice",
        enterprises=[{"organisation_id": world.enterprise.id, "role": "importer"},
                     {"organisation_id": world.enterprise2.id, "role": "distributor"}]))
    service.submit_for_review(db, officer, draft.id)
    service.approve(db, world.actor(world.approver), draft.id)
    warning = service.publish(db, world.actor(world.approver), draft.id)
    db.flush()
    return warning, {"signal": signal.id, "assessment": assessment_id, "record": records[0],
                     "record2": records[1]}


def set_times(world: WarningWorld, warning: PublicWarning, ids: dict[str, int]) -> None:
    """The services stamp "now"; put the chain on a known time line to check the hours."""
    db = world.db
    hour = dt.timedelta(hours=1)
    db.execute(update(RiskRecord).where(RiskRecord.id == ids["record"]).values(received_at=T0))
    db.execute(update(RiskRecord).where(RiskRecord.id == ids["record2"])
               .values(received_at=T0 + hour))
    db.execute(update(Signal).where(Signal.id == ids["signal"])
               .values(first_fired_at=T0 + 2 * hour))
    db.execute(update(RiskAssessment).where(RiskAssessment.id == ids["assessment"])
               .values(created_at=T0 + 5 * hour, concluded_at=T0 + 29 * hour))
    db.execute(update(PublicWarning).where(PublicWarning.id == warning.id)
               .values(published_at=T0 + 53 * hour))
    db.flush()
    db.expire_all()


def test_times_follow_the_real_chain(world):
    warning, ids = published_from_chain(world)
    set_times(world, warning, ids)
    result = tracking.tracking_of(world.db, world.actor(world.officer), warning.id)
    steps = {m["key"]: m for m in result["milestones"]}
    assert steps["first_record"]["at"] == T0
    assert steps["first_signal"]["at"] == T0 + dt.timedelta(hours=2)
    assert [m["hours_since_previous"] for m in result["milestones"]] == [None, 2, 3, 24, 24]
    assert result["durations"] == {"record_to_publication_hours": 53,
                                   "signal_to_publication_hours": 51,
                                   "assessment_to_publication_hours": 24}
    assert result["evidence"] == {"records": 2, "signals": 1, "assessments": 1}
    assert result["level"] == "II" and result["follow_ups"]["count"] == 0


def test_acknowledgement_measures_and_overdue(world):
    warning, _ids = published_from_chain(world)
    db = world.db
    deliveries = {d.organisation_id: d for d in db.execute(
        select(WarningDelivery).where(WarningDelivery.warning_id == warning.id)).scalars()}
    assert {world.enterprise.id, world.enterprise2.id} <= set(deliveries)
    acknowledgement.acknowledge(db, world.actor(world.ent_user),
                                deliveries[world.enterprise.id].id, note="已签收")
    # The other enterprise let its deadline pass.
    late = deliveries[world.enterprise2.id]
    late.ack_deadline = utcnow() - dt.timedelta(hours=1)
    db.flush()
    result = tracking.tracking_of(db, world.actor(world.officer), warning.id)
    ack = result["acknowledgement"]
    total = len(deliveries)
    assert ack["deliveries"] == total and ack["acknowledged"] == 1
    assert ack["overdue"] == 1 and ack["rate"] == round(1 / total, 4)
    measures = {m["code"]: m for m in result["measures"]}
    # The warning's measures first, then those the response case's rules added (level II).
    assert list(measures)[:2] == ["suspend_sales", "defect_recall"]
    assert "port_control" in measures
    assert measures["defect_recall"]["tasks"]["tasks"] >= 1  # the response case's tasks
    assert measures["defect_recall"]["acknowledged"] == 1
    assert measures["defect_recall"]["recipients"] == len({d for d in deliveries})
    assert measures["defect_recall"]["name_zh"] != "defect_recall"


def test_follow_ups_level_changes_and_days_in_force(world):
    warning = make_published_warning(world)  # level III, no chain behind it
    adjust(world, warning, level="II", reason="伤害报告增多")
    adjust(world, warning, regions=["310000", "440000"])
    lift(world, warning)
    world.db.flush()
    warning.published_at = utcnow() - dt.timedelta(days=10, hours=1)
    world.db.flush()
    result = tracking.tracking_of(world.db, world.actor(world.approver), warning.id)
    follow = result["follow_ups"]
    assert (follow["count"], follow["adjustments"], follow["liftings"]) == (3, 2, 1)
    assert [(c["sequence"], c["from"], c["to"]) for c in follow["level_changes"]] == \
        [(1, "III", "II")]
    assert result["days_in_force"] == 10
    assert result["durations"]["record_to_publication_hours"] is None
    assert [m["at"] is None for m in result["milestones"]][:4] == [True] * 4


def test_other_organisation_sees_nothing(world):
    warning, _ids = published_from_chain(world)
    with pytest.raises(NotFound):
        tracking.tracking_of(world.db, world.actor(world.other_officer), warning.id)
    # A unit below the issuer does not track its parent's warning either.
    with pytest.raises(NotFound):
        tracking.tracking_of(world.db, world.actor(world.prov_officer), warning.id)
    # The sibling regulator may read a published bulletin, but does not track it.
    bulletin = make_published_warning(world, warning_type="bulletin", level="IV")
    assert service.get_warning(world.db, world.actor(world.other_officer), bulletin.id)
    assert tracking.warning_tracking(world.db, world.actor(world.other_officer), bulletin) is None
    assert tracking.warning_tracking(world.db, world.actor(world.officer), bulletin) is not None
    today = utcnow().date()
    empty = tracking.performance(world.db, world.actor(world.other_officer),
                                 start=today - dt.timedelta(days=7), end=today)
    assert empty["organisations"] == [] and empty["totals"]["issued"] == 0


def test_performance_per_organisation(world):
    db = world.db
    chained, ids = published_from_chain(world)
    set_times(world, chained, ids)
    db.execute(update(PublicWarning).where(PublicWarning.id == chained.id)
               .values(published_at=utcnow() - dt.timedelta(hours=2)))
    other = make_published_warning(world, warning_type="announcement", level="III")
    adjust(world, other, level="IV", reason="风险降低")
    provincial = service.create_warning(db, world.actor(world.prov_officer),
                                        warning_input(world, level="IV"))
    service.submit_for_review(db, world.actor(world.prov_officer), provincial.id)
    service.approve(db, world.actor(world.prov_approver), provincial.id)
    service.publish(db, world.actor(world.prov_approver), provincial.id)
    outside_period = make_published_warning(world)
    db.flush()
    db.execute(update(PublicWarning).where(PublicWarning.id == outside_period.id)
               .values(published_at=utcnow() - dt.timedelta(days=400)))
    db.flush()
    today = utcnow().date()
    result = tracking.performance(db, world.actor(world.approver),
                                  start=today - dt.timedelta(days=30),
                                  end=today + dt.timedelta(days=1))
    rows = {r["organisation_id"]: r for r in result["organisations"]}
    assert set(rows) == {world.national.id, world.provincial.id}
    national = rows[world.national.id]
    assert national["issued"] == 2
    assert national["by_level"] == {"I": 0, "II": 1, "III": 1, "IV": 0}
    assert national["by_type"]["notice"] == 1 and national["by_type"]["announcement"] == 1
    assert national["adjustments"] == 1 and national["liftings"] == 0
    # Only the chained warning has a first record / signal / assessment.
    published = utcnow() - dt.timedelta(hours=2)
    expected = (published - T0).total_seconds() / 3600
    assert national["median_hours_record_to_publication"] == pytest.approx(expected, abs=0.1)
    assert national["median_hours_signal_to_publication"] == pytest.approx(expected - 2, abs=0.1)
    assert national["deliveries"] >= 2 and national["acknowledgement_rate"] == 0
    assert rows[world.provincial.id]["issued"] == 1
    assert rows[world.provincial.id]["by_level"]["IV"] == 1
    assert result["totals"]["issued"] == 3
    # The provincial organisation sees only itself.
    own = tracking.performance(db, world.actor(world.prov_officer),
                               start=today - dt.timedelta(days=30), end=today)
    assert [r["organisation_id"] for r in own["organisations"]] == [world.provincial.id]


def test_period_is_checked(world):
    today = utcnow().date()
    with pytest.raises(ValidationFailed) as error:
        tracking.performance(world.db, world.actor(world.officer), start=today,
                             end=today - dt.timedelta(days=1))
    assert error.value.fields[0].loc == "end"
    with pytest.raises(ValidationFailed):
        tracking.performance(world.db, world.actor(world.officer),
                             start=today - dt.timedelta(days=5000), end=today)


def test_api_and_pages(client, world):
    warning, _ids = published_from_chain(world)
    db = world.db
    officer = token_for(db, world.officer)
    other = token_for(db, world.other_officer)
    enterprise = token_for(db, world.ent_user)
    db.commit()
    response = client.get(f"/api/v1/warnings/{warning.id}/tracking",
                          headers=auth_headers(officer))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["number"] == warning.number and body["evidence"]["signals"] == 1
    assert [m["key"] for m in body["milestones"]][-1] == "published"
    assert client.get(f"/api/v1/warnings/{warning.id}/tracking",
                      headers=auth_headers(other)).status_code == 404
    assert client.get(f"/api/v1/warnings/{warning.id}/tracking",
                      headers=auth_headers(enterprise)).status_code == 403
    performance = client.get("/api/v1/warnings/performance", headers=auth_headers(officer))
    assert performance.status_code == 200, performance.text
    assert performance.json()["totals"]["issued"] == 1
    bad = client.get("/api/v1/warnings/performance", headers=auth_headers(officer),
                     params={"start": "2026-05-01", "end": "2026-04-01"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"].endswith("end")
    assert client.get("/api/v1/warnings/performance", headers=auth_headers(officer),
                      params={"start": "yesterday"}).status_code == 422
    # Pages: the performance view (zh-CN) and the tracking fragment.
    page = client.get("/console/warnings/performance", headers=auth_headers(officer, "zh-CN"))
    assert page.status_code == 200, page.text
    assert "data-warning-performance-chart" in page.text and world.national.name_zh in page.text
    bad_page = client.get("/console/warnings/performance", headers=auth_headers(officer),
                          params={"start": "2026-13-01"})
    assert bad_page.status_code == 422 and "YYYY-MM-DD" in bad_page.text
    fragment = client.get(f"/console/warnings/{warning.id}/tracking",
                          headers=auth_headers(officer, "zh-CN"))
    assert fragment.status_code == 200 and 'data-milestone="first_signal"' in fragment.text
    assert client.get(f"/console/warnings/{warning.id}/tracking",
                      headers=auth_headers(other)).status_code == 404
