"""Permission-matrix cases of the assessment and draft-warning routes (merged in
tests/test_permission_matrix.py). A's risk officer owns a draft assessment and a concluded one
with a draft warning; B is A's sibling and sees neither."""

from __future__ import annotations

import itertools
from typing import Any

from tests.test_permission_matrix import Case, World, _items

_unique = itertools.count(1)
SCENARIO = {"hazard": "Shock", "injury": "Burn", "severity": 2,
            "steps": [{"description": "Exposed", "probability": 0.1},
                      {"description": "Touched", "probability": "1/100"}]}


def _officer_a(world: World):  # type: ignore[no-untyped-def]
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    return auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")


def _draft(world: World, _user: Any = None) -> dict[str, Any]:
    """A fresh draft each call (transitions and edits would use a shared one up)."""
    from riskgate.assessment import service

    world.db.commit()  # start from a fresh snapshot: the app has written since (SQLite WAL)
    assessment = service.create_assessment(world.db, _officer_a(world), {
        "title": f"Matrix {next(_unique)}", "scenarios": [SCENARIO]})
    world.db.commit()
    return {"assessment_id": assessment.id}


def _warning(world: World, _user: Any = None) -> dict[str, Any]:
    from riskgate.assessment import service
    from riskgate.assessment.enums import Conclusion
    from riskgate.warnings.lifecycle.service import warnings_for_assessment

    if "warning_id" not in world.__dict__:
        draft = _draft(world)["assessment_id"]
        world.db.commit()
        service.conclude(world.db, _officer_a(world), draft, conclusion=Conclusion.unsafe,
                         rationale="matrix")
        world.db.commit()
        world.__dict__["warning_id"] = warnings_for_assessment(world.db, draft)[0].id
    return {"warning_id": world.__dict__["warning_id"]}


def _listed(world: World, payload: Any) -> bool:
    return bool(_items(payload))


FORM = {"title": "Matrix page", "urgency": "immediate", "impact_scope": "local",
        "scenarios-0-severity": "2", "scenarios-0-user_group": "adults",
        "scenarios-0-steps-0-probability": "0.1", "scenarios-0-steps-1-probability": "0.01"}

ASSESSMENT_CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/assessments"): Case(
        "list", params=lambda w, u: (_draft(w), {"limit": 200})[1], visible=_listed),
    ("POST", "/api/v1/assessments"): Case(
        "self", body=lambda w, u: {"title": f"Matrix {next(_unique)}",
                                   "scenarios": [SCENARIO]}, ok=(201,)),
    ("POST", "/api/v1/assessments/compute"): Case(
        "self", body=lambda w, u: {"scenarios": [SCENARIO]}),
    ("GET", "/api/v1/assessments/{assessment_id}"): Case("object", params=_draft),
    ("PATCH", "/api/v1/assessments/{assessment_id}"): Case(
        "object", params=_draft, body=lambda w, u: {"urgency": "long_term"}),
    ("POST", "/api/v1/assessments/{assessment_id}/compute"): Case("object", params=_draft),
    ("POST", "/api/v1/assessments/{assessment_id}/transition"): Case(
        "object", params=_draft, body=lambda w, u: {"status": "in_review"}),
    # Pages
    ("GET", "/console/assessments"): Case("self"),
    ("GET", "/console/assessments/new"): Case("self"),
    ("POST", "/console/assessments"): Case("self", form=True, ok=(303,),
                                           body=lambda w, u: dict(FORM)),
    ("POST", "/console/assessments/preview"): Case("self", form=True,
                                                   body=lambda w, u: dict(FORM)),
    ("GET", "/console/assessments/scenario-row"): Case("self", params=lambda w, u: {"index": 1}),
    ("GET", "/console/assessments/step-row"): Case(
        "self", params=lambda w, u: {"scenario": 0, "step": 2}),
    ("GET", "/console/assessments/{assessment_id}"): Case("object", params=_draft),
    ("POST", "/console/assessments/{assessment_id}"): Case(
        "object", params=_draft, form=True, ok=(303,), body=lambda w, u: dict(FORM)),
    ("POST", "/console/assessments/{assessment_id}/transition"): Case(
        "object", params=_draft, form=True, ok=(303,),
        body=lambda w, u: {"status": "withdrawn", "reason": "matrix"}),
    ("GET", "/console/warnings"): Case("self"),
    ("GET", "/console/warnings/{warning_id}"): Case("object", params=_warning),
}
