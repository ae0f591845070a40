"""Links only to what the reader may open: a pushed warning's 打开 leads an enterprise to its own
acknowledgement page and a regulator to the warning's page; the inbox shows 打开 only for pages
the reader may open (a 通报 left in an enterprise's inbox by the old push, an operator's page),
and every 打开 an enterprise sees answers 200 — through the test client and in Chromium."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from riskgate.demo import load_demo_data
from riskgate.identity.demo import DEMO_PASSWORD
from riskgate.identity.models import User
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import EventStatus
from riskgate.outbox.models import InboxMessage, OutboxEvent
from riskgate.warnings.models import PublicWarning, WarningDelivery
from riskgate.warnings.push import subscriptions
from riskgate.warnings.push.service import message_link
from tests.browser import BROWSER_MARKS, signed_in_page
from tests.factories import form_sign_in, sign_in
from tests.outbox.conftest import read, smtp, workers  # noqa: F401 — fixtures
from tests.servers import SmtpServer
from tests.warnings.helpers import build_world, make_published_warning

OPEN = re.compile(r'<a href="([^"]+)" class="message-open">')


def _drain(worker, reader, deadline: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        worker.drain()
        if not reader(select(OutboxEvent.id).where(OutboxEvent.status == EventStatus.PENDING)):
            return
        time.sleep(0.05)
    raise AssertionError("events still pending")


@pytest.fixture
def inbox_world(db, settings, smtp: SmtpServer, workers, read):  # type: ignore[no-untyped-def]  # noqa: F811
    """An enterprise told of a 通告 naming it and of a 公告 it subscribed to; and, as the old push
    and a careless sender left them, messages linking a 通报's page and the outbox."""
    world = build_world(db, settings)
    subscriptions.create_subscription(db, world.actor(world.ent_user),
                                      {"name": "all", "channel": "inbox"})
    subscriptions.create_subscription(db, world.actor(world.other_officer),
                                      {"name": "all", "channel": "inbox"})
    notice = make_published_warning(world, warning_type="notice")
    announcement = make_published_warning(world, enterprises=[])
    bulletin = make_published_warning(world, warning_type="bulletin")
    for link in (f"/console/warnings/{bulletin.id}", "/console/outbox/1"):
        outbox.notify_user(db, world.ent_user, topic="test.legacy", subject="Old message",
                           body="A message from before", link=link)
    db.commit()
    _drain(workers(smtp_port=smtp.port, smtp_host="127.0.0.1"), read)
    return world, notice, announcement, bulletin


def test_message_links_by_audience(db, settings):  # type: ignore[no-untyped-def]
    world = build_world(db, settings)
    warning = make_published_warning(world)
    assert message_link(warning, "enterprise") == \
        f"/console/warnings/received?warning={warning.id}"
    assert message_link(warning, "foreign_enterprise").startswith("/console/warnings/received")
    assert message_link(warning, "market_regulator") == f"/console/warnings/{warning.id}"


def test_every_open_link_of_the_enterprise_inbox_answers(client, inbox_world, read):  # noqa: F811
    world, notice, announcement, bulletin = inbox_world
    links = read(select(InboxMessage.link).where(InboxMessage.user_id == world.ent_user.id,
                                                 InboxMessage.topic.like("warning.%")))
    assert sorted(links) == sorted(f"/console/warnings/received?warning={w.id}"
                                   for w in (notice, announcement))
    sign_in(client, world.ent_user.username)
    html = client.get("/console/inbox").text
    found = OPEN.findall(html)
    # The 通告 and the 公告 (and the welcome message's /console); not the 通报 nor the outbox.
    assert {link for link in found if "warning" in link} == {
        f"/console/warnings/received?warning={w.id}" for w in (notice, announcement)}
    for link in found:
        answer = client.get(link.replace("&amp;", "&"))
        assert answer.status_code == 200, (link, answer.status_code)
    assert f"/console/warnings/{bulletin.id}" not in html and "/console/outbox/1" not in html
    assert html.count("Old message") == 2  # the messages stay, without their link
    # The regulator's message opens the warning's console page.
    regulator = client.__class__(client.app)
    sign_in(regulator, world.other_officer.username)
    assert set(OPEN.findall(regulator.get("/console/inbox").text)) - {"/console"} == {
        f"/console/warnings/{w.id}" for w in (notice, announcement, bulletin)}


@BROWSER_MARKS[0]
@BROWSER_MARKS[1]
def test_in_chromium_every_open_link_answers_200(browser, live_server, settings,  # type: ignore[no-untyped-def]
                                                 inbox_world):
    world = inbox_world[0]
    problems: list[str] = []
    page = signed_in_page(browser, live_server, settings, world.ent_user.username,
                          problems=problems)
    page.goto(f"{live_server}/console/inbox")
    links = page.eval_on_selector_all("a.message-open", "els => els.map(e => e.href)")
    assert len([link for link in links if "/console/warnings/received" in link]) == 2, links
    for link in links:
        answer = page.goto(link)
        assert answer is not None and answer.status == 200, (link, answer and answer.status)
    assert not problems, problems


def test_the_demo_enterprise_gets_no_bulletin_and_opens_every_link(  # noqa: F811
        client, db, settings, smtp: SmtpServer, workers, read):  # noqa: F811
    """The walk's defect on the demo data: the demo 通报 reached the enterprise, which opened a
    404. Now it does not reach it, and every 打开 in its inbox answers."""
    load_demo_data(db, settings)
    db.commit()
    _drain(workers(smtp_port=smtp.port, smtp_host="127.0.0.1"), read)
    enterprise = read(select(User).where(User.username == "enterprise"))[0]
    pushed = read(select(PublicWarning.warning_type).join(
        WarningDelivery, WarningDelivery.warning_id == PublicWarning.id).where(
        WarningDelivery.organisation_id == enterprise.organisation_id))
    assert pushed and "bulletin" not in {str(getattr(t, "value", t)) for t in pushed}
    form_sign_in(client, "enterprise", DEMO_PASSWORD)
    found = OPEN.findall(client.get("/console/inbox").text)
    assert found
    for link in found:
        answer = client.get(link.replace("&amp;", "&"))
        assert answer.status_code == 200, (link, answer.status_code)
