"""Rapid response and border control, against the live application with a real Chromium for
the port officer (issue 6, "done when"): a published level I warning opens a response case with
tasks for the right units (customs lead port control with the port customs cooperating; the
market regulator suspends sales); its control rule is live; a declaration line matching it is
routed red with the reason shown, while a certified enterprise's non-matching line goes green;
the officer records a failed inspection, which becomes a new risk record; the overdue task
escalates; a recall reaches 100 % and the effect evaluation proposes lifting; lifting the
warning retires the rule."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import select

from riskgate.border.declarations import service as declarations
from riskgate.border.enums import RuleStatus
from riskgate.border.models import ControlRule, InspectionResult
from riskgate.border.profiles import service as profiles
from riskgate.border.profiles.schemas import CreditGradeIn
from riskgate.border.rules import service as control_rules
from riskgate.evaluation.effect import service as evaluation
from riskgate.evaluation.enums import Recommendation
from riskgate.outbox.models import OutboxEvent
from riskgate.recalls.enums import RecallStatus
from riskgate.records.models import RiskRecord
from riskgate.response import jobs, tasks
from riskgate.response import service as response
from riskgate.response.enums import CaseStatus, TaskStatus
from riskgate.warnings.lifecycle import lifting
from tests.border.decl_world import CERTIFIED, declaration, line, safe_line
from tests.browser import BROWSER_MARKS, signed_in_page
from tests.factories import auth_headers, token_for
from tests.recalls.helpers import make_started, report
from tests.response.helpers import response_world
from tests.warnings.helpers import make_published_warning

pytestmark = BROWSER_MARKS


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def test_published_warning_drives_response_and_border_control_until_lifted(  # type: ignore[no-untyped-def]
    browser, live_server, db, settings, tmp_path
):
    world = response_world(db, settings)
    keeper = world.actor(world.supervisor)  # supervisors keep the risk profiles
    profiles.set_credit_grade(db, keeper, CreditGradeIn(
        enterprise_code=CERTIFIED, name="上海优信进出口有限公司", grade="certified"))

    # 1. A level I notice about toys from Viet Nam, naming the importer, is published.
    warning = make_published_warning(world, level="I", warning_type="notice", ports=[],
                                     origin_countries=["VN"])
    published = _aware(warning.published_at)

    # The case opened by the joint-disposal rules, with tasks for the right units.
    case = response.case_for_warning(db, warning.id)
    assert case is not None and case.status == CaseStatus.open
    plan = {(t.measure.value, t.organisation_id, t.unit_role.value)
            for t in response.tasks_of(db, case.id)}
    assert ("port_control", world.provincial.id, "lead") in plan
    assert ("port_control", world.city.id, "cooperating") in plan
    assert ("suspend_sales", world.market.id, "lead") in plan
    port_task = next(t for t in response.tasks_of(db, case.id)
                     if t.measure.value == "port_control" and t.unit_role.value == "lead")
    assert _aware(port_task.due_at) - published == dt.timedelta(hours=2)

    # 2. Its control rule is live.
    [rule] = db.scalars(select(ControlRule).where(ControlRule.warning_id == warning.id)).all()
    assert rule.status == RuleStatus.active
    assert rule.hs_prefixes == ["950300"] and rule.countries == ["VN"]
    assert rule.enterprise_codes == [world.enterprise.uscc]
    assert rule.id in {spec.id for spec in control_rules.live_rule_specs(db)[1]}

    # 3. Declarations at Yangshan through the API: the importer's toys go red with the rule as
    #    the reason; the certified enterprise's microwave ovens go green.
    declarations.invalidate_caches()
    headers = auth_headers(token_for(db, world.city_officer), "zh-CN")
    db.commit()
    # The line names the warning's product (brand, model, batch): the rule targets it (issue 13).
    matching = declaration([line(1, brand="星童", model="XT-01", batch="20261001")],
                           trader_code=world.enterprise.uscc,
                           trader_name=world.enterprise.name_zh)
    clean = declaration([safe_line(1)])
    with httpx.Client(base_url=live_server, headers=headers, timeout=30) as api:
        red = api.post("/api/v1/border/declarations", json=matching)
        assert red.status_code == 201, red.text
        green = api.post("/api/v1/border/declarations", json=clean)
        assert green.status_code == 201, green.text
    red_line = red.json()["lines"][0]
    assert red_line["lane"] == "red"
    reason = next(r for r in red_line["reasons"] if r["kind"] == "rule")
    assert rule.number in reason["text"]
    assert green.json()["lines"][0]["lane"] == "green"
    assert green.json()["credit_grade"] == "certified"

    # 4. The port officer opens the declaration, reads the reason and records a failed
    #    inspection; it becomes a new risk record.
    problems: list[str] = []
    page = signed_in_page(browser, live_server, settings, world.city_officer.username,
                          problems=problems)
    page.goto(f"{live_server}/console/border/declarations/{red.json()['id']}?lang=zh-CN")
    section = page.locator("#line-1")
    assert section.get_attribute("data-lane") == "red"
    assert rule.number in section.inner_text()
    line_id = red_line["id"]
    page.select_option(f"#outcome-{line_id}", "fail")
    page.fill(f"#findings-{line_id}", "小零件易脱落，存在窒息风险")
    section.locator("button[type=submit]").click()
    page.wait_for_selector("a.record-link")
    assert not problems, problems
    page.context.close()
    db.expire_all()
    result = db.scalars(select(InspectionResult).where(InspectionResult.line_id == line_id)).one()
    assert result.outcome.value == "fail" and result.record_id is not None
    record = db.get(RiskRecord, result.record_id)
    assert record is not None

    # 5. Nobody reported on port control within 2 hours: the task escalates to supervisors.
    jobs.run_deadlines(db, now=published + dt.timedelta(hours=3))
    db.refresh(port_task)
    assert port_task.escalated_at is not None
    # The lead unit is the provincial customs: its parent's (the head office's) supervisor is
    # told through the outbox.
    assert db.scalars(select(OutboxEvent).where(
        OutboxEvent.dedupe_key == f"response-escalate:{port_task.id}:{world.supervisor.id}:inbox")
    ).first() is not None

    # 6. Every unit reports its task done, with quantities.
    reporters = {world.provincial.id: world.prov_officer, world.city.id: world.city_officer,
                 world.market.id: world.market_officer, world.national.id: world.officer}
    for task in response.tasks_of(db, case.id):
        tasks.report(db, world.actor(reporters[task.organisation_id]), task.id,
                     body="已完成", progress_percent=100, quantities={"seized_units": 120},
                     root=tmp_path, max_bytes=1024 * 1024, max_files=5)
    assert {t.status for t in response.tasks_of(db, case.id)} == {TaskStatus.done}

    # 7. The importer's recall reaches 100 %; four weeks on, the evaluation proposes lifting.
    recall = make_started(world, warning_id=warning.id, units_affected=300)
    report(world, recall, 300)
    assert recall.status == RecallStatus.completed
    proposal = evaluation.evaluate_case(db, world.actor(world.officer), case.id,
                                        now=published + dt.timedelta(weeks=4, days=1))
    assert proposal.recommendation == Recommendation.lift, proposal.reasons

    # 8. Lifting the warning retires the rule and closes the case.
    # Level I: one approver requests, a second confirms (R2).
    lifting.lift(db, world.actor(world.approver), warning.id, "风险已消除",
                 "召回完成率100%，连续四周无新增风险信息")
    lifting.confirm(db, world.actor(world.approver2), warning.id)
    db.refresh(rule)
    assert rule.status == RuleStatus.retired
    assert rule.id not in {spec.id for spec in control_rules.live_rule_specs(db)[1]}
    db.refresh(case)
    assert case.status == CaseStatus.closed
