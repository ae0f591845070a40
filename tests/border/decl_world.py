"""Shared data of the declaration tests: the warnings world plus a port officer at the city
customs, a live control rule on toys from Viet Nam and a certified enterprise, all built through
the real services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from riskgate.border.declarations import service as declarations
from riskgate.border.models import ControlRule
from riskgate.border.profiles import service as profiles
from riskgate.border.profiles.schemas import CreditGradeIn
from riskgate.core.permissions import Role
from riskgate.identity.models import User
from tests.border.rules_world import make_rule, profile_keeper
from tests.factories import make_user
from tests.warnings.helpers import WarningWorld, build_world

PORT = "shanghai_yangshan"
CERTIFIED = "91310115MA1K3YJ12X"
ORDINARY = "91440101MA5CXX1234"
_numbers = itertools.count(1)


@dataclass
class DeclWorld:
    w: WarningWorld
    officer: User  # port officer at the city customs
    other_officer: User  # port officer outside the city customs' scope
    rule: ControlRule

    @property
    def db(self):  # type: ignore[no-untyped-def]
        return self.w.db

    def actor(self, user: User | None = None, language: str = "en"):  # type: ignore[no-untyped-def]
        return self.w.actor(user or self.officer, language)


def build(db, settings) -> DeclWorld:  # type: ignore[no-untyped-def]
    declarations.invalidate_caches()
    world = build_world(db, settings)
    officer = make_user(db, settings, world.city, Role.PORT_OFFICER, language="en")
    other = make_user(db, settings, world.other, Role.PORT_OFFICER, language="en")
    rule = make_rule(world, title="越南玩具布控", hs_prefixes=["9503"], countries=["VN"],
                     action="physical_inspection")
    keeper = world.actor(profile_keeper(world))
    profiles.set_credit_grade(db, keeper, CreditGradeIn(
        enterprise_code=CERTIFIED, name="上海优信进出口有限公司", grade="certified"))
    db.flush()
    return DeclWorld(world, officer, other, rule)


def number() -> str:
    return f"2233{next(_numbers):014d}"


def line(line_no: int = 1, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"line_no": line_no, "hs_code": "9503008900",
                            "description": "塑料玩具车", "brand": "乐乐", "model": "A1",
                            "quantity": "100", "unit": "个", "value": "350.00",
                            "currency": "USD", "origin_country": "VN"}
    data.update(overrides)
    return data


def declaration(lines: list[dict[str, Any]] | None = None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"number": number(), "direction": "import", "port_code": PORT,
                            "trade_mode": "0110", "declarant_name": "上海报关行",
                            "declarant_code": "3122240001", "trader_name": "上海优信进出口有限公司",
                            "trader_code": CERTIFIED, "origin_country": "VN",
                            "declared_on": "2026-11-20", "lines": lines or [line()],
                            "seed": 1}  # seed 1: the certified microwave line goes green
    data.update(overrides)
    return data


def safe_line(line_no: int = 1, **overrides: Any) -> dict[str, Any]:
    """A line no rule targets: microwave ovens from Japan."""
    values = {"hs_code": "8516500000", "description": "微波炉", "brand": "松下",
              "model": "NN-1", "origin_country": "JP", **overrides}
    return line(line_no, **values)
