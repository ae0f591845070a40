"""A head office with two local organisations under it, an officer in each, and record helpers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.records.service import push_records
from tests.factories import make_org, make_user, token_for

_refs = itertools.count(1)


@dataclass
class Side:
    organisation: Any
    user: Any
    actor: Any
    token: str


@dataclass
class World:
    hq: Side
    a: Side
    b: Side
    reader_a: Side


def _side(db, settings, organisation, role=Role.RISK_OFFICER) -> Side:  # type: ignore[no-untyped-def]
    user = make_user(db, settings, organisation, role, language="en")
    return Side(organisation, user, actor_for(user, "en"), token_for(db, user))


@pytest.fixture
def world(db, settings) -> World:  # type: ignore[no-untyped-def]
    root = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL)
    org_a = make_org(db, parent=root, name_zh="甲市场监管局")
    org_b = make_org(db, parent=root, name_zh="乙海关")
    built = World(
        _side(db, settings, root), _side(db, settings, org_a), _side(db, settings, org_b),
        _side(db, settings, org_a, Role.APPROVER),
    )
    db.commit()
    return built


def push(db, side: Side, **fields: Any) -> int:  # type: ignore[no-untyped-def]
    """Push one record as the side's officer (through the real service) and commit."""
    body = {"source_channel": "hotline_12315", "external_reference": f"L-{next(_refs)}", **fields}
    (stored,) = push_records(db, side.actor, [body])
    db.commit()
    assert stored.created
    return stored.record_id


def english_notice(**extra: Any) -> dict[str, Any]:
    return {
        "source_channel": "foreign_notice", "occurred_on": "2026-03-02",
        "title": "Electric heater HT-2000 — overheating, risk of fire",
        "product_name": "Electric heater",
        "brand": "Midea", "model": "HT-2000", "batch_number": "B2024-117", "origin_country": "CN",
        "hazard_type": "fire", "language": "en", **extra,
    }  # fmt: skip


def chinese_complaint(**extra: Any) -> dict[str, Any]:
    return {
        "source_channel": "hotline_12315", "occurred_on": "2026-03-14",
        "title": "美的电暖器HT-2000使用中起火冒烟", "product_name": "电暖器", "brand": "美的",
        "model": "HT 2000", "batch_number": "b2024-117", "language": "zh-CN", **extra,
    }  # fmt: skip
