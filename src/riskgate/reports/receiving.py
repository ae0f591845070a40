"""Which organisation receives a report: the regulator of the place it concerns.

Market reports (12315) go to the market regulator whose region matches the place most closely
(county, then city, then province); border reports (12360) go to the district customs (直属海关)
of the province, preferring one in the same city. Without a region, or without a match, the
organisation named by `RISKGATE_REPORTS_RECEIVING_ORG` (a code) receives it, else the national
body of that kind (国家市场监督管理总局 / 海关总署).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.core.errors import Conflict
from riskgate.core.i18n import N_
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.models import Organisation
from riskgate.reports.enums import ReportRoute

ROUTE_TYPES = {
    ReportRoute.market: (OrgType.MARKET_REGULATOR,),
    ReportRoute.border: (OrgType.DISTRICT_CUSTOMS,),
}
NATIONAL_TYPES = {
    ReportRoute.market: OrgType.MARKET_REGULATOR,
    ReportRoute.border: OrgType.CUSTOMS_HEAD_OFFICE,
}


class NoReceivingOrganisation(Conflict):
    type_slug = "no-receiving-organisation"
    message = N_("No organisation is set up to receive this report; please call the hotline.")


def match_length(region_code: str, candidate: str | None, *, same_province: bool = False) -> int:
    """How closely an organisation's region fits the report's: 3 the same place, 2 its city,
    1 its province (or, with `same_province`, anywhere in its province), 0 not at all."""
    if not candidate or len(candidate) != 6 or len(region_code) != 6:
        return 0
    if candidate == region_code:
        return 3
    if candidate[:4] == region_code[:4] and candidate[4:] == "00":
        return 2
    if candidate[:2] == region_code[:2] and (same_province or candidate[2:] == "0000"):
        return 1
    return 0


def resolve(db: Session, route: ReportRoute, region_code: str | None, fallback_code: str | None,
            ) -> Organisation:
    """The receiving organisation for a report on `route` about `region_code`."""
    if region_code:
        candidates = db.execute(
            select(Organisation).where(
                Organisation.org_type.in_(ROUTE_TYPES[route]),
                Organisation.active.is_(True),
                Organisation.region_code.like(f"{region_code[:2]}%"),
            )
        ).scalars().all()
        wide = route == ReportRoute.border  # a province's district customs serve all of it
        scored = [(match_length(region_code, o.region_code, same_province=wide), o)
                  for o in candidates]
        scored = [(score, o) for score, o in scored if score > 0]
        if scored:
            return max(scored, key=lambda pair: (pair[0], -pair[1].id))[1]
    if fallback_code:
        organisation = db.execute(
            select(Organisation).where(Organisation.code == fallback_code,
                                       Organisation.active.is_(True))
        ).scalar_one_or_none()
        if organisation is not None:
            return organisation
    national = db.execute(
        select(Organisation).where(
            Organisation.org_type == NATIONAL_TYPES[route],
            Organisation.level == OrgLevel.NATIONAL,
            Organisation.active.is_(True),
        ).order_by(Organisation.id).limit(1)
    ).scalar_one_or_none()
    if national is None:
        raise NoReceivingOrganisation()
    return national
