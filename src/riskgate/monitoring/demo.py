"""Demo data of the monitoring domain: monitoring points, Shanghai Customs' 2026 plan with its
sampling tasks and some results (two failing, which become risk records)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.settings import Settings
from riskgate.identity.models import Organisation
from riskgate.monitoring import points, results, service

ACTOR = Actor.system("demo")

# (owner code, code, name, type, region, port, HS chapters, categories)
POINTS = (
    ("CUS2200", "SH-YS-FOOD", "洋山港进口食品风险监测点", "port", "310115", "shanghai_yangshan",
     ["04", "19", "21"], ["乳制品", "婴幼儿配方食品"]),
    ("CUS2200", "SH-WGQ-CBEC", "外高桥跨境电商消费品风险监测点", "cross_border_ecommerce",
     "310115", "shanghai_waigaoqiao", ["33", "95"], ["化妆品", "玩具"]),
    ("CUS6400", "HK-DUTYFREE", "海口离岛免税商品风险监测点", "duty_free", "460100", None,
     ["33", "42", "91"], ["化妆品", "箱包", "钟表"]),
    ("CUS7200", "XJ-COTTON", "新疆进口棉花风险监测点", "port", "650100", None, ["52"], ["棉花"]),
)


def _targets(point_ids: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"key": "infant_formula", "product_category": "婴幼儿配方乳粉", "hs_code": "190110",
         "hazard_class": "chemical", "origin_countries": ["NZ", "NL", "FR"],
         "port_codes": ["shanghai_yangshan"], "monitoring_point_ids": [point_ids["SH-YS-FOOD"]],
         "samples": 12, "test_items": [
             {"name": "铅", "hazard_type": "heavy_metals", "comparison": "le", "limit": 0.02,
              "unit": "mg/kg"},
             {"name": "阪崎克罗诺杆菌", "hazard_type": "pathogenic_microorganisms",
              "comparison": "absent"}]},
        {"key": "cosmetics", "product_category": "跨境电商化妆品", "hs_code": "330499",
         "hazard_class": "chemical", "origin_countries": ["KR", "JP"],
         "monitoring_point_ids": [point_ids["SH-WGQ-CBEC"]], "samples": 8, "test_items": [
             {"name": "汞", "hazard_type": "heavy_metals", "comparison": "le", "limit": 1,
              "unit": "mg/kg"}]},
        {"key": "toys", "product_category": "儿童玩具", "hs_code": "950300",
         "hazard_class": "chemical", "samples": 8, "test_items": [
             {"name": "邻苯二甲酸酯总量", "hazard_type": "phthalates", "comparison": "le",
              "limit": 0.1, "unit": "%"}]},
    ]  # fmt: skip


RESULTS = (  # (target key, quarter, sample, test item, value, lab)
    ("infant_formula", 1, "YS2026-001", "铅", 0.008, "上海海关技术中心"),
    ("infant_formula", 1, "YS2026-001", "阪崎克罗诺杆菌", 0, "上海海关技术中心"),
    ("infant_formula", 1, "YS2026-002", "铅", 0.035, "上海海关技术中心"),
    ("infant_formula", 1, "YS2026-003", "铅", 0.011, "上海海关技术中心"),
    ("cosmetics", 1, "WGQ2026-001", "汞", 0.2, "上海海关技术中心"),
    ("cosmetics", 1, "WGQ2026-002", "汞", 3.6, "上海海关技术中心"),
    ("toys", 1, "TOY2026-001", "邻苯二甲酸酯总量", 0.02, "上海海关技术中心"),
)


def load_monitoring_demo(session: Session, settings: Settings) -> dict[str, int]:
    by_code = {o.code: o for o in session.execute(select(Organisation).where(
        Organisation.code.in_({p[0] for p in POINTS}))).scalars()}
    point_ids = {}
    for owner, code, name, kind, region_code, port_code, chapters, categories in POINTS:
        point = points.create_point(session, ACTOR, {
            "organisation_id": by_code[owner].id, "code": code, "name": name,
            "point_type": kind, "region_code": region_code, "port_code": port_code,
            "hs_chapters": chapters, "product_categories": categories})
        point_ids[code] = point.id
    plan = service.create_plan(session, ACTOR, {
        "organisation_id": by_code["CUS2200"].id, "year": 2026,
        "title": "上海海关2026年进出口商品质量安全风险监测计划", "period": "quarter",
        "description": "在国家进出口商品质量安全风险监测计划框架下，对进口婴幼儿配方乳粉、"
                       "跨境电商化妆品和儿童玩具开展口岸抽样监测。",
        "targets": _targets(point_ids)})
    service.approve_plan(session, ACTOR, plan.id, "符合国家监测计划框架")
    created, _ = service.generate_tasks(session, ACTOR, plan.id)
    tasks = {(t.target_key, t.period): t for t in created}
    entered = 0
    for key, quarter, sample, item, value, lab in RESULTS:
        task = tasks[(key, quarter)]
        results.enter_results(session, ACTOR, task.id, [{
            "sample_code": sample, "test_item": item, "measured_value": value, "lab_name": lab,
            "tested_on": dt.date(2026, 2, 10), "enterprise_name": "示例进口商"}])
        entered += 1
    return {"monitoring points": len(POINTS), "monitoring plans": 1,
            "sampling tasks": len(created), "sampling results": entered}
