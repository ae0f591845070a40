"""Push of a publication and its follow-ups: one delivery per recipient per message with its
outbox events, the named enterprises always told, no doubles, follow-ups reaching everyone told
before, deadlines by level."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from riskgate.outbox.enums import Channel
from riskgate.outbox.models import OutboxEvent
from riskgate.warnings.enums import DeliveryReason, DeliveryState, WarningStatus
from riskgate.warnings.models import WarningDelivery
from riskgate.warnings.push import service as push
from riskgate.warnings.push import subscriptions
from tests.warnings.helpers import adjust, build_world, lift, make_published_warning


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def subscribe(world, user, **filters):  # type: ignore[no-untyped-def]
    return subscriptions.create_subscription(world.db, world.actor(user),
                                             {"name": "s", "channel": "inbox", **filters})


def deliveries(world, warning, follow_up_id=None):  # type: ignore[no-untyped-def]
    stmt = select(WarningDelivery).where(WarningDelivery.warning_id == warning.id)
    stmt = stmt.where(WarningDelivery.follow_up_id.is_(None) if follow_up_id is None
                      else WarningDelivery.follow_up_id == follow_up_id)
    return {d.recipient_key: d for d in world.db.execute(stmt).scalars()}


def events(world, prefix: str) -> list[OutboxEvent]:  # type: ignore[no-untyped-def]
    return list(world.db.execute(select(OutboxEvent).where(
        OutboxEvent.dedupe_key.like(f"{prefix}%")).order_by(OutboxEvent.id)).scalars())


def test_publication_reaches_subscribers_and_the_named_enterprise(world):
    regulator = subscribe(world, world.other_officer)
    by_mail = subscribe(world, world.officer, channel="email")
    warning = make_published_warning(world)  # names world.enterprise; level III
    made = deliveries(world, warning)
    assert set(made) == {f"org:{world.enterprise.id}", f"sub:{regulator.id}",
                         f"sub:{by_mail.id}"}
    named = made[f"org:{world.enterprise.id}"]
    assert named.reason == DeliveryReason.named_enterprise and named.user_id is None
    assert named.state == DeliveryState.pending
    # Level III: 24 hours to acknowledge.
    assert named.ack_deadline - named.created_at == dt.timedelta(hours=24)
    # The enterprise's user is told by inbox and e-mail; each delivery links its first event.
    sent = events(world, f"wpush:{named.id}")
    assert [(e.channel, e.target) for e in sent] == [
        (Channel.INBOX, str(world.ent_user.id)), (Channel.EMAIL, world.ent_user.email)]
    assert named.outbox_event_id == sent[0].id
    assert sent[0].topic == "warning.published"
    assert sent[0].payload["params"]["number"] == warning.number
    assert sent[0].payload["params"]["ack_link"].endswith(f"warning={warning.id}")
    mail = events(world, f"wpush:{made[f'sub:{by_mail.id}'].id}")
    assert [(e.channel, e.target) for e in mail] == [(Channel.EMAIL, world.officer.email)]


def test_the_named_enterprise_is_told_without_a_subscription(world):
    warning = make_published_warning(world, warning_type="notice")
    assert set(deliveries(world, warning)) == {f"org:{world.enterprise.id}"}


def test_no_doubles(world):
    # The named enterprise's user also subscribed; a regulator subscribed twice to one channel.
    subscribe(world, world.ent_user)
    first = subscribe(world, world.other_officer)
    subscribe(world, world.other_officer, levels=["III"])
    warning = make_published_warning(world)
    made = deliveries(world, warning)
    assert set(made) == {f"org:{world.enterprise.id}", f"sub:{first.id}"}
    inbox_targets = [e.target for e in world.db.execute(select(OutboxEvent).where(
        OutboxEvent.topic == "warning.published", OutboxEvent.channel == Channel.INBOX))
        .scalars()]
    assert sorted(inbox_targets) == sorted([str(world.ent_user.id), str(world.other_officer.id)])
    # Pushing the same message again adds nothing.
    assert push.push_warning(world.db, warning, None) == 0
    assert len(deliveries(world, warning)) == 2


def test_follow_ups_are_pushed_again_to_everyone_told_before(world):
    shanghai = subscribe(world, world.prov_officer, regions=["310000"])
    guangdong = subscribe(world, world.other_officer, regions=["440000"])
    warning = make_published_warning(world)
    assert set(deliveries(world, warning)) == {f"org:{world.enterprise.id}",
                                               f"sub:{shanghai.id}"}
    # The scope moves to Guangdong and the level rises to II: Guangdong's subscriber is told
    # now, and Shanghai's, told of the original, hears of the change too.
    follow_up = adjust(world, warning, regions=["440000"], level="II")
    made = deliveries(world, warning, follow_up.id)
    assert set(made) == {f"org:{world.enterprise.id}", f"sub:{shanghai.id}",
                         f"sub:{guangdong.id}"}
    delivery = made[f"sub:{guangdong.id}"]
    assert delivery.ack_deadline - delivery.created_at == dt.timedelta(hours=12)
    event = world.db.get(OutboxEvent, delivery.outbox_event_id)
    assert event.topic == "warning.adjusted" and event.payload["params"]["sequence"] == 1
    lifting = lift(world, warning)
    lifted = deliveries(world, warning, lifting.id)
    assert len(lifted) == 3
    # Liftings inform; nobody is asked to acknowledge them by a deadline.
    assert all(d.ack_deadline is None for d in lifted.values())
    assert warning.status == WarningStatus.lifted


def test_webhook_payload(world):
    from riskgate.outbox import service as outbox

    endpoint, _secret = outbox.create_webhook(world.db, world.actor(world.other_officer),
                                              url="http://127.0.0.1:9/hook", description=None,
                                              topics=["records.*"])
    hook = subscribe(world, world.other_officer, channel="webhook",
                     webhook_endpoint_id=endpoint.id)
    warning = make_published_warning(world)
    delivery = deliveries(world, warning)[f"sub:{hook.id}"]
    event = world.db.get(OutboxEvent, delivery.outbox_event_id)
    assert event.channel == Channel.WEBHOOK and event.target == str(endpoint.id)
    data = event.payload["data"]
    assert event.payload["type"] == "warning.published"
    assert data["delivery_id"] == delivery.id
    assert data["acknowledge_url"].endswith(f"/api/v1/warning-deliveries/{delivery.id}"
                                            "/acknowledge")
    assert data["warning"]["number"] == warning.number
    assert data["warning"]["products"][0]["hs_code"] == "950300"
    assert data["follow_up"] is None
