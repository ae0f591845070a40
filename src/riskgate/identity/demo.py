"""The demo's organisations, enterprises and users: realistic Chinese organisations, a user for
every role, enterprises with valid unified social credit codes. Everything here is generated and
marked `is_demo`; every other domain's demo builds on it (`riskgate.demo` loads them in loop
order).

The names of public bodies are real; people and enterprises are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc as uscc_number

from riskgate.core.context import Actor
from riskgate.core.permissions import Role
from riskgate.core.settings import Settings
from riskgate.identity import service
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.models import Organisation

DEMO_PASSWORD = "Riskgate@2026"
ACTOR = Actor.system("demo-loader")

_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code(base8: str) -> str:
    """A 9-character organisation code (GB 11714): 8 digits and their check character."""
    total = sum(int(c) * w for c, w in zip(base8, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return base8 + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(region_code: str, base8: str, *, authority: str = "9", kind: str = "1") -> str:
    """A valid 18-character unified social credit code (GB 32100) for demo enterprises."""
    body = authority + kind + region_code + organisation_code(base8)
    return body + uscc_number.calc_check_digit(body)


@dataclass(frozen=True)
class DemoOrg:
    key: str
    code: str
    name_zh: str
    name_en: str
    org_type: OrgType
    level: OrgLevel
    parent: str | None
    region_code: str | None = None
    port_code: str | None = None


# fmt: off — data tables read better one record per line
ORGS: tuple[DemoOrg, ...] = (
    DemoOrg("gacc", "GACC", "海关总署", "General Administration of Customs of China",
            OrgType.CUSTOMS_HEAD_OFFICE, OrgLevel.NATIONAL, None, "110000"),
    DemoOrg("sh_customs", "CUS2200", "上海海关", "Shanghai Customs", OrgType.DISTRICT_CUSTOMS,
            OrgLevel.PROVINCIAL, "gacc", "310000"),
    DemoOrg("yangshan", "CUS2248", "洋山海关", "Yangshan Customs", OrgType.SUBORDINATE_CUSTOMS,
            OrgLevel.CITY, "sh_customs", "310115", "shanghai_yangshan"),
    DemoOrg("pudong_airport", "CUS2233", "浦东国际机场海关", "Pudong International Airport Customs",
            OrgType.SUBORDINATE_CUSTOMS, OrgLevel.CITY, "sh_customs", "310115",
            "shanghai_pudong_airport"),
    DemoOrg("sh_lab", "CUS2200LAB", "上海海关技术中心", "Shanghai Customs Technical Centre",
            OrgType.LAB, OrgLevel.NONE, "sh_customs", "310000"),
    DemoOrg("gz_customs", "CUS5100", "广州海关", "Guangzhou Customs", OrgType.DISTRICT_CUSTOMS,
            OrgLevel.PROVINCIAL, "gacc", "440100"),
    DemoOrg("nansha", "CUS5165", "南沙海关", "Nansha Customs", OrgType.SUBORDINATE_CUSTOMS,
            OrgLevel.CITY, "gz_customs", "440115", "guangzhou_nansha"),
    DemoOrg("sz_customs", "CUS5300", "深圳海关", "Shenzhen Customs", OrgType.DISTRICT_CUSTOMS,
            OrgLevel.PROVINCIAL, "gacc", "440300"),
    DemoOrg("qd_customs", "CUS4200", "青岛海关", "Qingdao Customs", OrgType.DISTRICT_CUSTOMS,
            OrgLevel.PROVINCIAL, "gacc", "370200"),
    DemoOrg("jn_customs", "CUS4300", "济南海关", "Jinan Customs", OrgType.DISTRICT_CUSTOMS,
            OrgLevel.PROVINCIAL, "gacc", "370100"),
    DemoOrg("lc_customs", "CUS4340", "聊城海关", "Liaocheng Customs", OrgType.SUBORDINATE_CUSTOMS,
            OrgLevel.CITY, "jn_customs", "371500"),
    DemoOrg("hk_customs", "CUS6400", "海口海关", "Haikou Customs", OrgType.DISTRICT_CUSTOMS,
            OrgLevel.PROVINCIAL, "gacc", "460100"),
    DemoOrg("urumqi_customs", "CUS7200", "乌鲁木齐海关", "Urumqi Customs",
            OrgType.DISTRICT_CUSTOMS, OrgLevel.PROVINCIAL, "gacc", "650100"),
    DemoOrg("horgos", "CUS7250", "霍尔果斯海关", "Horgos Customs", OrgType.SUBORDINATE_CUSTOMS,
            OrgLevel.CITY, "urumqi_customs", "654004", "horgos"),
    DemoOrg("samr", "SAMR", "国家市场监督管理总局", "State Administration for Market Regulation",
            OrgType.MARKET_REGULATOR, OrgLevel.NATIONAL, None, "110000"),
    DemoOrg("sh_amr", "AMR310000", "上海市市场监督管理局", "Shanghai Administration for Market "
            "Regulation", OrgType.MARKET_REGULATOR, OrgLevel.PROVINCIAL, "samr", "310000"),
    DemoOrg("pudong_amr", "AMR310115", "浦东新区市场监督管理局", "Pudong New Area Administration "
            "for Market Regulation", OrgType.MARKET_REGULATOR, OrgLevel.COUNTY, "sh_amr",
            "310115"),
    DemoOrg("gd_amr", "AMR440000", "广东省市场监督管理局", "Guangdong Administration for Market "
            "Regulation", OrgType.MARKET_REGULATOR, OrgLevel.PROVINCIAL, "samr", "440000"),
    DemoOrg("gz_amr", "AMR440100", "广州市市场监督管理局", "Guangzhou Administration for Market "
            "Regulation", OrgType.MARKET_REGULATOR, OrgLevel.CITY, "gd_amr", "440100"),
    DemoOrg("sd_amr", "AMR370000", "山东省市场监督管理局", "Shandong Administration for Market "
            "Regulation", OrgType.MARKET_REGULATOR, OrgLevel.PROVINCIAL, "samr", "370000"),
    DemoOrg("lc_amr", "AMR371500", "聊城市市场监督管理局", "Liaocheng Administration for Market "
            "Regulation", OrgType.MARKET_REGULATOR, OrgLevel.CITY, "sd_amr", "371500"),
    DemoOrg("hi_amr", "AMR460000", "海南省市场监督管理局", "Hainan Administration for Market "
            "Regulation", OrgType.MARKET_REGULATOR, OrgLevel.PROVINCIAL, "samr", "460000"),
    DemoOrg("xj_amr", "AMR650000", "新疆维吾尔自治区市场监督管理局", "Xinjiang Administration for "
            "Market Regulation", OrgType.MARKET_REGULATOR, OrgLevel.PROVINCIAL, "samr", "650000"),
    DemoOrg("nmpa", "NMPA", "国家药品监督管理局", "National Medical Products Administration",
            OrgType.FOOD_DRUG, OrgLevel.NATIONAL, None, "110000"),
    DemoOrg("sh_mpa", "MPA310000", "上海市药品监督管理局", "Shanghai Medical Products "
            "Administration", OrgType.FOOD_DRUG, OrgLevel.PROVINCIAL, "nmpa", "310000"),
    DemoOrg("moa", "MOA", "农业农村部", "Ministry of Agriculture and Rural Affairs",
            OrgType.AGRICULTURE, OrgLevel.NATIONAL, None, "110000"),
    DemoOrg("mee", "MEE", "生态环境部", "Ministry of Ecology and Environment",
            OrgType.ENVIRONMENT, OrgLevel.NATIONAL, None, "110000"),
    DemoOrg("mps", "MPS", "公安部", "Ministry of Public Security", OrgType.POLICE,
            OrgLevel.NATIONAL, None, "110000"),
    DemoOrg("nhc", "NHC", "国家卫生健康委员会", "National Health Commission", OrgType.HEALTH,
            OrgLevel.NATIONAL, None, "110000"),
)

# (key, name_zh, name_en, region, 8-digit base of the organisation code)
ENTERPRISES: tuple[tuple[str, str, str, str, str], ...] = (
    ("ent_toys", "上海星童玩具进出口有限公司", "Shanghai Xingtong Toys Import & Export Co., Ltd.",
     "310115", "31748252"),
    ("ent_food", "广州南海岸食品贸易有限公司", "Guangzhou Nanhai'an Food Trading Co., Ltd.",
     "440115", "44917302"),
    ("ent_cbec", "海南椰风跨境电子商务有限公司", "Hainan Yefeng Cross-border E-commerce Co., Ltd.",
     "460100", "46302815"),
    ("ent_auto", "青岛远航汽车零部件有限公司", "Qingdao Yuanhang Auto Parts Co., Ltd.",
     "370200", "37062419"),
    ("ent_cotton", "聊城鲁棉纺织有限公司", "Liaocheng Lumian Textile Co., Ltd.",
     "371500", "37150637"),
    ("ent_dutyfree", "三亚海岛免税品经营有限公司", "Sanya Island Duty-Free Co., Ltd.",
     "460200", "46020881"),
)

FOREIGN_ENTERPRISES: tuple[tuple[str, str, str, str], ...] = (
    ("ent_de", "Müller Spielwaren GmbH", "DE", "HRB 123456"),
    ("ent_us", "Pacific Baby Products Inc.", "US", "C4567890"),
)

# (username, display name, organisation key, roles, language)
USERS: tuple[tuple[str, str, str, tuple[Role, ...], str], ...] = (
    ("sysadmin", "王建国（系统管理员）", "gacc", (Role.SYSTEM_ADMIN,), "zh-CN"),
    ("secadmin", "李安平（安全管理员）", "gacc", (Role.SECURITY_ADMIN,), "zh-CN"),
    ("auditadmin", "赵审（审计管理员）", "gacc", (Role.AUDIT_ADMIN,), "zh-CN"),
    ("supervisor", "孙督查", "gacc", (Role.SUPERVISOR,), "zh-CN"),
    ("gacc_approver", "钱签发", "gacc", (Role.APPROVER,), "zh-CN"),  # level I warnings
    # Lifting or downgrading a level I–II warning needs a second approver (four eyes).
    ("gacc_approver2", "冯签发", "gacc", (Role.APPROVER,), "zh-CN"),
    ("officer", "陈风险", "sh_customs", (Role.RISK_OFFICER,), "zh-CN"),
    ("approver", "周审批", "sh_customs", (Role.APPROVER,), "zh-CN"),
    ("expert", "吴专家", "sh_lab", (Role.EXPERT,), "zh-CN"),
    ("port", "郑口岸", "yangshan", (Role.PORT_OFFICER,), "zh-CN"),
    ("gzofficer", "黄风险", "gz_customs", (Role.RISK_OFFICER,), "zh-CN"),
    ("amrofficer", "林市监", "sh_amr", (Role.RISK_OFFICER,), "zh-CN"),
    ("lcofficer", "马市监", "lc_amr", (Role.RISK_OFFICER, Role.APPROVER), "zh-CN"),
    # Escalation (督查) of the market regulators' overdue tasks stops at SAMR's supervisor.
    ("samr_supervisor", "何督查", "samr", (Role.SUPERVISOR,), "zh-CN"),
    ("enterprise", "刘企业", "ent_toys", (Role.ENTERPRISE_USER,), "zh-CN"),
    ("officer_en", "Alex Chen", "sh_customs", (Role.RISK_OFFICER,), "en"),
)
# fmt: on


def demo_exists(session: Session) -> bool:
    return session.execute(
        select(Organisation.id).where(Organisation.code == "GACC")
    ).first() is not None


def load_identity_demo(session: Session, settings: Settings) -> dict[str, int]:
    """Create the demo organisations, enterprises and users."""

    orgs: dict[str, Organisation] = {}
    for spec in ORGS:
        orgs[spec.key] = service.create_organisation(session, ACTOR, service.OrganisationInput(
            code=spec.code, name_zh=spec.name_zh, name_en=spec.name_en, org_type=spec.org_type,
            level=spec.level, parent_id=orgs[spec.parent].id if spec.parent else None,
            region_code=spec.region_code, port_code=spec.port_code, is_demo=True,
        ))
    for key, name_zh, name_en, region, base8 in ENTERPRISES:
        code = make_uscc(region, base8)
        orgs[key] = service.create_organisation(session, ACTOR, service.OrganisationInput(
            code=code, name_zh=name_zh, name_en=name_en, org_type=OrgType.ENTERPRISE,
            level=OrgLevel.NONE, region_code=region, uscc=code, is_demo=True,
            contact_email=f"compliance@{key.removeprefix('ent_')}.example.cn",
        ))
    for key, name, country, registration in FOREIGN_ENTERPRISES:
        orgs[key] = service.create_organisation(session, ACTOR, service.OrganisationInput(
            code=f"F-{country}-{registration.replace(' ', '')}", name_zh=name, name_en=name,
            org_type=OrgType.FOREIGN_ENTERPRISE, level=OrgLevel.NONE, foreign_country=country,
            foreign_registration_number=registration, is_demo=True,
        ))
    for username, display_name, org_key, roles, language in USERS:
        service.create_user(session, ACTOR, settings, service.UserInput(
            username=username, display_name=display_name, organisation_id=orgs[org_key].id,
            password=DEMO_PASSWORD, roles=list(roles), email=f"{username}@demo.riskgate.local",
            language=language, is_demo=True,
        ))
    return {"organisations": len(ORGS),
            "enterprises": len(ENTERPRISES) + len(FOREIGN_ENTERPRISES), "users": len(USERS)}
