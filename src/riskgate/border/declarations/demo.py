"""Demo declarations: a few dozen declarations of the demo enterprises at the demo ports,
screened by the Yangshan port officer through the real service into all four lanes, a batch with
a rejected line, and some inspections (one failed, which becomes a risk record).

Run after the profiles and control-rule demos so that rules and credit grades apply."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.border.declarations import batch as decl_batch
from riskgate.border.declarations import service as declarations
from riskgate.border.enums import Lane
from riskgate.border.inspection import service as inspection
from riskgate.core.db import utcnow
from riskgate.core.settings import Settings
from riskgate.identity.auth_service import actor_for
from riskgate.identity.demo import ENTERPRISES, make_uscc
from riskgate.identity.models import User

# (hs code, description, brand, model, origin, unit, unit value)
GOODS = (
    ("9503008900", "塑料玩具车", "乐乐", "LL-01", "VN", "个", "3.5"),
    ("9503002100", "毛绒玩具熊", "Teddy", "T-30", "CN", "个", "6"),
    ("0202300090", "冻去骨牛肉", "Frigo", "25KG", "BR", "千克", "5.2"),
    ("8516500000", "微波炉", "松下", "NN-GT35", "JP", "台", "80"),
    ("8516291000", "电暖器", "Dimplex", "OFR-20", "DE", "台", "45"),
    ("0402210000", "婴幼儿配方乳粉", "Nutri", "900G", "DE", "罐", "18"),
    ("6111200000", "婴儿棉质连体衣", "BabyJoy", "S-80", "VN", "件", "4"),
    ("0904120000", "黑胡椒粉", "Spicy", "500G", "IN", "千克", "3"),
    ("6403990000", "皮鞋", "Clark", "CL-1", "VN", "双", "25"),
    ("8708299000", "汽车车身零件", "Yuanhang", "YH-7", "US", "件", "60"),
)
# keys of the trading enterprises in riskgate.identity.demo.ENTERPRISES
TRADERS = ("ent_toys", "ent_cbec", "ent_food", "ent_auto", "ent_dutyfree")
PORTS = ("shanghai_yangshan", "shanghai_yangshan", "shanghai_pudong_airport")
TARGET_DECLARATIONS = 36
MAX_DECLARATIONS = 80


def _declaration(index: int, traders: dict[str, tuple[str, str]]) -> dict[str, Any]:
    key = TRADERS[index % len(TRADERS)]
    name, code = traders[key]
    lines = []
    for line_no in range(1, 2 + index % 3):
        hs, description, brand, model, origin, unit, price = GOODS[(index * 3 + line_no * 7)
                                                                   % len(GOODS)]
        quantity = 100 + (index * 37 + line_no * 11) % 900
        lines.append({"line_no": line_no, "hs_code": hs, "description": description,
                      "brand": brand, "model": model, "quantity": str(quantity), "unit": unit,
                      "value": f"{quantity * float(price):.2f}", "currency": "USD",
                      "origin_country": origin})
    day = utcnow().date() - dt.timedelta(days=index % 5)
    return {"number": f"2248{day:%Y}{index + 1:010d}", "direction": "import",
            "port_code": PORTS[index % len(PORTS)], "trade_mode": "0110",
            "declarant_name": "上海东方报关有限公司", "declarant_code": "3122980001",
            "trader_name": name, "trader_code": code, "origin_country": lines[0]["origin_country"],
            "declared_on": day.isoformat(), "lines": lines}


def load_declarations_demo(session: Session, settings: Settings) -> dict[str, int]:
    """Screen the demo declarations and record a few inspections; returns counts."""

    db = session
    user = db.execute(select(User).where(User.username == "port")).scalar_one_or_none()
    if user is None:
        return {"declarations": 0}
    actor = actor_for(user, "zh-CN")
    traders = {key: (name_zh, make_uscc(region, base8))
               for key, name_zh, _en, region, base8 in ENTERPRISES}
    declarations.invalidate_caches()
    stored = []
    lanes: set[str] = set()
    for index in itertools.count():
        if index >= MAX_DECLARATIONS or (index >= TARGET_DECLARATIONS and len(lanes) == 4):
            break
        declaration = declarations.screen_declaration(db, actor, _declaration(index, traders))
        lines = declarations.lines_of(db, declaration.id)
        lanes.update(line.lane.value for line in lines)
        stored.append((declaration, lines))
    bad = _declaration(MAX_DECLARATIONS + 1, traders)
    bad["lines"].append({**bad["lines"][0], "line_no": len(bad["lines"]) + 1,
                         "hs_code": "0100000000", "quantity": "-5"})
    good = _declaration(MAX_DECLARATIONS + 2, traders)
    batch = decl_batch.screen_batch(db, actor, [decl_batch.BatchItem(0, bad),
                                                decl_batch.BatchItem(1, good)]).batch
    inspected = failed = 0
    red = [line for _d, lines in stored for line in lines if line.lane == Lane.red]
    yellow = [line for _d, lines in stored for line in lines if line.lane == Lane.yellow]
    if red:
        inspection.record_inspection(db, actor, red[0].id, "fail",
                                     "查验发现小零件易脱落，未标注中文警示语，存在儿童窒息风险。",
                                     "choking")
        inspected, failed = 1, 1
    for line in red[1:3] + yellow[:2]:
        inspection.record_inspection(db, actor, line.id, "pass", None)
        inspected += 1
    db.flush()
    return {"declarations": len(stored) + batch.declarations, "declaration_batches": 1,
            "inspections": inspected, "failed_inspections": failed}
