"""Permission-matrix cases of the report routes (merged into tests/test_permission_matrix.py).

Objects are owned by organisation A of the matrix's world: complaints and whistleblower reports
are filed with A as the receiving organisation (as staff would do for a call to the hotline),
enterprise reports by A's enterprise with A as the fallback receiving organisation. Portal POSTs
made without the portal's form token are refused (403); the whole flow is in test_pages.py and
the browser test. Tracking without the access code answers 404, whatever the number.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from typing import Any

from riskgate.core.context import Actor
from riskgate.core.permissions import Role
from riskgate.core.uploads import Upload
from riskgate.identity.auth_service import actor_for
from riskgate.reports import enterprise, service
from riskgate.reports.enums import ReportKind
from riskgate.reports.schemas import ComplaintIn, EnterpriseReportIn, WhistleblowerIn
from tests.reports.conftest import complaint_body, png_bytes
from tests.test_permission_matrix import Case, World, _after, _items

_unique = itertools.count(1)


def _attachments_dir(world: World) -> None:
    # End any read transaction left open: on SQLite it could not become a write once the app's
    # requests committed (commit, not rollback, which would expire the world's objects).
    world.db.commit()
    if "attachments_dir" not in world.__dict__:
        world.__dict__["attachments_dir"] = Path(tempfile.mkdtemp(prefix="rg-matrix-"))
        world.settings.attachments_dir = world.__dict__["attachments_dir"]


def _report_in_a(world: World, kind: ReportKind) -> Any:
    _attachments_dir(world)
    public = Actor.anonymous("en")
    if kind == ReportKind.complaint:
        submitted = service.submit_complaint(
            world.db, public, world.settings,
            ComplaintIn.model_validate(complaint_body(region_code=None)), language="en",
            receiving_organisation_id=world.orgs["A"].id,
            uploads=[Upload(f"p{next(_unique)}.png", png_bytes())])
    else:
        submitted = service.submit_whistleblower_report(
            world.db, public, world.settings, WhistleblowerIn.model_validate({
                "product_name": "奶粉", "description": "过期奶粉重新贴标",
                "anonymous": False, "identity": {"name": "李", "phone": "13800000000"}}),
            language="en", receiving_organisation_id=world.orgs["A"].id)
    world.db.commit()
    return submitted.report


def _complaint(world: World, _user: Any) -> dict[str, Any]:
    return {"report_id": _report_in_a(world, ReportKind.complaint).id}


def _whistleblower(world: World, _user: Any) -> dict[str, Any]:
    return {"report_id": _report_in_a(world, ReportKind.whistleblower).id}


def _listed(kind: ReportKind):  # type: ignore[no-untyped-def]
    def make(world: World) -> None:
        world.__dict__[f"listed_{kind.value}"] = _report_in_a(world, kind).id
    return make


def _visible(kind: ReportKind):  # type: ignore[no-untyped-def]
    return lambda w, r: any(i["id"] == w.__dict__[f"listed_{kind.value}"] for i in _items(r))


def _record_with_attachment(world: World, _user: Any) -> dict[str, Any]:
    from riskgate.reports.attachments import attachments_of

    report = _report_in_a(world, ReportKind.complaint)
    (attachment,) = attachments_of(world.db, report.record_id)
    world.db.commit()
    return {"record_id": report.record_id, "attachment_id": attachment.id}


def _enterprise_report(world: World, _user: Any = None) -> dict[str, Any]:
    _attachments_dir(world)
    actor = actor_for(world.user("A", Role.ENTERPRISE_USER), "en")
    world.settings.reports_receiving_org = world.orgs["A"].code
    try:
        report = enterprise.file_report(world.db, actor, world.settings,
                                        EnterpriseReportIn.model_validate(_accident(world, None)),
                                        language="en")
    finally:
        world.settings.reports_receiving_org = None
    world.db.commit()
    world.__dict__["enterprise_report_id"] = report.id
    return {"report_id": report.id}


def _accident(world: World, _user: Any) -> dict[str, Any]:
    return {"kind": "accident", "route": "border", "product_name": "毛绒玩具",
            "description": f"儿童误吞配件 {next(_unique)}", "injuries_count": 1}


def _complaint_api_body(world: World, _user: Any) -> dict[str, Any]:
    return complaint_body(route="border", region_code=None, description=f"电池起火 {next(_unique)}")


def _whistleblower_api_body(world: World, _user: Any) -> dict[str, Any]:
    return {"route": "border", "product_name": "奶粉", "description": "过期奶粉重新贴标"}


def _tracking(kind: ReportKind):  # type: ignore[no-untyped-def]
    return lambda w, u: {"tracking_number": _report_in_a(w, kind).tracking_number}


REPORT_CASES: dict[tuple[str, str], Case] = {
    # API: the public
    ("POST", "/api/v1/complaints"): Case("public", body=_complaint_api_body, ok=(201,)),
    ("POST", "/api/v1/whistleblower-reports"): Case(
        "public", body=_whistleblower_api_body, ok=(201,)),
    ("GET", "/api/v1/complaints/track/{tracking_number}"): Case(
        "public", params=_tracking(ReportKind.complaint), ok=(404,)),
    ("GET", "/api/v1/whistleblower-reports/track/{tracking_number}"): Case(
        "public", params=_tracking(ReportKind.whistleblower), ok=(404,)),
    # API: staff
    ("GET", "/api/v1/complaints"): Case(
        "list", params=_after(_listed(ReportKind.complaint)),
        visible=_visible(ReportKind.complaint)),
    ("GET", "/api/v1/whistleblower-reports"): Case(
        "list", params=_after(_listed(ReportKind.whistleblower)),
        visible=_visible(ReportKind.whistleblower)),
    ("GET", "/api/v1/complaints/{report_id}"): Case("object", params=_complaint),
    ("GET", "/api/v1/whistleblower-reports/{report_id}"): Case("object", params=_whistleblower),
    ("POST", "/api/v1/complaints/{report_id}/transition"): Case(
        "object", params=_complaint, body=lambda w, u: {"status": "accepted"}),
    ("POST", "/api/v1/whistleblower-reports/{report_id}/transition"): Case(
        "object", params=_whistleblower, body=lambda w, u: {"status": "accepted"}),
    ("POST", "/api/v1/complaints/{report_id}/notes"): Case(
        "object", params=_complaint, body=lambda w, u: {"body": "matrix"}, ok=(201,)),
    ("POST", "/api/v1/whistleblower-reports/{report_id}/notes"): Case(
        "object", params=_whistleblower, body=lambda w, u: {"body": "matrix"}, ok=(201,)),
    ("POST", "/api/v1/whistleblower-reports/{report_id}/identity"): Case(
        "object", params=_whistleblower, body=lambda w, u: {"reason": "matrix check"}),
    ("POST", "/api/v1/whistleblower-reports/{report_id}/reward"): Case(
        "object", params=_whistleblower, body=lambda w, u: {"status": "declined"}),
    # API: enterprises
    ("POST", "/api/v1/enterprise-reports"): Case("self", body=_accident, ok=(201,)),
    ("GET", "/api/v1/enterprise-reports"): Case(
        "list", params=_after(_enterprise_report),
        visible=lambda w, r: any(i["id"] == w.__dict__["enterprise_report_id"]
                                 for i in _items(r))),
    ("GET", "/api/v1/enterprise-reports/{report_id}"): Case("object", params=_enterprise_report),
    # API: attachments
    ("GET", "/api/v1/records/{record_id}/attachments"): Case(
        "object", params=lambda w, u: {"record_id": _record_with_attachment(w, u)["record_id"]}),
    ("GET", "/api/v1/attachments/{attachment_id}/content"): Case(
        "object",
        params=lambda w, u: {"attachment_id": _record_with_attachment(w, u)["attachment_id"]}),
    # Portal pages
    ("GET", "/complaints/new"): Case("public"),
    ("GET", "/whistleblower/new"): Case("public"),
    ("GET", "/track"): Case("public"),
    ("POST", "/complaints"): Case("public", form=True, body=lambda w, u: {"product_name": "x"},
                                  ok=(403,)),
    ("POST", "/whistleblower"): Case("public", form=True, body=lambda w, u: {"product_name": "x"},
                                     ok=(403,)),
    ("POST", "/track"): Case("public", form=True, body=lambda w, u: {"tracking_number": "x"},
                             ok=(403,)),
    # Console pages: complaints and whistleblower reports
    ("GET", "/console/complaints"): Case("self"),
    ("GET", "/console/whistleblower-reports"): Case("self"),
    ("GET", "/console/complaints/{report_id}"): Case("object", params=_complaint),
    ("GET", "/console/whistleblower-reports/{report_id}"): Case("object", params=_whistleblower),
    ("POST", "/console/complaints/{report_id}/transition"): Case(
        "object", params=_complaint, form=True, body=lambda w, u: {"status": "accepted"},
        ok=(303,)),
    ("POST", "/console/whistleblower-reports/{report_id}/transition"): Case(
        "object", params=_whistleblower, form=True, body=lambda w, u: {"status": "accepted"},
        ok=(303,)),
    ("POST", "/console/complaints/{report_id}/notes"): Case(
        "object", params=_complaint, form=True, body=lambda w, u: {"body": "matrix"}, ok=(303,)),
    ("POST", "/console/whistleblower-reports/{report_id}/notes"): Case(
        "object", params=_whistleblower, form=True, body=lambda w, u: {"body": "matrix"},
        ok=(303,)),
    ("POST", "/console/whistleblower-reports/{report_id}/identity"): Case(
        "object", params=_whistleblower, form=True, body=lambda w, u: {"reason": "matrix check"}),
    ("POST", "/console/whistleblower-reports/{report_id}/reward"): Case(
        "object", params=_whistleblower, form=True, body=lambda w, u: {"status": "declined"},
        ok=(303,)),
    # Console pages: enterprise reports
    ("GET", "/console/enterprise-reports"): Case("self"),
    ("GET", "/console/enterprise-reports/{report_id}"): Case("object", params=_enterprise_report),
    ("GET", "/console/my-reports"): Case("self"),
    ("GET", "/console/my-reports/new"): Case("self"),
    ("POST", "/console/my-reports"): Case("self", form=True, body=_accident, ok=(303,)),
    ("GET", "/console/my-reports/{report_id}"): Case("object", params=_enterprise_report),
}
