"""Permission-matrix cases of the warning console pages (collected by
tests/test_permission_matrix.py). A's risk officer drafts, A's approver reviews and issues, A's
supervisor keeps the issuing-authority table, A's enterprise (EA) replies while a draft naming it
is open for comment; B (A's sibling) and EB may act on none of A's warnings."""

from __future__ import annotations

import itertools
from typing import Any

from tests.test_permission_matrix import Case, World
from tests.warnings.matrix_cases import _at, _commenting_once, _draft_once

_unique = itertools.count(1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _page_form(world: World, _user: Any = None) -> dict[str, Any]:
    return {"title": f"矩阵页面 {next(_unique)}", "level": "III", "warning_type": "notice",
            "summary": "摘要", "hazard": "危害", "measures": ["suspend_sales"],
            "origin_countries": ["CN"], "products-0-name": "塑料洋娃娃",
            "products-0-hs_code": "950300",
            "enterprises-0-organisation_id": str(world.orgs["EA"].id),
            "enterprises-0-role": "importer"}


def _pending(world: World, _user: Any = None) -> dict[str, Any]:
    """A published level II warning of A whose lifting another approver of A requested (R2)."""
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service
    from riskgate.warnings.lifecycle import lifting, service
    from tests.factories import make_user
    from tests.warnings.helpers import warning_input
    from tests.warnings.matrix_cases import _actors

    world.db.commit()
    officer, approver = _actors(world)
    warning = service.create_warning(world.db, officer, warning_input(
        None, level="II", title=f"矩阵四眼 {next(_unique)}"))
    service.submit_for_review(world.db, officer, warning.id)
    service.approve(world.db, approver, warning.id)
    service.publish(world.db, approver, warning.id)
    first = make_user(world.db, world.settings, world.orgs["A"], Role.APPROVER)
    lifting.lift(world.db, auth_service.actor_for(first, "en"), warning.id, "风险消除", "完成")
    world.db.commit()
    return {"warning_id": warning.id}


def _with_attachment(world: World, _user: Any = None) -> dict[str, Any]:
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service
    from riskgate.warnings.lifecycle import attachments, service

    if "console_attachment" not in world.__dict__:
        ids = _draft_once(world)
        officer = auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")
        warning = service.get_warning(world.db, officer, ids["warning_id"])
        (row,) = attachments.add_attachments(
            world.db, officer, warning, [attachments.Upload("photo.png", PNG)],
            root=world.settings.attachments_dir, max_bytes=10_000, max_files=5)
        world.db.commit()
        world.__dict__["console_attachment"] = {**ids, "attachment_id": row.id}
    return world.__dict__["console_attachment"]


def _authority_body(world: World, _user: Any = None) -> dict[str, Any]:
    """The level III rule as it stands (the other cases need it unchanged)."""
    from riskgate.catalog.enums import WarningLevel
    from riskgate.warnings.lifecycle import authority

    world.db.commit()
    return {"level": "III", "org_levels": authority.rules(world.db)[WarningLevel.III]}


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/console/warnings"): Case("self"),
    ("GET", "/console/warnings/new"): Case("self"),
    ("POST", "/console/warnings"): Case("self", form=True, ok=(303,), body=_page_form),
    ("GET", "/console/warnings/product-row"): Case("self", params=lambda w, u: {"index": 1}),
    ("GET", "/console/warnings/enterprise-row"): Case("self", params=lambda w, u: {"index": 1}),
    ("GET", "/console/warnings/authority"): Case("self"),
    ("POST", "/console/warnings/authority"): Case("self", form=True, ok=(303,),
                                                  body=_authority_body),
    ("GET", "/console/warnings/{warning_id}"): Case("object", params=_draft_once),
    ("GET", "/console/warnings/{warning_id}/edit"): Case("object", params=_at("draft")),
    ("POST", "/console/warnings/{warning_id}/edit"): Case(
        "object", params=_at("draft"), form=True, ok=(303,), body=_page_form),
    ("GET", "/console/warnings/{warning_id}/attachments/{attachment_id}"): Case(
        "object", params=_with_attachment),
    ("POST", "/console/warnings/{warning_id}/comment-window"): Case(
        "object", params=_at("draft"), form=True, ok=(303,),
        body=lambda w, u: {"working_days": "3"}),
    ("POST", "/console/warnings/{warning_id}/submit"): Case(
        "object", params=_at("draft"), form=True, ok=(303,)),
    ("POST", "/console/warnings/{warning_id}/discard"): Case(
        "object", params=_at("draft"), form=True, ok=(303,), body=lambda w, u: {"reason": "重复"}),
    ("POST", "/console/warnings/{warning_id}/return"): Case(
        "object", params=_at("in_review"), form=True, ok=(303,),
        body=lambda w, u: {"reason": "补充证据"}),
    ("POST", "/console/warnings/{warning_id}/approve"): Case(
        "object", params=_at("in_review"), form=True, ok=(303,),
        body=lambda w, u: {"note": "同意"}),
    ("POST", "/console/warnings/{warning_id}/publish"): Case(
        "object", params=_at("approved"), form=True, ok=(303,)),
    ("POST", "/console/warnings/{warning_id}/adjust"): Case(
        "object", params=_at("published"), form=True, ok=(303,),
        body=lambda w, u: {"reason": "升级", "level": "II"}),
    ("POST", "/console/warnings/{warning_id}/lift"): Case(
        "object", params=_at("published"), form=True, ok=(303,),
        body=lambda w, u: {"reason": "风险消除", "evaluation": "八周无新记录"}),
    ("POST", "/console/warnings/{warning_id}/withdraw"): Case(
        "object", params=_at("published"), form=True, ok=(303,),
        body=lambda w, u: {"reason": "发布错误"}),
    ("POST", "/console/warnings/{warning_id}/confirm-change"): Case(
        "object", params=_pending, form=True, ok=(303,)),
    ("POST", "/console/warnings/{warning_id}/cancel-change"): Case(
        "object", params=_pending, form=True, ok=(303,),
        body=lambda w, u: {"reason": "评估未完成"}),
    # The same two steps through the API.
    ("POST", "/api/v1/warnings/{warning_id}/confirm-change"): Case(
        "object", params=_pending, ok=(201,)),
    ("POST", "/api/v1/warnings/{warning_id}/cancel-change"): Case(
        "object", params=_pending, ok=(200,), body=lambda w, u: {"reason": "评估未完成"}),
    ("GET", "/console/warnings/{warning_id}/preview"): Case(
        "object", params=_at("in_review"), ok=(200,)),
    ("POST", "/console/warnings/{warning_id}/comments"): Case(
        "object", params=_commenting_once, form=True, ok=(303,),
        body=lambda w, u: {"body": "已整改"}),
}
