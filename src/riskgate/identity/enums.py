"""Kinds and levels of organisations."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class OrgType(StrEnum):
    CUSTOMS_HEAD_OFFICE = "customs_head_office"  # 海关总署
    DISTRICT_CUSTOMS = "district_customs"  # 直属海关
    SUBORDINATE_CUSTOMS = "subordinate_customs"  # 隶属海关
    MARKET_REGULATOR = "market_regulator"  # 市场监督管理局
    FOOD_DRUG = "food_drug"  # 药品监督管理局
    AGRICULTURE = "agriculture"  # 农业农村
    ENVIRONMENT = "environment"  # 生态环境
    POLICE = "police"  # 公安
    HEALTH = "health"  # 卫生健康
    COMMERCE = "commerce"  # 商务
    TAXATION = "taxation"  # 税务
    CENTRAL_BANK = "central_bank"  # 人民银行
    LAB = "lab"  # 风险验证评价实验室 / 检验检测机构
    GOVERNMENT = "government"  # 人民政府 (lead of a regional system)
    ENTERPRISE = "enterprise"  # domestic enterprise, by unified social credit code
    FOREIGN_ENTERPRISE = "foreign_enterprise"  # by name + country + registration number

    @property
    def is_enterprise(self) -> bool:
        return self in (OrgType.ENTERPRISE, OrgType.FOREIGN_ENTERPRISE)


class OrgLevel(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    COUNTY = "county"
    NONE = "none"  # enterprises and labs sit outside the administrative hierarchy


ORG_TYPE_LABELS: dict[OrgType, tuple[str, str]] = {
    OrgType.CUSTOMS_HEAD_OFFICE: ("海关总署", "Customs head office"),
    OrgType.DISTRICT_CUSTOMS: ("直属海关", "District customs"),
    OrgType.SUBORDINATE_CUSTOMS: ("隶属海关", "Subordinate customs"),
    OrgType.MARKET_REGULATOR: ("市场监管部门", "Market regulator"),
    OrgType.FOOD_DRUG: ("药品监管部门", "Food and drug regulator"),
    OrgType.AGRICULTURE: ("农业农村部门", "Agriculture"),
    OrgType.ENVIRONMENT: ("生态环境部门", "Environment"),
    OrgType.POLICE: ("公安部门", "Police"),
    OrgType.HEALTH: ("卫生健康部门", "Health"),
    OrgType.COMMERCE: ("商务部门", "Commerce"),
    OrgType.TAXATION: ("税务部门", "Taxation"),
    OrgType.CENTRAL_BANK: ("人民银行", "Central bank"),
    OrgType.LAB: ("检验检测机构", "Laboratory"),
    OrgType.GOVERNMENT: ("人民政府", "People's government"),
    OrgType.ENTERPRISE: ("企业", "Enterprise"),
    OrgType.FOREIGN_ENTERPRISE: ("境外企业", "Foreign enterprise"),
}

ORG_LEVEL_LABELS: dict[OrgLevel, tuple[str, str]] = {
    OrgLevel.NATIONAL: ("国家级", "National"),
    OrgLevel.PROVINCIAL: ("省级", "Provincial"),
    OrgLevel.CITY: ("市级", "City"),
    OrgLevel.COUNTY: ("县级", "County"),
    OrgLevel.NONE: ("—", "—"),
}


# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "organisation.created": N_("Organisation created"),
    "organisation.updated": N_("Organisation changed"),
    "user.created": N_("User created"),
    "user.updated": N_("User changed"),
    "user.roles_changed": N_("Roles changed"),
    "user.password_reset": N_("Password reset by an administrator"),
    "user.password_changed": N_("Password changed"),
    "user.unlocked": N_("Account unlocked"),
    "user.locked": N_("Account locked"),
    "user.signed_in": N_("Signed in"),
    "user.signed_out": N_("Signed out"),
    "user.sign_in_failed": N_("Sign-in failed"),
    "api_token.created": N_("API token created"),
    "api_token.revoked": N_("API token revoked"),
    "organisation": N_("Organisation"),
    "user": N_("User"),
    "api_token": N_("API token"),
}
