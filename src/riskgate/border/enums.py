"""Kinds and states of border control, each with its label, and the labels of the border's
audit entries."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_, gettext


class Lane(LabelledEnum):
    """Where a declaration line goes (通道). Order of severity: red > yellow > blue > green."""

    red = "red", N_("Red lane (physical inspection)")  # 查验
    yellow = "yellow", N_("Yellow lane (documentary check)")  # 单证审核
    green = "green", N_("Green lane (release)")  # 直接放行
    blue = "blue", N_("Blue lane (post-clearance audit)")  # 后续稽查

    def short_label(self, language: str) -> str:
        """The lane's name alone ("红色"), for badges next to a number."""
        return gettext(_SHORT[self.value], language)


# The short names of the lanes: a second name of each member, not a repeat of its label.
_SHORT = {"red": N_("Red (lane)"), "yellow": N_("Yellow (lane)"), "green": N_("Green (lane)"),
          "blue": N_("Blue (lane)")}

LANE_SEVERITY = {Lane.red: 3, Lane.yellow: 2, Lane.blue: 1, Lane.green: 0}


class ControlAction(LabelledEnum):
    """What a control rule asks for; the first three route red, a documentary check yellow."""

    documentary_check = "documentary_check", N_("Documentary check")
    physical_inspection = "physical_inspection", N_("Physical inspection")
    sampling = "sampling", N_("Sampling for laboratory test")
    hold = "hold", N_("Hold")  # 扣留
    refuse_entry = "refuse_entry", N_("Refuse entry")  # 拒绝入境


class RuleOrigin(LabelledEnum):
    warning = "warning", N_("Derived from a warning")
    manual = "manual", N_("By hand")


class RuleStatus(LabelledEnum):
    active = "active", N_("Active (rule)")
    suspended = "suspended", N_("Suspended (rule)")
    retired = "retired", N_("Retired (rule)")


class CreditGrade(LabelledEnum):
    """Customs enterprise credit (海关企业信用): 高级认证企业 / 一般信用企业 / 失信企业."""

    certified = "certified", N_("Certified enterprise (AEO)")
    ordinary = "ordinary", N_("Ordinary credit")
    dishonest = "dishonest", N_("Dishonest enterprise")


class Direction(LabelledEnum):
    import_ = "import", N_("Import")
    export = "export", N_("Export")


class DeclarationSource(StrEnum):
    """How a declaration came in (never shown as such: the batch page names the file)."""

    api = "api"
    batch = "batch"
    file = "file"


class InspectionOutcome(LabelledEnum):
    passed = "pass", N_("Passed (inspection)")
    failed = "fail", N_("Failed (inspection)")


# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "control_rule": N_("Control rule"),
    "control_rule.create": N_("Control rule created"),
    "control_rule.update": N_("Control rule changed"),
    "control_rule.rederive": N_("Control rule derived again from its warning"),
    "control_rule.remove_enterprise": N_("Enterprise taken out of the control rule"),
    "control_rule.suspend": N_("Control rule suspended"),
    "control_rule.resume": N_("Control rule resumed"),
    "control_rule.retire": N_("Control rule retired"),
    "enterprise_credit": N_("Enterprise credit"),
    "country_risk": N_("Country risk"),
    "commodity_risk": N_("Commodity risk"),
    "port_lane_target": N_("Port lane targets"),
    "risk_profile.credit_grade": N_("Credit grade set"),
    "risk_profile.credit_grade_delete": N_("Credit grade deleted"),
    "risk_profile.country_risk": N_("Country risk score set"),
    "risk_profile.country_risk_delete": N_("Country risk score deleted"),
    "risk_profile.commodity_risk": N_("Commodity risk score set"),
    "risk_profile.commodity_risk_delete": N_("Commodity risk score deleted"),
    "risk_profile.port_target": N_("Port lane targets set"),
    "risk_profile.port_lane_target_delete": N_("Port lane targets deleted"),
    "declaration": N_("Declaration"),
    "declaration_batch": N_("Declaration batch"),
    "declaration.screen": N_("Declaration screened"),
    "declaration.batch": N_("Declaration batch screened"),
    "declaration.replay": N_("Declaration screening replayed"),
    "inspection_result": N_("Inspection result"),
    "inspection.record": N_("Inspection result recorded"),
}
