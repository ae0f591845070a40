"""What screening reads: live rule specs with their version, and the policy from profiles."""

from __future__ import annotations

import datetime as dt

from riskgate.border.enums import CreditGrade
from riskgate.border.profiles import service as profiles
from riskgate.border.profiles.schemas import (
    CommodityRiskIn,
    CountryRiskIn,
    CreditGradeIn,
    PortTargetIn,
)
from riskgate.border.rules import service as rules
from riskgate.border.rules.schemas import ControlRuleUpdate
from riskgate.border.screening.types import Policy, PortTarget, RuleSpec
from riskgate.core.db import utcnow
from tests.border.rules_world import make_rule, profile_keeper
from tests.warnings.helpers import build_world


def test_live_specs_filter_by_status_and_validity_and_normalise(db, settings):
    world = build_world(db, settings)
    officer = world.actor(world.officer)
    now = utcnow()
    live = make_rule(world, hs_prefixes=["9503.00"], countries=["cn"],
                     keywords=["兒童玩具", " ABC "], enterprise_codes=["91310115 mA1"],
                     ports=["shanghai_yangshan"], direction="import", priority=70)
    suspended = make_rule(world)
    rules.suspend_rule(db, officer, suspended.id, "暂停")
    retired = make_rule(world)
    rules.retire_rule(db, officer, retired.id, "不再需要")
    make_rule(world, valid_from=now + dt.timedelta(days=2))  # not yet valid
    make_rule(world, valid_from=now - dt.timedelta(days=5),
              valid_until=now - dt.timedelta(days=1))  # expired
    version, specs = rules.live_rule_specs(db)
    assert [spec.id for spec in specs] == [live.id]
    spec = specs[0]
    assert isinstance(spec, RuleSpec)
    assert spec.hs_prefixes == ("950300",)
    assert spec.countries == ("CN",)
    assert spec.keywords == ("儿童玩具", "abc")
    assert spec.enterprise_codes == ("91310115MA1",)
    assert spec.ports == ("shanghai_yangshan",)
    assert spec.direction == "import" and spec.priority == 70
    assert spec.action == "physical_inspection" and spec.sampling_rate == 1.0
    # later, the future rule is valid too
    _, later = rules.live_rule_specs(db, now + dt.timedelta(days=3))
    assert len(later) == 2 and version


def test_version_changes_with_any_rule_change(db, settings):
    world = build_world(db, settings)
    officer = world.actor(world.officer)
    rule = make_rule(world)
    v1, _ = rules.live_rule_specs(db)
    assert rules.live_rule_specs(db)[0] == v1  # stable when nothing changes
    rules.update_rule(db, officer, rule.id, ControlRuleUpdate(sampling_rate=0.5))
    v2, specs = rules.live_rule_specs(db)
    assert v2 != v1 and specs[0].sampling_rate == 0.5
    rules.suspend_rule(db, officer, rule.id, None)
    v3, specs = rules.live_rule_specs(db)
    assert v3 not in (v1, v2) and specs == []
    rules.resume_rule(db, officer, rule.id, None)
    v4, specs = rules.live_rule_specs(db)
    assert v4 not in (v1, v2, v3) and len(specs) == 1
    make_rule(world)
    assert rules.live_rule_specs(db)[0] != v4


def test_policy_defaults_when_empty(db, settings):
    policy = profiles.current_policy(db)
    assert policy == Policy()
    assert profiles.credit_grade(db, "UNKNOWN123") == CreditGrade.ordinary


def test_policy_from_profiles(db, settings):
    world = build_world(db, settings)
    keeper = world.actor(profile_keeper(world))
    uscc = world.enterprise.uscc
    profiles.set_credit_grade(db, keeper, CreditGradeIn(enterprise_code=uscc.lower(),
                                                        name="星童", grade="dishonest"))
    profiles.set_country_risk(db, keeper, CountryRiskIn(country="vn", score=0.6))
    profiles.set_commodity_risk(db, keeper, CommodityRiskIn(hs_prefix="9503", score=0.8))
    profiles.set_port_target(db, keeper, PortTargetIn(
        port_code="shanghai_yangshan", red_rate=0.05, yellow_rate=0.1, blue_rate=0.05,
        min_random_rate=0.01))
    policy = profiles.current_policy(db)
    assert policy.country_scores == {"VN": 0.6}
    assert policy.commodity_scores == {"9503": 0.8}
    assert policy.port_targets == {"shanghai_yangshan": PortTarget(0.05, 0.1, 0.05, 0.01)}
    assert policy.credit_multipliers == Policy().credit_multipliers
    assert profiles.credit_grade(db, uscc) == CreditGrade.dishonest
    assert profiles.credit_grades(db, [uscc, "X1"]) == {uscc: CreditGrade.dishonest}
