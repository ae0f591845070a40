"""Kinds and levels of organisations, and the languages a user may choose; each labelled."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class OrgType(LabelledEnum):
    """What kind of body an organisation is (a customs office, a regulator, an enterprise…)."""

    CUSTOMS_HEAD_OFFICE = "customs_head_office", N_("Customs head office")  # 海关总署
    DISTRICT_CUSTOMS = "district_customs", N_("District customs")  # 直属海关
    SUBORDINATE_CUSTOMS = "subordinate_customs", N_("Subordinate customs")  # 隶属海关
    MARKET_REGULATOR = "market_regulator", N_("Market regulator")  # 市场监督管理局
    FOOD_DRUG = "food_drug", N_("Food and drug regulator")  # 药品监督管理局
    AGRICULTURE = "agriculture", N_("Agriculture")  # 农业农村
    ENVIRONMENT = "environment", N_("Environment")  # 生态环境
    POLICE = "police", N_("Police")  # 公安
    HEALTH = "health", N_("Health")  # 卫生健康
    COMMERCE = "commerce", N_("Commerce")  # 商务
    TAXATION = "taxation", N_("Taxation")  # 税务
    CENTRAL_BANK = "central_bank", N_("Central bank")  # 人民银行
    LAB = "lab", N_("Laboratory")  # 风险验证评价实验室 / 检验检测机构
    GOVERNMENT = "government", N_("People's government")  # lead of a regional system
    ENTERPRISE = "enterprise", N_("Enterprise")  # domestic, by unified social credit code
    # By name + country + registration number.
    FOREIGN_ENTERPRISE = "foreign_enterprise", N_("Foreign enterprise")

    @property
    def is_enterprise(self) -> bool:
        return self in (OrgType.ENTERPRISE, OrgType.FOREIGN_ENTERPRISE)


class OrgLevel(LabelledEnum):
    """Where an organisation sits in the administrative hierarchy."""

    NATIONAL = "national", N_("National")
    PROVINCIAL = "provincial", N_("Provincial")
    CITY = "city", N_("City")
    COUNTY = "county", N_("County")
    # Enterprises and labs sit outside the administrative hierarchy: a dash in every language
    # (nothing to translate, so not marked for the catalogue).
    NONE = "none", "—"


class Language(LabelledEnum):
    """The languages of the console and of notifications. Each is named in itself, whatever the
    page's language (so that a reader finds their own), hence not marked for translation."""

    ZH_CN = "zh-CN", "简体中文"
    EN = "en", "English"


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
