"""Demo reports: a few complaints and a whistleblower report from the public, an accident report
from the demo toy enterprise (no attachments: the demo writes no files)."""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import User
from riskgate.reports import enterprise, service
from riskgate.reports.enums import ReportKind, ReportStatus
from riskgate.reports.schemas import ComplaintIn, EnterpriseReportIn, TransitionIn, WhistleblowerIn

COMPLAINTS: tuple[dict[str, Any], ...] = (
    {
        "route": "market",
        "product_name": "儿童电动滑板车",
        "brand": "飞跃",
        "model": "FY-200",
        "region_code": "310115",
        "purchase_place": "某电商平台飞跃旗舰店",
        "origin_country": "DE",
        "description": "充电时电池起火，孩子的手被烫伤。",
        "injuries_count": 1,
        "injury_severity": "minor",
        "injury_age_group": "4-14",
        "contact_email": "wang.demo@example.cn",
    },
    {
        "route": "border",
        "product_name": "进口婴儿奶粉",
        "brand": "Alpenmilch",
        "batch_number": "L2403",
        "region_code": "310000",
        "origin_country": "AT",
        "description": "跨境电商购买的奶粉有结块和异味，婴儿食用后腹泻。",
        "injuries_count": 1,
        "injury_severity": "minor",
        "injury_age_group": "0-3",
    },
    {
        "route": "market",
        "product_name": "电热水壶",
        "region_code": "371500",
        "description": "使用一周后底座漏电，有触电感。",
    },
)


def load_reports_demo(db: Session, settings: Any) -> dict[str, int]:
    """File the demo reports (after the demo users exist)."""
    users = {
        u.username: u
        for u in db.execute(
            select(User).where(User.username.in_(("amrofficer", "enterprise")))
        ).scalars()
    }
    public = Actor.anonymous("zh-CN")
    filed = []
    for body in COMPLAINTS:
        filed.append(
            service.submit_complaint(
                db, public, settings, ComplaintIn.model_validate(body), language="zh-CN"
            )
        )
    officer = actor_for(users["amrofficer"], "zh-CN") if "amrofficer" in users else None
    first = filed[0].report
    if officer is not None and first.organisation_id:
        with contextlib.suppress(Exception):  # the demo officer may not see it; the demo goes on
            service.transition(
                db,
                officer,
                ReportKind.complaint,
                first.id,
                TransitionIn(
                    status=ReportStatus.accepted, public_note="已受理，正在调查该批次产品。"
                ),
            )
    service.submit_whistleblower_report(
        db,
        public,
        settings,
        WhistleblowerIn.model_validate(
            {
                "route": "market",
                "product_name": "婴儿奶粉",
                "enterprise_name": "某某贸易有限公司",
                "region_code": "310115",
                "description": "该公司将过期进口奶粉重新贴标后销售。",
                "anonymous": False,
                "identity": {"name": "李举报（演示）", "phone": "13800000000"},
            }
        ),
        language="zh-CN",
    )
    if "enterprise" in users:
        enterprise.file_report(
            db,
            actor_for(users["enterprise"], "zh-CN"),
            settings,
            EnterpriseReportIn.model_validate(
                {
                    "kind": "accident",
                    "route": "market",
                    "product_name": "毛绒玩具",
                    "batch_number": "XT-2026-03",
                    "description": "一名两岁儿童误吞玩具眼睛配件，已送医，无生命危险。",
                    "injuries_count": 1,
                    "injury_severity": "serious",
                    "injury_age_group": "0-3",
                    "measures_taken": "暂停销售该批次，通知经销商下架。",
                }
            ),
            language="zh-CN",
        )
    return {"reports": len(filed) + 2}
