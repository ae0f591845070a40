"""Permission-matrix cases of the tracking routes (collected by tests/test_permission_matrix.py).
A publishes a level IV warning (drafted by its risk officer, approved and published by its
approver); B, A's sibling, neither tracks it nor sees A in its performance view."""

from __future__ import annotations

from typing import Any

from tests.test_permission_matrix import Case, World


def _published(world: World, _user: Any = None) -> dict[str, Any]:
    """One published warning of A, made once through the life-cycle service."""
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service
    from riskgate.warnings.lifecycle import service
    from tests.warnings.helpers import warning_input

    if "tracked_warning_id" not in world.__dict__:
        world.db.commit()  # a fresh snapshot: the app has written since (SQLite WAL)
        officer = auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")
        approver = auth_service.actor_for(world.user("A", Role.APPROVER), "en")
        warning = service.create_warning(world.db, officer, warning_input(None, level="IV"))
        service.submit_for_review(world.db, officer, warning.id)
        service.approve(world.db, approver, warning.id)
        service.publish(world.db, approver, warning.id)
        world.db.commit()
        world.__dict__["tracked_warning_id"] = warning.id
    return {"warning_id": world.__dict__["tracked_warning_id"]}


def _a_listed(world: World, payload: Any) -> bool:
    return any(o["organisation_id"] == world.orgs["A"].id for o in payload["organisations"])


def _period(world: World, user: Any) -> dict[str, Any]:
    _published(world)
    return {}


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/warnings/{warning_id}/tracking"): Case("object", params=_published),
    ("GET", "/api/v1/warnings/performance"): Case("list", params=_period, visible=_a_listed),
    ("GET", "/console/warnings/performance"): Case("self", params=_period),
    ("GET", "/console/warnings/{warning_id}/tracking"): Case("object", params=_published),
}
