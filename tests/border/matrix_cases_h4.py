"""Permission-matrix cases of declaration screening and inspection (collected by
tests/test_permission_matrix.py). A's port officer screens A's declarations and records their
inspections; B's port officer neither sees nor inspects them; the risk officers read them."""

from __future__ import annotations

import csv
import io
import itertools
from typing import Any

from tests.test_permission_matrix import Case, World, _items

_unique = itertools.count(1)


def _number() -> str:
    return f"9911{next(_unique):014d}"


def _body(world: World | None = None, _user: Any = None) -> dict[str, Any]:
    return {"number": _number(), "direction": "import", "port_code": "shanghai_yangshan",
            "trader_name": "矩阵贸易", "trader_code": "91310115MA1K3YJ12X",
            "declared_on": "2026-11-20", "origin_country": "VN",
            "lines": [{"line_no": 1, "hs_code": "6403990000", "description": "矩阵皮鞋",
                       "quantity": "2", "value": "10", "origin_country": "VN"},
                      {"line_no": 2, "hs_code": "8516500000", "description": "微波炉",
                       "quantity": "1", "value": "10", "origin_country": "JP"}]}


def _officer(world: World):  # type: ignore[no-untyped-def]
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    return auth_service.actor_for(world.user("A", Role.PORT_OFFICER), "en")


def _rule(world: World) -> None:
    """A's rule routing leather shoes from Viet Nam red (once)."""
    if "h4_rule" in world.__dict__:
        return
    from riskgate.border.rules import service as rules
    from riskgate.border.rules.schemas import ControlRuleIn
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    officer = auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")
    rules.create_rule(world.db, officer, ControlRuleIn.model_validate({
        "title": "矩阵皮鞋布控", "hs_prefixes": ["6403"], "countries": ["VN"],
        "action": "physical_inspection"}))
    world.db.commit()
    world.__dict__["h4_rule"] = True


def _fresh_declaration(world: World, _user: Any = None) -> dict[str, Any]:
    from riskgate.border.declarations import service as declarations

    world.db.commit()
    _rule(world)
    stored = declarations.screen_declaration(world.db, _officer(world), _body())
    line = declarations.lines_of(world.db, stored.id)[0]
    world.db.commit()
    return {"declaration_id": stored.id, "line_id": line.id}


def _declaration_once(world: World, _user: Any = None) -> dict[str, Any]:
    if "h4_declaration" not in world.__dict__:
        world.__dict__["h4_declaration"] = _fresh_declaration(world)
    return world.__dict__["h4_declaration"]


def _fresh_batch(world: World, _user: Any = None) -> dict[str, Any]:
    from riskgate.border.declarations import batch as decl_batch

    world.db.commit()
    result = decl_batch.screen_batch(world.db, _officer(world), [
        decl_batch.BatchItem(0, {**_body(), "port_code": "atlantis"})])
    world.db.commit()
    return {"batch_id": result.batch.id, "row_id": result.rejected[0].id}


def _batch_once(world: World, _user: Any = None) -> dict[str, Any]:
    if "h4_batch" not in world.__dict__:
        world.__dict__["h4_batch"] = _fresh_batch(world)
    return world.__dict__["h4_batch"]


def _listed(world: World, payload: Any) -> bool:
    return _declaration_once(world)["declaration_id"] in {i["id"] for i in _items(payload)}


def _file(world: World, _user: Any = None) -> dict[str, Any]:
    body = _body()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["报关单号", "进出口", "口岸", "收发货人", "收发货人代码", "申报日期", "项号",
                     "商品编号", "商品名称", "数量"])
    writer.writerow([body["number"], "进口", "shanghai_yangshan", "矩阵贸易",
                     "91310115MA1K3YJ12X", "2026-11-20", "1", "8516500000", "微波炉", "1"])
    return {"file": ("declarations.csv", buffer.getvalue().encode(), "text/csv")}


_FAIL = {"outcome": "fail", "findings": "矩阵查验不合格"}

CASES: dict[tuple[str, str], Case] = {
    ("POST", "/api/v1/border/declarations"): Case("self", body=_body, ok=(201,)),
    ("GET", "/api/v1/border/declarations"): Case("list", visible=_listed),
    ("GET", "/api/v1/border/declarations/{declaration_id}"): Case(
        "object", params=_declaration_once),
    ("POST", "/api/v1/border/declarations/{declaration_id}/replay"): Case(
        "object", params=_declaration_once),
    ("POST", "/api/v1/border/declarations/batch"): Case(
        "self", body=lambda w, u: {"declarations": [_body()]}),
    ("POST", "/api/v1/border/declarations/file"): Case("self", files=_file),
    ("GET", "/api/v1/border/batches/{batch_id}"): Case("object", params=_batch_once),
    ("POST", "/api/v1/border/batches/{batch_id}/rejected/{row_id}/retry"): Case(
        "object", params=_fresh_batch,
        body=lambda w, u: {"fields": {"port_code": "shanghai_yangshan"}}, ok=(201,)),
    ("POST", "/api/v1/border/lines/{line_id}/inspection"): Case(
        "object", params=_fresh_declaration, body=lambda w, u: _FAIL, ok=(201,)),
    ("GET", "/console/border/screening"): Case("list"),
    ("POST", "/console/border/screening/file"): Case("self", files=_file, ok=(303,)),
    ("GET", "/console/border/declarations/{declaration_id}"): Case(
        "object", params=_declaration_once),
    ("POST", "/console/border/lines/{line_id}/inspection"): Case(
        "object", params=_fresh_declaration, body=lambda w, u: _FAIL, form=True, ok=(303,)),
    ("GET", "/console/border/batches/{batch_id}"): Case("object", params=_batch_once),
}
