"""The expert workspace in a real Chromium: an expert opens an assigned assessment and votes;
their vote completes the majority and the assessment is concluded."""

from __future__ import annotations

from riskgate.assessment.enums import AssessmentStatus
from riskgate.assessment.models import RiskAssessment
from riskgate.experts import service
from riskgate.experts.enums import Vote
from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD

pytestmark = BROWSER_MARKS


def test_expert_votes_in_the_workspace(browser, live_server, committee, tmp_path):  # type: ignore[no-untyped-def]
    c = committee
    assessment = c.assessment()
    review = service.refer(c.db, c.secretary, assessment_id=assessment.id, panel_id=c.panel.id,
                           expert_ids=[c.experts[0].id, c.experts[1].id])
    service.cast_vote(c.db, c.actor(c.experts[1]), review.id, vote=Vote.unsafe,
                      rationale="小零件可被三岁以下儿童吞咽")
    c.db.commit()
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server}/login")
    page.fill("#username", c.experts[0].username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/console")
    page.click("a[href='/console/experts/workspace']")
    page.click(f"#pending-reviews a[href='/console/experts/workspace/{review.id}']")
    assert assessment.number in page.locator("h1").inner_text()
    # Without a rationale the browser's own check keeps the form; the server refuses it too.
    page.select_option("#vote", "unsafe")
    page.fill("#rationale", "积木小零件符合窒息风险判定条件")
    page.click("form[action$='/vote'] button[type=submit]")
    page.wait_for_selector("#my-vote")
    assert page.locator("#review-status").inner_text() == "已作出决定"
    assert "不安全" in page.locator("#review-decision").inner_text()
    page.screenshot(path=str(tmp_path / "workspace.png"), full_page=True)
    c.db.expire_all()
    assert c.db.get(RiskAssessment, assessment.id).status == AssessmentStatus.concluded
    page.goto(f"{live_server}/console/experts/workspace")
    assert page.locator("#pending-reviews").count() == 0
    assert problems == []
