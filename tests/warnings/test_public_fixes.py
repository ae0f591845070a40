"""The public side's defects (issue 13): the portal page labels the publication time and shows
the issuing authority; the effective date matches the original's; CAP's senderName is the
issuing authority; the permalink form of the CAP address answers (or 404s, never 422); links in
feeds use the request's origin unless RISKGATE_BASE_URL is set; the warning drafted from a
committee's decision has a clean public summary and the officer as its drafter."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from riskgate.assessment import service as assessments
from riskgate.assessment.enums import Conclusion
from riskgate.core.permissions import Role
from riskgate.signals import triage
from riskgate.signals.enums import SignalStatus
from riskgate.signals.models import Signal, SignalRecord
from riskgate.warnings.lifecycle import service
from riskgate.warnings.lifecycle.from_assessment import public_summary
from riskgate.warnings.publication import origin
from tests.assessment.conftest import MEDIUM
from tests.factories import make_user, settings_for
from tests.warnings.helpers import build_world, warning_input
from tests.warnings.test_tracking import fatal_records

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    built = build_world(db, settings)
    return built


def _routed_level_one(world):  # type: ignore[no-untyped-def]
    """A level I 公告 drafted by the provincial customs, issued by the national head office."""
    officer = world.actor(world.prov_officer)
    draft = service.create_warning(world.db, officer, warning_input(world, level="I"))
    service.submit_for_review(world.db, officer, draft.id)
    service.approve(world.db, world.actor(world.approver), draft.id)
    service.publish(world.db, world.actor(world.approver), draft.id)
    world.db.commit()
    return draft


def test_portal_page_labels_and_issuer(client, world):  # type: ignore[no-untyped-def]
    warning = _routed_level_one(world)
    page = client.get(f"/warnings/{warning.id}-{warning.number}",
                      headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert "发布时间" in page.text and "是否公开" not in page.text
    issuer = page.text.split('id="warning-issuer">', 1)[1].split("<", 1)[0]
    assert issuer == world.national.name_zh  # not the drafting 上海海关
    assert warning.original["effective_from"] == warning.effective_from.isoformat()


def test_cap_sender_name_is_the_issuing_authority(client, world):  # type: ignore[no-untyped-def]
    warning = _routed_level_one(world)
    response = client.get(f"/warnings/{warning.id}/cap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    names = [e.text for e in root.iter(f"{CAP}senderName")]
    assert names and set(names) <= {world.national.name_zh, world.national.name_en}
    assert world.provincial.name_zh not in names
    # The permalink form answers too; a wrong number is a 404 problem, never a 422.
    slug = client.get(f"/warnings/{warning.id}-{warning.number}/cap.xml")
    assert slug.status_code == 200 and slug.content == response.content
    wrong = client.get(f"/warnings/{warning.id}-RW-1999-0001/cap.xml")
    assert wrong.status_code == 404
    assert client.get("/warnings/999999-RW-2026-0013/cap.xml").status_code == 404


def test_feed_links_use_the_request_origin(client, world, database_url):  # type: ignore[no-untyped-def]
    _routed_level_one(world)
    feed = client.get("/warnings/feed.atom")
    # Addresses follow the request; identifiers (tag: ids, category schemes) stay stable.
    assert 'href="http://testserver/warnings/' in feed.text
    assert 'href="http://127.0.0.1:8000' not in feed.text
    assert origin.configured(settings_for(database_url, base_url="https://riskgate.example.cn"))
    assert not origin.configured(settings_for(database_url))


def test_public_summary_names_product_hazard_and_measures():
    text = public_summary("电热水壶", "物理危害", "漏电可致触电", ["暂停销售", "缺陷召回"])
    assert text == "电热水壶存在物理危害风险。漏电可致触电。采取措施：暂停销售、缺陷召回。"


def test_a_committee_decision_drafts_a_clean_warning_in_the_officers_name(world):  # type: ignore[no-untyped-def]
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
    assessments.submit_to_committee(db, officer, assessment_id)
    expert = make_user(db, world.settings, world.national, Role.EXPERT, username="wu_expert_13")
    assessments.record_committee_decision(
        db, world.actor(expert), assessment_id, decision=Conclusion.unsafe,
        rationale="委员会决定(majority): unsafe 2 - 吴专家: 漏电风险高", meeting_id=None)
    (draft,) = service.warnings_for_assessment(db, assessment_id)
    assert draft.created_by == world.officer.username
    assert draft.created_by_user_id == world.officer.id
    summary = draft.summary or ""
    assert "majority" not in summary and "吴专家" not in summary and "unsafe" not in summary
    assert summary.startswith(("电", "相关产品"))
