"""Permission-matrix cases of the machine-readable formats (collected by
tests/test_permission_matrix.py): the Atom feed, CAP messages, the public export and the weekly
report are public (A publishes an announcement and adjusts it once, so it has a follow-up); the
staff export needs warning.read and lists A's draft only to A."""

from __future__ import annotations

import itertools
from typing import Any

from tests.test_permission_matrix import Case, World, _items

_unique = itertools.count(1)


def _actors(world: World):  # type: ignore[no-untyped-def]
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    return (auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en"),
            auth_service.actor_for(world.user("A", Role.APPROVER), "en"))


def _adjusted(world: World, _user: Any = None) -> dict[str, Any]:
    """A published announcement of A with one follow-up (made once per world)."""
    if "formats_announcement" not in world.__dict__:
        from riskgate.warnings.lifecycle import service
        from riskgate.warnings.lifecycle.schemas import AdjustmentIn
        from tests.warnings.helpers import warning_input

        world.db.commit()  # a fresh snapshot: the app has written since (SQLite WAL)
        officer, approver = _actors(world)
        warning = service.create_warning(world.db, officer, warning_input(
            None, level="IV", title=f"矩阵格式公告 {next(_unique)}"))
        service.submit_for_review(world.db, officer, warning.id)
        service.approve(world.db, approver, warning.id)
        service.publish(world.db, approver, warning.id)
        service.adjust(world.db, approver, warning.id,
                       AdjustmentIn.model_validate({"reason": "扩大范围", "regions": ["440000"]}))
        world.db.commit()
        world.__dict__["formats_announcement"] = warning.id
    return {"warning_id": world.__dict__["formats_announcement"]}


def _with_number(world: World, _user: Any = None) -> dict[str, Any]:
    """The announcement of `_adjusted` at its permalink form (/warnings/13-RW-…/cap.xml)."""
    from riskgate.warnings.models import PublicWarning

    ids = _adjusted(world)
    warning = world.db.get(PublicWarning, ids["warning_id"])
    assert warning is not None
    return {**ids, "number": warning.number}


def _a_draft(world: World) -> str:
    """The number of a draft of A: only A's subtree may read it."""
    if "formats_draft" not in world.__dict__:
        from riskgate.warnings.lifecycle import service
        from tests.warnings.helpers import warning_input

        world.db.commit()
        officer, _approver = _actors(world)
        warning = service.create_warning(world.db, officer, warning_input(
            None, title=f"矩阵草稿 {next(_unique)}"))
        world.db.commit()
        world.__dict__["formats_draft"] = warning.number
    return world.__dict__["formats_draft"]


def _staff_export(world: World, _user: Any) -> dict[str, Any]:
    _a_draft(world)
    return {"format": "json"}


def _lists_a_draft(world: World, payload: Any) -> bool:
    return any(item["number"] == world.__dict__["formats_draft"] for item in _items(payload))


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/warnings/feed.atom"): Case("public", params=lambda w, u: {"level": "IV"}),
    ("GET", "/warnings/{warning_id}/cap.xml"): Case("public", params=_adjusted),
    ("GET", "/warnings/{warning_id}-{number}/cap.xml"): Case("public", params=_with_number),
    ("GET", "/warnings/{warning_id}/follow-ups/{sequence}/cap.xml"): Case(
        "public", params=lambda w, u: {**_adjusted(w, u), "sequence": 1}),
    ("GET", "/warnings/export.{file_format}"): Case(
        "public", params=lambda w, u: {"file_format": "csv", "level": "IV"}),
    ("GET", "/warnings/weekly"): Case("public"),
    ("GET", "/warnings/weekly/{week}"): Case("public", params=lambda w, u: {"week": "2026-W47"}),
    ("GET", "/warnings/weekly/{week}.xlsx"): Case(
        "public", params=lambda w, u: {"week": "2026-W47"}),
    ("GET", "/api/v1/warnings/export"): Case("list", params=_staff_export,
                                             visible=_lists_a_draft),
}
