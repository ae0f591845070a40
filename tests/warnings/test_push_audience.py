"""Audiences that hold (W2): a 通报 reaches regulators only on every path — subscription match,
named enterprise, follow-ups, reminders, escalation, e-mail, webhook, inbox — a 通告 the named
enterprises and regulators, a 公告 anyone; an enterprise's 通报 subscription is refused when it
is made. One test per path, with a real enterprise and regulators built through the services.

"Legacy" deliveries are what the defect left behind (a 通报 pushed to an enterprise before the
rule held): written as rows, as the old push wrote them, to show that nothing follows them up.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from riskgate.catalog.enums import WarningType
from riskgate.core.db import utcnow
from riskgate.core.errors import NotFound, ValidationFailed
from riskgate.identity import service as identity
from riskgate.identity.enums import OrgType
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import Channel, EventStatus
from riskgate.outbox.models import InboxMessage, OutboxEvent
from riskgate.warnings.enums import DeliveryReason, DeliveryState, PushChannel
from riskgate.warnings.lifecycle import service as lifecycle
from riskgate.warnings.models import WarningDelivery
from riskgate.warnings.push import acknowledgement, subscriptions
from riskgate.warnings.push.audience import (
    is_regulator,
    may_receive,
    may_subscribe_to,
    subscribable_types,
)
from riskgate.warnings.push.subscriptions import matching_subscriptions
from tests.factories import SYSTEM, auth_headers, sign_in, token_for
from tests.outbox.conftest import read, smtp, workers  # noqa: F401 — fixtures
from tests.servers import SmtpServer, WebhookReceiver
from tests.warnings.helpers import adjust, build_world, lift, make_published_warning

ENTERPRISES = [t for t in OrgType if t.is_enterprise]
REGULATORS = [t for t in OrgType if not t.is_enterprise]


# --- The rule (pure) -------------------------------------------------------------------------


@given(org_type=st.sampled_from(list(OrgType)), named=st.booleans())
def test_the_rule_for_every_organisation_type(org_type: OrgType, named: bool) -> None:
    regulator = not org_type.is_enterprise
    assert is_regulator(org_type) == is_regulator(org_type.value) == regulator
    assert may_receive(WarningType.bulletin, org_type, named=named) == regulator
    assert may_receive(WarningType.notice, org_type, named=named) == (regulator or named)
    assert may_receive(WarningType.announcement, org_type, named=named)
    assert may_receive("announcement", None)  # the public
    assert may_subscribe_to(WarningType.bulletin, org_type) == regulator
    assert (WarningType.bulletin in subscribable_types(org_type)) == regulator


@given(kind=st.text(max_size=12), org_type=st.one_of(st.none(), st.text(max_size=20)),
       named=st.booleans())
def test_unknown_values_fail_closed(kind: str, org_type: str | None, named: bool) -> None:
    if kind not in {t.value for t in WarningType}:
        assert not may_receive(kind, org_type, named=named)
    if org_type not in {t.value for t in OrgType}:
        assert not may_receive(WarningType.bulletin, org_type, named=named)


# --- The world -------------------------------------------------------------------------------


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    built = build_world(db, settings)
    identity.update_organisation(db, SYSTEM, built.enterprise.id,
                                 {"contact_email": "office@xingtong.example.cn"}, "联系邮箱")
    return built


def subscribe(world, user, **fields):  # type: ignore[no-untyped-def]
    return subscriptions.create_subscription(world.db, world.actor(user),
                                             {"name": "s", "channel": "inbox", **fields})


def deliveries(world, warning, follow_up_id=None) -> dict[str, WarningDelivery]:  # type: ignore[no-untyped-def]
    stmt = select(WarningDelivery).where(WarningDelivery.warning_id == warning.id)
    stmt = stmt.where(WarningDelivery.follow_up_id.is_(None) if follow_up_id is None
                      else WarningDelivery.follow_up_id == follow_up_id)
    return {d.recipient_key: d for d in world.db.execute(stmt).scalars()}


def enterprise_ids(world) -> set[int]:  # type: ignore[no-untyped-def]
    return {world.enterprise.id, world.enterprise2.id}


def legacy_delivery(world, warning, organisation_id, *, key, subscription_id=None,  # type: ignore[no-untyped-def]
                    deadline=None):
    """A delivery as the push wrote it before the rule held."""
    row = WarningDelivery(
        warning_id=warning.id, recipient_key=key, subscription_id=subscription_id,
        reason=DeliveryReason.subscription if subscription_id else DeliveryReason.named_enterprise,
        organisation_id=organisation_id, channel=PushChannel.inbox, state=DeliveryState.pending,
        created_at=utcnow() - dt.timedelta(hours=1), ack_deadline=deadline)
    world.db.add(row)
    world.db.flush()
    return row


# --- One test per path -----------------------------------------------------------------------


def test_path_subscription_match(world):
    regulator = subscribe(world, world.other_officer)
    named_enterprise = subscribe(world, world.ent_user)
    other_enterprise = subscribe(world, world.ent2_user)
    bulletin = make_published_warning(world, warning_type="bulletin")
    assert {m.id for m in matching_subscriptions(world.db, bulletin)} == {regulator.id}
    assert f"sub:{named_enterprise.id}" not in deliveries(world, bulletin)
    notice = make_published_warning(world, warning_type="notice")
    assert {m.id for m in matching_subscriptions(world.db, notice)} == {regulator.id,
                                                                      named_enterprise.id}
    announcement = make_published_warning(world)
    assert {m.id for m in matching_subscriptions(world.db, announcement)} == {
        regulator.id, named_enterprise.id, other_enterprise.id}


def test_path_named_enterprise(world):
    bulletin = make_published_warning(world, warning_type="bulletin")  # names world.enterprise
    assert deliveries(world, bulletin) == {}
    assert {d.organisation_id for d in deliveries(world, make_published_warning(
        world, warning_type="notice")).values()} == {world.enterprise.id}


def test_path_follow_ups(world):
    regulator = subscribe(world, world.prov_officer)
    enterprise_sub = subscribe(world, world.ent_user)
    bulletin = make_published_warning(world, warning_type="bulletin")
    # What the defect left: the enterprise was told of the original, by name and subscription.
    legacy_delivery(world, bulletin, world.enterprise.id, key=f"org:{world.enterprise.id}")
    legacy_delivery(world, bulletin, world.enterprise.id, key=f"sub:{enterprise_sub.id}",
                    subscription_id=enterprise_sub.id)
    adjustment = adjust(world, bulletin, regions=["440000"])
    lifting = lift(world, bulletin)
    withdrawn = make_published_warning(world, warning_type="bulletin")
    withdrawal = lifecycle.withdraw_published(world.db, world.actor(world.approver),
                                              withdrawn.id, "发布有误")
    for warning, follow_up in ((bulletin, adjustment), (bulletin, lifting),
                               (withdrawn, withdrawal)):
        made = deliveries(world, warning, follow_up.id)
        assert f"sub:{regulator.id}" in made, follow_up.kind
        assert not {d.organisation_id for d in made.values()} & enterprise_ids(world)
    topics = {e.topic for e in world.db.execute(select(OutboxEvent).where(
        OutboxEvent.organisation_id.in_(enterprise_ids(world)))).scalars()}
    assert not {t for t in topics if t.startswith("warning.")}


def test_path_reminder(world):
    regulator = subscribe(world, world.prov_officer)
    bulletin = make_published_warning(world, warning_type="bulletin", level="II")
    told = deliveries(world, bulletin)[f"sub:{regulator.id}"]
    legacy = legacy_delivery(world, bulletin, world.enterprise.id,
                             key=f"org:{world.enterprise.id}", deadline=told.ack_deadline)
    at_deadline = told.ack_deadline + dt.timedelta(minutes=1)
    assert acknowledgement.remind_and_escalate(world.db, at_deadline) == {"reminded": 1,
                                                                        "escalated": 0}
    reminded = {int(e.target) for e in world.db.execute(select(OutboxEvent).where(
        OutboxEvent.topic == acknowledgement.REMINDER_TOPIC,
        OutboxEvent.channel == Channel.INBOX)).scalars()}
    assert reminded == {world.prov_officer.id}
    assert legacy.state == DeliveryState.pending


def test_path_escalation(world):
    regulator = subscribe(world, world.prov_officer)
    bulletin = make_published_warning(world, warning_type="bulletin", level="II")
    told = deliveries(world, bulletin)[f"sub:{regulator.id}"]
    legacy = legacy_delivery(world, bulletin, world.enterprise.id,
                             key=f"org:{world.enterprise.id}", deadline=told.ack_deadline)
    deadline = told.ack_deadline
    acknowledgement.remind_and_escalate(world.db, deadline + dt.timedelta(minutes=1))
    later = deadline + dt.timedelta(hours=12, minutes=1)
    assert acknowledgement.remind_and_escalate(world.db, later) == {"reminded": 0,
                                                                  "escalated": 1}
    escalations = list(world.db.execute(select(OutboxEvent).where(
        OutboxEvent.topic == acknowledgement.ESCALATION_TOPIC)).scalars())
    assert escalations and not {e.organisation_id for e in escalations} & enterprise_ids(world)
    assert legacy.state == DeliveryState.pending and legacy.escalated_at is None
    # Whoever is asked, escalation about a 通报 never reaches an enterprise.
    assert [u.id for u in acknowledgement.supervisors_for(
        world.db, world.enterprise.id, world.national.id, bulletin)] == [world.supervisor.id]


def _drain(worker, reader, deadline: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        worker.drain()
        if not reader(select(OutboxEvent.id).where(OutboxEvent.status == EventStatus.PENDING)):
            return
        time.sleep(0.05)
    raise AssertionError("events still pending")


def test_path_email(db, world, smtp: SmtpServer, workers, read):  # noqa: F811
    subscribe(world, world.officer, channel="email")
    subscribe(world, world.ent_user, channel="email")
    bulletin = make_published_warning(world, warning_type="bulletin")
    number = bulletin.number
    db.commit()
    _drain(workers(smtp_port=smtp.port, smtp_host="127.0.0.1"), read)
    told = {address for m in smtp.messages if number in m.message["Subject"]
            for address in m.rcpt_tos}
    assert world.officer.email in told  # (the approvers hear of their review too)
    assert world.ent_user.email not in told and "office@xingtong.example.cn" not in told


def test_path_webhook(db, world, smtp: SmtpServer, workers, read):  # noqa: F811
    with WebhookReceiver() as receiver:
        urls = {"regulator": receiver.behave("/regulator"), "enterprise": receiver.behave("/ent")}
        for user, name in ((world.other_officer, "regulator"), (world.ent_user, "enterprise")):
            endpoint, _secret = outbox.create_webhook(db, world.actor(user), url=urls[name],
                                                      description=name, topics=["*"])
            subscribe(world, user, channel="webhook", webhook_endpoint_id=endpoint.id)
        bulletin = make_published_warning(world, warning_type="bulletin")
        announcement = make_published_warning(world)
        numbers = {bulletin.number: "bulletin", announcement.number: "announcement"}
        db.commit()
        _drain(workers(smtp_port=smtp.port, smtp_host="127.0.0.1"), read)
        got = {(d.path, numbers.get(n)) for d in receiver.deliveries
               for n in numbers if n in d.body.decode()}
    assert got == {("/regulator", "bulletin"), ("/regulator", "announcement"),
                   ("/ent", "announcement")}


def test_path_inbox(db, world, smtp: SmtpServer, workers, read):  # noqa: F811
    subscribe(world, world.other_officer)
    subscribe(world, world.ent_user)
    subscribe(world, world.ent2_user)
    bulletin = make_published_warning(world, warning_type="bulletin")
    number = bulletin.number
    db.commit()
    _drain(workers(smtp_port=smtp.port, smtp_host="127.0.0.1"), read)
    inboxes = read(select(InboxMessage.user_id).where(InboxMessage.subject.contains(number)))
    assert world.other_officer.id in inboxes  # (the approvers hear of their review too)
    assert not {world.ent_user.id, world.ent2_user.id} & set(inboxes)


def test_received_list_and_acknowledgement_leave_out_what_may_not_be_read(world):
    bulletin = make_published_warning(world, warning_type="bulletin")
    legacy = legacy_delivery(world, bulletin, world.enterprise.id,
                             key=f"org:{world.enterprise.id}")
    actor = world.actor(world.ent_user)
    assert world.db.execute(acknowledgement.received_statement(actor)).scalars().all() == []
    with pytest.raises(NotFound):
        acknowledgement.acknowledge(world.db, actor, legacy.id)


# --- Refused at subscription time --------------------------------------------------------------


def test_an_enterprise_bulletin_subscription_is_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        subscribe(world, world.ent_user, warning_types=["notice", "bulletin"])
    assert [p.loc for p in caught.value.fields] == ["warning_types/1"]
    mine = subscribe(world, world.ent_user, warning_types=["notice", "announcement"])
    with pytest.raises(ValidationFailed):
        subscriptions.update_subscription(world.db, world.actor(world.ent_user), mine.id,
                                          {"warning_types": ["bulletin"]})
    assert subscribe(world, world.other_officer, warning_types=["bulletin"]).warning_types \
        == ["bulletin"]


def test_refused_through_the_api_in_both_languages(client, db, world):
    token = token_for(db, world.ent_user)
    db.commit()
    for language, words in (("en", "regulators only"), ("zh-CN", "仅发送监管部门")):
        answer = client.post("/api/v1/warning-subscriptions",
                             headers=auth_headers(token, language),
                             json={"name": "x", "warning_types": ["bulletin"]})
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        (error,) = answer.json()["errors"]
        assert error["loc"] == "warning_types/0" and words in error["message"], error


def test_the_form_does_not_offer_bulletins_to_an_enterprise(client, db, world):
    db.commit()
    csrf = sign_in(client, world.ent_user.username)
    form = client.get("/console/warnings/subscriptions?lang=en")
    assert form.status_code == 200
    assert 'value="notice"' in form.text and 'value="bulletin"' not in form.text
    posted = client.post("/console/warnings/subscriptions?lang=en",
                         data={"csrf_token": csrf, "name": "all", "channel": "inbox",
                               "warning_types": ["bulletin"]})
    assert posted.status_code == 422 and "regulators only" in posted.text
    regulator = client.__class__(client.app)
    sign_in(regulator, world.other_officer.username)
    assert 'value="bulletin"' in regulator.get("/console/warnings/subscriptions").text
