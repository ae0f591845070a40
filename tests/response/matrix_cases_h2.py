"""Permission-matrix cases of response cases, tasks, the overdue view and joint-disposal rules
(collected by tests/test_permission_matrix.py). A publishes a level III notice; the rules give
every task to A itself (A is a district customs with no market regulator below it). B's users
see none of A's cases or tasks and act on none of them."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from tests.test_permission_matrix import Case, World, _items

_unique = itertools.count(1)
PDF = b"%PDF-1.4 matrix evidence\n%%EOF"


def _actor(world: World, role: str):  # type: ignore[no-untyped-def]
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    return auth_service.actor_for(world.user("A", Role(role)), "en")


def _new_case(world: World, *, state: str = "open") -> dict[str, Any]:
    """A fresh case of A: `open` (tasks pending), `done_task` (one task done), `finished`
    (every task done or waived, ready to close), `overdue` (one task past due), `without`
    (its case cancelled, so one may be opened by hand)."""
    from riskgate.response import service, tasks
    from riskgate.response.enums import CaseStatus
    from tests.warnings.matrix_cases import _fresh

    warning_id = _fresh(world, "published")["warning_id"]
    case = service.case_for_warning(world.db, warning_id)
    assert case is not None
    case_tasks = service.tasks_of(world.db, case.id)
    officer = _actor(world, "risk_officer")
    options = {"root": world.settings.attachments_dir, "max_bytes": 1 << 20, "max_files": 5}
    result: dict[str, Any] = {"case_id": case.id, "task_id": case_tasks[0].id,
                              "warning_id": warning_id}
    if state in ("done_task", "finished"):
        report = tasks.report(world.db, officer, case_tasks[0].id, body="完成",
                              progress_percent=100, uploads=[tasks.Upload("e.pdf", PDF)], **options)
        result["evidence_id"] = tasks.evidence_of(world.db, [report.id])[report.id][0].id
    if state == "finished":
        for task in case_tasks[1:]:
            tasks.waive(world.db, officer, task.id, "不适用")
    if state == "overdue":
        case_tasks[0].due_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    if state == "without":
        case.status = CaseStatus.cancelled  # set-up only: as if withdrawn earlier
    world.db.commit()
    return result


def _once(name: str, state: str):  # type: ignore[no-untyped-def]
    def params(world: World, _user: Any = None) -> dict[str, Any]:
        key = f"h2_{name}"
        if key not in world.__dict__:
            world.__dict__[key] = _new_case(world, state=state)
        return world.__dict__[key]
    return params


def _fresh(state: str):  # type: ignore[no-untyped-def]
    return lambda world, _user=None: _new_case(world, state=state)


_read = _once("read", "done_task")
_overdue = _once("overdue", "overdue")


def _case_listed(world: World, payload: Any) -> bool:
    return _read(world)["case_id"] in {i["id"] for i in _items(payload)}


def _task_listed(world: World, payload: Any) -> bool:
    return _read(world)["task_id"] in {i["id"] for i in _items(payload)}


def _overdue_listed(world: World, payload: Any) -> bool:
    return _overdue(world)["task_id"] in {t["id"] for t in payload["tasks"]}


def _rule_body(world: World, _user: Any = None) -> dict[str, Any]:
    return {"name": f"矩阵规则 {next(_unique)}", "level": "IV", "measure": "interview",
            "lead_org_type": "market_regulator", "deadline_hours": 240}


def _rule(world: World, _user: Any = None) -> dict[str, Any]:
    from riskgate.response import disposal

    rule = disposal.create_rule(world.db, _actor(world, "supervisor"),
                                {**_rule_body(world), "cooperating_org_types": []})
    world.db.commit()
    return {"rule_id": rule.id}


def _list_params(params):  # type: ignore[no-untyped-def]
    return lambda w, u: (params(w), {"limit": 200})[1]


_API = "/api/v1/response"
_PAGE = "/console/response"
CASES: dict[tuple[str, str], Case] = {
    ("GET", f"{_API}/cases"): Case("list", params=_list_params(_read), visible=_case_listed),
    ("POST", f"{_API}/cases"): Case(
        "object", body=lambda w, u: {"warning_id": _new_case(w, state="without")["warning_id"]},
        ok=(201,)),
    ("GET", f"{_API}/cases/{{case_id}}"): Case("object", params=_read),
    ("POST", f"{_API}/cases/{{case_id}}/close"): Case(
        "object", params=_fresh("finished"), body=lambda w, u: {"note": "完成"}),
    ("GET", f"{_API}/tasks"): Case("list", params=_list_params(_read), visible=_task_listed),
    ("GET", f"{_API}/tasks/{{task_id}}"): Case("object", params=_read),
    ("POST", f"{_API}/tasks/{{task_id}}/start"): Case("object", params=_fresh("open")),
    ("POST", f"{_API}/tasks/{{task_id}}/reports"): Case(
        "object", params=_fresh("open"), body=lambda w, u: {"body": "进展", "seized_units": "3"},
        files=lambda w, u: {"evidence": ("e.pdf", PDF, "application/pdf")}, ok=(201,)),
    ("POST", f"{_API}/tasks/{{task_id}}/waive"): Case(
        "object", params=_fresh("open"), body=lambda w, u: {"reason": "不适用"}),
    ("POST", f"{_API}/tasks/{{task_id}}/reopen"): Case(
        "object", params=_fresh("done_task"), body=lambda w, u: {"reason": "证据不足"}),
    ("GET", f"{_API}/tasks/{{task_id}}/evidence/{{evidence_id}}"): Case("object", params=_read),
    ("GET", f"{_API}/overdue"): Case("list", params=lambda w, u: (_overdue(w), {})[1],
                                     visible=_overdue_listed),
    ("GET", f"{_API}/rules"): Case("self"),
    ("POST", f"{_API}/rules"): Case("self", body=_rule_body, ok=(201,)),
    ("PATCH", f"{_API}/rules/{{rule_id}}"): Case(
        "self", params=_rule, body=lambda w, u: {"deadline_hours": 100}),
    ("POST", f"{_API}/rules/{{rule_id}}/deactivate"): Case(
        "self", params=_rule, body=lambda w, u: {"reason": "合并"}),
    # Console pages
    ("GET", f"{_PAGE}/cases"): Case("self", params=lambda w, u: (_read(w), {})[1]),
    ("POST", f"{_PAGE}/cases"): Case(
        "object", form=True, ok=(303,),
        body=lambda w, u: {"warning_id": str(_new_case(w, state="without")["warning_id"])}),
    ("GET", f"{_PAGE}/cases/{{case_id}}"): Case("object", params=_read),
    ("POST", f"{_PAGE}/cases/{{case_id}}/close"): Case(
        "object", params=_fresh("finished"), form=True, body=lambda w, u: {"note": "完成"},
        ok=(303,)),
    ("POST", f"{_PAGE}/cases/{{case_id}}/evaluate"): Case(
        "object", params=_read, form=True, ok=(303,)),
    ("GET", f"{_PAGE}/tasks"): Case("self"),
    ("GET", f"{_PAGE}/tasks/{{task_id}}"): Case("object", params=_read),
    ("POST", f"{_PAGE}/tasks/{{task_id}}/start"): Case(
        "object", params=_fresh("open"), form=True, ok=(303,)),
    ("POST", f"{_PAGE}/tasks/{{task_id}}/report"): Case(
        "object", params=_fresh("open"), form=True,
        body=lambda w, u: {"body": "进展", "progress_percent": "20"}, ok=(303,)),
    ("POST", f"{_PAGE}/tasks/{{task_id}}/waive"): Case(
        "object", params=_fresh("open"), form=True, body=lambda w, u: {"reason": "不适用"},
        ok=(303,)),
    ("POST", f"{_PAGE}/tasks/{{task_id}}/reopen"): Case(
        "object", params=_fresh("done_task"), form=True, body=lambda w, u: {"reason": "补充"},
        ok=(303,)),
    ("GET", f"{_PAGE}/tasks/{{task_id}}/evidence/{{evidence_id}}"): Case("object", params=_read),
    ("GET", f"{_PAGE}/overdue"): Case("self", params=lambda w, u: (_overdue(w), {})[1]),
    ("GET", f"{_PAGE}/rules"): Case("self"),
    ("POST", f"{_PAGE}/rules"): Case(
        "self", form=True, body=lambda w, u: {**_rule_body(w), "deadline_hours": "240"},
        ok=(303,)),
    ("POST", f"{_PAGE}/rules/{{rule_id}}/deactivate"): Case(
        "self", params=_rule, form=True, ok=(303,)),
}
