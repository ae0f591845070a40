"""Demo of information exchange: 上海海关 and 上海市市场监督管理局 share, both ways, their records,
signals, warnings and response cases about Shanghai (region 31), with the right to act; each
side has a system administrator who manages the agreements (`sysadmin` at 海关总署, `amradmin`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.core.permissions import Role
from riskgate.core.settings import Settings
from riskgate.identity import service as identity
from riskgate.identity.demo import ACTOR, DEMO_PASSWORD
from riskgate.identity.exchange import service
from riskgate.identity.exchange.enums import ExchangeAccess, ShareCategory
from riskgate.identity.exchange.schemas import AgreementIn
from riskgate.identity.models import Organisation

CATEGORIES = [ShareCategory.risk_record, ShareCategory.signal, ShareCategory.public_warning,
              ShareCategory.response_case]


def load_exchange_demo(session: Session, settings: Settings) -> dict[str, int]:
    orgs = {o.code: o for o in session.execute(select(Organisation).where(
        Organisation.code.in_(("CUS2200", "AMR310000")))).scalars()}
    customs, amr = orgs["CUS2200"], orgs["AMR310000"]
    identity.create_user(session, ACTOR, settings, identity.UserInput(
        username="amradmin", display_name="沈系统（市场监管系统管理员）", organisation_id=amr.id,
        password=DEMO_PASSWORD, roles=[Role.SYSTEM_ADMIN], email="amradmin@demo.riskgate.local",
        language="zh-CN", is_demo=True))
    pairs = ((customs, amr, "上海海关→上海市市场监管局 上海地区风险信息共享"),
             (amr, customs, "上海市市场监管局→上海海关 上海地区风险信息共享"))
    for provider, receiver, title in pairs:
        agreement = service.propose_agreement(session, ACTOR, AgreementIn(
            provider_id=provider.id, receiver_id=receiver.id, title=title,
            categories=CATEGORIES, regions=["310000"], access=ExchangeAccess.act,
            note="联合处置：从口岸到市场闭环"))
        service.accept_agreement(session, ACTOR, agreement.id)
    return {"exchange agreements": len(pairs)}
