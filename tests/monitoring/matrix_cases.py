"""Permission-matrix cases for the monitoring routes (merged in tests/test_permission_matrix.py).

Organisation A owns an approved plan with its tasks and a monitoring point; routes that change a
plan's or task's state get a fresh one (plans are unique per unit and year, hence the years).
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.test_permission_matrix import Case, World, _items, _record_of

_unique = itertools.count(1)
_years = itertools.count(2031)


def _officer_a(world: World):  # type: ignore[no-untyped-def]
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    return auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")


def _approver_a(world: World):  # type: ignore[no-untyped-def]
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    return auth_service.actor_for(world.user("A", Role.APPROVER), "en")


TARGET = {"product_category": "乳粉", "hs_code": "190110", "samples": 4,
          "test_items": [{"name": "铅", "hazard_type": "heavy_metals", "limit": 0.02}]}


def _plan(world: World, *, approved: bool = True, tasks: bool = True) -> dict[str, Any]:
    from riskgate.monitoring import service

    plan = service.create_plan(world.db, _officer_a(world), {
        "year": next(_years), "title": "矩阵计划", "period": "quarter", "targets": [TARGET],
        "organisation_id": world.orgs["A"].id})
    task_ids = []
    if approved:
        service.approve_plan(world.db, _approver_a(world), plan.id, None)
        if tasks:
            task_ids = [t.id for t in service.generate_tasks(world.db, _officer_a(world),
                                                             plan.id)[0]]
    world.db.commit()
    return {"plan_id": plan.id, "task_id": task_ids[0] if task_ids else None}


def _shared(world: World, _user: Any = None) -> dict[str, Any]:
    if "monitoring_plan" not in world.__dict__:
        world.__dict__["monitoring_plan"] = _plan(world)
    return dict(world.__dict__["monitoring_plan"])


def _point(world: World, _user: Any = None) -> dict[str, Any]:
    from riskgate.monitoring import points

    if "point_id" not in world.__dict__:
        point = points.create_point(world.db, _officer_a(world), {
            "code": "MATRIX-POINT", "name": "矩阵监测点", "point_type": "port",
            "organisation_id": world.orgs["A"].id})
        world.db.commit()
        world.__dict__["point_id"] = point.id
    return {"point_id": world.__dict__["point_id"]}


def _result_body(world: World, _user: Any) -> dict[str, Any]:
    return {"items": [{"sample_code": f"M{next(_unique)}", "test_item": "铅",
                       "measured_value": 0.01}]}


def _import_file(world: World, _user: Any) -> dict[str, Any]:
    from riskgate.monitoring.models import SamplingTask

    task = world.db.get(SamplingTask, _shared(world)["task_id"])
    world.db.commit()  # end the read: the request writes next
    text = f"task,sample_code,test_item,measured_value\n{task.number},I{next(_unique)},铅,0.01\n"
    return {"file": ("r.csv", text.encode(), "text/csv")}


def _plan_body(world: World, _user: Any) -> dict[str, Any]:
    return {"year": next(_years), "title": "新计划", "organisation_id": world.orgs["A"].id,
            "targets": [TARGET]}


def _point_body(world: World, _user: Any) -> dict[str, Any]:
    return {"code": f"P-{next(_unique)}", "name": "监测点", "point_type": "market",
            "organisation_id": world.orgs["A"].id}


def _with_record(world: World, user: Any) -> dict[str, Any]:
    return {**_point(world), **_record_of(world, user)}


MONITORING_CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/monitoring/plans"): Case(
        "list", params=lambda w, u: (_shared(w), {"limit": 200})[1],
        visible=lambda w, r: any(i["id"] == _shared(w)["plan_id"] for i in _items(r))),
    ("POST", "/api/v1/monitoring/plans"): Case("object", body=_plan_body, ok=(201,)),
    ("GET", "/api/v1/monitoring/plans/{plan_id}"): Case("object", params=_shared),
    ("GET", "/api/v1/monitoring/plans/{plan_id}/versions"): Case("object", params=_shared),
    ("GET", "/api/v1/monitoring/plans/{plan_id}/versions/{version}"): Case(
        "object", params=lambda w, u: {**_shared(w), "version": 1}),
    ("POST", "/api/v1/monitoring/plans/{plan_id}/revisions"): Case(
        "object", params=lambda w, u: _plan(w, approved=False),
        body=lambda w, u: {"title": f"修订{next(_unique)}"}),
    ("POST", "/api/v1/monitoring/plans/{plan_id}/approve"): Case(
        "object", params=lambda w, u: _plan(w, approved=False), body=lambda w, u: {}),
    ("POST", "/api/v1/monitoring/plans/{plan_id}/close"): Case(
        "object", params=lambda w, u: _plan(w, tasks=False), body=lambda w, u: {}),
    ("POST", "/api/v1/monitoring/plans/{plan_id}/tasks"): Case("object", params=_shared),
    ("GET", "/api/v1/monitoring/plans/{plan_id}/progress"): Case("object", params=_shared),
    ("GET", "/api/v1/monitoring/tasks"): Case(
        "list", params=lambda w, u: {"plan_id": _shared(w)["plan_id"], "limit": 200},
        visible=lambda w, r: any(i["id"] == _shared(w)["task_id"] for i in _items(r))),
    ("GET", "/api/v1/monitoring/tasks/{task_id}"): Case("object", params=_shared),
    ("POST", "/api/v1/monitoring/tasks/{task_id}/assign"): Case(
        "object", params=_shared, body=lambda w, u: {"organisation_id": w.orgs["A"].id}),
    ("POST", "/api/v1/monitoring/tasks/{task_id}/transition"): Case(
        "object", params=lambda w, u: _plan(w), body=lambda w, u: {"event": "sample",
                                                                    "samples_taken": 1}),
    ("GET", "/api/v1/monitoring/tasks/{task_id}/results"): Case("object", params=_shared),
    ("POST", "/api/v1/monitoring/tasks/{task_id}/results"): Case(
        "object", params=_shared, body=_result_body, ok=(201,)),
    ("POST", "/api/v1/monitoring/results/import"): Case(
        "self", files=_import_file, body=lambda w, u: {}),
    ("GET", "/api/v1/monitoring/points"): Case(
        "list", params=lambda w, u: (_point(w), {"limit": 200})[1],
        visible=lambda w, r: any(i["id"] == _point(w)["point_id"] for i in _items(r))),
    ("POST", "/api/v1/monitoring/points"): Case("object", body=_point_body, ok=(201,)),
    ("GET", "/api/v1/monitoring/points/{point_id}"): Case("object", params=_point),
    ("PATCH", "/api/v1/monitoring/points/{point_id}"): Case(
        "object", params=_point, body=lambda w, u: {"description": f"d{next(_unique)}"}),
    ("GET", "/api/v1/monitoring/points/{point_id}/series"): Case("object", params=_point),
    ("PUT", "/api/v1/monitoring/points/{point_id}/records/{record_id}"): Case(
        "object", params=_with_record, ok=(204,)),
    # Pages
    ("GET", "/console/monitoring"): Case("self"),
    ("POST", "/console/monitoring/plans"): Case(
        "self", form=True, ok=(303,),
        body=lambda w, u: {"year": str(next(_years)), "title": "页面计划", "period": "quarter"}),
    ("GET", "/console/monitoring/plans/{plan_id}"): Case("object", params=_shared),
    ("POST", "/console/monitoring/plans/{plan_id}/targets"): Case(
        "object", params=lambda w, u: _plan(w, approved=False), form=True, ok=(303,),
        body=lambda w, u: {"product_category": "乳粉", "samples": "4", "test_item": "铅",
                           "limit": "0.02"}),
    ("POST", "/console/monitoring/plans/{plan_id}/approve"): Case(
        "object", params=lambda w, u: _plan(w, approved=False), form=True, ok=(303,)),
    ("POST", "/console/monitoring/plans/{plan_id}/close"): Case(
        "object", params=lambda w, u: _plan(w, tasks=False), form=True, ok=(303,)),
    ("POST", "/console/monitoring/plans/{plan_id}/tasks"): Case(
        "object", params=_shared, form=True, ok=(303,)),
    ("GET", "/console/monitoring/plans/{plan_id}/progress"): Case("object", params=_shared),
    ("GET", "/console/monitoring/tasks/{task_id}"): Case("object", params=_shared),
    ("POST", "/console/monitoring/tasks/{task_id}/results"): Case(
        "object", params=_shared, form=True, ok=(303,),
        body=lambda w, u: {"sample_code": f"W{next(_unique)}", "test_item": "铅",
                           "measured_value": "0.01"}),
    ("GET", "/console/monitoring/points"): Case("self"),
    ("POST", "/console/monitoring/points"): Case(
        "self", form=True, ok=(303,),
        body=lambda w, u: {"code": f"PP-{next(_unique)}", "name": "页面监测点",
                           "point_type": "market"}),
    ("GET", "/console/monitoring/points/{point_id}"): Case("object", params=_point),
    ("POST", "/console/monitoring/points/{point_id}"): Case(
        "object", params=_point, form=True, ok=(303,),
        body=lambda w, u: {"name": "矩阵监测点", "point_type": "port", "active": "1",
                           "description": f"d{next(_unique)}"}),
    ("GET", "/console/monitoring/plans/{plan_id}/versions/{version}"): Case(
        "object", params=lambda w, u: {**_shared(w), "version": 1}),
    ("POST", "/console/monitoring/tasks/{task_id}/transition"): Case(
        "object", params=lambda w, u: _plan(w), form=True, ok=(303,),
        body=lambda w, u: {"event": "sample", "samples_taken": "1"}),
    ("POST", "/console/monitoring/tasks/{task_id}/assign"): Case(
        "object", params=_shared, form=True, ok=(303,),
        body=lambda w, u: {"organisation_id": str(w.orgs["A"].id)}),
    ("POST", "/console/monitoring/results/import"): Case(
        "self", files=_import_file, body=lambda w, u: {}),
}
