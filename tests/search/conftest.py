"""Records in two organisations, pushed through the real record service (and so indexed).

Also used by tests/records/test_search_api.py (`make_world`)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from riskgate.core.context import Actor
from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import User
from riskgate.records import service as records
from tests.factories import make_org, make_user

RECORDS = [
    {
        "source_channel": "inspection_supervision", "external_reference": "CIQ-1",
        "occurred_on": "2026-03-02", "title": "进口儿童玩具含铅量超标",
        "description": "检出可迁移元素铅，儿童啃咬后可能铅中毒。",
        "product_name": "塑料玩具车", "brand": "ＡＢＣ１２３", "hs_code": "9503.00",
        "hazard_type": "heavy_metals", "origin_country": "VN", "trade_direction": "import",
        "enterprises": [{"role": "manufacturer", "name": "Hanoi Toys Co", "country": "VN"}],
    },
    {
        "source_channel": "foreign_notice", "external_reference": "RASFF-2026.0001",
        "occurred_on": "2026-03-05", "title": "Choking hazard: small parts of a rattle",
        "product_name": "Baby rattle", "hs_code": "9503", "hazard_type": "choking",
        "origin_country": "CN", "notifying_country": "DE", "trade_direction": "export",
        "language": "en",
        "enterprises": [{"role": "exporter", "uscc": "91350200MA2Y0X5L3F"}],
    },
    {
        "source_channel": "hotline_12315", "external_reference": "12315-7",
        "occurred_on": "2026-04-01", "title": "嬰兒奶粉檢出阪崎腸桿菌",
        "description": "消費者投訴，臺灣進口奶粉。", "product_name": "嬰兒配方奶粉",
        "hs_code": "1901.10", "hazard_type": "pathogenic_microorganisms",
        "origin_country": "NZ", "trade_direction": "import",
    },
]  # fmt: skip


@dataclass
class World:
    officer: Actor
    other: Actor
    officer_user: User
    other_user: User
    ids: list[int]
    other_ids: list[int]


@pytest.fixture
def world(db, settings) -> World:  # type: ignore[no-untyped-def]
    return make_world(db, settings)


def make_world(db, settings) -> World:  # type: ignore[no-untyped-def]
    a = make_org(db, name_zh="甲海关")
    b = make_org(db, name_zh="乙海关")
    officer_user = make_user(db, settings, a, Role.RISK_OFFICER, language="en")
    other_user = make_user(db, settings, b, Role.RISK_OFFICER)
    officer, other = actor_for(officer_user, "en"), actor_for(other_user, "zh-CN")
    ids = [r.record_id for r in records.push_records(db, officer, [dict(x) for x in RECORDS])]
    twin = {**RECORDS[0], "external_reference": "B-CIQ-1", "title": "乙方：儿童玩具含铅"}
    other_ids = [r.record_id for r in records.push_records(db, other, [twin])]
    db.commit()
    return World(officer, other, officer_user, other_user, ids, other_ids)
