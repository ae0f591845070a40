"""The demo's exchange agreements: a complaint about a product sold in Shanghai, recorded by
上海海关's officer, reaches 上海市市场监督管理局 by agreement — both agencies see the same record —
and a record of the regulator about Shanghai reaches customs; one about Guangzhou does not."""

from __future__ import annotations

from sqlalchemy import select

from riskgate.identity.auth_service import actor_for
from riskgate.identity.demo import load_identity_demo
from riskgate.identity.exchange.demo import load_exchange_demo
from riskgate.identity.exchange.enums import AgreementStatus
from riskgate.identity.exchange.models import ExchangeAgreement
from riskgate.identity.models import User
from riskgate.records.service import get_record, push_records, records_statement


def _actor(db, username):  # type: ignore[no-untyped-def]
    return actor_for(db.execute(select(User).where(User.username == username)).scalar_one(), "en")


def test_demo_agreement_shares_shanghai_both_ways(db, settings):  # type: ignore[no-untyped-def]
    load_identity_demo(db, settings)  # the organisations and users the agreements join
    load_exchange_demo(db, settings)
    db.commit()
    statuses = db.execute(select(ExchangeAgreement.status)).scalars().all()
    assert statuses and set(statuses) == {AgreementStatus.accepted}
    officer, amr = _actor(db, "officer"), _actor(db, "amrofficer")
    (complaint,) = push_records(db, officer, [{
        "source_channel": "hotline_12315", "external_reference": "DEMO-XCH-1",
        "title": "上海某商场销售的儿童电暖器起火", "product_name": "儿童电暖器",
        "region_code": "310115", "trade_direction": "import"}])
    (guangzhou,) = push_records(db, officer, [{
        "source_channel": "hotline_12315", "external_reference": "DEMO-XCH-2",
        "title": "广州销售的电暖器起火", "product_name": "电暖器", "region_code": "440100",
        "trade_direction": "import"}])
    (market,) = push_records(db, amr, [{
        "source_channel": "hotline_12315", "external_reference": "DEMO-XCH-3",
        "title": "市场抽检不合格", "product_name": "充电宝", "region_code": "310101",
        "trade_direction": "import"}])
    db.commit()
    same = get_record(db, amr, complaint.record_id)
    assert same.id == get_record(db, officer, complaint.record_id).id
    assert get_record(db, amr, complaint.record_id, to_act=True)  # read + act
    listed = {r.id for r in db.execute(records_statement(amr)).scalars()}
    assert complaint.record_id in listed and guangzhou.record_id not in listed
    assert get_record(db, officer, market.record_id).id == market.record_id
