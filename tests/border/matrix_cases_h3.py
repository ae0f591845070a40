"""Permission-matrix cases of control rules and risk profiles (collected by
tests/test_permission_matrix.py). A's risk officer writes and changes A's rules; B's officer
neither sees nor changes them; A's supervisor keeps the (national) risk profiles."""

from __future__ import annotations

import itertools
from typing import Any

from tests.test_permission_matrix import Case, World, _items

_unique = itertools.count(1)
RULE = {"title": "矩阵布控", "hs_prefixes": ["9503"], "countries": ["CN"],
        "action": "documentary_check"}


def _officer(world: World):  # type: ignore[no-untyped-def]
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    return auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")


def _fresh_rule(world: World, _user: Any = None, *, suspended: bool = False) -> dict[str, Any]:
    from riskgate.border.rules import service as rules
    from riskgate.border.rules.schemas import ControlRuleIn

    world.db.commit()
    rule = rules.create_rule(world.db, _officer(world), ControlRuleIn.model_validate(
        {**RULE, "title": f"矩阵布控 {next(_unique)}"}))
    if suspended:
        rules.suspend_rule(world.db, _officer(world), rule.id, None)
    world.db.commit()
    return {"rule_id": rule.id}


def _rule_once(world: World, _user: Any = None) -> dict[str, Any]:
    if "h3_rule" not in world.__dict__:
        world.__dict__["h3_rule"] = _fresh_rule(world)
    return world.__dict__["h3_rule"]


def _listed(world: World, payload: Any) -> bool:
    return _rule_once(world)["rule_id"] in {item["id"] for item in _items(payload)}


def _country_entry(world: World, _user: Any = None) -> dict[str, Any]:
    from riskgate.border.profiles import service as profiles
    from riskgate.border.profiles.schemas import CountryRiskIn
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    world.db.commit()
    profiles.set_country_risk(world.db, auth_service.actor_for(
        world.user("A", Role.SUPERVISOR), "en"), CountryRiskIn(country="TH", score=0.3))
    world.db.commit()
    return {"code": "TH"}


def _csv(world: World, _user: Any = None) -> dict[str, Any]:
    return {"file": ("grades.csv", b"enterprise_code,name,grade\nM1,m,ordinary\n", "text/csv")}


def _rule_form(world: World, _user: Any = None) -> dict[str, Any]:
    return {"title": f"矩阵页面布控 {next(_unique)}", "hs_prefixes": "9503", "countries": "CN",
            "action": "documentary_check", "sampling_rate": "1", "priority": "50"}


_PROFILES = "/api/v1/border/profiles"
CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/border/control-rules"): Case("list", visible=_listed),
    ("POST", "/api/v1/border/control-rules"): Case("self", body=lambda w, u: RULE, ok=(201,)),
    ("GET", "/api/v1/border/control-rules/{rule_id}"): Case("object", params=_rule_once),
    ("PATCH", "/api/v1/border/control-rules/{rule_id}"): Case(
        "object", params=_rule_once, body=lambda w, u: {"priority": 60 + next(_unique) % 30}),
    ("POST", "/api/v1/border/control-rules/{rule_id}/suspend"): Case(
        "object", params=_fresh_rule, body=lambda w, u: {}),
    ("POST", "/api/v1/border/control-rules/{rule_id}/resume"): Case(
        "object", params=lambda w, u: _fresh_rule(w, u, suspended=True), body=lambda w, u: {}),
    ("POST", "/api/v1/border/control-rules/{rule_id}/retire"): Case(
        "object", params=_fresh_rule, body=lambda w, u: {"reason": "矩阵"}),
    ("GET", f"{_PROFILES}/credit-grades"): Case("self"),
    ("PUT", f"{_PROFILES}/credit-grades"): Case("self", body=lambda w, u: {
        "enterprise_code": "M2", "name": "矩阵企业", "grade": "certified"}),
    ("POST", f"{_PROFILES}/credit-grades/upload"): Case("self", files=_csv),
    ("DELETE", f"{_PROFILES}/credit-grades/{{code}}"): Case(
        "self", params=lambda w, u: _credit_entry(w), ok=(204,)),
    ("GET", f"{_PROFILES}/country-risks"): Case("self"),
    ("PUT", f"{_PROFILES}/country-risks"): Case(
        "self", body=lambda w, u: {"country": "VN", "score": 0.5}),
    ("DELETE", f"{_PROFILES}/country-risks/{{code}}"): Case(
        "self", params=_country_entry, ok=(204,)),
    ("GET", f"{_PROFILES}/commodity-risks"): Case("self"),
    ("PUT", f"{_PROFILES}/commodity-risks"): Case(
        "self", body=lambda w, u: {"hs_prefix": "9503", "score": 0.5}),
    ("DELETE", f"{_PROFILES}/commodity-risks/{{prefix}}"): Case(
        "self", params=lambda w, u: _commodity_entry(w), ok=(204,)),
    ("GET", f"{_PROFILES}/port-targets"): Case("self"),
    ("PUT", f"{_PROFILES}/port-targets"): Case("self", body=lambda w, u: {
        "port_code": "shanghai_yangshan", "red_rate": 0.05, "yellow_rate": 0.1,
        "blue_rate": 0.05, "min_random_rate": 0.01}),
    ("DELETE", f"{_PROFILES}/port-targets/{{port_code}}"): Case(
        "self", params=lambda w, u: _port_entry(w), ok=(204,)),
    # pages
    ("GET", "/console/border/rules"): Case("self"),
    ("GET", "/console/border/rules/new"): Case("self"),
    ("POST", "/console/border/rules"): Case("self", form=True, ok=(303,), body=_rule_form),
    ("GET", "/console/border/rules/{rule_id}"): Case("object", params=_rule_once),
    ("POST", "/console/border/rules/{rule_id}"): Case(
        "object", params=_rule_once, form=True, ok=(303,), body=_rule_form),
    ("POST", "/console/border/rules/{rule_id}/{step}"): Case(
        "object", params=lambda w, u: {**_fresh_rule(w), "step": "suspend"}, form=True,
        ok=(303,)),
    ("GET", "/console/border/profiles"): Case("self"),
    ("POST", "/console/border/profiles/{tab}"): Case(
        "self", params=lambda w, u: {"tab": "country"}, form=True, ok=(303,),
        body=lambda w, u: {"country": "LA", "score": "0.2"}),
}


def _credit_entry(world: World) -> dict[str, Any]:
    from riskgate.border.profiles import service as profiles
    from riskgate.border.profiles.schemas import CreditGradeIn
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    world.db.commit()
    profiles.set_credit_grade(world.db, auth_service.actor_for(
        world.user("A", Role.SUPERVISOR), "en"), CreditGradeIn(
        enterprise_code="M3", name="m3", grade="dishonest"))
    world.db.commit()
    return {"code": "M3"}


def _commodity_entry(world: World) -> dict[str, Any]:
    from riskgate.border.profiles import service as profiles
    from riskgate.border.profiles.schemas import CommodityRiskIn
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    world.db.commit()
    profiles.set_commodity_risk(world.db, auth_service.actor_for(
        world.user("A", Role.SUPERVISOR), "en"), CommodityRiskIn(hs_prefix="0402", score=0.2))
    world.db.commit()
    return {"prefix": "0402"}


def _port_entry(world: World) -> dict[str, Any]:
    from riskgate.border.profiles import service as profiles
    from riskgate.border.profiles.schemas import PortTargetIn
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    world.db.commit()
    profiles.set_port_target(world.db, auth_service.actor_for(
        world.user("A", Role.SUPERVISOR), "en"), PortTargetIn(
        port_code="shanghai_waigaoqiao", red_rate=0.1, yellow_rate=0.1, blue_rate=0.1,
        min_random_rate=0.01))
    world.db.commit()
    return {"port_code": "shanghai_waigaoqiao"}
