"""Permission-matrix cases of recalls (API, public API, console and portal pages) and of the
effect evaluation of a case (collected by tests/test_permission_matrix.py). A's risk officer
records recalls owned by A of A's enterprise (EA), whose user files the progress reports; B (A's
sibling) and EB see none of them and may act on none."""

from __future__ import annotations

import itertools
from typing import Any

from riskgate.recalls.service import local_date
from tests.test_permission_matrix import Case, World, _items

_unique = itertools.count(1)


def _officer(world: World):  # type: ignore[no-untyped-def]
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    return auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")


def _body(world: World, _user: Any = None) -> dict[str, Any]:
    return {"origin": "ordered", "enterprise_id": world.orgs["EA"].id,
            "title": f"矩阵召回 {next(_unique)}", "product_name": "塑料洋娃娃",
            "units_affected": 100, "remedies": ["refund"]}


def _fresh(world: World, stage: str) -> dict[str, Any]:
    """A new recall of A at `stage` (draft, in_progress, completed)."""
    from riskgate.recalls import service
    from riskgate.recalls.schemas import RecallIn

    world.db.commit()  # a fresh snapshot: the app has written since (SQLite WAL)
    officer = _officer(world)
    recall = service.create_recall(world.db, officer, RecallIn.model_validate(_body(world)))
    if stage in ("in_progress", "completed"):
        service.start_recall(world.db, officer, recall.id)
    if stage == "completed":
        service.complete_recall(world.db, officer, recall.id)
    world.db.commit()
    return {"recall_id": recall.id}


def _at(stage: str):  # type: ignore[no-untyped-def]
    return lambda world, _user=None: _fresh(world, stage)


def _once(stage: str):  # type: ignore[no-untyped-def]
    def get(world: World, _user: Any = None) -> dict[str, Any]:
        key = f"recall_{stage}"
        if key not in world.__dict__:
            world.__dict__[key] = _fresh(world, stage)
        return world.__dict__[key]
    return get


def _listed(stage: str):  # type: ignore[no-untyped-def]
    return lambda world, payload: _once(stage)(world)["recall_id"] in {
        item["id"] for item in _items(payload)}


def _case_once(world: World, _user: Any = None) -> dict[str, Any]:
    """A response case owned by A (built directly: the case workflow is another module's)."""
    from riskgate.catalog.enums import WarningLevel
    from riskgate.response.enums import CaseOrigin, CaseStatus
    from riskgate.response.models import ResponseCase

    if "h5_case" not in world.__dict__:
        world.db.commit()
        case = ResponseCase(number=f"RC-H5-{next(_unique)}", organisation_id=world.orgs["A"].id,
                            title="矩阵案件", level=WarningLevel.III, origin=CaseOrigin.manual,
                            status=CaseStatus.open)
        world.db.add(case)
        world.db.commit()
        world.__dict__["h5_case"] = {"case_id": case.id}
    return world.__dict__["h5_case"]


def _report(world: World, _user: Any = None) -> dict[str, Any]:
    return {"period_end": local_date().isoformat(), "units_remedied": 1}


def _page_form(world: World, _user: Any = None) -> dict[str, Any]:
    return {"origin": "ordered", "enterprise_id": str(world.orgs["EA"].id),
            "title": f"矩阵页面召回 {next(_unique)}", "product_name": "玩具",
            "units_affected": "10", "remedies": ["refund"], "report_every_days": "30"}


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/recalls"): Case(
        "list", params=lambda w, u: (_once("draft")(w), {"limit": 200})[1],
        visible=_listed("draft")),
    ("POST", "/api/v1/recalls"): Case("self", body=_body, ok=(201,)),
    ("GET", "/api/v1/my-recalls"): Case(
        "list", params=lambda w, u: (_once("in_progress")(w), {"limit": 200})[1],
        visible=_listed("in_progress")),
    ("GET", "/api/v1/recalls/{recall_id}"): Case("object", params=_once("draft")),
    ("PATCH", "/api/v1/recalls/{recall_id}"): Case(
        "object", params=_once("draft"), body=lambda w, u: {"units_affected": 120}),
    ("POST", "/api/v1/recalls/{recall_id}/start"): Case("object", params=_at("draft")),
    ("POST", "/api/v1/recalls/{recall_id}/complete"): Case(
        "object", params=_at("in_progress"), body=lambda w, u: {"note": "完成"}),
    ("POST", "/api/v1/recalls/{recall_id}/close"): Case(
        "object", params=_at("completed"), body=lambda w, u: {"evaluation": "效果良好"}),
    ("POST", "/api/v1/recalls/{recall_id}/cancel"): Case(
        "object", params=_at("draft"), body=lambda w, u: {"reason": "误报"}),
    ("GET", "/api/v1/recalls/{recall_id}/reports"): Case("object", params=_once("in_progress")),
    ("POST", "/api/v1/recalls/{recall_id}/reports"): Case(
        "object", params=_at("in_progress"), body=_report, ok=(201,)),
    ("GET", "/api/v1/public/recalls"): Case("public"),
    ("GET", "/api/v1/public/recalls/{recall_id}"): Case("public", params=_once("in_progress")),
    ("POST", "/api/v1/response/cases/{case_id}/evaluations"): Case(
        "object", params=_case_once, body=lambda w, u: {"note": "评估"}, ok=(201,)),
    ("GET", "/api/v1/response/cases/{case_id}/evaluations"): Case("object", params=_case_once),
    # Console and portal pages.
    ("GET", "/console/recalls"): Case("self"),
    ("GET", "/console/recalls/new"): Case("self"),
    ("POST", "/console/recalls/new"): Case("self", form=True, ok=(303,), body=_page_form),
    ("GET", "/console/recalls/{recall_id}"): Case("object", params=_once("draft")),
    ("POST", "/console/recalls/{recall_id}/start"): Case(
        "object", params=_at("draft"), form=True, ok=(303,)),
    ("POST", "/console/recalls/{recall_id}/complete"): Case(
        "object", params=_at("in_progress"), form=True, ok=(303,)),
    ("POST", "/console/recalls/{recall_id}/close"): Case(
        "object", params=_at("completed"), form=True, ok=(303,),
        body=lambda w, u: {"evaluation": "效果良好"}),
    ("POST", "/console/recalls/{recall_id}/cancel"): Case(
        "object", params=_at("draft"), form=True, ok=(303,), body=lambda w, u: {"reason": "误报"}),
    ("GET", "/console/my-recalls"): Case("self"),
    ("POST", "/console/my-recalls/{recall_id}/reports"): Case(
        "object", params=_at("in_progress"), form=True, ok=(303,),
        body=lambda w, u: {"period_end": local_date().isoformat(), "units_remedied": "1"}),
    ("GET", "/recalls"): Case("public"),
    ("GET", "/recalls/{recall_id}"): Case(
        "public", params=lambda w, u: {"recall_id": _once("in_progress")(w)["recall_id"]}),
}
