"""The warning life cycle and its push, in a real Chromium against the live application
(issue 5, "done when"): a drafter writes a 通告 naming an enterprise; the enterprise comments; an
approver with the authority for the level approves and publishes; a subscriber receives the
e-mail (loopback SMTP) and the webhook (loopback HTTP, signature checked); the enterprise
acknowledges; the portal shows the warning and finds it by a Chinese word; its CAP validates
against the official schema; an adjustment and a lifting appear as follow-ups (and as CAP
Update and Cancel)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from riskgate.core.permissions import Role
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import EventStatus
from riskgate.outbox.models import OutboxEvent
from riskgate.warnings.models import PublicWarning, WarningDelivery
from riskgate.warnings.push import subscriptions
from tests.browser import BROWSER_MARKS, signed_in_page
from tests.factories import make_user
from tests.outbox.conftest import read, smtp, workers  # noqa: F401 — fixtures by name
from tests.servers import SmtpServer, WebhookReceiver
from tests.warnings.helpers import build_world
from tests.warnings.test_cap import assert_valid

pytestmark = BROWSER_MARKS

WORD = "邻苯二甲酸酯"
TITLE = "进口塑料玩具邻苯二甲酸酯超标"


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server


def _sign_in(browser, live_server, settings, username, problems):  # type: ignore[no-untyped-def]
    page = signed_in_page(browser, live_server, settings, username, problems=problems)
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _deliver_all(worker, reader) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + 30
    while time.monotonic() < end:
        worker.drain()
        if not reader(select(OutboxEvent.id).where(OutboxEvent.status == EventStatus.PENDING)):
            return
        time.sleep(0.05)
    raise AssertionError("outbox events still pending")


def _cap(page, url: str) -> bytes:  # type: ignore[no-untyped-def]
    """Fetch a CAP document with the page's session (a 通告 is not public)."""
    response = page.request.get(url)
    assert response.status == 200, (url, response.status)
    assert response.headers["content-type"].startswith("application/cap+xml")
    return response.body()


def test_warning_is_drafted_commented_published_pushed_acknowledged_and_lifted(
    browser, live_server, db, settings, smtp: SmtpServer,  # noqa: F811
    receiver: WebhookReceiver, workers, read, tmp_path,  # noqa: F811
):
    world = build_world(db, settings)
    # A regulator elsewhere subscribes to toys (HS 95) from China, by e-mail and by webhook.
    subscriber = make_user(db, settings, world.other, Role.RISK_OFFICER,
                           email="subscriber@amr.example.cn")
    actor = world.actor(subscriber)
    subscriptions.create_subscription(db, actor, {
        "name": "玩具 e-mail", "channel": "email", "hs_prefixes": ["95"], "countries": ["CN"]})
    endpoint, secret = outbox.create_webhook(db, actor, url=receiver.behave("/warnings"),
                                             description="AMR system", topics=["*"])
    receiver.secret = secret
    subscriptions.create_subscription(db, actor, {
        "name": "玩具 webhook", "channel": "webhook", "webhook_endpoint_id": endpoint.id,
        "hs_prefixes": ["95"]})
    db.commit()
    problems: list[str] = []

    # 1. The national risk officer drafts a 通告 naming the enterprise, opens the comment window.
    officer = _sign_in(browser, live_server, settings, world.officer.username, problems)
    officer.goto(f"{live_server}/console/warnings/new?lang=zh-CN")
    officer.select_option("#level", "III")
    officer.select_option("#warning_type", "notice")
    officer.fill("#title", TITLE)
    officer.fill("#summary", "抽检发现一批进口塑料玩具中邻苯二甲酸酯含量超过限量。")
    officer.fill("#hazard", "化学危害：邻苯二甲酸酯可能损害儿童生殖系统。")
    officer.check("input[name=measures][value=suspend_sales]")
    officer.select_option("#origin_countries", ["CN"])
    officer.fill("#products-0-name", "塑料洋娃娃")
    officer.fill("#products-0-hs_code", "950300")
    officer.click("#add-enterprise")
    officer.wait_for_selector("#enterprises-0-organisation_id")
    officer.select_option("#enterprises-0-organisation_id", str(world.enterprise.id))
    officer.select_option("#enterprises-0-role", "importer")
    officer.fill("#enterprise_instructions", "立即下架并召回相关批次。")
    officer.click("#warning-form button[type=submit]")
    officer.wait_for_selector("#comment-window-form")
    warning_url = officer.url.split("?")[0]
    warning_id = int(warning_url.rstrip("/").rsplit("/", 1)[1])
    officer.fill("#working_days", "3")
    officer.click("#comment-window-form button[type=submit]")
    officer.wait_for_selector("#warning-status[data-status=commenting]")

    # 2. The enterprise comments from its account.
    enterprise = _sign_in(browser, live_server, settings, world.ent_user.username, problems)
    enterprise.goto(f"{live_server}/console/warnings/{warning_id}?lang=zh-CN")
    enterprise.fill("#body", "我司已暂停销售该批次，并通知下游经销商。")
    enterprise.click("#comment-form button[type=submit]")
    enterprise.wait_for_selector("text=我司已暂停销售该批次")

    # 3. Submitted; a provincial approver may not issue... the national approver approves.
    officer.goto(warning_url)
    officer.click("#submit-form button[type=submit]")
    officer.wait_for_selector("#warning-status[data-status=in_review]")
    approver = _sign_in(browser, live_server, settings, world.approver.username, problems)
    approver.goto(f"{warning_url}?lang=zh-CN")
    approver.fill("#note", "同意发布")
    approver.click("#approve-form button[type=submit]")
    approver.wait_for_selector("#warning-status[data-status=approved]")
    approver.click("#publish-form button[type=submit]")
    approver.wait_for_selector("#warning-status[data-status=published]")
    (number,) = read(select(PublicWarning.number).where(PublicWarning.id == warning_id))

    # 4. The subscriber gets the e-mail and the signed webhook.
    _deliver_all(workers(smtp_port=smtp.port, smtp_host="127.0.0.1"), read)
    mails = [m for m in smtp.messages if "subscriber@amr.example.cn" in m.rcpt_tos
             and number in m.message["Subject"]]
    assert len(mails) == 1
    hooks = [d for d in receiver.deliveries if d.path == "/warnings"]
    assert len(hooks) == 1 and hooks[0].signature_ok
    document = json.loads(hooks[0].body)
    assert document["type"] == "warning.published"
    assert document["data"]["warning"]["number"] == number

    # 5. The enterprise acknowledges receipt (签收).
    enterprise.goto(f"{live_server}/console/warnings/received?lang=zh-CN")
    enterprise.fill("input[name=note]", "已收到，正在召回")
    enterprise.click("form[action$='/acknowledge'] button[type=submit]")
    enterprise.wait_for_selector(".dstate-acknowledged")
    acknowledged = read(select(WarningDelivery.acknowledged_at).where(
        WarningDelivery.warning_id == warning_id,
        WarningDelivery.organisation_id == world.enterprise.id))
    assert acknowledged and all(acknowledged)

    # 6. The portal shows it to those it is for and finds it by a Chinese word; the public
    #    does not see a 通告.
    enterprise.goto(f"{live_server}/warnings?q={WORD}&lang=zh-CN")
    enterprise.wait_for_selector(f"text={TITLE}")
    enterprise.click(f"text={TITLE}")
    enterprise.wait_for_selector("text=立即下架并召回相关批次")
    anonymous = httpx.get(f"{live_server}/warnings", params={"q": WORD})
    assert anonymous.status_code == 200 and TITLE not in anonymous.text

    # 7. CAP 1.2 validates; restricted scope for a 通告.
    root = assert_valid(_cap(enterprise, f"{live_server}/warnings/{warning_id}/cap.xml"))
    ns = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
    assert root.findtext("cap:msgType", namespaces=ns) == "Alert"
    assert root.findtext("cap:scope", namespaces=ns) == "Restricted"

    # 8. An adjustment and a lifting appear as follow-ups, and as CAP Update and Cancel.
    approver.goto(f"{warning_url}?lang=zh-CN")
    approver.click("#adjust summary")
    approver.fill("#adjust-reason", "同批次产品在更多口岸发现，升级为二级")
    approver.select_option("#adjust-level", "II")
    approver.click("#adjust-form button[type=submit]")
    approver.wait_for_selector("#warning-status[data-status=adjusted]")
    approver.click("#lift summary")
    approver.fill("#lift-form textarea[name=reason]", "召回完成，风险已消除")
    approver.fill("#lift-form textarea[name=evaluation]", "召回完成率100%，8周无新记录。")
    approver.click("#lift-form button[type=submit]")
    # Level II now: a second approver of the issuing authority confirms the lifting (R2).
    approver.wait_for_selector("#pending-change")
    second = _sign_in(browser, live_server, settings, world.approver2.username, problems)
    second.goto(f"{warning_url}?lang=zh-CN")
    second.click("#confirm-change-form button[type=submit]")
    second.wait_for_selector("#warning-status[data-status=lifted]")
    approver.goto(f"{warning_url}?lang=zh-CN")
    approver.wait_for_selector("#warning-status[data-status=lifted]")
    follow_ups = approver.inner_text("#follow-ups")
    assert "同批次产品在更多口岸发现" in follow_ups and "召回完成，风险已消除" in follow_ups
    follow_up_cap = f"{live_server}/warnings/{warning_id}/follow-ups/{{}}/cap.xml"
    update = assert_valid(_cap(enterprise, follow_up_cap.format(1)))
    assert update.findtext("cap:msgType", namespaces=ns) == "Update"
    cancel = assert_valid(_cap(enterprise, follow_up_cap.format(2)))
    assert cancel.findtext("cap:msgType", namespaces=ns) == "Cancel"
    assert cancel.findtext("cap:info/cap:responseType", namespaces=ns) == "AllClear"
    approver.screenshot(path=str(tmp_path / "warning-lifted.png"), full_page=True)
    assert problems == [], problems
