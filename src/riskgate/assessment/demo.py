"""Demo data of the assessment domain: a draft assessment of a serious risk (left for the
officer or the committee) and one of a medium risk the officer concluded unsafe, which drafted
a warning."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.assessment import service
from riskgate.assessment.enums import Conclusion
from riskgate.core.context import Actor
from riskgate.core.settings import Settings
from riskgate.identity.models import Organisation
from riskgate.records.models import RiskRecord

ACTOR = Actor.system("demo")
HEATER = [{"hazard": "电暖器内部绝缘不良，带电部件可触及", "injury": "触电致死",
           "severity": 4, "user_group": "adults",
           "steps": [{"description": "绝缘在使用中失效", "probability": "1/100"},
                     {"description": "使用者触碰外壳带电部位", "probability": "1/10"}]},
          {"hazard": "电暖器倾倒后未断电", "injury": "烫伤", "severity": 2,
           "user_group": "young_children",
           "steps": [{"description": "电暖器被碰倒", "probability": "1/10"},
                     {"description": "儿童接触发热面", "probability": "1/100"}]}]
TOY = [{"hazard": "玩具小零件易脱落", "injury": "误吞导致轻度不适", "severity": 2,
        "user_group": "young_children",
        "steps": [{"description": "零件在正常玩耍中脱落", "probability": "1/10"},
                  {"description": "儿童将零件放入口中", "probability": "1/100"}]}]


def load_assessment_demo(session: Session, settings: Settings) -> dict[str, int]:
    """Two assessments at Shanghai Customs, on records of its subtree where there are some."""
    organisation = session.execute(
        select(Organisation).where(Organisation.code == "CUS2200")).scalar_one_or_none()
    if organisation is None:
        return {"assessments": 0}
    records = list(session.execute(
        select(RiskRecord.id).join(Organisation, Organisation.id == RiskRecord.organisation_id)
        .where(Organisation.path.startswith(organisation.path)).order_by(RiskRecord.id).limit(4)
    ).scalars())  # fmt: skip
    heater = service.create_assessment(session, ACTOR, {
        "title": "进口电暖器漏电风险评估", "organisation_id": organisation.id,
        "record_ids": records[:2], "hazard_class": "physical", "product_category": "电暖器",
        "hs_code": "851629", "origin_country": "DE", "scenarios": HEATER,
        "urgency": "immediate", "impact_scope": "nationwide"})
    toy = service.create_assessment(session, ACTOR, {
        "title": "进口塑料玩具小零件风险评估", "organisation_id": organisation.id,
        "record_ids": records[2:4], "hazard_class": "physical", "product_category": "玩具",
        "hs_code": "9503", "origin_country": "VN", "scenarios": TOY,
        "urgency": "short_term", "impact_scope": "regional"})
    service.conclude(session, ACTOR, toy.id, conclusion=Conclusion.unsafe,
                     rationale="小零件在正常使用中脱落，对3岁以下儿童存在窒息隐患。")
    session.flush()
    return {"assessments": 2 if heater.id else 1}
