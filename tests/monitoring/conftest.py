"""A unit with an officer, an approver and a port officer, a sibling unit, and helpers that
build plans through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.identity.enums import OrgLevel, OrgType
from tests.factories import make_org, make_user


@dataclass
class Unit:
    org: Any
    other: Any
    officer: Any
    approver: Any
    port: Any
    officer_actor: Any
    approver_actor: Any
    port_actor: Any
    other_actor: Any


@pytest.fixture
def unit(db, settings) -> Unit:  # type: ignore[no-untyped-def]
    root = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL)
    org = make_org(db, parent=root, name_zh="上海海关")
    other = make_org(db, parent=root, name_zh="广州海关")
    officer = make_user(db, settings, org, Role.RISK_OFFICER)
    approver = make_user(db, settings, org, Role.APPROVER)
    port = make_user(db, settings, org, Role.PORT_OFFICER)
    stranger = make_user(db, settings, other, Role.RISK_OFFICER)
    db.commit()
    return Unit(org, other, officer, approver, port, actor_for(officer, "en"),
                actor_for(approver, "en"), actor_for(port, "en"), actor_for(stranger, "en"))


def target(**changes: Any) -> dict[str, Any]:
    base = {
        "product_category": "婴幼儿配方乳粉", "hs_code": "190110", "hazard_class": "chemical",
        "origin_countries": ["NZ"], "port_codes": ["shanghai_yangshan"], "samples": 8,
        "test_items": [
            {"name": "铅", "hazard_type": "heavy_metals", "comparison": "le", "limit": 0.02,
             "unit": "mg/kg"},
            {"name": "阪崎克罗诺杆菌", "hazard_type": "pathogenic_microorganisms",
             "comparison": "absent"},
        ],
    }  # fmt: skip
    return {**base, **changes}


def plan_body(**changes: Any) -> dict[str, Any]:
    return {"year": 2026, "title": "2026年进口食品风险监测计划", "period": "quarter",
            "targets": [target()], **changes}
