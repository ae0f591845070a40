"""Ending a declared conflict, closing reviews of withdrawn assessments, and the console actions
that were API-only: edit a panel, edit a meeting's agenda, cancel a meeting, withdraw an
assignment, end a conflict."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from riskgate.assessment import service as assessments
from riskgate.audit.models import AuditEntry
from riskgate.core.errors import Conflict, NotFound, ValidationFailed
from riskgate.experts import meetings, panels, service
from riskgate.experts.enums import AssignmentStatus, ConflictKind, MeetingStatus, ReviewStatus
from riskgate.experts.models import ExpertConflict
from tests.experts.conftest import TOY_MAKER
from tests.factories import sign_in


@pytest.fixture
def page(app):  # type: ignore[no-untyped-def]
    """A client that asks for HTML like a browser."""
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://testserver", headers={"Accept": "text/html"}) as c:
        yield c


def _conflict(c, expert):  # type: ignore[no-untyped-def]
    return service.declare_conflict(c.db, c.actor(expert), expert.id, {
        "kind": ConflictKind.enterprise, "enterprise_uscc": TOY_MAKER})


def test_ended_conflict_no_longer_blocks_and_is_audited(committee):
    c = committee
    expert = c.experts[2]
    conflict = _conflict(c, expert)
    assessment = c.assessment(enterprise_uscc=TOY_MAKER)
    with pytest.raises(Conflict):
        service.refer(c.db, c.secretary, assessment_id=assessment.id, panel_id=c.panel.id,
                      expert_ids=[expert.id])
    with pytest.raises(ValidationFailed):
        panels.end_conflict(c.db, c.actor(expert), expert.id, conflict.id, reason="  ")
    with pytest.raises(ValidationFailed):
        panels.end_conflict(c.db, c.actor(expert), expert.id, conflict.id, reason="x",
                            ended_on=dt.date.today() + dt.timedelta(days=3))
    # Another expert cannot end it; another organisation's officer cannot see it.
    with pytest.raises(NotFound):
        panels.end_conflict(c.db, c.actor(c.experts[0]), c.experts[0].id, conflict.id,
                            reason="x")
    with pytest.raises(NotFound):
        panels.end_conflict(c.db, c.actor(c.other_officer), expert.id, conflict.id, reason="x")
    panels.end_conflict(c.db, c.secretary, expert.id, conflict.id, reason="已离职")
    assert conflict.ended_on == dt.date.today() and conflict.ended_by == c.officer.username
    with pytest.raises(Conflict):
        panels.end_conflict(c.db, c.actor(expert), expert.id, conflict.id, reason="again")
    later = c.assessment(enterprise_uscc=TOY_MAKER)  # (the refused referral was not rolled back)
    review = service.refer(c.db, c.secretary, assessment_id=later.id, panel_id=c.panel.id,
                           expert_ids=[expert.id])
    assert [a.user_id for a in service.active_assignments(review)] == [expert.id]
    entry = c.db.execute(select(AuditEntry).where(
        AuditEntry.action == "experts.conflict_ended")).scalar_one()
    assert entry.reason == "已离职" and str(entry.object_id) == str(conflict.id)


def test_withdrawn_assessment_closes_its_review(committee):
    c = committee
    assessment = c.assessment()
    review = service.refer(c.db, c.secretary, assessment_id=assessment.id, panel_id=c.panel.id,
                           expert_ids=[c.experts[0].id])
    assessments.withdraw(c.db, c.secretary, assessment.id, reason="重复立项")
    c.db.flush()
    # Withdrawing the assessment closed the review at once, audited once.
    assert review.status == ReviewStatus.closed
    assert service.my_review(c.db, c.actor(c.experts[0]), review.id).status == ReviewStatus.closed
    assert service.get_review(c.db, c.secretary, review.id).status == ReviewStatus.closed
    entries = c.db.execute(select(AuditEntry).where(
        AuditEntry.action == "experts.review_closed")).scalars().all()
    assert len(entries) == 1 and entries[0].reason == "assessment withdrawn"
    with pytest.raises(Conflict):
        service.cast_vote(c.db, c.actor(c.experts[0]), review.id, vote="safe", rationale="x")
    with pytest.raises(Conflict):
        service.assign_expert(c.db, c.secretary, review.id, c.experts[1].id)
    assert c.db.execute(service.my_reviews_statement(c.actor(c.experts[0]))).all() == []


def test_withdrawing_closes_only_that_assessments_reviews(committee):
    c = committee
    assessment = c.assessment()
    review = service.refer(c.db, c.secretary, assessment_id=assessment.id, panel_id=c.panel.id,
                           expert_ids=[])
    other = service.refer(c.db, c.secretary, assessment_id=c.assessment().id,
                          panel_id=c.panel.id, expert_ids=[])
    assessments.withdraw(c.db, c.secretary, assessment.id, reason="x")
    assert review.status == ReviewStatus.closed and other.status == ReviewStatus.open
    assert service.close_reviews_of_withdrawn(c.db, c.secretary) == 0  # nothing left to close


def test_console_actions(page, committee):
    c = committee
    review = service.refer(c.db, c.secretary, assessment_id=c.assessment().id,
                           panel_id=c.panel.id, expert_ids=[e.id for e in c.experts[:2]])
    meeting = meetings.create_meeting(c.db, c.secretary, title="Q4", panel_id=c.panel.id,
                                      scheduled_at=dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC))
    conflict = _conflict(c, c.experts[2])
    c.db.commit()
    csrf = sign_in(page, c.officer.username)
    # Edit the panel.
    url = f"/console/experts/panels/{c.panel.id}"
    assert f'action="{url}"' in page.get(url).text
    bad = page.post(url, data={"csrf_token": csrf, "name_zh": "玩具组", "field": "toys_children",
                               "decision_rule": "majority", "quorum": "0"})
    assert bad.status_code == 422
    done = page.post(url, data={"csrf_token": csrf, "name_zh": "玩具组", "field": "toys_children",
                                "decision_rule": "consensus", "quorum": "3", "active": "1",
                                "hs_chapters": "95 39", "reason": "调整"},
                     follow_redirects=False)
    assert done.status_code == 303, done.text
    c.db.commit()
    c.db.refresh(c.panel)
    assert c.panel.name_zh == "玩具组" and c.panel.quorum == 3
    assert c.panel.hs_chapters == ["39", "95"] and c.panel.decision_rule.value == "consensus"
    # End a member's conflict from the panel page.
    end = f"{url}/members/{c.experts[2].id}/conflicts/{conflict.id}/end"
    assert page.post(end, data={"csrf_token": csrf, "reason": ""}).status_code == 422
    assert page.post(end, data={"csrf_token": csrf, "reason": "不再任职"},
                     follow_redirects=False).status_code == 303
    c.db.commit()
    c.db.refresh(conflict)
    assert conflict.end_reason == "不再任职"
    # Take an expert off the review.
    withdraw = f"/console/experts/reviews/{review.id}/withdraw"
    assert 'action="' + withdraw in page.get("/console/experts").text
    assert page.post(withdraw, data={"csrf_token": csrf, "user_id": str(c.experts[1].id),
                                     "reason": ""}).status_code == 422
    assert page.post(withdraw, data={"csrf_token": csrf, "user_id": str(c.experts[1].id),
                                     "reason": "回避"}, follow_redirects=False).status_code == 303
    c.db.commit()
    c.db.refresh(review)
    status = {a.user_id: a.status for a in review.assignments}
    assert status[c.experts[1].id] == AssignmentStatus.withdrawn
    # Edit the agenda: remove the item, then add the review back.
    murl = f"/console/experts/meetings/{meeting.id}"
    text = page.get(murl).text
    assert f'action="{murl}/agenda"' in text and f'action="{murl}/cancel"' in text
    item_id = meeting.agenda[0].id
    assert page.post(f"{murl}/agenda", data={"csrf_token": csrf, "add": "999999"}
                     ).status_code == 422
    assert page.post(f"{murl}/agenda", data={"csrf_token": csrf, "remove": str(item_id)},
                     follow_redirects=False).status_code == 303
    c.db.commit()
    c.db.refresh(meeting)
    assert meeting.agenda == []
    assert page.post(f"{murl}/agenda", data={"csrf_token": csrf, "add": str(review.id)},
                     follow_redirects=False).status_code == 303
    c.db.commit()
    c.db.refresh(meeting)
    assert [i.review_id for i in meeting.agenda] == [review.id]
    # Cancel the meeting.
    assert page.post(f"{murl}/cancel", data={"csrf_token": csrf, "reason": ""}
                     ).status_code == 422
    assert page.post(f"{murl}/cancel", data={"csrf_token": csrf, "reason": "改期"},
                     follow_redirects=False).status_code == 303
    c.db.commit()
    c.db.refresh(meeting)
    assert meeting.status == MeetingStatus.cancelled


def test_expert_ends_own_conflict_in_workspace(page, committee):
    c = committee
    expert = c.experts[2]
    conflict = _conflict(c, expert)
    c.db.commit()
    csrf = sign_in(page, expert.username)
    assert f"/console/experts/conflicts/{conflict.id}/end" in page.get(
        "/console/experts/workspace").text
    url = f"/console/experts/conflicts/{conflict.id}/end"
    assert page.post(url, data={"csrf_token": csrf, "reason": "x", "ended_on": "1999-01-01"}
                     ).status_code == 422
    assert page.post(url, data={"csrf_token": csrf, "reason": "合同终止"},
                     follow_redirects=False).status_code == 303
    ended = c.db.get(ExpertConflict, conflict.id)
    c.db.commit()
    c.db.refresh(ended)
    assert ended.ended_on == dt.date.today()
    assert url not in page.get("/console/experts/workspace").text  # no end form any more


def test_end_conflict_api(client, committee):
    from tests.factories import auth_headers, token_for

    c = committee
    conflict = _conflict(c, c.experts[2])
    raw = token_for(c.db, c.experts[2])
    c.db.commit()
    headers = auth_headers(raw)
    url = f"/api/v1/experts/me/conflicts/{conflict.id}/end"
    assert client.post(url, json={}, headers=headers).status_code == 422
    response = client.post(url, json={"reason": "离职"}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["ended_on"] == dt.date.today().isoformat()
    assert client.post(url, json={"reason": "again"}, headers=headers).status_code == 409
