"""Recalls built through the real services, on the warnings' test world (a national regulator
with its subtree, a sibling regulator outside it, two enterprises each with a user)."""

from __future__ import annotations

import itertools
from typing import Any

from riskgate.recalls import service
from riskgate.recalls.models import Recall, RecallProgressReport
from riskgate.recalls.schemas import ProgressReportIn, RecallIn
from riskgate.recalls.service import local_date
from tests.warnings.helpers import WarningWorld

_n = itertools.count(1)


def recall_input(world: WarningWorld, **overrides: Any) -> RecallIn:
    """An ordered recall of 1,000 toys by the world's first enterprise."""
    n = next(_n)
    data: dict[str, Any] = {
        "origin": "ordered", "enterprise_id": world.enterprise.id,
        "title": f"星童塑料洋娃娃召回 {n}", "product_name": "塑料洋娃娃", "category": "玩具",
        "hs_code": "950300", "brand": "星童", "model": "XT-01", "batch": "20261001",
        "barcode": "6901234567892", "units_affected": 1000, "remedies": ["refund", "replace"],
        "plan": "联系全部购买者，退款或更换。", "hazard": "邻苯二甲酸酯超标。",
        "report_every_days": 14,
    }
    data.update(overrides)
    return RecallIn.model_validate(data)


def make_recall(world: WarningWorld, **overrides: Any) -> Recall:
    return service.create_recall(world.db, world.actor(world.officer),
                                 recall_input(world, **overrides))


def make_started(world: WarningWorld, **overrides: Any) -> Recall:
    recall = make_recall(world, **overrides)
    return service.start_recall(world.db, world.actor(world.officer), recall.id)


def report(world: WarningWorld, recall: Recall, units: int, **overrides: Any
           ) -> RecallProgressReport:
    data: dict[str, Any] = {"period_end": local_date(), "units_remedied": units}
    data.update(overrides)
    return service.file_report(world.db, world.actor(world.ent_user), recall.id,
                               ProgressReportIn.model_validate(data))
