"""Demo risk profiles: credit grades of the demo enterprises (certified, ordinary, dishonest),
country and commodity risk scores, and lane targets of the demo ports. Set by the supervisor
through the real services; skipped when that demo user is absent."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.border.enums import CreditGrade
from riskgate.border.profiles import service as profiles
from riskgate.border.profiles.schemas import (
    CommodityRiskIn,
    CountryRiskIn,
    CreditGradeIn,
    PortTargetIn,
)
from riskgate.core.settings import Settings
from riskgate.identity.auth_service import actor_for
from riskgate.identity.demo import ENTERPRISES, make_uscc
from riskgate.identity.models import User

# (enterprise key in riskgate.identity.demo.ENTERPRISES, grade)
CREDIT = {"ent_toys": CreditGrade.dishonest, "ent_food": CreditGrade.ordinary,
          "ent_cbec": CreditGrade.certified, "ent_auto": CreditGrade.certified,
          "ent_cotton": CreditGrade.ordinary, "ent_dutyfree": CreditGrade.ordinary}
COUNTRIES = (("VN", 0.45, "玩具、服装抽检不合格率较高"), ("IN", 0.5, "香辛料农残超标多发"),
             ("BR", 0.35, "冻肉微生物指标"), ("DE", 0.1, None), ("JP", 0.1, None),
             ("US", 0.15, None))
COMMODITIES = (("9503", 0.6, "儿童玩具：邻苯二甲酸酯、小零件"), ("0402", 0.5, "乳粉：婴幼儿配方"),
               ("0202", 0.4, "冻牛肉"), ("8516", 0.45, "电热器具：电气安全"),
               ("0904", 0.35, "胡椒：农残"), ("6111", 0.3, "婴儿服装：甲醛、绳带"))
TARGETS = (("shanghai_yangshan", 0.03, 0.05, 0.02, 0.005),
           ("shanghai_pudong_airport", 0.05, 0.08, 0.02, 0.01),
           ("guangzhou_nansha", 0.04, 0.06, 0.03, 0.005), ("horgos", 0.06, 0.08, 0.0, 0.01))


def load_profiles_demo(session: Session, settings: Settings) -> dict[str, int]:
    """Credit grades, country and commodity scores and port targets (before the rules and the
    declarations they screen)."""
    db = session
    user = db.execute(select(User).where(User.username == "supervisor")).scalar_one_or_none()
    if user is None:
        return {"credit_grades": 0}
    keeper = actor_for(user, "zh-CN")
    grades = 0
    for key, name_zh, _en, region, base8 in ENTERPRISES:
        if key in CREDIT:
            profiles.set_credit_grade(db, keeper, CreditGradeIn(
                enterprise_code=make_uscc(region, base8), name=name_zh, grade=CREDIT[key]))
            grades += 1
    for country, score, note in COUNTRIES:
        profiles.set_country_risk(db, keeper, CountryRiskIn(country=country, score=score,
                                                            note=note))
    for prefix, score, note in COMMODITIES:
        profiles.set_commodity_risk(db, keeper, CommodityRiskIn(hs_prefix=prefix, score=score,
                                                                note=note))
    for port_code, red, yellow, blue, minimum in TARGETS:
        profiles.set_port_target(db, keeper, PortTargetIn(
            port_code=port_code, red_rate=red, yellow_rate=yellow, blue_rate=blue,
            min_random_rate=minimum))
    return {"credit_grades": grades}
