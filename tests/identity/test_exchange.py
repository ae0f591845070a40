"""Information exchange: agreements admit another organisation's objects as agreed (read, act
only with access=act), revocation ends it, filters hold; one-off shares; bad input refused.

The permission-matrix cases of the issue: another organisation without an agreement gets 404 on
a record; with an accepted agreement it reads it; after revocation 404 again."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from riskgate.core.errors import NotFound, ValidationFailed
from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.exchange import service as exchange
from riskgate.identity.exchange.enums import ExchangeAccess, ShareCategory
from riskgate.identity.exchange.schemas import AgreementIn
from riskgate.identity.exchange.service import OwnProposal
from riskgate.outbox.models import OutboxEvent
from riskgate.records import service as records
from riskgate.records.service import get_record
from tests.factories import SYSTEM, auth_headers, make_org, make_user, token_for

EN = "en"


@pytest.fixture
def net(db, settings):  # type: ignore[no-untyped-def]
    """Customs (with a port below) and a market regulator, each with an admin and an officer."""
    gacc = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL,
                    name_zh="总署")
    customs = make_org(db, parent=gacc, name_zh="沪关", region_code="310000")
    port = make_org(db, parent=customs, org_type=OrgType.SUBORDINATE_CUSTOMS, level=OrgLevel.CITY,
                    name_zh="洋关", region_code="310115", port_code="shanghai_yangshan")
    samr = make_org(db, org_type=OrgType.MARKET_REGULATOR, level=OrgLevel.NATIONAL,
                    name_zh="总局", region_code="110000")
    amr = make_org(db, parent=samr, org_type=OrgType.MARKET_REGULATOR, name_zh="沪市监",
                   region_code="310000")
    other = make_org(db, parent=samr, org_type=OrgType.MARKET_REGULATOR, name_zh="粤市监",
                     region_code="440000")
    users = SimpleNamespace(
        customs_admin=make_user(db, settings, customs, Role.SYSTEM_ADMIN),
        amr_admin=make_user(db, settings, amr, Role.SYSTEM_ADMIN),
        officer=make_user(db, settings, customs, Role.RISK_OFFICER),
        amr_officer=make_user(db, settings, amr, Role.RISK_OFFICER),
        other_officer=make_user(db, settings, other, Role.RISK_OFFICER),
    )
    db.commit()
    return SimpleNamespace(gacc=gacc, customs=customs, port=port, samr=samr, amr=amr,
                           other=other, users=users)


def actor(user):  # type: ignore[no-untyped-def]
    return actor_for(user, EN)


_n = iter(range(1, 10_000))


def push(db, user, **fields):  # type: ignore[no-untyped-def]
    body = {"source_channel": "hotline_12315", "external_reference": f"EX-{next(_n)}",
            "title": "电暖器起火", "product_name": "电暖器", "trade_direction": "import",
            **fields}
    (stored,) = records.push_records(db, actor(user), [body])
    db.commit()
    return stored.record_id


def agree(db, net, *, access=ExchangeAccess.read, **filters):  # type: ignore[no-untyped-def]
    body = AgreementIn(provider_id=net.customs.id, receiver_id=net.amr.id, title="沪关→沪市监",
                       categories=filters.pop("categories", [ShareCategory.risk_record]),
                       access=access, **filters)
    agreement = exchange.propose_agreement(db, actor(net.users.customs_admin), body)
    exchange.accept_agreement(db, actor(net.users.amr_admin), agreement.id)
    db.commit()
    return agreement


def sees(db, user, record_id, *, to_act=False) -> bool:  # type: ignore[no-untyped-def]
    try:
        get_record(db, actor(user), record_id, to_act=to_act)
    except NotFound:
        return False
    return True


def test_without_agreement_404_with_agreement_read_revoked_404(client, db, net):  # type: ignore[no-untyped-def]
    record_id = push(db, net.users.officer, region_code="310101")
    headers = auth_headers(token_for(db, net.users.amr_officer))
    db.commit()
    assert client.get(f"/api/v1/records/{record_id}", headers=headers).status_code == 404
    agreement = agree(db, net)
    assert client.get(f"/api/v1/records/{record_id}", headers=headers).status_code == 200
    listed = client.get("/api/v1/records", headers=headers).json()["items"]
    assert record_id in {r["id"] for r in listed}
    # read-only: acting (a transfer) is refused as if the record were not there
    assert not sees(db, net.users.amr_officer, record_id, to_act=True)
    answer = client.post(f"/api/v1/records/{record_id}/shares", headers=headers,
                         json={"organisation_id": net.other.id, "kind": "transfer",
                               "reason": "转交"})
    assert answer.status_code == 404
    # a third organisation sees nothing
    assert not sees(db, net.users.other_officer, record_id)
    exchange.revoke_agreement(db, actor(net.users.amr_admin), agreement.id, "到期")
    db.commit()
    assert client.get(f"/api/v1/records/{record_id}", headers=headers).status_code == 404


def test_act_access_admits_acting(db, net):  # type: ignore[no-untyped-def]
    record_id = push(db, net.users.officer, region_code="310101")
    agree(db, net, access=ExchangeAccess.act)
    assert sees(db, net.users.amr_officer, record_id, to_act=True)


def test_filters_are_matched(db, net):  # type: ignore[no-untyped-def]
    shanghai = push(db, net.users.officer, region_code="310115", hazard_class="physical",
                    hs_code="8516290000")
    guangzhou = push(db, net.users.officer, region_code="440100", hazard_class="physical",
                     hs_code="8516290000")
    chemical = push(db, net.users.officer, region_code="310115", hazard_class="chemical",
                    hs_code="8516290000")
    toys = push(db, net.users.officer, region_code="310115", hazard_class="physical",
                hs_code="9503001000")
    agree(db, net, regions=["310000"], hazards=["physical"], products=["85"])
    officer = net.users.amr_officer
    assert sees(db, officer, shanghai)
    assert not sees(db, officer, guangzhou)
    assert not sees(db, officer, chemical)
    assert not sees(db, officer, toys)
    listed = {r.id for r in db.execute(records.records_statement(actor(officer))).scalars()}
    assert shanghai in listed and not {guangzhou, chemical, toys} & listed


def test_category_not_agreed_is_not_shared(db, net):  # type: ignore[no-untyped-def]
    record_id = push(db, net.users.officer, region_code="310101")
    agree(db, net, categories=[ShareCategory.signal])
    assert not sees(db, net.users.amr_officer, record_id)


def test_proposal_until_accepted_shares_nothing_and_rejection(db, net):  # type: ignore[no-untyped-def]
    record_id = push(db, net.users.officer, region_code="310101")
    agreement = exchange.propose_agreement(db, actor(net.users.customs_admin), AgreementIn(
        provider_id=net.customs.id, receiver_id=net.amr.id, title="t",
        categories=[ShareCategory.risk_record]))
    assert not sees(db, net.users.amr_officer, record_id)
    # the receiver's administrator was told
    assert db.query(OutboxEvent).filter(OutboxEvent.topic == "exchange.agreement").count() >= 1
    exchange.reject_agreement(db, actor(net.users.amr_admin), agreement.id, "不需要")
    assert agreement.status.value == "rejected"
    assert not sees(db, net.users.amr_officer, record_id)


def test_bad_inputs(db, settings, net):  # type: ignore[no-untyped-def]
    admin = actor(net.users.customs_admin)
    with pytest.raises(ValidationFailed) as no_categories:
        exchange.propose_agreement(db, admin, AgreementIn(
            provider_id=net.customs.id, receiver_id=net.amr.id, title="t", categories=[]))
    assert no_categories.value.fields[0].loc == "categories"
    with pytest.raises(ValidationFailed) as unknown:
        exchange.propose_agreement(db, admin, AgreementIn(
            provider_id=net.customs.id, receiver_id=999_999, title="t",
            categories=[ShareCategory.signal]))
    assert unknown.value.fields[0].loc == "receiver_id"
    with pytest.raises(ValidationFailed) as not_mine:
        exchange.propose_agreement(db, admin, AgreementIn(
            provider_id=net.other.id, receiver_id=net.amr.id, title="t",
            categories=[ShareCategory.signal]))
    assert not_mine.value.fields[0].loc == "provider_id"
    agreement = exchange.propose_agreement(db, admin, AgreementIn(
        provider_id=net.customs.id, receiver_id=net.amr.id, title="t",
        categories=[ShareCategory.signal]))
    with pytest.raises(OwnProposal):
        exchange.accept_agreement(db, admin, agreement.id)
    with pytest.raises(NotFound):  # outside both sides
        exchange.accept_agreement(
            db, actor(make_user(db, settings, net.other, Role.SYSTEM_ADMIN)), agreement.id)


def test_api_problems_in_both_languages(client, db, net):  # type: ignore[no-untyped-def]
    raw = token_for(db, net.users.customs_admin)
    db.commit()
    body = {"provider_id": net.customs.id, "receiver_id": net.amr.id, "title": "t",
            "categories": []}
    en = client.post("/api/v1/exchange/agreements", headers=auth_headers(raw), json=body)
    assert en.status_code == 422 and en.headers["content-type"].startswith(
        "application/problem+json")
    assert "Choose at least one category." in en.text
    zh = client.post("/api/v1/exchange/agreements", headers=auth_headers(raw, "zh-CN"),
                     json=body)
    assert zh.status_code == 422 and "至少选择一个类别" in zh.text
    ok = client.post("/api/v1/exchange/agreements", headers=auth_headers(raw),
                     json={**body, "categories": ["risk_record"]})
    assert ok.status_code == 201, ok.text
    own = client.post(f"/api/v1/exchange/agreements/{ok.json()['id']}/accept",
                      headers=auth_headers(raw))
    assert own.status_code == 409


def test_one_off_share_notifies_and_admits(client, db, net):  # type: ignore[no-untyped-def]
    record_id = push(db, net.users.officer, region_code="440100")
    raw = token_for(db, net.users.officer)
    db.commit()
    unknown = client.post(f"/api/v1/records/{record_id}/shares", headers=auth_headers(raw),
                          json={"organisation_id": 999_999, "kind": "copy", "reason": "请关注"})
    assert unknown.status_code == 422
    assert "organisation_id" in unknown.text
    answer = client.post(f"/api/v1/records/{record_id}/shares", headers=auth_headers(raw),
                         json={"organisation_id": net.other.id, "kind": "copy",
                               "reason": "请关注"})
    assert answer.status_code == 200, answer.text
    assert answer.json()[0]["kind"] == "copy"
    assert sees(db, net.users.other_officer, record_id)
    assert not sees(db, net.users.other_officer, record_id, to_act=True)
    inbox = db.query(OutboxEvent).filter(OutboxEvent.topic == "exchange.share",
                                         OutboxEvent.target == str(net.users.other_officer.id))
    assert inbox.count() == 1


def test_routing_by_competence(db, net):  # type: ignore[no-untyped-def]
    market = push(db, net.users.officer, region_code="310115", trade_direction="domestic")
    at_port = push(db, net.users.amr_officer, port_code="shanghai_yangshan",
                   trade_direction="import")
    assert sees(db, net.users.amr_officer, market)
    assert sees(db, net.users.amr_officer, market, to_act=True)
    assert not sees(db, net.users.other_officer, market)
    assert sees(db, net.users.officer, at_port)  # the district customs above the port


def test_system_actor_unrestricted(db, net):  # type: ignore[no-untyped-def]
    record_id = push(db, net.users.officer)
    assert get_record(db, SYSTEM, record_id).id == record_id
