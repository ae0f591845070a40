"""Demo data of the expert committee: Shanghai Customs' committee with a toys panel and a food
panel, the demo expert as chair plus a second expert, one declared conflict, any assessments
already with the committee referred to the toys panel, and next quarter's meeting."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.assessment.enums import AssessmentStatus
from riskgate.assessment.models import RiskAssessment
from riskgate.channels.submissions import quarter_of, quarter_start
from riskgate.core.context import Actor
from riskgate.core.errors import DomainError
from riskgate.core.permissions import Role
from riskgate.core.settings import Settings
from riskgate.experts import meetings, panels, service
from riskgate.experts.enums import MemberRole
from riskgate.identity import service as identity
from riskgate.identity.demo import DEMO_PASSWORD
from riskgate.identity.models import Organisation, User

ACTOR = Actor.system("demo")


def load_experts_demo(session: Session, settings: Settings) -> dict[str, int]:

    committee = session.execute(
        select(Organisation).where(Organisation.code == "CUS2200")).scalar_one_or_none()
    lab = session.execute(
        select(Organisation).where(Organisation.code == "CUS2200LAB")).scalar_one_or_none()
    expert = session.execute(select(User).where(User.username == "expert")).scalar_one_or_none()
    if committee is None or lab is None or expert is None:
        return {}
    second = identity.create_user(session, ACTOR, settings, identity.UserInput(
        username="expert2", display_name="郑专家", organisation_id=lab.id,
        password=DEMO_PASSWORD, roles=[Role.EXPERT], email="expert2@demo.riskgate.local",
        language="zh-CN", is_demo=True))
    toys = panels.create_panel(session, ACTOR, {
        "organisation_id": committee.id, "name_zh": "玩具与儿童用品专业组",
        "name_en": "Toys and children's products panel", "field": "toys_children",
        "hazard_classes": ["physical", "chemical"], "hs_chapters": ["95", "94"],
        "decision_rule": "majority", "quorum": 2})
    food = panels.create_panel(session, ACTOR, {
        "organisation_id": committee.id, "name_zh": "食品专业组", "name_en": "Food panel",
        "field": "food", "hazard_classes": ["biological", "chemical"],
        "hs_chapters": ["02", "03", "04", "16", "19", "20", "21"],
        "decision_rule": "consensus", "quorum": 2})
    start = dt.date(dt.date.today().year, 1, 1)
    panels.set_member(session, ACTOR, toys.id, expert.id, role=MemberRole.chair, term_start=start,
                      term_end=start.replace(year=start.year + 3))
    for panel in (toys, food):
        panels.set_member(session, ACTOR, panel.id, second.id, role=MemberRole.member,
                          term_start=start,
                          term_end=None)
    service.declare_conflict(session, ACTOR, second.id, {
        "kind": "enterprise", "enterprise_name": "Pacific Baby Products Inc.", "country": "US",
        "description": "曾为该公司提供检测咨询服务（2023 年）"})
    referred = 0
    for assessment in session.execute(select(RiskAssessment).where(
            RiskAssessment.organisation_id == committee.id,
            RiskAssessment.status == AssessmentStatus.in_review)).scalars().all():
        try:
            with session.begin_nested():
                service.refer(session, ACTOR, assessment_id=assessment.id, panel_id=toys.id,
                              expert_ids=[expert.id, second.id])
            referred += 1
        except DomainError:  # a conflict of interest, or outside the committee
            continue
    year, quarter = quarter_of(dt.date.today())
    year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    next_quarter = quarter_start(year, quarter) + dt.timedelta(days=14)
    meetings.create_meeting(
        session, ACTOR, title=f"{year}年第{quarter}季度"
        "专家委员会工作会议", panel_id=toys.id, location="上海海关技术中心 3 楼会议室",
        scheduled_at=dt.datetime.combine(next_quarter, dt.time(1, 30), tzinfo=dt.UTC))
    return {"expert panels": 2, "expert reviews": referred, "committee meetings": 1}
