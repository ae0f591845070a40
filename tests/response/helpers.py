"""Response cases built through the real services, for response tests and other domains'.

`response_world` adds to the warnings world (national head office → provincial customs → city
customs, a sibling market regulator) a market regulator under the head office (region 310000)
and ports on the customs units, so the joint-disposal rules find lead and cooperating units.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from riskgate.core.permissions import Role
from riskgate.core.settings import Settings
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.response import service
from riskgate.response.models import ResponseCase, ResponseTask
from tests.factories import make_org, make_user
from tests.warnings.helpers import WarningWorld, build_world, make_published_warning


def response_world(db: Session, settings: Settings) -> WarningWorld:
    """The warnings world plus a market regulator (with an officer) under the head office, the
    provincial customs in region 310000 at Waigaoqiao, the city customs at Yangshan, and a port
    officer and supervisor in the provincial customs."""
    world = build_world(db, settings)
    world.provincial.region_code = "310000"
    world.provincial.port_code = "shanghai_waigaoqiao"
    world.city.region_code = "310115"
    world.city.port_code = "shanghai_yangshan"
    market = make_org(db, parent=world.national, org_type=OrgType.MARKET_REGULATOR,
                      level=OrgLevel.PROVINCIAL, name_zh=f"上海市场监管局{world.national.id}",
                      region_code="310000")
    world.market = market  # type: ignore[attr-defined]
    world.market_officer = make_user(db, settings, market, Role.RISK_OFFICER,  # type: ignore[attr-defined]
                                     language="en")
    world.city_officer = make_user(db, settings, world.city, Role.PORT_OFFICER,  # type: ignore[attr-defined]
                                   language="en")
    world.prov_supervisor = make_user(db, settings, world.provincial, Role.SUPERVISOR,  # type: ignore[attr-defined]
                                      language="en", email=f"provsup{world.national.id}@example.cn")
    db.flush()
    return world


def published_case(db: Session, world: WarningWorld, level: str = "I",
                   **overrides: Any) -> ResponseCase:
    """Publish a warning of `level` (national approver) and return the case the rules opened."""
    overrides.setdefault("warning_type", "notice")
    warning = make_published_warning(world, level=level, **overrides)
    case = service.case_for_warning(db, warning.id)
    assert case is not None, "the joint-disposal rules opened no case"
    return case


def task_for(db: Session, case: ResponseCase, measure: str,
             organisation_id: int | None = None) -> ResponseTask:
    for task in service.tasks_of(db, case.id):
        if task.measure.value == measure and (organisation_id is None
                                              or task.organisation_id == organisation_id):
            return task
    raise AssertionError(f"no task {measure} for {organisation_id}")


def joint_world(db: Session, settings: Settings) -> WarningWorld:
    """The warnings world with the customs units placed (Shanghai, Yangshan) and a national market
    regulator of its own agency (a root, like SAMR, with an officer and no supervisor) covering
    region 310000: a customs warning's market measures go to it, a joint case led by customs.
    A system administrator sits in the head office."""
    world = build_world(db, settings)
    world.provincial.region_code = "310000"
    world.provincial.port_code = "shanghai_waigaoqiao"
    world.city.region_code = "310115"
    world.city.port_code = "shanghai_yangshan"
    samr = make_org(db, org_type=OrgType.MARKET_REGULATOR, level=OrgLevel.NATIONAL,
                    name_zh=f"国家市场监督管理总局{world.national.id}", region_code="310000")
    world.samr = samr  # type: ignore[attr-defined]
    world.samr_officer = make_user(db, settings, samr, Role.RISK_OFFICER,  # type: ignore[attr-defined]
                                   language="en")
    world.sysadmin = make_user(db, settings, world.national, Role.SYSTEM_ADMIN,  # type: ignore[attr-defined]
                               language="en", email=f"sysadmin{world.national.id}@example.cn")
    db.flush()
    return world


def samr_task(db: Session, world: WarningWorld, level: str = "I") -> ResponseTask:
    """A task of the SAMR-like regulator in a case led by the customs head office."""
    case = published_case(db, world, level=level)
    for task in service.tasks_of(db, case.id):
        if task.organisation_id == world.samr.id:  # type: ignore[attr-defined]
            return task
    raise AssertionError("the market regulator got no task")
