"""Permission-matrix cases for the console pages (tests/test_permission_matrix.py).

The matrix walks the route table and wants one `Case` per route. The page routes live in
src/riskgate/web; their cases live here, next to the page tests, and the matrix merges them with

    from tests.web.matrix_cases import WEB_CASES  # at the end of test_permission_matrix.py
    CASES.update(WEB_CASES)

List pages are "self" cases: the matrix's "list" kind reads JSON, and pages answer HTML; their
data scope is tested by the page tests (tests/web/test_*.py: another organisation's objects are
not listed, opening one answers 404).
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.factories import PASSWORD
from tests.test_permission_matrix import (
    A_EVENT,
    A_ORG,
    A_USER,
    Case,
    World,
    _inbox_of,
    _record_of,
    _token_of,
)

_unique = itertools.count(1)


def _dead_event_of(world: World, user: Any) -> dict[str, Any]:
    """A fresh dead letter of organisation A (the API's case already replayed the shared one)."""
    from riskgate.outbox import service as outbox
    from riskgate.outbox.enums import Channel, EventStatus

    event = outbox.enqueue(world.db, channel=Channel.EMAIL, topic="test.dead.page",
                           target="x@example.cn", payload={"subject": "s", "body": "b"},
                           organisation_id=world.orgs["A"].id)
    assert event is not None
    event.status = EventStatus.DEAD
    world.db.commit()
    return {"event_id": event.id}


def _org_form(world: World, user: Any) -> dict[str, Any]:
    return {"code": f"PAGE{next(_unique)}", "name_zh": "页面新机构",
            "org_type": "subordinate_customs", "level": "city",
            "parent_id": str(world.orgs["A"].id)}


def _org_edit_form(world: World, user: Any) -> dict[str, Any]:
    organisation = world.orgs["A"]
    return {"code": organisation.code, "name_zh": organisation.name_zh,
            "name_en": f"Renamed page {next(_unique)}", "level": organisation.level.value,
            "parent_id": str(organisation.parent_id), "active": "1", "reason": "matrix"}


def _user_form(world: World, user: Any) -> dict[str, Any]:
    return {"username": f"pagenew{next(_unique)}", "display_name": "页面新用户",
            "organisation_id": str(world.orgs["A"].id), "password": PASSWORD,
            "roles": ["risk_officer"], "language": "zh-CN"}


def _user_edit_form(world: World, user: Any) -> dict[str, Any]:
    return {"display_name": f"页面改名{next(_unique)}", "organisation_id": str(world.orgs["A"].id),
            "active": "1", "language": "zh-CN", "reason": "matrix"}


WEB_CASES: dict[tuple[str, str], Case] = {
    # Organisations
    ("GET", "/console/organisations"): Case("self"),
    ("GET", "/console/organisations/new"): Case("self"),
    ("POST", "/console/organisations"): Case("object", body=_org_form, form=True, ok=(303,)),
    ("GET", "/console/organisations/{organisation_id}"): Case("object", params=A_ORG),
    ("GET", "/console/records"): Case("self", params=lambda w, u: {"q": "玩具"}),
    ("GET", "/console/records/{record_id}"): Case("object", params=_record_of),
    ("GET", "/console/organisations/{organisation_id}/edit"): Case("object", params=A_ORG),
    ("POST", "/console/organisations/{organisation_id}/edit"): Case(
        "object", params=A_ORG, body=_org_edit_form, form=True, ok=(303,)),
    # Users
    ("GET", "/console/users"): Case("self"),
    ("GET", "/console/users/new"): Case("self"),
    ("POST", "/console/users"): Case("object", body=_user_form, form=True, ok=(303,)),
    ("GET", "/console/users/{user_id}"): Case("object", params=A_USER),
    ("GET", "/console/users/{user_id}/edit"): Case("object", params=A_USER),
    ("POST", "/console/users/{user_id}/edit"): Case(
        "object", params=A_USER, body=_user_edit_form, form=True, ok=(303,)),
    ("GET", "/console/users/{user_id}/roles"): Case("object", params=A_USER),
    ("POST", "/console/users/{user_id}/roles"): Case(
        "object", params=A_USER, form=True, ok=(303,),
        body=lambda w, u: {"roles": ["risk_officer", "approver"], "reason": "matrix"}),
    ("GET", "/console/users/{user_id}/password"): Case("object", params=A_USER),
    ("POST", "/console/users/{user_id}/password"): Case(
        "object", params=A_USER, form=True, ok=(303,),
        body=lambda w, u: {"new_password": "Another-Page-2026!"}),
    ("POST", "/console/users/{user_id}/unlock"): Case(
        "object", params=A_USER, form=True, ok=(303,), body=lambda w, u: {"reason": "matrix"}),
    # Audit trail
    ("GET", "/console/audit"): Case("self"),
    ("GET", "/console/audit/verify"): Case("self"),
    # Outbox
    ("GET", "/console/outbox"): Case("self"),
    ("GET", "/console/outbox/{event_id}"): Case("object", params=A_EVENT),
    ("POST", "/console/outbox/{event_id}/replay"): Case(
        "object", params=_dead_event_of, form=True, ok=(303,),
        body=lambda w, u: {"reason": "matrix"}),
    # My account (changing the password would end the matrix's session: a wrong current
    # password reaches the handler and is refused with 422 instead)
    ("GET", "/console/account"): Case("self"),
    ("POST", "/console/account/language"): Case(
        "self", form=True, ok=(303,), body=lambda w, u: {"language": "zh-CN"}),
    ("GET", "/console/account/password"): Case("self"),
    ("POST", "/console/account/password"): Case(
        "self", form=True, ok=(422,),
        body=lambda w, u: {"current_password": "not-the-password", "new_password": "x",
                           "confirm_password": "x"}),
    ("GET", "/console/account/tokens"): Case("self"),
    ("POST", "/console/account/tokens"): Case(
        "self", form=True, body=lambda w, u: {"name": "matrix page", "expires_in_days": "7"}),
    ("POST", "/console/account/tokens/{token_id}/revoke"): Case(
        "object", params=_token_of, form=True, ok=(303,)),
    # Inbox
    ("GET", "/console/inbox"): Case("self"),
    ("POST", "/console/inbox/{message_id}/read"): Case(
        "object", params=_inbox_of, form=True, ok=(303,)),
    # Reference catalogue (public)
    ("GET", "/console/catalog"): Case("public"),
    ("GET", "/console/catalog/hs"): Case("public", params=lambda w, u: {"q": "toys"}),
    ("GET", "/console/catalog/hs/{code}"): Case("public", params=lambda w, u: {"code": "9503"}),
    ("GET", "/console/catalog/countries"): Case("public", params=lambda w, u: {"q": "德国"}),
    ("GET", "/console/catalog/hazards"): Case("public"),
    ("GET", "/console/catalog/channels"): Case("public"),
    ("GET", "/console/catalog/warnings"): Case("public"),
    ("GET", "/console/catalog/places"): Case("public"),
}


# Imports (riskgate.intake.pages)
def _import_cases() -> dict[tuple[str, str], Case]:
    from tests.intake.conftest import FIXTURES
    from tests.test_permission_matrix import _batch_of, _import_profile_of

    def sample(world: World, user: Any) -> dict[str, Any]:
        return {"file": ("s.csv", (FIXTURES / "rasff_duplicates.csv").read_bytes())}

    def profile_form(world: World, user: Any) -> dict[str, Any]:
        return {"name": f"page_profile_{next(_unique)}", "format": "csv",
                "source_channel": "lab_result", "column": ["Goods", "Finding"],
                "target": ["product_name", "title"]}

    fresh = lambda w, u: _import_profile_of(w, fresh=True)  # noqa: E731
    return {
        ("GET", "/console/imports"): Case("self"),
        ("GET", "/console/imports/new"): Case("self"),
        ("POST", "/console/imports"): Case(
            "self", body=lambda w, u: {"profile": "rasff", "step": "preview"}, files=sample),
        ("GET", "/console/imports/template.xlsx"): Case("self"),
        ("GET", "/console/imports/{batch_id}"): Case("object", params=_batch_of),
        ("POST", "/console/imports/{batch_id}/rows/{row_id}"): Case(
            "object", params=_batch_of, form=True, ok=(303,),
            body=lambda w, u: {"column": "Date of Case", "value": "Feb 28, 2024"}),
        ("GET", "/console/imports/{batch_id}/report.csv"): Case("object", params=_batch_of),
        ("GET", "/console/import-profiles"): Case("self"),
        ("GET", "/console/import-profiles/new"): Case("self"),
        ("POST", "/console/import-profiles/columns"): Case(
            "self", body=lambda w, u: {"format": "csv"}, files=sample),
        ("POST", "/console/import-profiles"): Case(
            "self", form=True, body=profile_form, ok=(303,)),
        ("POST", "/console/import-profiles/{profile_id}/delete"): Case(
            "object", params=fresh, form=True, ok=(303,)),
    }  # fmt: skip


WEB_CASES.update(_import_cases())
