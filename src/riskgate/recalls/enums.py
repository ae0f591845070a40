"""States and kinds of recalls."""

from __future__ import annotations

from enum import StrEnum


class RecallOrigin(StrEnum):
    voluntary = "voluntary"  # 主动召回, started by the enterprise
    ordered = "ordered"  # 责令召回, ordered by a regulator
    foreign = "foreign"  # a foreign authority's recall (e.g. US CPSC), imported through intake


class RecallStatus(StrEnum):
    draft = "draft"
    in_progress = "in_progress"
    completed = "completed"  # the enterprise reports the recall finished
    closed = "closed"  # evaluated by the regulator
    cancelled = "cancelled"


class Remedy(StrEnum):
    repair = "repair"
    replace = "replace"
    refund = "refund"
