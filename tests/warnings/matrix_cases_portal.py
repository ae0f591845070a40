"""Permission-matrix cases of the public warnings portal and its JSON API (collected by
tests/test_permission_matrix.py). All are public: anyone may read a published announcement (公告)
issued by A; the list, the permalink page and the API answer 200 (the short address redirects)."""

from __future__ import annotations

import itertools
from typing import Any

from tests.test_permission_matrix import Case, World

_unique = itertools.count(1)


def _announcement(world: World, _user: Any = None) -> dict[str, Any]:
    """One published level III announcement of A (made once per world)."""
    if "portal_announcement" not in world.__dict__:
        from riskgate.core.permissions import Role
        from riskgate.identity import auth_service
        from riskgate.warnings.lifecycle import service
        from tests.warnings.helpers import warning_input

        world.db.commit()  # a fresh snapshot: the app has written since (SQLite WAL)
        officer = auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")
        approver = auth_service.actor_for(world.user("A", Role.APPROVER), "en")
        warning = service.create_warning(world.db, officer, warning_input(
            None, warning_type="announcement", title=f"矩阵公告 {next(_unique)}"))
        service.submit_for_review(world.db, officer, warning.id)
        service.approve(world.db, approver, warning.id)
        service.publish(world.db, approver, warning.id)
        world.db.commit()
        world.__dict__["portal_announcement"] = (warning.id, warning.number)
    warning_id, number = world.__dict__["portal_announcement"]
    return {"warning_id": warning_id, "number": number}


def _page_params(world: World, user: Any) -> dict[str, Any]:
    found = _announcement(world, user)
    return {"warning_id": found["warning_id"], "number": found["number"]}


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/warnings"): Case("public", params=lambda w, u: {"q": "玩具", "level": "III"}),
    ("GET", "/warnings/{warning_id}-{number}"): Case("public", params=_page_params),
    ("GET", "/warnings/{warning_id}"): Case(
        "public", params=lambda w, u: {"warning_id": _announcement(w, u)["warning_id"]},
        ok=(301,)),
    ("GET", "/api/v1/public/warnings"): Case("public", params=lambda w, u: {"q": "玩具"}),
    ("GET", "/api/v1/public/warnings/{warning_id}"): Case(
        "public", params=lambda w, u: {"warning_id": _announcement(w, u)["warning_id"]}),
}
