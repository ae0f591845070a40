"""Permission-matrix cases for the assessment-report routes (merged in
tests/test_permission_matrix.py).

A's risk officer requests one report about A (an Excel file: quick to generate), which the
generation job makes ready; B, A's sibling, must neither see nor download it, nor request a
report about A.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from tests.test_permission_matrix import A_ORG, Case, World, _items

QUARTER = "2021Q1"


def report_of(world: World, _user: Any = None) -> dict[str, Any]:
    """A ready report about A (generated once per matrix run)."""
    from riskgate.analysis_reports import service
    from riskgate.analysis_reports.enums import ReportFormat
    from riskgate.core.db import transaction
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    if "analysis_report_id" not in world.__dict__:
        actor = auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")
        report = service.request_report(world.db, actor, world.settings, service.ReportRequest(
            quarter=QUARTER, format=ReportFormat.xlsx, organisation_id=world.orgs["A"].id))
        world.db.commit()
        service.generate_one(partial(transaction, world.app.state.session_factory),
                             world.settings, report.id)
        world.__dict__["analysis_report_id"] = report.id
    return {"report_id": world.__dict__["analysis_report_id"]}


def _listed(world: World, _user: Any) -> dict[str, Any]:
    report_of(world)
    return {"limit": 200}


def _body(world: World, _user: Any) -> dict[str, Any]:
    return {"quarter": QUARTER, "format": "xlsx", **A_ORG(world, None)}


ANALYSIS_REPORT_CASES: dict[tuple[str, str], Case] = {
    ("POST", "/api/v1/analysis-reports"): Case("object", body=_body, ok=(202,)),
    ("GET", "/api/v1/analysis-reports"): Case(
        "list", params=_listed,
        visible=lambda w, r: any(i["id"] == w.__dict__["analysis_report_id"] for i in _items(r))),
    ("GET", "/api/v1/analysis-reports/{report_id}"): Case("object", params=report_of),
    ("GET", "/api/v1/analysis-reports/{report_id}/download"): Case("object", params=report_of),
    # Pages
    ("GET", "/console/analysis-reports"): Case("self"),
    ("POST", "/console/analysis-reports"): Case(
        "object", form=True, ok=(303,),
        body=lambda w, u: {"kind": "quarterly", "quarter": QUARTER, "format": "xlsx",
                           "language": "en", "organisation_id": str(w.orgs["A"].id)}),
    ("GET", "/console/analysis-reports/{report_id}/download"): Case("object", params=report_of),
}
