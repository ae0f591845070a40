"""Shared data of the control-rule, profile and petition tests: the warnings world plus port
organisations and rule inputs, built through the real services."""

from __future__ import annotations

from typing import Any

from riskgate.border.models import ControlRule
from riskgate.border.rules import service as rules
from riskgate.border.rules.schemas import ControlRuleIn
from riskgate.core.permissions import Role
from tests.factories import make_user
from tests.warnings.helpers import WarningWorld


def rule_input(**overrides: Any) -> ControlRuleIn:
    data: dict[str, Any] = {"title": "进口玩具布控", "hs_prefixes": ["9503"],
                            "countries": ["CN"], "action": "physical_inspection",
                            "sampling_rate": 1.0}
    data.update(overrides)
    return ControlRuleIn.model_validate(data)


def make_rule(world: WarningWorld, **overrides: Any) -> ControlRule:
    """A hand-written rule of the national head office."""
    return rules.create_rule(world.db, world.actor(world.officer), rule_input(**overrides))


def profile_keeper(world: WarningWorld, org=None):  # type: ignore[no-untyped-def]
    """A supervisor (RISK_PROFILE_MANAGE) at the national office."""
    return make_user(world.db, world.settings, org or world.national, Role.SUPERVISOR,
                     language="en")
