"""The control-rules demo: profiles, hand-written rules in every state, derived rules from the
demo warnings, one submitted petition."""

from __future__ import annotations

from sqlalchemy import func, select

from riskgate.border.enums import RuleStatus
from riskgate.border.models import ControlRule
from riskgate.border.profiles import service as profiles
from riskgate.border.rules import service as rules
from riskgate.demo import load_demo_data
from riskgate.evaluation.models import LiftingPetition


def test_rules_demo(db, settings, tmp_path):
    settings.attachments_dir = tmp_path
    load_demo_data(db, settings)  # calls load_rules_demo after the warnings' demo
    statuses = set(db.execute(select(ControlRule.status)).scalars())
    assert {RuleStatus.active, RuleStatus.suspended, RuleStatus.retired} <= statuses
    assert db.execute(select(func.count(ControlRule.id)).where(
        ControlRule.warning_id.is_not(None))).scalar_one() >= 1
    assert db.execute(select(func.count(LiftingPetition.id))).scalar_one() == 1
    policy = profiles.current_policy(db)
    assert policy.country_scores["VN"] == 0.45 and "shanghai_yangshan" in policy.port_targets
    _version, specs = rules.live_rule_specs(db)
    assert len(specs) >= 4
