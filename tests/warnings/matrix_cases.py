"""Permission-matrix cases of the warning life-cycle API (collected by
tests/test_permission_matrix.py). A's risk officer drafts level III warnings naming A's
enterprise (EA); A's approver approves and issues them. B (A's sibling) and EB see none of the
drafts, and may act on none of them."""

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


def _fresh(world: World, stage: str) -> dict[str, Any]:
    """A new warning of A at `stage` (draft, commenting, in_review, approved, published)."""
    from riskgate.warnings.lifecycle import service
    from tests.warnings.helpers import warning_input

    world.db.commit()  # a fresh snapshot: the app has written since (SQLite WAL)
    officer, approver = _actors(world)
    warning = service.create_warning(world.db, officer, warning_input(
        None, warning_type="notice", title=f"矩阵预警 {next(_unique)}",
        enterprises=[{"organisation_id": world.orgs["EA"].id, "role": "importer"}]))
    if stage == "commenting":
        service.open_comment_window(world.db, officer, warning.id, 5)
    if stage in ("in_review", "approved", "published"):
        service.submit_for_review(world.db, officer, warning.id)
    if stage in ("approved", "published"):
        service.approve(world.db, approver, warning.id)
    if stage == "published":
        service.publish(world.db, approver, warning.id)
    world.db.commit()
    return {"warning_id": warning.id}


def _at(stage: str):  # type: ignore[no-untyped-def]
    return lambda world, _user=None: _fresh(world, stage)


def _draft_once(world: World, _user: Any = None) -> dict[str, Any]:
    if "lifecycle_draft" not in world.__dict__:
        world.__dict__["lifecycle_draft"] = _fresh(world, "draft")
    return world.__dict__["lifecycle_draft"]


def _commenting_once(world: World, _user: Any = None) -> dict[str, Any]:
    if "lifecycle_commenting" not in world.__dict__:
        world.__dict__["lifecycle_commenting"] = _fresh(world, "commenting")
    return world.__dict__["lifecycle_commenting"]


def _listed(world: World, payload: Any) -> bool:
    return _draft_once(world)["warning_id"] in {item["id"] for item in _items(payload)}


def _body(world: World, _user: Any = None) -> dict[str, Any]:
    from tests.warnings.helpers import warning_input

    return warning_input(None, title=f"矩阵新建 {next(_unique)}").model_dump(mode="json")


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/warnings"): Case(
        "list", params=lambda w, u: (_draft_once(w), {"limit": 200})[1], visible=_listed),
    ("POST", "/api/v1/warnings"): Case("self", body=_body, ok=(201,)),
    ("GET", "/api/v1/warnings/{warning_id}"): Case("object", params=_draft_once),
    ("PUT", "/api/v1/warnings/{warning_id}"): Case("object", params=_draft_once, body=_body),
    ("POST", "/api/v1/warnings/{warning_id}/comment-window"): Case(
        "object", params=_at("draft"), body=lambda w, u: {"working_days": 3}),
    ("POST", "/api/v1/warnings/{warning_id}/comments"): Case(
        "object", params=_commenting_once, body=lambda w, u: {"body": "已整改"}, ok=(201,)),
    ("POST", "/api/v1/warnings/{warning_id}/submit"): Case("object", params=_at("draft")),
    ("POST", "/api/v1/warnings/{warning_id}/discard"): Case(
        "object", params=_at("draft"), body=lambda w, u: {"reason": "重复"}),
    ("POST", "/api/v1/warnings/{warning_id}/return"): Case(
        "object", params=_at("in_review"), body=lambda w, u: {"reason": "补充证据"}),
    ("POST", "/api/v1/warnings/{warning_id}/approve"): Case(
        "object", params=_at("in_review"), body=lambda w, u: {"note": "同意"}),
    ("POST", "/api/v1/warnings/{warning_id}/publish"): Case("object", params=_at("approved")),
    ("POST", "/api/v1/warnings/{warning_id}/adjustments"): Case(
        "object", params=_at("published"), ok=(201,),
        body=lambda w, u: {"reason": "升级", "level": "II"}),
    ("POST", "/api/v1/warnings/{warning_id}/lift"): Case(
        "object", params=_at("published"), ok=(201,),
        body=lambda w, u: {"reason": "风险消除", "evaluation": "八周无新记录"}),
    ("POST", "/api/v1/warnings/{warning_id}/withdraw"): Case(
        "object", params=_at("published"), ok=(201,), body=lambda w, u: {"reason": "发布错误"}),
    ("GET", "/api/v1/warning-authority"): Case("self"),
    ("PUT", "/api/v1/warning-authority/{level}"): Case(
        "self", params=lambda w, u: {"level": "III"},
        body=lambda w, u: {"org_levels": ["national", "provincial", "city"]}),
}
