"""Demo data of recalls, made through the recall services: recalls of the demo toy enterprise
in every state (draft, in progress at 40 %, one reaching 100 % and completed automatically,
one evaluated and closed, one cancelled), a voluntary recall of an unregistered importer, and
two foreign recalls from CPSC records stored through the records pipeline (which turns them
into foreign recalls, as an import would).

Runs inside `load_demo_data`, after the warnings demo (a recall links a published warning).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.catalog.enums import SourceChannel
from riskgate.core.context import Actor
from riskgate.core.settings import Settings
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import User
from riskgate.recalls import service
from riskgate.recalls.models import Recall
from riskgate.recalls.schemas import ProgressReportIn, RecallIn
from riskgate.records.service import store_drafts
from riskgate.warnings.enums import PUBLISHED_STATES
from riskgate.warnings.models import PublicWarning

# (title, product, category, HS, brand, model, units affected, remedies, hazard, state, units
# reported).
DOMESTIC: tuple[tuple[Any, ...], ...] = (
    ("星童塑料洋娃娃召回（邻苯超标）", "塑料洋娃娃", "玩具", "950300", "星童", "XT-01", 1200,
     ["refund", "replace"], "邻苯二甲酸酯含量超过限量，可能损害儿童健康。", "full", 1200),
    ("星童电动玩具车电池过热召回", "电动玩具车", "玩具", "950300", "星童", "XT-CAR-3", 800,
     ["repair", "replace"], "电池保护板缺陷，充电时可能过热。", "progress", 320),
    ("星童积木小零件召回", "儿童积木", "玩具", "950300", "星童", "XT-B100", 500,
     ["refund"], "小零件易脱落，存在误吞窒息风险。", "closed", 500),
    ("星童毛绒玩具填充物召回", "毛绒熊", "玩具", "950300", "星童", "XT-P12", 300,
     ["replace"], "填充物可燃性不符合标准。", "draft", 0),
    ("星童磁力片召回", "磁力片", "玩具", "950300", "星童", "XT-M8", 200,
     ["refund"], "磁铁易脱落，误吞可致肠道损伤。", "cancelled", 0),
)
CPSC: tuple[dict[str, Any], ...] = (
    {"RecallNumber": "DEMO-24101", "RecallDate": "2026-09-12T00:00:00",
     "Title": "Demo Kids Magnetic Tiles Recalled Due to Ingestion Hazard",
     "URL": "https://www.cpsc.gov/Recalls", "Products": [{"Name": "Magnetic Building Tiles",
                                                          "NumberOfUnits": "About 24,000"}],
     "RemedyOptions": [{"Option": "Refund"}]},
    {"RecallNumber": "DEMO-24102", "RecallDate": "2026-10-03T00:00:00",
     "Title": "Demo Portable Heaters Recalled Due to Fire Hazard",
     "URL": "https://www.cpsc.gov/Recalls", "Products": [{"Name": "Portable Electric Heater",
                                                          "NumberOfUnits": "About 1.1 million"}],
     "RemedyOptions": [{"Option": "Repair"}]},
)


def _actor(db: Session, username: str) -> Actor | None:
    user = db.execute(select(User).where(User.username == username)).scalar_one_or_none()
    return actor_for(user, "zh-CN") if user is not None else None


def _foreign(session: Session, organisation_id: int) -> int:
    """Two CPSC records through the records pipeline: the foreign-recall step makes them."""
    drafts = []
    for row in CPSC:
        product = row["Products"][0]
        drafts.append(({
            "external_reference": row["RecallNumber"], "title": row["Title"],
            "product_name": product["Name"], "quantity": product["NumberOfUnits"],
            "occurred_on": dt.date.fromisoformat(row["RecallDate"][:10]),
            "notifying_country": "US", "language": "en", "trade_direction": "import",
            "confidentiality": "public", "hazard_types": [], "enterprises": [],
            "measures_taken": " ".join(o["Option"] for o in row["RemedyOptions"]),
        }, json.dumps(row, ensure_ascii=False)))
    stored = store_drafts(session, drafts, channel=SourceChannel.feed_cpsc,
                          organisation_id=organisation_id)
    return sum(1 for s in stored if s.created)


def load_recalls_demo(session: Session, settings: Settings) -> dict[str, int]:
    """Recalls in every state with progress reports, and foreign recalls."""
    officer, enterprise = _actor(session, "officer"), _actor(session, "enterprise")
    if officer is None or enterprise is None or officer.organisation_id is None:
        return {"recalls": 0}
    warning_id = session.execute(select(PublicWarning.id).where(
        PublicWarning.status.in_(PUBLISHED_STATES), PublicWarning.published_at.is_not(None))
        .order_by(PublicWarning.id)).scalars().first()
    today = service.local_date()
    for index, (title, product, category, hs, brand, model, units, remedies, hazard, state,
                reported) in enumerate(DOMESTIC):
        recall = service.create_recall(session, officer, RecallIn.model_validate({
            "origin": "ordered" if index % 2 == 0 else "voluntary",
            "enterprise_id": enterprise.organisation_id, "title": title, "product_name": product,
            "category": category, "hs_code": hs, "brand": brand, "model": model,
            "units_affected": units, "remedies": remedies, "hazard": hazard,
            "plan": "通过销售记录联系购买者，按处置方式处理；每期报告处置数量。",
            "report_every_days": 14, "warning_id": warning_id if index == 0 else None}))
        if state == "draft":
            continue
        service.start_recall(session, officer, recall.id)
        if state == "cancelled":
            service.cancel_recall(session, officer, recall.id, "经复核产品符合标准，撤销召回。")
            continue
        first = reported // 2
        for units_now in (first, reported - first):
            if units_now:
                service.file_report(session, enterprise, recall.id, ProgressReportIn(
                    period_end=today, units_remedied=units_now,
                    by_remedy={remedies[0]: units_now}, note="按计划推进。"))
        if state == "closed":
            service.close_recall(session, officer, recall.id,
                                 "召回完成率100%，未再发现相关伤害报告。")
    service.create_recall(session, officer, RecallIn.model_validate({
        "origin": "voluntary", "enterprise_name": "Acme Kitchenware GmbH",
        "title": "进口不锈钢水壶主动召回", "product_name": "不锈钢电水壶", "category": "小家电",
        "hs_code": "851671", "brand": "Acme", "model": "K-200", "units_affected": 3000,
        "remedies": ["replace"], "hazard": "壶底焊缝可能开裂漏电。"}))
    foreign = _foreign(session, officer.organisation_id)
    total = len(session.execute(select(Recall.id)).all())
    return {"recalls": total - foreign, "foreign_recalls": foreign}
