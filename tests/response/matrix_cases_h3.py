"""Permission-matrix cases of lifting petitions (collected by tests/test_permission_matrix.py).
A issues a level III notice with port control naming A's enterprise (EA); EA petitions; A's
risk officer reviews. B's officer and EB see and decide none of them."""

from __future__ import annotations

import itertools
from typing import Any

from tests.test_permission_matrix import Case, World, _items

_unique = itertools.count(1)
PDF = ("lab.pdf", b"%PDF-1.4 matrix\n%%EOF", "application/pdf")


def _warning_once(world: World, _user: Any = None) -> dict[str, Any]:
    if "h3_warning" not in world.__dict__:
        from riskgate.core.permissions import Role
        from riskgate.identity import auth_service
        from riskgate.warnings.lifecycle import service
        from tests.warnings.helpers import warning_input

        world.db.commit()
        officer = auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")
        approver = auth_service.actor_for(world.user("A", Role.APPROVER), "en")
        warning = service.create_warning(world.db, officer, warning_input(
            None, warning_type="notice", title=f"矩阵布控预警 {next(_unique)}",
            measures=["port_control"],
            enterprises=[{"organisation_id": world.orgs["EA"].id, "role": "importer"}]))
        service.submit_for_review(world.db, officer, warning.id)
        service.approve(world.db, approver, warning.id)
        service.publish(world.db, approver, warning.id)
        world.db.commit()
        world.__dict__["h3_warning"] = {"warning_id": warning.id}
    return world.__dict__["h3_warning"]


def _fresh_petition(world: World, _user: Any = None) -> dict[str, Any]:
    from riskgate.core.permissions import Role
    from riskgate.core.uploads import Upload
    from riskgate.evaluation.petitions import service as petitions
    from riskgate.identity import auth_service

    warning_id = _warning_once(world)["warning_id"]
    world.db.commit()  # a fresh snapshot: the app has written since (SQLite WAL)
    enterprise = auth_service.actor_for(world.user("A", Role.ENTERPRISE_USER), "en")
    petition = petitions.submit(
        world.db, enterprise, warning_id=warning_id, control_rule_id=None, body="矩阵",
        clean_consignments=1, uploads=[Upload(PDF[0], PDF[1])],
        root=world.settings.attachments_dir, max_bytes=100_000, max_files=5)
    evidence = petitions.evidence_of(world.db, petition.id)[0]
    ids = {"petition_id": petition.id, "evidence_id": evidence.id}
    world.db.commit()  # end the read too: a snapshot left open would block later writers
    return ids


def _petition_once(world: World, _user: Any = None) -> dict[str, Any]:
    if "h3_petition" not in world.__dict__:
        world.__dict__["h3_petition"] = _fresh_petition(world)
    return world.__dict__["h3_petition"]


def _listed(world: World, payload: Any) -> bool:
    return _petition_once(world)["petition_id"] in {item["id"] for item in _items(payload)}


def _form(world: World, _user: Any = None) -> dict[str, Any]:
    return {"warning_id": str(_warning_once(world)["warning_id"]), "body": "矩阵申请",
            "clean_consignments": "1"}


def _files(world: World, _user: Any = None) -> dict[str, Any]:
    return {"evidence": PDF}


def _only_petition(world: World, _user: Any = None) -> dict[str, Any]:
    return {"petition_id": _petition_once(world)["petition_id"]}


def _only_fresh(world: World, _user: Any = None) -> dict[str, Any]:
    return {"petition_id": _fresh_petition(world)["petition_id"]}


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/response/petitions"): Case("list", visible=_listed),
    ("POST", "/api/v1/response/petitions"): Case("self", body=_form, files=_files, ok=(201,)),
    ("GET", "/api/v1/response/petitions/{petition_id}"): Case("object", params=_only_petition),
    ("POST", "/api/v1/response/petitions/{petition_id}/decide"): Case(
        "object", params=_only_fresh, body=lambda w, u: {"accept": False, "note": "矩阵"}),
    ("GET", "/console/petitions"): Case("self"),
    ("GET", "/console/petitions/{petition_id}"): Case("object", params=_only_petition),
    ("POST", "/console/petitions/{petition_id}/decide"): Case(
        "object", params=_only_fresh, form=True, ok=(303,),
        body=lambda w, u: {"decision": "reject", "note": "矩阵"}),
    ("GET", "/console/petitions/{petition_id}/evidence/{evidence_id}"): Case(
        "object", params=_petition_once),
    ("GET", "/console/my-petitions"): Case("self"),
    ("POST", "/console/my-petitions"): Case("self", body=_form, files=_files, ok=(303,)),
    ("GET", "/console/my-petitions/{petition_id}"): Case("object", params=_only_petition),
}
