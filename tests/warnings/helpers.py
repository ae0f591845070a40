"""Warnings built through the real services, for every warnings test.

The world: a national head office (officer, two approvers, supervisor), a provincial customs
under it (officer, approver), a city customs under that (approver), a sibling national market
regulator (officer) outside their scope, and two enterprises (each with a user).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.permissions import Role
from riskgate.core.settings import Settings
from riskgate.identity.auth_service import actor_for
from riskgate.identity.demo import make_uscc
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.models import Organisation, User
from riskgate.warnings.lifecycle import lifting, service
from riskgate.warnings.lifecycle.schemas import AdjustmentIn, WarningIn
from riskgate.warnings.models import PublicWarning
from tests.factories import make_org, make_user

_n = itertools.count(1)


@dataclass
class WarningWorld:
    db: Session
    settings: Settings
    national: Organisation
    provincial: Organisation
    city: Organisation
    other: Organisation
    enterprise: Organisation
    enterprise2: Organisation
    officer: User  # national risk officer (drafts)
    approver: User  # national approver
    approver2: User  # a second national approver
    supervisor: User  # national supervisor
    prov_officer: User
    prov_approver: User
    city_approver: User
    other_officer: User
    ent_user: User
    ent2_user: User

    def actor(self, user: User, language: str = "en") -> Actor:
        return actor_for(user, language)


def build_world(db: Session, settings: Settings) -> WarningWorld:
    n = next(_n)
    national = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL,
                        name_zh=f"海关总署{n}")
    provincial = make_org(db, parent=national, org_type=OrgType.DISTRICT_CUSTOMS,
                          level=OrgLevel.PROVINCIAL, name_zh=f"上海海关{n}")
    city = make_org(db, parent=provincial, org_type=OrgType.SUBORDINATE_CUSTOMS,
                    level=OrgLevel.CITY, name_zh=f"洋山海关{n}")
    other = make_org(db, org_type=OrgType.MARKET_REGULATOR, level=OrgLevel.NATIONAL,
                     name_zh=f"市场监管总局{n}")
    base = 31000000 + n * 10
    enterprise = make_org(db, org_type=OrgType.ENTERPRISE, level=OrgLevel.NONE,
                          name_zh=f"上海星童玩具有限公司{n}",
                          uscc=make_uscc("310115", str(base)))
    enterprise2 = make_org(db, org_type=OrgType.ENTERPRISE, level=OrgLevel.NONE,
                           name_zh=f"广州南海岸食品有限公司{n}",
                           uscc=make_uscc("440100", str(base + 1)))

    def user(org: Organisation, role: Role, email: str | None = None) -> User:
        return make_user(db, settings, org, role, email=email, language="en")

    world = WarningWorld(
        db=db, settings=settings, national=national, provincial=provincial, city=city,
        other=other, enterprise=enterprise, enterprise2=enterprise2,
        officer=user(national, Role.RISK_OFFICER, f"officer{n}@example.cn"),
        approver=user(national, Role.APPROVER, f"approver{n}@example.cn"),
        approver2=user(national, Role.APPROVER),
        supervisor=user(national, Role.SUPERVISOR, f"supervisor{n}@example.cn"),
        prov_officer=user(provincial, Role.RISK_OFFICER),
        prov_approver=user(provincial, Role.APPROVER),
        city_approver=user(city, Role.APPROVER),
        other_officer=user(other, Role.RISK_OFFICER),
        ent_user=user(enterprise, Role.ENTERPRISE_USER, f"ent{n}@example.cn"),
        ent2_user=user(enterprise2, Role.ENTERPRISE_USER),
    )
    db.flush()
    return world


def warning_input(world: WarningWorld | None = None, **overrides: Any) -> WarningIn:
    """A complete warning (ready for review): a level III 公告 about a toy with phthalates."""
    n = next(_n)
    data: dict[str, Any] = {
        "title": f"儿童玩具邻苯二甲酸酯超标 {n}",
        "title_en": f"Phthalates above the limit in children's toys {n}",
        "summary": "抽检发现进口塑料玩具中邻苯二甲酸酯含量超过限量。",
        "summary_en": "Imported plastic toys were found with phthalates above the limit.",
        "hazard": "化学危害：邻苯二甲酸酯可能损害儿童生殖系统。",
        "hazard_class": "chemical",
        "level": "III",
        "warning_type": "announcement",
        "measures": ["suspend_sales", "defect_recall"],
        "origin_countries": ["CN", "VN"],
        "regions": ["310000"],
        "ports": [],
        "consumer_instructions": "立即停止使用该玩具，联系销售商退货。",
        "enterprise_instructions": "立即下架并召回相关批次。",
        "products": [{"name": "塑料洋娃娃", "hs_code": "950300", "category": "玩具",
                      "brand": "星童", "model": "XT-01", "batch": "20261001",
                      "barcode": "6901234567892"}],
        "enterprises": ([{"organisation_id": world.enterprise.id, "role": "importer"}]
                        if world is not None else []),
    }
    data.update(overrides)
    return WarningIn.model_validate(data)


def make_draft(world: WarningWorld, **overrides: Any) -> PublicWarning:
    return service.create_warning(world.db, world.actor(world.officer),
                                  warning_input(world, **overrides))


def make_approved(world: WarningWorld, **overrides: Any) -> PublicWarning:
    warning = make_draft(world, **overrides)
    service.submit_for_review(world.db, world.actor(world.officer), warning.id)
    service.approve(world.db, world.actor(world.approver), warning.id)
    return warning


def make_published_warning(world: WarningWorld, **overrides: Any) -> PublicWarning:
    """Drafted by the national officer, approved and published by the national approver."""
    warning = make_approved(world, **overrides)
    return service.publish(world.db, world.actor(world.approver), warning.id)


def adjust(world: WarningWorld, warning: PublicWarning, **changes: Any):  # type: ignore[no-untyped-def]
    """Adjust as the approver; lowering a level I–II warning is confirmed by the second."""
    changes.setdefault("reason", "扩大范围")
    result = lifting.adjust(world.db, world.actor(world.approver), warning.id,
                            AdjustmentIn.model_validate(changes))
    if result == lifting.REQUESTED:
        result = lifting.confirm(world.db, world.actor(world.approver2), warning.id)
    return result


def lift(world: WarningWorld, warning: PublicWarning):  # type: ignore[no-untyped-def]
    """Lift as the approver; a level I–II warning is confirmed by the second approver (R2)."""
    result = lifting.lift(world.db, world.actor(world.approver), warning.id, reason="风险已消除",
                          evaluation="连续8周无新的不合格记录，召回完成率100%。")
    if result == lifting.REQUESTED:
        result = lifting.confirm(world.db, world.actor(world.approver2), warning.id)
    return result
