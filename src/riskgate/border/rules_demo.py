"""Demo data of border control rules and risk profiles: credit grades of the demo enterprises
(certified, ordinary, dishonest), country and commodity risk scores, lane targets of the demo
ports, a few hand-written rules (one suspended, one retired) and one submitted lifting petition.
Rules derived from the demo warnings come through the warnings hook when those are published."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.border import profiles, rules
from riskgate.border.models import ControlRule
from riskgate.border.rule_schemas import (
    CommodityRiskIn,
    ControlRuleIn,
    CountryRiskIn,
    CreditGradeIn,
    PortTargetIn,
)
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.settings import Settings
from riskgate.identity.auth_service import actor_for
from riskgate.identity.demo import ENTERPRISES, make_uscc
from riskgate.identity.models import Organisation, User
from riskgate.reports.attachments import Upload
from riskgate.response import petitions

# (enterprise key in riskgate.demo.ENTERPRISES, grade)
CREDIT = {"ent_toys": "dishonest", "ent_food": "ordinary", "ent_cbec": "certified",
          "ent_auto": "certified", "ent_cotton": "ordinary", "ent_dutyfree": "ordinary"}
COUNTRIES = (("VN", 0.45, "玩具、服装抽检不合格率较高"), ("IN", 0.5, "香辛料农残超标多发"),
             ("BR", 0.35, "冻肉微生物指标"), ("DE", 0.1, None), ("JP", 0.1, None),
             ("US", 0.15, None))
COMMODITIES = (("9503", 0.6, "儿童玩具：邻苯二甲酸酯、小零件"), ("0402", 0.5, "乳粉：婴幼儿配方"),
               ("0202", 0.4, "冻牛肉"), ("8516", 0.45, "电热器具：电气安全"),
               ("0904", 0.35, "胡椒：农残"), ("6111", 0.3, "婴儿服装：甲醛、绳带"))
TARGETS = (("shanghai_yangshan", 0.03, 0.05, 0.02, 0.005),
           ("shanghai_pudong_airport", 0.05, 0.08, 0.02, 0.01),
           ("guangzhou_nansha", 0.04, 0.06, 0.03, 0.005), ("horgos", 0.06, 0.08, 0.0, 0.01))
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
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
            b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _actor(db: Session, username: str) -> Actor | None:
    user = db.execute(select(User).where(User.username == username)).scalar_one_or_none()
    return actor_for(user, "zh-CN") if user is not None else None


def load_rules_demo(session: Session, settings: Settings) -> dict[str, int]:
    """Profiles, hand-written rules and a petition; skipped parts when a demo user is absent."""

    db = session
    counts = {"credit_grades": 0, "control_rules": 0, "petitions": 0}
    keeper = _actor(db, "supervisor")
    if keeper is not None:
        for key, name_zh, _en, region, base8 in ENTERPRISES:
            if key in CREDIT:
                profiles.set_credit_grade(db, keeper, CreditGradeIn(
                    enterprise_code=make_uscc(region, base8), name=name_zh, grade=CREDIT[key]))
                counts["credit_grades"] += 1
        for country, score, note in COUNTRIES:
            profiles.set_country_risk(db, keeper, CountryRiskIn(country=country, score=score,
                                                                note=note))
        for prefix, score, note in COMMODITIES:
            profiles.set_commodity_risk(db, keeper, CommodityRiskIn(hs_prefix=prefix,
                                                                    score=score, note=note))
        for port_code, red, yellow, blue, minimum in TARGETS:
            profiles.set_port_target(db, keeper, PortTargetIn(
                port_code=port_code, red_rate=red, yellow_rate=yellow, blue_rate=blue,
                min_random_rate=minimum))
    officer = _actor(db, "officer")
    if officer is not None:
        start = utcnow() - dt.timedelta(days=20)
        made = [rules.create_rule(db, officer, ControlRuleIn.model_validate(
            {**spec, "valid_from": start, "valid_until": start + dt.timedelta(days=180)}))
            for spec in MANUAL]
        rules.suspend_rule(db, officer, made[3].id, "口岸查验能力紧张，暂停两周")
        rules.retire_rule(db, officer, made[4].id, "专项行动结束")
        counts["control_rules"] = len(made)
    counts["petitions"] = _petition(db, settings)
    counts["derived_rules"] = len(db.execute(select(ControlRule.id).where(
        ControlRule.warning_id.is_not(None))).all())
    return counts


def _petition(db: Session, settings: Settings) -> int:
    """The demo enterprise petitions against the first rule or warning that names it."""

    enterprise = _actor(db, "enterprise")
    if enterprise is None or db.get(Organisation, enterprise.organisation_id) is None:
        return 0
    warnings, derived = petitions.petitionable(db, enterprise)
    if not warnings and not derived:
        return 0
    petitions.submit(
        db, enterprise, warning_id=None if derived else warnings[0].id,
        control_rule_id=derived[0].id if derived else None,
        body="我司已对涉事批次全部召回，第三方检测机构对后续5批次产品检测均合格，申请解除布控。",
        clean_consignments=5, uploads=[Upload("第三方检测报告.pdf", DEMO_PDF)],
        root=settings.attachments_dir, max_bytes=settings.attachment_max_bytes,
        max_files=settings.attachment_max_files)
    return 1
