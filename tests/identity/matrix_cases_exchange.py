"""Permission-matrix cases of information exchange (collected by tests/test_permission_matrix.py):
agreements between A and a third organisation C (so B, A's sibling, is on neither side and gets
404), and one-off shares of A's records with C."""

from __future__ import annotations

import itertools
from typing import Any

from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.exchange import service as exchange
from riskgate.identity.exchange.enums import ShareCategory
from riskgate.identity.exchange.schemas import AgreementIn
from riskgate.records.service import push_records
from tests.factories import SYSTEM, make_org
from tests.test_permission_matrix import Case, World, _items

_unique = itertools.count(1)


def _c(world: World) -> Any:
    if "exchange_c" not in world.__dict__:
        world.__dict__["exchange_c"] = make_org(
            world.db, org_type=OrgType.MARKET_REGULATOR, level=OrgLevel.PROVINCIAL,
            name_zh="丙市场监管局")
        world.db.commit()
    return world.__dict__["exchange_c"]


def _proposed_by_c(world: World) -> Any:
    """An agreement C → A proposed on C's side (A's administrator decides it)."""
    world.db.commit()
    agreement = exchange.propose_agreement(world.db, SYSTEM, AgreementIn(
        provider_id=_c(world).id, receiver_id=world.orgs["A"].id, title="丙→甲",
        categories=[ShareCategory.risk_record]))
    world.db.commit()
    return agreement


def _fresh(stage: str):  # type: ignore[no-untyped-def]
    def get(world: World, _user: Any = None) -> dict[str, Any]:
        agreement = _proposed_by_c(world)
        if stage == "accepted":
            exchange.accept_agreement(world.db, SYSTEM, agreement.id)
            world.db.commit()
        return {"agreement_id": agreement.id}
    return get


def _once(world: World, _user: Any = None) -> dict[str, Any]:
    if "exchange_once" not in world.__dict__:
        world.__dict__["exchange_once"] = _fresh("proposed")(world)
    return world.__dict__["exchange_once"]


def _listed(world: World, payload: Any) -> bool:
    return _once(world)["agreement_id"] in {item["id"] for item in _items(payload)}


def _proposal(world: World, _user: Any = None) -> dict[str, Any]:
    return {"provider_id": world.orgs["A"].id, "receiver_id": _c(world).id,
            "title": f"甲→丙 {next(_unique)}", "categories": ["risk_record"]}


def _record(world: World, _user: Any = None) -> dict[str, Any]:
    """A fresh record of A (a share admits C to it, so each call gets its own)."""
    world.db.commit()
    officer = actor_for(world.user("A", Role.RISK_OFFICER), "en")
    (stored,) = push_records(world.db, officer, [{
        "source_channel": "hotline_12315", "external_reference": f"XCH-{next(_unique)}",
        "title": "电暖器起火", "product_name": "电暖器"}])
    world.db.commit()
    return {"record_id": stored.record_id}


def _share(world: World, _user: Any = None) -> dict[str, Any]:
    return {"organisation_id": _c(world).id, "kind": "copy", "reason": "请关注"}


def _reason(_world: World, _user: Any = None) -> dict[str, Any]:
    return {"reason": "矩阵"}


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/exchange/agreements"): Case(
        "list", params=lambda w, u: (_once(w), {"limit": 200})[1], visible=_listed),
    ("POST", "/api/v1/exchange/agreements"): Case("self", body=_proposal, ok=(201,)),
    ("GET", "/api/v1/exchange/agreements/{agreement_id}"): Case("object", params=_once),
    ("POST", "/api/v1/exchange/agreements/{agreement_id}/accept"): Case(
        "object", params=_fresh("proposed")),
    ("POST", "/api/v1/exchange/agreements/{agreement_id}/reject"): Case(
        "object", params=_fresh("proposed"), body=_reason),
    ("POST", "/api/v1/exchange/agreements/{agreement_id}/revoke"): Case(
        "object", params=_fresh("accepted"), body=_reason),
    ("GET", "/console/exchange"): Case("self"),
    ("GET", "/console/exchange/new"): Case("self"),
    ("POST", "/console/exchange/new"): Case("self", body=_proposal, form=True, ok=(303,)),
    ("GET", "/console/exchange/{agreement_id}"): Case("object", params=_once),
    ("POST", "/console/exchange/{agreement_id}/accept"): Case(
        "object", params=_fresh("proposed"), form=True, ok=(303,)),
    ("POST", "/console/exchange/{agreement_id}/reject"): Case(
        "object", params=_fresh("proposed"), form=True, ok=(303,), body=_reason),
    ("POST", "/console/exchange/{agreement_id}/revoke"): Case(
        "object", params=_fresh("accepted"), form=True, ok=(303,), body=_reason),
    ("GET", "/console/records/{record_id}/share"): Case("object", params=_record),
    ("POST", "/console/records/{record_id}/share"): Case(
        "object", params=_record, form=True, ok=(303,), body=_share),
    ("POST", "/api/v1/records/{record_id}/shares"): Case("object", params=_record, body=_share),
}
