"""One network across agencies, on the demo data, with Chromium where pages are involved
(issue 13, "done when").

1. A complaint about an imported product sold in Shanghai reaches 上海海关 (12360); by the
   exchange agreement with 上海市市场监督管理局 both agencies see the same record, while
   广州海关 does not.
2. 上海海关 drafts a level-I 公告 naming the demo enterprise; it is routed to 海关总署: the
   上海海关 approver is offered no approval and reads where it waits; the 海关总署 approver
   finds it in the queue and approves it in Chromium.
3. The named enterprise gets the 公告 but not a 通报 published the same day.
4. A market-regulator task of the joint response case goes overdue: it reaches the supervisors
   (the 督查 page in Chromium and the inbox).
5. Lifting the level-I warning needs a second approver, and closes the open tasks with the
   reason "warning lifted" — never counted as done.
6. The public page shows no internal reference.

A second test times the loop's machine part (first record stored → signal → assessment
concluded → level I published → control rule live → first matching line routed red →
subscriber notified); `bench/bench_loop.py` runs the same path for bench/RESULTS.md.
"""

from __future__ import annotations

import datetime as dt
import re
import time

from sqlalchemy import select

from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.identity.auth_service import actor_for
from riskgate.identity.demo import DEMO_PASSWORD
from riskgate.identity.enums import OrgType
from riskgate.identity.models import Organisation, User
from riskgate.outbox.enums import EventStatus
from riskgate.outbox.models import OutboxEvent
from riskgate.records.models import RiskRecord
from riskgate.reports import service as reports
from riskgate.reports.enums import ReportRoute
from riskgate.reports.schemas import ComplaintIn
from riskgate.response import jobs
from riskgate.response import service as response
from riskgate.response.enums import TaskStatus
from riskgate.warnings.lifecycle import lifting
from riskgate.warnings.lifecycle import service as warnings
from riskgate.warnings.models import PublicWarning, WarningDelivery
from tests.browser import BROWSER_MARKS, signed_in_page
from tests.factories import auth_headers, token_for
from tests.outbox.conftest import read, smtp, workers  # noqa: F401 — fixtures
from tests.scenarios.loop_timing import demo_world, time_the_loop
from tests.servers import SmtpServer
from tests.warnings.helpers import warning_input

pytestmark = BROWSER_MARKS

INTERNAL = re.compile(r"RR-\d{4}-\d+|TS-\d+|专家|\(majority\)|unsafe \d")


def _user(db, username: str) -> User:  # type: ignore[no-untyped-def]
    return db.execute(select(User).where(User.username == username)).unique().scalar_one()


def _org(db, code: str) -> Organisation:  # type: ignore[no-untyped-def]
    return db.execute(select(Organisation).where(Organisation.code == code)).scalar_one()


def _drain(worker, reader, deadline: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    """Deliver what is due (the in-app inbox among it) until nothing is pending."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        worker.drain()
        if not reader(select(OutboxEvent.id).where(OutboxEvent.status == EventStatus.PENDING)):
            return
        time.sleep(0.05)
    raise AssertionError("events still pending")


def test_agencies_act_on_one_picture(  # type: ignore[no-untyped-def]
        browser, live_server, client, db, settings, smtp: SmtpServer, workers, read):  # noqa: F811
    demo_world(db, settings)
    worker = workers(smtp_port=smtp.port, smtp_host="127.0.0.1")

    def actor(username: str):  # type: ignore[no-untyped-def]
        return actor_for(_user(db, username), "zh-CN")

    # --- 1. A complaint about a product sold in Shanghai: one record, two agencies. ---------
    submitted = reports.submit_complaint(
        db, Actor.anonymous("zh-CN"), settings,
        ComplaintIn(route=ReportRoute.border, product_name="进口儿童电动滑板车",
                    brand="Zoomi", region_code="310115", origin_country="VN",
                    purchase_place="上海市浦东新区某商场",
                    description="电池在充电时起火，孩子手部烫伤。"),
        language="zh-CN")
    db.commit()
    record = db.execute(select(RiskRecord).where(
        RiskRecord.record_number == submitted.record_number)).scalar_one()
    assert submitted.organisation.code == "CUS2200"  # 上海海关 receives 12360 for Shanghai
    tokens = {name: token_for(db, _user(db, name)) for name in
              ("officer", "amrofficer", "gzofficer")}
    db.commit()
    seen = {name: client.get(f"/api/v1/records/{record.id}",
                             headers=auth_headers(token, "zh-CN")).status_code
            for name, token in tokens.items()}
    assert seen == {"officer": 200, "amrofficer": 200, "gzofficer": 404}, seen

    # --- 2. A level-I 公告 drafted in 上海海关 is routed to 海关总署. -------------------------
    enterprise = _user(db, "enterprise")
    draft = warnings.create_warning(db, actor("officer"), warning_input(
        None, level="I", warning_type="announcement", regions=["310000"],
        enterprises=[{"organisation_id": enterprise.organisation_id, "role": "importer"}]))
    warnings.submit_for_review(db, actor("officer"), draft.id)
    db.commit()
    assert draft.routed_organisation_id == _org(db, "GACC").id

    local = signed_in_page(browser, live_server, settings, "approver", password=DEMO_PASSWORD)
    local.goto(f"{live_server}/console/warnings/{draft.id}")
    assert "须报海关总署签发" in local.inner_text("main")
    assert local.locator("form[action$='/approve'] button:not([disabled])").count() == 0
    local.context.close()

    national = signed_in_page(browser, live_server, settings, "gacc_approver",
                              password=DEMO_PASSWORD)
    national.goto(f"{live_server}/console/warnings?status=in_review&approvable=true")
    national.click(f"a:has-text('{draft.number}')")
    with national.expect_navigation():
        national.click("form[action$='/approve'] button")
    assert "预警已批准" in national.inner_text("main")
    national.context.close()
    db.commit()  # a new transaction: see what the pages wrote
    db.expire_all()
    assert db.get(PublicWarning, draft.id).status.value == "approved"
    announcement = warnings.publish(db, actor("gacc_approver"), draft.id)
    db.commit()

    # --- 3. The same day, a 通报 of 上海海关 naming the same enterprise. ---------------------
    bulletin = warnings.create_warning(db, actor("officer"), warning_input(
        None, level="III", warning_type="bulletin",
        enterprises=[{"organisation_id": enterprise.organisation_id, "role": "importer"}]))
    warnings.submit_for_review(db, actor("officer"), bulletin.id)
    warnings.approve(db, actor("approver"), bulletin.id)
    warnings.publish(db, actor("approver"), bulletin.id)
    db.commit()
    reached = set(db.scalars(select(WarningDelivery.warning_id).where(
        WarningDelivery.organisation_id == enterprise.organisation_id)))
    assert announcement.id in reached and bulletin.id not in reached

    # --- 4. A market-regulator task of the joint case goes overdue and reaches a supervisor. -
    case = response.case_for_warning(db, announcement.id)
    assert case is not None
    market = [t for t in response.tasks_of(db, case.id)
              if db.get(Organisation, t.organisation_id).org_type == OrgType.MARKET_REGULATOR]
    assert market, "the joint case has no market-regulator task"
    # Time passes: the deadline of the market regulator's first task is three hours gone.
    late = market[0]
    late.due_at = utcnow() - dt.timedelta(hours=3)
    db.commit()
    jobs.run_deadlines(db)
    db.commit()
    _drain(worker, read)
    for username in ("supervisor", "samr_supervisor"):
        page = signed_in_page(browser, live_server, settings, username,
                              password=DEMO_PASSWORD)
        page.goto(f"{live_server}/console/response/overdue")
        overdue = page.inner_text("main")
        page.goto(f"{live_server}/console/inbox")
        inbox = page.inner_text("main")
        page.context.close()
        if case.number in overdue and case.number in inbox:
            break
    else:
        raise AssertionError("no supervisor sees the overdue market-regulator task")

    # --- 5. Lifting needs a second approver and closes the open tasks with the reason. ------
    first, second = actor("gacc_approver"), actor("gacc_approver2")
    assert lifting.lift(db, first, announcement.id, "风险已消除", "召回完成",
                        against_reason="场景：评估尚未提出建议") == lifting.REQUESTED
    db.commit()
    assert db.get(PublicWarning, announcement.id).status.value != "lifted"
    lifting.confirm(db, second, announcement.id)
    db.commit()
    db.commit()  # a new transaction: see what the pages wrote
    db.expire_all()
    assert db.get(PublicWarning, announcement.id).status.value == "lifted"
    ended = response.tasks_of(db, case.id)
    closed = [t for t in ended if t.status == TaskStatus.closed]
    assert closed and all(t.closed_reason == response.LIFTED_REASON for t in closed)
    figures = response.task_figures(db, [case.id])[case.id]
    assert figures["closed"] == len(closed) and figures["done"] + figures["closed"] <= len(ended)

    # --- 6. The public page shows no internal reference. -------------------------------------
    public = client.get(f"/warnings/{announcement.id}")
    assert public.status_code == 200
    assert not INTERNAL.search(public.text), INTERNAL.search(public.text)
    assert "海关总署" in public.text


def test_the_loops_machine_part(db, settings):  # type: ignore[no-untyped-def]
    demo_world(db, settings)
    timings = time_the_loop(db, settings, started=utcnow())
    print("\n".join(f"{step}: {seconds:.3f} s" for step, seconds in timings.items()))
    assert list(timings) == ["record stored", "signal raised", "assessment concluded",
                             "level I published", "control rule live",
                             "first matching line red", "subscriber notified"]
