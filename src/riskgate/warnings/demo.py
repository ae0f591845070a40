"""Demo data of the warnings domain, made through the life-cycle, push and acknowledgement
services: subscriptions of the demo users, a level I 通报 issued from the demo assessment, a
通告 naming the demo enterprise in its comment window (with the enterprise's reply), a 公告
published, adjusted and lifted, and 公告 published over the past weeks — so the portal, the
feeds, the weekly report and the tracking views have content. Deliveries follow from the
subscriptions; some are acknowledged.

Runs inside `load_demo_data` (once: the loader refuses a second run), after the assessment demo.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.assessment.models import RiskAssessment
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.settings import Settings
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import Organisation, User
from riskgate.warnings.lifecycle import lifting, service
from riskgate.warnings.lifecycle.schemas import AdjustmentIn, WarningIn
from riskgate.warnings.models import PublicWarning, WarningDelivery
from riskgate.warnings.push import acknowledgement, subscriptions

# Published 公告 of the past weeks: (days ago, level, title, title_en, hazard class, product,
# HS code, category, brand, origin countries, hazard, consumer instructions).
RECENT: tuple[tuple[Any, ...], ...] = (
    (3, "II", "锂电池移动电源起火", "Lithium power banks catch fire", "physical",
     "20000mAh 移动电源", "850760", "电子产品", "闪充", ["CN"],
     "电芯隔膜缺陷，充电时可能热失控起火。", "立即停止使用并断开充电，联系销售商退货。"),
    # Toys: matches the demo enterprise's subscription, so it has a 公告 to acknowledge (签收).
    (6, "III", "磁力积木小磁铁易脱落", "Small magnets detach from magnetic building blocks",
     "physical", "磁力积木", "950300", "玩具", "MagiBuild", ["CN"],
     "小磁铁可能脱落，儿童误吞多枚磁铁可致肠穿孔。", "立即停止让儿童玩耍，联系销售商退货。"),
    (9, "III", "进口冷冻虾检出致病菌", "Pathogenic bacteria in imported frozen shrimp",
     "biological", "冷冻白虾仁", "030617", "水产品", "OceanBlue", ["EC"],
     "检出副溶血性弧菌，未充分加热食用可致食源性疾病。",
     "勿购买该批次产品；已购买的请彻底加热或退货。"),
    (16, "III", "电热水壶漏电", "Electric kettles leak current", "physical", "1.7升电热水壶",
     "851679", "小家电", "暖家", ["CN"], "内部接地不良，外壳可能带电，存在触电危险。",
     "停止使用，拔下电源插头，联系生产企业免费更换。"),
    (23, "IV", "婴儿连体衣绳带超长", "Overlong cords on baby rompers", "physical",
     "婴儿纯棉连体衣", "611120", "儿童服装", "小棉袄", ["VN"],
     "颈部绳带超长，可能造成婴幼儿勒颈窒息。", "剪除绳带或退货，勿让婴幼儿无人看护时穿着。"),
    (30, "III", "进口化妆品检出禁用物质", "Banned substance found in imported cosmetics",
     "chemical", "美白面霜", "330499", "化妆品", "Bellacure", ["KR"],
     "检出禁用物质氢醌，长期使用可损害皮肤。", "立即停止使用，保留购买凭证并联系销售商退货。"),
)


def _actor(db: Session, username: str) -> Actor | None:
    user = db.execute(select(User).where(User.username == username)).scalar_one_or_none()
    return actor_for(user, "zh-CN") if user is not None else None


def _org_id(db: Session, code: str) -> int | None:
    return db.execute(select(Organisation.id).where(Organisation.code == code)).scalar()


def _enterprise_id(db: Session, email: str) -> int | None:
    return db.execute(select(Organisation.id).where(Organisation.contact_email == email)).scalar()


def _content(title: str, title_en: str, level: str, kind: str, **extra: Any) -> WarningIn:
    data: dict[str, Any] = {
        "title": title, "title_en": title_en, "level": level, "warning_type": kind,
        "summary": f"{title}：监测和抽检发现相关产品存在安全风险，现予发布。",
        "summary_en": f"{title_en}: monitoring and sampling found a safety risk in the product.",
        **extra,
    }
    return WarningIn.model_validate(data)


def _publish(db: Session, drafter: Actor, approver: Actor, data: WarningIn) -> PublicWarning:
    warning = service.create_warning(db, drafter, data)
    service.submit_for_review(db, drafter, warning.id)
    service.approve(db, approver, warning.id)
    return service.publish(db, approver, warning.id)


def _backdate(db: Session, warning: PublicWarning, days: int) -> None:
    """Demo history: the services stamp "now"; move the publication (and the deliveries it made,
    not those of later follow-ups) back to when the demo says it happened."""
    when = utcnow() - dt.timedelta(days=days, hours=2)
    warning.published_at = when
    warning.effective_from = when.date()
    if warning.original is not None:  # the original as published says the same date
        warning.original = {**warning.original, "effective_from": when.date().isoformat()}
    for delivery in db.execute(select(WarningDelivery).where(
            WarningDelivery.warning_id == warning.id,
            WarningDelivery.follow_up_id.is_(None))).scalars():
        delivery.created_at = when
        if delivery.ack_deadline is not None:
            delivery.ack_deadline = when + (delivery.ack_deadline - utcnow())
    db.flush()


def _subscribe(db: Session) -> int:
    made = 0
    for username, name, filters in (
        ("officer", "上海关区：玩具和小家电", {"hs_prefixes": ["9503", "8516"],
                                         "levels": ["I", "II", "III"]}),
        ("port", "洋山口岸：进口食品", {"hs_prefixes": ["03", "19"],
                                   "warning_types": ["bulletin", "notice", "announcement"]}),
        ("amrofficer", "上海市场监管：全部公告", {"warning_types": ["announcement"],
                                           "regions": ["310000"]}),
        ("enterprise", "星童玩具：玩具类预警", {"categories": ["玩具"], "hs_prefixes": ["9503"]}),
        ("gzofficer", "广州关区：水产品", {"hs_prefixes": ["0306"], "countries": ["EC", "VN"]}),
    ):
        actor = _actor(db, username)
        if actor is not None:
            subscriptions.create_subscription(db, actor, {"name": name, "channel": "inbox",
                                                          **filters})
            made += 1
    return made


def _acknowledge_some(db: Session) -> int:
    """The officer, the port and the enterprise acknowledge what reached them; others wait."""
    done = 0
    for username in ("officer", "port", "enterprise"):
        actor = _actor(db, username)
        if actor is None:
            continue
        waiting = db.execute(acknowledgement.received_statement(actor, open_only=True)
                             ).scalars().all()  # the delivery is the first column
        for delivery in waiting[::2]:  # every other one, for a partial rate
            acknowledgement.acknowledge(db, actor, delivery.id, note="已收悉，正在落实。")
            done += 1
    return done


def _other_states(db: Session, officer: Actor, approver: Actor) -> int:
    """The remaining states: adjusted, withdrawn, approved, in review and a draft."""
    def charger(title: str, title_en: str, model: str) -> WarningIn:
        return _content(
            title, title_en, "III", "announcement", hazard="充电器过热，可能引发火灾。",
            hazard_class="physical", measures=["suspend_sales"], origin_countries=["CN"],
            regions=["310000"], consumer_instructions="停止使用该型号充电器。",
            products=[{"name": "电动自行车充电器", "hs_code": "850440", "category": "电子产品",
                       "brand": "速骑", "model": model}])

    shrimp = db.execute(select(PublicWarning).where(
        PublicWarning.title == "进口冷冻虾检出致病菌")).scalar_one_or_none()
    if shrimp is not None:
        service.adjust(db, approver, shrimp.id, AdjustmentIn.model_validate({
            "reason": "广东口岸同批次产品再次检出，提升等级并扩大范围。", "level": "II",
            "regions": ["310000", "440000"]}))
    wrong = _publish(db, officer, approver, charger(
        "电动自行车充电器过热（误发）", "E-bike chargers overheat (issued in error)", "SQ-48"))
    service.withdraw(db, approver, wrong.id, reason="型号填写错误，本预警误发，予以撤回。")
    approved = service.create_warning(db, officer, charger(
        "电动自行车充电器过热", "E-bike chargers overheat", "SQ-48V2"))
    service.submit_for_review(db, officer, approved.id)
    service.approve(db, approver, approved.id)
    in_review = service.create_warning(db, officer, _content(
        "儿童餐椅安全带易松脱", "Harnesses of children's high chairs come loose", "IV",
        "announcement", hazard="安全带卡扣强度不足，儿童可能从餐椅跌落。",
        hazard_class="physical", origin_countries=["CN"], regions=["310000"],
        consumer_instructions="使用时确保成人看护，联系商家更换卡扣。",
        products=[{"name": "儿童餐椅", "hs_code": "940171", "category": "儿童用品"}]))
    service.submit_for_review(db, officer, in_review.id)
    service.create_warning(db, officer, _content(
        "进口婴幼儿配方奶粉标签不符", "Labels of imported infant formula do not comply", "IV",
        "bulletin", hazard="中文标签营养成分标示与实际不符。", hazard_class="fraud",
        origin_countries=["NZ"]))
    return 4


def load_warnings_demo(session: Session, settings: Settings) -> dict[str, int]:
    db = session
    officer, approver = _actor(db, "officer"), _actor(db, "approver")
    gacc_approver, enterprise = _actor(db, "gacc_approver"), _actor(db, "enterprise")
    toys = _enterprise_id(db, "compliance@toys.example.cn")
    food = _enterprise_id(db, "compliance@food.example.cn")
    if None in (officer, approver, gacc_approver, enterprise, toys, food):
        return {"warnings": 0}
    assert officer and approver and gacc_approver and enterprise and toys and food
    count = 0
    made_subscriptions = _subscribe(db)

    # 1. Level I 通报 from the demo assessment the officer concluded "unsafe" (national issue).
    assessment = db.execute(select(RiskAssessment).where(
        RiskAssessment.title == "进口塑料玩具小零件风险评估")).scalar_one_or_none()
    drafts = service.warnings_for_assessment(db, assessment.id) if assessment else []
    if drafts:
        bulletin = drafts[0]
        service.update_warning(db, officer, bulletin.id, _content(
            "进口塑料玩具小零件脱落", "Small parts detach from imported plastic toys", "I",
            "bulletin", assessment_id=assessment.id if assessment else None,
            hazard="小零件在正常玩耍中脱落，3岁以下儿童误吞可致窒息。", hazard_class="physical",
            measures=["port_control", "return_shipment", "trace_investigation"],
            origin_countries=["VN"], ports=["shanghai_yangshan"],
            enterprise_instructions="口岸对同类产品加严查验，发现问题依法退运。",
            products=[{"name": "塑料拼插玩具", "hs_code": "950300", "category": "玩具",
                       "brand": "FunBlocks", "model": "FB-200", "batch": "2026-09"}],
            enterprises=[{"organisation_id": toys, "role": "importer"}]))
        service.submit_for_review(db, officer, bulletin.id)
        service.approve(db, gacc_approver, bulletin.id)
        service.publish(db, gacc_approver, bulletin.id)
        count += 1

    # 2. A 通告 naming the demo enterprise, in its comment window, with the enterprise's reply.
    notice = service.create_warning(db, officer, _content(
        "儿童玩具邻苯二甲酸酯超标", "Phthalates above the limit in children's toys", "III",
        "notice", hazard="增塑剂邻苯二甲酸酯（DEHP）超过限量，可能损害儿童生殖系统。",
        hazard_class="chemical", measures=["suspend_sales", "defect_recall"],
        origin_countries=["CN"], regions=["310000"],
        enterprise_instructions="立即暂停销售相关批次，排查库存并准备召回方案。",
        products=[{"name": "软胶洋娃娃", "hs_code": "950300", "category": "玩具", "brand": "星童",
                   "model": "XT-08", "batch": "20260915", "barcode": "6901234567892"}],
        enterprises=[{"organisation_id": toys, "role": "importer"}]))
    service.open_comment_window(db, officer, notice.id, settings=settings)
    service.add_comment(db, enterprise, notice.id,
                        "我司已暂停销售该批次，送检复测报告将于5个工作日内提交。")
    count += 1

    # 3. A 公告 published, adjusted (level raised, scope widened) and later lifted.
    heater_content = _content(
        "电暖器倾倒后不断电", "Heaters keep running after tipping over", "III", "announcement",
        hazard="倾倒开关失效，电暖器倾倒后持续加热，可能引燃周围物品。", hazard_class="physical",
        measures=["defect_recall"], origin_countries=["CN"], regions=["310000"],
        consumer_instructions="停止使用，联系生产企业免费维修或退货。",
        enterprise_instructions="立即召回并更换倾倒开关。",
        products=[{"name": "取暖器", "hs_code": "851629", "category": "小家电", "brand": "暖家",
                   "model": "NJ-2000"}],
        enterprises=[{"organisation_id": food, "role": "distributor"}])
    heater = _publish(db, officer, approver, heater_content)
    service.adjust(db, approver, heater.id, AdjustmentIn.model_validate({
        "reason": "广东地区出现同类伤害报告，提升等级并扩大范围。", "level": "II",
        "regions": ["310000", "440000"]}))
    # Level II now: lifted with four eyes (R2) — requested here, confirmed by a second approver
    # holding the authority.
    lifting.lift(db, approver, heater.id, reason="召回完成，风险已消除。",
                 evaluation="召回完成率98%，连续8周无新的伤害报告。")
    lifting.confirm(db, gacc_approver, heater.id)
    _backdate(db, heater, 40)
    count += 1

    # 4. 公告 of the past weeks.
    for days, level, title, title_en, hazard_class, product, hs, category, brand, countries, \
            hazard, advice in RECENT:
        warning = _publish(db, officer, approver, _content(
            title, title_en, level, "announcement", hazard=hazard, hazard_class=hazard_class,
            measures=["suspend_sales"], origin_countries=countries, regions=["310000"],
            consumer_instructions=advice,
            products=[{"name": product, "hs_code": hs, "category": category, "brand": brand}]))
        _backdate(db, warning, days)
        count += 1
    count += _other_states(db, officer, approver)
    acknowledged = _acknowledge_some(db)
    db.flush()
    return {"warnings": count, "warning_subscriptions": made_subscriptions,
            "warning_acknowledgements": acknowledged}
