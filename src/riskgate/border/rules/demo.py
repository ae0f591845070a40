"""Demo control rules: a few hand-written rules (one suspended, one retired), written by the demo
officer through the real services. Rules derived from the demo warnings come through the
warnings' publication (`rules.derivation`); the demo petition against one is the evaluation
stage's (`riskgate.evaluation.demo`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.border.models import ControlRule
from riskgate.border.rules import service as rules
from riskgate.border.rules.schemas import ControlRuleIn
from riskgate.core.db import utcnow
from riskgate.core.settings import Settings
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import User

MANUAL = (
    {"title": "越南产塑料玩具单证审核", "hs_prefixes": ["9503"], "countries": ["VN"],
     "action": "documentary_check", "sampling_rate": 1.0, "priority": 55},
    {"title": "巴西冻牛肉抽样送检", "hs_prefixes": ["0202"], "countries": ["BR"],
     "keywords": ["牛肉"], "action": "sampling", "sampling_rate": 0.3, "priority": 65,
     "ports": ["shanghai_yangshan", "guangzhou_nansha"]},
    {"title": "婴幼儿配方乳粉查验", "hs_prefixes": ["040210", "040221"],
     "keywords": ["婴儿", "婴幼儿"], "action": "physical_inspection", "sampling_rate": 0.5,
     "priority": 75, "direction": "import"},
    {"title": "印度胡椒查验（已暂停）", "hs_prefixes": ["0904"], "countries": ["IN"],
     "action": "physical_inspection", "sampling_rate": 0.2},
    {"title": "电暖器专项布控（已撤销）", "hs_prefixes": ["851629"],
     "action": "physical_inspection", "sampling_rate": 1.0},
)


def load_rules_demo(session: Session, settings: Settings) -> dict[str, int]:
    """Hand-written rules in every state; counts the rules derived from the demo warnings."""
    db = session
    counts = {"control_rules": 0}
    user = db.execute(select(User).where(User.username == "officer")).scalar_one_or_none()
    if user is not None:
        officer = actor_for(user, "zh-CN")
        start = utcnow() - dt.timedelta(days=20)
        made = [rules.create_rule(db, officer, ControlRuleIn.model_validate(
            {**spec, "valid_from": start, "valid_until": start + dt.timedelta(days=180)}))
            for spec in MANUAL]
        rules.suspend_rule(db, officer, made[3].id, "口岸查验能力紧张，暂停两周")
        rules.retire_rule(db, officer, made[4].id, "专项行动结束")
        counts["control_rules"] = len(made)
    counts["derived_rules"] = len(db.execute(select(ControlRule.id).where(
        ControlRule.warning_id.is_not(None))).all())
    return counts
