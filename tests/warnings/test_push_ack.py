"""Acknowledgement (签收): who may acknowledge, once; the recipient's list and the issuer's log;
reminder then escalation on a controlled clock; the scheduled job; the API and pages."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.core.errors import Conflict, NotFound
from riskgate.core.schedule import Scheduler, load_jobs
from riskgate.outbox.enums import Channel
from riskgate.outbox.models import OutboxEvent
from riskgate.warnings.enums import DeliveryState
from riskgate.warnings.models import WarningDelivery
from riskgate.warnings.push import acknowledgement, subscriptions
from tests.factories import auth_headers, make_user, sign_in, token_for
from tests.warnings.helpers import build_world, lift, make_published_warning


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def delivery_for(world, warning, key: str) -> WarningDelivery:  # type: ignore[no-untyped-def]
    return world.db.execute(select(WarningDelivery).where(
        WarningDelivery.warning_id == warning.id, WarningDelivery.recipient_key == key,
        WarningDelivery.follow_up_id.is_(None))).scalar_one()


def test_acknowledge_once_by_the_recipient(world):
    sub = subscriptions.create_subscription(world.db, world.actor(world.other_officer),
                                            {"name": "all", "channel": "inbox"})
    warning = make_published_warning(world)
    personal = delivery_for(world, warning, f"sub:{sub.id}")
    named = delivery_for(world, warning, f"org:{world.enterprise.id}")
    # Someone else's delivery is not found, whoever they are.
    for stranger in (world.officer, world.ent2_user, world.ent_user):
        with pytest.raises(NotFound):
            acknowledgement.acknowledge(world.db, world.actor(stranger), personal.id)
    done = acknowledgement.acknowledge(world.db, world.actor(world.other_officer), personal.id,
                                       "收到")
    assert done.state == DeliveryState.acknowledged and done.ack_note == "收到"
    assert done.acknowledged_by == world.other_officer.username
    with pytest.raises(Conflict):
        acknowledgement.acknowledge(world.db, world.actor(world.other_officer), personal.id)
    # An organisation delivery: any user of the named enterprise acknowledges it.
    colleague = make_user(world.db, world.settings, world.enterprise,
                          *world.ent_user.roles)
    acknowledgement.acknowledge(world.db, world.actor(colleague), named.id)
    assert named.acknowledged_by_user_id == colleague.id
    assert world.db.query(AuditEntry).filter_by(action="warning.delivery.acknowledged").count() \
        == 2


def test_received_and_delivery_log_are_scoped(world):
    warning = make_published_warning(world)
    received = world.db.execute(acknowledgement.received_statement(
        world.actor(world.ent_user))).scalars().all()
    assert [d.warning_id for d in received] == [warning.id]
    assert world.db.execute(acknowledgement.received_statement(
        world.actor(world.ent2_user))).scalars().all() == []
    # The issuer (and organisations above it) see the log; others do not.
    log = world.db.execute(acknowledgement.deliveries_statement(
        world.db, world.actor(world.officer), warning.id)).scalars().all()
    assert len(log) == 1
    for outsider in (world.other_officer, world.prov_officer, world.ent_user):
        with pytest.raises(NotFound):
            acknowledgement.deliveries_statement(world.db, world.actor(outsider), warning.id)
    summary = acknowledgement.delivery_summary(world.db, world.actor(world.officer), warning)
    assert summary["visible"] and summary["total"] == 1
    assert summary["counts"]["pending"] == 1 and summary["overdue"] == 0
    assert not acknowledgement.delivery_summary(world.db, world.actor(world.prov_officer),
                                                warning)["visible"]


def _messages(world, topic: str) -> list[OutboxEvent]:  # type: ignore[no-untyped-def]
    return list(world.db.execute(select(OutboxEvent).where(
        OutboxEvent.topic == topic, OutboxEvent.channel == Channel.INBOX)).scalars())


def test_reminder_then_escalation(world):
    sub = subscriptions.create_subscription(world.db, world.actor(world.prov_officer),
                                            {"name": "all", "channel": "inbox"})
    warning = make_published_warning(world, level="II")  # 12 hours
    named = delivery_for(world, warning, f"org:{world.enterprise.id}")
    regulator = delivery_for(world, warning, f"sub:{sub.id}")
    deadline = named.ack_deadline
    assert acknowledgement.remind_and_escalate(world.db, deadline - dt.timedelta(minutes=1)) \
        == {"reminded": 0, "escalated": 0}
    at_deadline = deadline + dt.timedelta(minutes=1)
    assert acknowledgement.remind_and_escalate(world.db, at_deadline) == {"reminded": 2,
                                                                        "escalated": 0}
    assert named.state == regulator.state == DeliveryState.reminded
    reminders = _messages(world, acknowledgement.REMINDER_TOPIC)
    assert sorted(int(e.target) for e in reminders) == sorted([world.ent_user.id,
                                                               world.prov_officer.id])
    # Once: running again changes nothing.
    assert acknowledgement.remind_and_escalate(world.db, at_deadline)["reminded"] == 0
    # The regulator acknowledges after the reminder; the enterprise does not.
    acknowledgement.acknowledge(world.db, world.actor(world.prov_officer), regulator.id)
    later = deadline + dt.timedelta(hours=12, minutes=1)
    assert acknowledgement.remind_and_escalate(world.db, later) == {"reminded": 0,
                                                                  "escalated": 1}
    assert named.state == DeliveryState.escalated and named.escalated_at == later
    # The enterprise has no supervisor and no parent: the issuer's supervisors are told.
    escalations = _messages(world, acknowledgement.ESCALATION_TOPIC)
    assert [int(e.target) for e in escalations] == [world.supervisor.id]
    assert acknowledgement.remind_and_escalate(world.db, later)["escalated"] == 0
    # Acknowledging stays possible after escalation.
    acknowledgement.acknowledge(world.db, world.actor(world.ent_user), named.id)
    actions = {e.action for e in world.db.query(AuditEntry).filter(
        AuditEntry.object_type == "warning_delivery")}
    assert {"warning.delivery.reminded", "warning.delivery.escalated",
            "warning.delivery.acknowledged"} <= actions


def test_supervisors_of_the_parent_when_the_unit_has_none(world):
    assert [u.id for u in acknowledgement.supervisors_for(
        world.db, world.provincial.id, world.national.id)] == [world.supervisor.id]


def test_lifted_warnings_are_not_followed_up(world):
    warning = make_published_warning(world)
    named = delivery_for(world, warning, f"org:{world.enterprise.id}")
    lift(world, warning)
    assert acknowledgement.remind_and_escalate(
        world.db, named.ack_deadline + dt.timedelta(days=30)) == {"reminded": 0, "escalated": 0}


def test_the_job_runs_on_the_scheduler(app, db, settings):
    world = build_world(db, settings)
    warning = make_published_warning(world, level="I")
    named = delivery_for(world, warning, f"org:{world.enterprise.id}")
    db.commit()
    assert "warnings.acknowledgements" in load_jobs()
    scheduler = Scheduler(app.state.engine, settings, owner="test")
    try:
        outcome = scheduler.run_job("warnings.acknowledgements",
                                    now=named.ack_deadline + dt.timedelta(minutes=5), force=True)
    finally:
        scheduler.close()
    assert outcome.ok, outcome.error
    assert outcome.summary == {"reminded": 1, "escalated": 0}


def test_api(client, db, settings):
    world = build_world(db, settings)
    ent_token = token_for(db, world.ent_user)
    other_token = token_for(db, world.ent2_user)
    officer_token = token_for(db, world.officer)
    sub_token = token_for(db, world.other_officer)
    db.commit()
    bad = client.post("/api/v1/warning-subscriptions", headers=auth_headers(sub_token),
                      json={"name": "x", "hs_prefixes": ["0000"], "countries": ["ZZ"]})
    assert bad.status_code == 422, bad.text
    assert {e["loc"] for e in bad.json()["errors"]} >= {"hs_prefixes/0", "countries/0"}
    created = client.post("/api/v1/warning-subscriptions", headers=auth_headers(sub_token),
                          json={"name": "toys", "hs_prefixes": ["95"]})
    assert created.status_code == 201, created.text
    sub_id = created.json()["id"]
    assert client.get(f"/api/v1/warning-subscriptions/{sub_id}",
                      headers=auth_headers(ent_token)).status_code == 404
    patched = client.patch(f"/api/v1/warning-subscriptions/{sub_id}",
                           headers=auth_headers(sub_token), json={"levels": ["III"]})
    assert patched.status_code == 200 and patched.json()["levels"] == ["III"]
    listed = client.get("/api/v1/warning-subscriptions", headers=auth_headers(sub_token)).json()
    assert [s["id"] for s in listed["items"]] == [sub_id]

    warning = make_published_warning(world)
    db.commit()
    received = client.get("/api/v1/warnings/received", headers=auth_headers(ent_token))
    assert received.status_code == 200, received.text
    (item,) = received.json()["items"]
    assert item["number"] == warning.number and item["state"] == "pending"
    assert client.get("/api/v1/warnings/received",
                      headers=auth_headers(other_token)).json()["items"] == []
    url = f"/api/v1/warning-deliveries/{item['id']}/acknowledge"
    assert client.post(url, headers=auth_headers(other_token), json={}).status_code == 404
    done = client.post(url, headers=auth_headers(ent_token), json={"note": "已签收"})
    assert done.status_code == 200 and done.json()["state"] == "acknowledged"
    again = client.post(url, headers=auth_headers(ent_token), json={})
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")

    log = client.get(f"/api/v1/warnings/{warning.id}/deliveries",
                     headers=auth_headers(officer_token))
    assert log.status_code == 200, log.text
    states = {d["state"] for d in log.json()["items"]}
    assert states == {"acknowledged", "pending"}
    assert all(d["outbox_status"] == "pending" for d in log.json()["items"])
    assert client.get(f"/api/v1/warnings/{warning.id}/deliveries",
                      headers=auth_headers(sub_token)).status_code == 404
    gone = client.delete(f"/api/v1/warning-subscriptions/{sub_id}",
                         headers=auth_headers(sub_token))
    assert gone.status_code == 200 and gone.json()["active"] is False


def test_pages(client, db, settings):
    world = build_world(db, settings)
    warning = make_published_warning(world)
    db.commit()
    csrf = sign_in(client, world.ent_user.username)
    page = client.get("/console/warnings/received")
    assert page.status_code == 200 and warning.number in page.text
    delivery_id = db.execute(select(WarningDelivery.id).where(
        WarningDelivery.warning_id == warning.id)).scalar_one()
    done = client.post(f"/console/warnings/received/{delivery_id}/acknowledge",
                       data={"csrf_token": csrf, "note": "ok"}, follow_redirects=False)
    assert done.status_code == 303
    assert 'data-state="acknowledged"' in client.get("/console/warnings/received").text
    form = client.get("/console/warnings/subscriptions")
    assert form.status_code == 200
    bad = client.post("/console/warnings/subscriptions",
                      data={"csrf_token": csrf, "name": "x", "channel": "inbox",
                            "hs_prefixes": "0000", "countries": "VN ZZ"})
    assert bad.status_code == 422 and "ZZ" in bad.text and 'value="VN ZZ"' in bad.text
    good = client.post("/console/warnings/subscriptions",
                       data={"csrf_token": csrf, "name": "玩具", "channel": "inbox",
                             "hs_prefixes": "9503, 9504", "levels": ["I", "II"]},
                       follow_redirects=False)
    assert good.status_code == 303, good.text
    listing = client.get("/console/warnings/subscriptions").text
    assert "9503, 9504" in listing
    officer = client.__class__(client.app)
    sign_in(officer, world.officer.username)
    log = officer.get(f"/console/warnings/{warning.id}/deliveries")
    assert log.status_code == 200 and 'id="deliveries-table"' in log.text
    assert client.get(f"/console/warnings/{warning.id}/deliveries").status_code == 403
