"""Label functions the report templates use (passed in their context)."""

from __future__ import annotations

from typing import Any

from riskgate.core.i18n import gettext
from riskgate.reports.enums import (
    AGE_GROUP_LABELS,
    ENTERPRISE_KIND_LABELS,
    KIND_LABELS,
    RESULT_LABELS,
    REWARD_LABELS,
    ROUTE_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    AgeGroup,
    EnterpriseReportKind,
    InspectionResult,
    ReportKind,
    ReportRoute,
    ReportStatus,
    RewardStatus,
)


def _label(table: dict[Any, str], enum_cls: type, value: Any, lang: str) -> str:
    if value is None:
        return ""
    try:
        return gettext(table[enum_cls(value)], lang)
    except (KeyError, ValueError):
        return str(value)


def report_status_label(value: Any, lang: str) -> str:
    return _label(STATUS_LABELS, ReportStatus, value, lang)


def reward_label(value: Any, lang: str) -> str:
    return _label(REWARD_LABELS, RewardStatus, value, lang)


def route_label(value: Any, lang: str) -> str:
    return _label(ROUTE_LABELS, ReportRoute, value, lang)


def kind_label(value: Any, lang: str) -> str:
    return _label(KIND_LABELS, ReportKind, value, lang)


def enterprise_kind_label(value: Any, lang: str) -> str:
    return _label(ENTERPRISE_KIND_LABELS, EnterpriseReportKind, value, lang)


def result_label(value: Any, lang: str) -> str:
    return _label(RESULT_LABELS, InspectionResult, value, lang)


def age_group_label(value: Any, lang: str) -> str:
    return _label(AGE_GROUP_LABELS, AgeGroup, value, lang)


def severity_label(value: Any, lang: str) -> str:
    key = getattr(value, "value", value)
    return gettext(SEVERITY_LABELS[key], lang) if key in SEVERITY_LABELS else str(value or "")


HELPERS = {
    "report_status_label": report_status_label, "reward_label": reward_label,
    "route_label": route_label, "kind_label": kind_label,
    "enterprise_kind_label": enterprise_kind_label, "result_label": result_label,
    "age_group_label": age_group_label, "severity_label": severity_label,
}
