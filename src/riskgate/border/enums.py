"""Kinds and states of border control."""

from __future__ import annotations

from enum import StrEnum


class Lane(StrEnum):
    """Where a declaration line goes (通道). Order of severity: red > yellow > blue > green."""

    red = "red"  # physical inspection (查验)
    yellow = "yellow"  # documentary check (单证审核)
    green = "green"  # release (直接放行)
    blue = "blue"  # release, post-clearance audit (后续稽查)


LANE_SEVERITY = {Lane.red: 3, Lane.yellow: 2, Lane.blue: 1, Lane.green: 0}


class ControlAction(StrEnum):
    """What a control rule asks for; the first three route red, a documentary check yellow."""

    documentary_check = "documentary_check"
    physical_inspection = "physical_inspection"
    sampling = "sampling"  # sampling for a laboratory test
    hold = "hold"  # 扣留
    refuse_entry = "refuse_entry"  # 拒绝入境


class RuleOrigin(StrEnum):
    warning = "warning"
    manual = "manual"


class RuleStatus(StrEnum):
    active = "active"
    suspended = "suspended"
    retired = "retired"


class CreditGrade(StrEnum):
    """Customs enterprise credit (海关企业信用): 高级认证企业 / 一般信用企业 / 失信企业."""

    certified = "certified"
    ordinary = "ordinary"
    dishonest = "dishonest"


class Direction(StrEnum):
    import_ = "import"
    export = "export"


class DeclarationSource(StrEnum):
    api = "api"
    batch = "batch"
    file = "file"


class InspectionOutcome(StrEnum):
    passed = "pass"
    failed = "fail"
