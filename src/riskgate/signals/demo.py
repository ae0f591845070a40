"""Demo data of the signal stage, so the queue is not empty: a weekly history of pepper with
pesticide residues at Yangshan with a burst this week (a statistical signal), a fatal accident
with an electric heater in Pudong (death → immediate signal), three Safety Gate notices of one
toy (foreign-notice threshold). All records go through the record service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.core.settings import Settings
from riskgate.identity.models import Organisation
from riskgate.records.service import store_drafts
from riskgate.signals import service


def _draft(n: int, day: dt.date, **values: Any) -> tuple[dict[str, Any], None]:
    return ({"external_reference": f"DEMO-SG-{n}", "language": "zh", "trade_direction": "import",
             "confidentiality": "internal", "hazard_types": [], "enterprises": [],
             "occurred_on": day, **values}, None)


def load_signals_demo(session: Session, settings: Settings) -> dict[str, int]:
    orgs = {o.code: o for o in session.execute(select(Organisation).where(
        Organisation.code.in_(["CUS2248", "AMR310115", "GACC"]))).scalars()}
    if len(orgs) < 3:
        return {}
    today = service.local_today(settings.timezone)
    n = 0
    drafts = []
    for week in range(1, 27):
        for _ in range(1 + week % 2):
            n += 1
            drafts.append(_draft(n, today - dt.timedelta(weeks=week, days=n % 3),
                                 title=f"越南产黑胡椒检出农药残留（批次{n}）",
                                 product_name="黑胡椒",
                                 hazard_class="chemical", hazard_type="pesticide_residues",
                                 hs_code="0904", origin_country="VN", region_code="310115",
                                 source_channel="inspection_supervision"))
    for _ in range(9):
        n += 1
        drafts.append(_draft(n, today, title=f"越南产黑胡椒检出毒死蜱超标（批次{n}）",
                             product_name="黑胡椒", hazard_class="chemical",
                             hazard_type="pesticide_residues", hs_code="0904",
                             origin_country="VN", region_code="310115",
                             source_channel="inspection_supervision"))
    store_drafts(session, drafts, channel=None, organisation_id=orgs["CUS2248"].id)
    store_drafts(session, [_draft(
        n + 1, today - dt.timedelta(days=1), title="电暖器起火致一人死亡", product_name="电暖器",
        hazard_class="physical", hazard_type="fire", hs_code="8516", origin_country="CN",
        region_code="310115", injury_severity="fatal", injuries_count=1,
        source_channel="product_accident")], channel=None,
        organisation_id=orgs["AMR310115"].id)
    notices = [_draft(n + 2 + i, today - dt.timedelta(days=2 + 3 * i),
                      title=f"Safety Gate: toy slime with excessive boron ({i + 1})",
                      product_name="Toy slime", brand="SlimeJoy", model="SJ-200",
                      hazard_class="chemical", hazard_type="restricted_substances",
                      hs_code="9503", origin_country="CN", language="en",
                      source_channel="feed_safety_gate") for i in range(3)]
    store_drafts(session, notices, channel=None, organisation_id=orgs["GACC"].id)
    weekly = service.run_weekly(session, settings.timezone)
    thresholds = service.run_thresholds(session, settings.timezone)
    opened = weekly.get("opened", 0) + sum(v for k, v in thresholds.items()
                                           if k.endswith("_opened"))
    return {"signals": opened}
