"""The four-eyes rule of lifting and downgrading (R2): a level I or II warning is lifted or
lowered only when a second approver of the issuing authority confirms what a first one asked
for (the request is kept on the warning as `pending_change`). Pure: no database."""

from __future__ import annotations

from typing import Any

from riskgate.catalog.enums import WarningLevel
from riskgate.core.context import Actor
from riskgate.core.errors import Conflict, PermissionDenied
from riskgate.core.i18n import N_

LIFT = "lift"
DOWNGRADE = "downgrade"
KINDS = (LIFT, DOWNGRADE)
FOUR_EYES_LEVELS = (WarningLevel.I, WarningLevel.II)
_ORDER = [WarningLevel.I, WarningLevel.II, WarningLevel.III, WarningLevel.IV]


class SecondApproverRequired(Conflict):
    type_slug = "second-approver-required"
    title = N_("Second approver required")
    message = N_("Lifting or downgrading a level {level} warning needs two approvers: one "
                 "requests it, another of the issuing authority confirms.")


class SameApprover(PermissionDenied):
    type_slug = "four-eyes"
    title = N_("Four-eyes rule")
    message = N_("You requested this change; another approver of the issuing authority must "
                 "confirm it.")


def is_downgrade(current: WarningLevel | str, new: WarningLevel | str | None) -> bool:
    """Whether `new` is a less severe level than `current` (I is the most severe)."""
    if new is None:
        return False
    return _ORDER.index(WarningLevel(new)) > _ORDER.index(WarningLevel(current))


def needs_second(level: WarningLevel | str, kind: str, level_after: Any = None) -> bool:
    """Whether the change of a warning at `level` needs a second approver."""
    if WarningLevel(level) not in FOUR_EYES_LEVELS:
        return False
    return kind == LIFT or (kind == DOWNGRADE and is_downgrade(level, level_after))


def guard(warning: Any, actor: Actor, kind: str, level_after: Any = None) -> None:
    """Refuse the change unless it needs no second approver, or another approver asked for
    exactly this change and `actor` is the second."""
    if not needs_second(warning.level, kind, level_after):
        return
    pending = warning.pending_change or {}
    same = pending.get("kind") == kind and (
        kind == LIFT or pending.get("level") == WarningLevel(level_after).value)
    if not same:
        raise SecondApproverRequired(level=WarningLevel(warning.level).value)
    if actor.user_id is not None and pending.get("requested_by_user_id") == actor.user_id:
        raise SameApprover()
