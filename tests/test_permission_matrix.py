"""The permission matrix, generated from the route table.

For every route the app serves, four callers: anonymous, a signed-in user whose role lacks the
route's permission, a user who holds it but belongs to another organisation, and a user who holds
it in the organisation that owns the object. A route with no permission, or with no case below,
fails the test — so a new route cannot be added without deciding who may call it.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from riskgate.core.context import Actor
from riskgate.core.http import route_permission
from riskgate.core.permissions import ROLE_PERMISSIONS, Permission, Role, permissions_for
from riskgate.identity import auth_service
from riskgate.identity.demo import make_uscc
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import Channel, EventStatus
from tests.factories import PASSWORD, SYSTEM, make_org, make_user, sign_in
from tests.intake.conftest import FIXTURES

PUBLIC = permissions_for(frozenset())
# Framework routes without a dependency list: the OpenAPI document and the static files mount.
FRAMEWORK_ROUTES = {("GET", "/api/openapi.json"), ("GET", "/static")}
_unique = itertools.count(1)


@dataclass
class World:
    """Two sibling organisations A and B, users of every role in each, objects owned in A."""

    app: Any
    db: Any
    settings: Any
    orgs: dict[str, Any] = field(default_factory=dict)
    users: dict[tuple[str, Role], Any] = field(default_factory=dict)
    tokens: dict[int, str] = field(default_factory=dict)
    clients: dict[int, TestClient] = field(default_factory=dict)
    csrf: dict[int, str] = field(default_factory=dict)
    target_user: Any = None
    dead_event: Any = None
    webhook_id: int | None = None

    def user(self, side: str, role: Role):  # type: ignore[no-untyped-def]
        return self.users[(side, role)]

    def client_for(self, user, *, page: bool) -> tuple[TestClient, dict[str, str]]:  # type: ignore[no-untyped-def]
        if user is None:
            return TestClient(self.app), {}
        if not page:
            return TestClient(self.app), {"Authorization": f"Bearer {self.tokens[user.id]}"}
        if user.id not in self.clients:
            client = TestClient(self.app)
            self.csrf[user.id] = sign_in(client, user.username)
            self.clients[user.id] = client
        return self.clients[user.id], {"X-CSRF-Token": self.csrf[user.id]}


def build_world(app, db, settings) -> World:  # type: ignore[no-untyped-def]
    world = World(app, db, settings)
    root = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL)
    world.orgs["A"] = make_org(db, parent=root, name_zh="甲海关")
    world.orgs["B"] = make_org(db, parent=root, name_zh="乙海关")
    world.orgs["EA"] = make_org(
        db, org_type=OrgType.ENTERPRISE, level=OrgLevel.NONE, uscc=make_uscc("310115", "31748252")
    )
    world.orgs["EB"] = make_org(
        db, org_type=OrgType.ENTERPRISE, level=OrgLevel.NONE, uscc=make_uscc("440100", "44917302")
    )
    for side in ("A", "B"):
        for role in Role:
            org = world.orgs[("E" + side) if role == Role.ENTERPRISE_USER else side]
            user = make_user(db, settings, org, role, username=f"{side.lower()}_{role.value}")
            world.users[(side, role)] = user
            _token, raw = auth_service.create_api_token(
                db,
                auth_service.actor_for(user, "en"),
                name="matrix",
                scopes=None,
                expires_in_days=1,
            )
            world.tokens[user.id] = raw
    world.target_user = make_user(
        db, settings, world.orgs["A"], Role.RISK_OFFICER, username="a_target"
    )
    event = outbox.enqueue(
        db,
        channel=Channel.EMAIL,
        topic="test.dead",
        target="x@example.cn",
        payload={"subject": "s", "body": "b"},
        organisation_id=world.orgs["A"].id,
    )
    event.status = EventStatus.DEAD
    world.dead_event = event
    outbox.create_webhook(
        db,
        auth_service.actor_for(world.user("A", Role.SYSTEM_ADMIN), "en"),
        url="http://127.0.0.1:9/a",
        description="A's endpoint",
        topics=["*"],
    )
    db.commit()
    return world


def owner_side_object(factory: Callable[[World, Any], dict[str, Any]]):  # type: ignore[no-untyped-def]
    return factory


@dataclass
class Case:
    """How to call one route for the matrix.

    kind: "public" (anyone), "self" (the caller's own account, no other-organisation check),
    "object" (an object owned in A: other organisation gets 404), "list" (other organisation
    gets 200 without A's objects — `visible` says whether A's object is in a response).
    `params`/`body` get the world and the calling user (so "self" objects belong to the caller).
    """

    kind: str
    params: Callable[[World, Any], dict[str, Any]] = lambda w, u: {}
    body: Callable[[World, Any], Any] = lambda w, u: None
    form: bool = False
    files: Callable[[World, Any], dict[str, Any]] | None = None
    ok: tuple[int, ...] = (200,)
    visible: Callable[[World, Any], bool] | None = None


def _token_of(world: World, user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    token, _raw = auth_service.create_api_token(
        world.db,
        auth_service.actor_for(user, "en"),
        name=f"t{next(_unique)}",
        scopes=None,
        expires_in_days=1,
    )
    world.db.commit()
    return {"token_id": token.id}


def _inbox_of(world: World, user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from riskgate.outbox.models import InboxMessage

    message = InboxMessage(
        event_uid=f"matrix-{next(_unique)}", user_id=user.id, topic="t", subject="s", body="b"
    )
    world.db.add(message)
    world.db.commit()
    return {"message_id": message.id}


def _webhook_of(world: World, user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    actor = auth_service.actor_for(world.user("A", Role.SYSTEM_ADMIN), "en")
    endpoint, _secret = outbox.create_webhook(
        world.db, actor, url="http://127.0.0.1:9/hook", description=None, topics=["*"]
    )
    world.db.commit()
    return {"endpoint_id": endpoint.id}


def _items(payload: Any) -> list[dict[str, Any]]:
    return payload["items"] if isinstance(payload, dict) else payload


def _org_body(world: World, user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "code": f"NEW{next(_unique)}",
        "name_zh": "新机构",
        "org_type": "subordinate_customs",
        "level": "city",
        "parent_id": world.orgs["A"].id,
    }


def _user_body(world: World, user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "username": f"new{next(_unique)}",
        "display_name": "新用户",
        "organisation_id": world.orgs["A"].id,
        "password": PASSWORD,
        "roles": ["risk_officer"],
    }


def _officer_a(world: World):  # type: ignore[no-untyped-def]
    return auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")


def _record_of(world: World, user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from riskgate.records.service import push_records

    if "record_id" not in world.__dict__:
        (stored,) = push_records(world.db, _officer_a(world), [_record_body(world, user)])
        world.db.commit()
        world.__dict__["record_id"] = stored.record_id
    return {"record_id": world.__dict__["record_id"]}


def _record_body(world: World, user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "source_channel": "hotline_12315",
        "external_reference": f"MATRIX-{next(_unique)}",
        "title": "电暖器起火",
        "product_name": "电暖器",
    }


def _batch_of(world: World, user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A fresh batch in A with one open quarantined row (each correction resolves its own)."""
    from riskgate.intake.service import ingest_batch, quarantined_rows

    with (FIXTURES / "rasff_bad_values.csv").open("rb") as binary:
        batch = ingest_batch(
            world.db, _officer_a(world), profile_name="rasff", binary=binary, file_name="bad.csv"
        )
    row = quarantined_rows(world.db, batch)[0]
    world.db.commit()
    return {"batch_id": batch.id, "row_id": row.id}


def _rasff_file(world: World, user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"file": ("s.csv", (FIXTURES / "rasff_duplicates.csv").read_bytes())}


def _import_profile_body(world: World, user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"name": f"matrix_{next(_unique)}", "format": "csv", "source_channel": "lab_result",
            "mapping": {"Goods": "product_name", "Finding": "title"}}


def _import_profile_of(world: World, fresh: bool = False) -> dict[str, Any]:
    """A saved import profile owned by A (a fresh one for each change or deletion)."""
    from riskgate.intake.profile_service import create_profile

    if fresh or "profile_id" not in world.__dict__:
        saved = create_profile(world.db, _officer_a(world), _import_profile_body(world, None))
        world.db.commit()
        if fresh:
            return {"profile_id": saved.id}
        world.__dict__["profile_id"] = saved.id
    return {"profile_id": world.__dict__["profile_id"]}


def _listed_batch(world: World) -> dict[str, Any]:
    if "batch_id" not in world.__dict__:
        world.__dict__["batch_id"] = _batch_of(world, None)["batch_id"]
    return {"batch_id": world.__dict__["batch_id"]}


def _after(make: Callable[[World], Any]) -> Callable[[World, Any], dict[str, Any]]:
    """List params that first create the object in A, so the list can be checked for it."""

    def params(world: World, _user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        make(world)
        return {"limit": 200}

    return params


A_ORG = lambda w, u: {"organisation_id": w.orgs["A"].id}  # noqa: E731
A_USER = lambda w, u: {"user_id": w.target_user.id}  # noqa: E731
A_EVENT = lambda w, u: {"event_id": w.dead_event.id}  # noqa: E731

CASES: dict[tuple[str, str], Case] = {
    ("GET", "/healthz"): Case("public"),
    ("GET", "/readyz"): Case("public"),
    ("GET", "/metrics"): Case("public"),
    ("GET", "/api/docs"): Case("public"),
    ("GET", "/static/vendor/{library}/{filename}"): Case(
        "public", params=lambda w, u: {"library": "htmx", "filename": "htmx.min.js"}
    ),
    # Identity API
    ("GET", "/api/v1/me"): Case("self"),
    ("GET", "/api/v1/organisations"): Case(
        "list", visible=lambda w, r: any(i["id"] == w.orgs["A"].id for i in _items(r))
    ),
    ("POST", "/api/v1/organisations"): Case("object", body=_org_body, ok=(201,)),
    ("GET", "/api/v1/organisations/{organisation_id}"): Case("object", params=A_ORG),
    ("PATCH", "/api/v1/organisations/{organisation_id}"): Case(
        "object", params=A_ORG, body=lambda w, u: {"name_en": f"Renamed {next(_unique)}"}
    ),
    ("GET", "/api/v1/users"): Case(
        "list", visible=lambda w, r: any(i["id"] == w.target_user.id for i in _items(r))
    ),
    ("POST", "/api/v1/users"): Case("object", body=_user_body, ok=(201,)),
    ("GET", "/api/v1/users/{user_id}"): Case("object", params=A_USER),
    ("PATCH", "/api/v1/users/{user_id}"): Case(
        "object", params=A_USER, body=lambda w, u: {"display_name": f"改名{next(_unique)}"}
    ),
    ("PUT", "/api/v1/users/{user_id}/roles"): Case(
        "object", params=A_USER, body=lambda w, u: {"roles": ["risk_officer", "approver"]}
    ),
    ("POST", "/api/v1/users/{user_id}/password"): Case(
        "object", params=A_USER, body=lambda w, u: {"new_password": "Another-Pass-2026!"}
    ),
    ("POST", "/api/v1/users/{user_id}/unlock"): Case("object", params=A_USER, body=lambda w, u: {}),
    ("GET", "/api/v1/tokens"): Case("self"),
    ("POST", "/api/v1/tokens"): Case("self", body=lambda w, u: {"name": "x"}, ok=(201,)),
    ("DELETE", "/api/v1/tokens/{token_id}"): Case("object", params=_token_of),
    # Audit
    ("GET", "/api/v1/audit"): Case(
        "list", visible=lambda w, r: any(i["organisation_id"] == w.orgs["A"].id for i in _items(r))
    ),
    # Outbox, webhooks, inbox
    ("GET", "/api/v1/outbox/events"): Case(
        "list", visible=lambda w, r: any(i["id"] == w.dead_event.id for i in _items(r))
    ),
    ("GET", "/api/v1/outbox/events/{event_id}"): Case("object", params=A_EVENT),
    ("POST", "/api/v1/outbox/events/{event_id}/replay"): Case(
        "object", params=A_EVENT, body=lambda w, u: {"reason": "matrix"}
    ),
    ("GET", "/api/v1/webhooks"): Case("list", visible=lambda w, r: len(_items(r)) > 0),
    ("POST", "/api/v1/webhooks"): Case(
        "self", body=lambda w, u: {"url": "http://127.0.0.1:9/hook"}, ok=(201,)
    ),
    ("DELETE", "/api/v1/webhooks/{endpoint_id}"): Case("object", params=_webhook_of),
    ("GET", "/api/v1/inbox"): Case("self"),
    ("POST", "/api/v1/inbox/{message_id}/read"): Case("object", params=_inbox_of),
    # Catalogue (public)
    ("GET", "/api/v1/catalog/hs-sections"): Case("public"),
    ("GET", "/api/v1/catalog/hs"): Case("public"),
    ("GET", "/api/v1/catalog/hs/{code}"): Case("public", params=lambda w, u: {"code": "9503"}),
    ("GET", "/api/v1/catalog/countries"): Case("public"),
    ("GET", "/api/v1/catalog/countries/resolve"): Case(
        "public", params=lambda w, u: {"name": "中国"}
    ),
    ("GET", "/api/v1/catalog/hazard-classes"): Case("public"),
    ("GET", "/api/v1/catalog/hazard-types"): Case("public"),
    ("GET", "/api/v1/catalog/source-channels"): Case("public"),
    ("GET", "/api/v1/catalog/measure-types"): Case("public"),
    ("GET", "/api/v1/catalog/warning-levels"): Case("public"),
    ("GET", "/api/v1/catalog/warning-types"): Case("public"),
    ("GET", "/api/v1/catalog/regions"): Case("public"),
    ("GET", "/api/v1/catalog/ports"): Case("public"),
    ("GET", "/api/v1/catalog/customs-districts"): Case("public"),
    # Risk records and imports
    ("GET", "/api/v1/records"): Case(
        "list",
        params=_after(lambda w: _record_of(w, None)),
        visible=lambda w, r: any(i["id"] == w.__dict__["record_id"] for i in _items(r)),
    ),
    ("GET", "/api/v1/records/{record_id}"): Case("object", params=_record_of),
    ("GET", "/api/v1/records/export"): Case(
        "list", params=lambda w, u: {**_record_of(w, u), "format": "csv", "q": "玩具"}
    ),
    ("POST", "/api/v1/records"): Case("self", body=_record_body, ok=(201,)),
    ("POST", "/api/v1/records/batch"): Case(
        "self", body=lambda w, u: {"items": [_record_body(w, u)]}, ok=(201,)
    ),
    ("POST", "/api/v1/imports"): Case(
        "self",
        body=lambda w, u: {"profile": "rasff"},
        files=lambda w, u: {"file": ("s.csv", (FIXTURES / "rasff_duplicates.csv").read_bytes())},
        ok=(201,),
    ),
    ("GET", "/api/v1/imports"): Case(
        "list",
        params=_after(_listed_batch),
        visible=lambda w, r: any(i["id"] == w.__dict__["batch_id"] for i in _items(r)),
    ),
    ("GET", "/api/v1/imports/{batch_id}"): Case("object", params=_batch_of),
    ("POST", "/api/v1/imports/{batch_id}/quarantine/{row_id}"): Case(
        "object", params=_batch_of, body=lambda w, u: {"fields": {"Date of Case": "Feb 28, 2024"}}
    ),
    ("GET", "/api/v1/imports/{batch_id}/report.csv"): Case("object", params=_batch_of),
    ("GET", "/api/v1/imports/template.xlsx"): Case("self"),
    ("POST", "/api/v1/imports/preview"): Case(
        "self", body=lambda w, u: {"profile": "rasff"}, files=_rasff_file
    ),
    ("POST", "/api/v1/imports/dry-run"): Case(
        "self", body=lambda w, u: {"profile": "rasff"}, files=_rasff_file
    ),
    ("GET", "/api/v1/import-profiles"): Case(
        "list",
        params=_after(_import_profile_of),
        visible=lambda w, r: any(i["id"] == w.__dict__["profile_id"] for i in _items(r)),
    ),
    ("POST", "/api/v1/import-profiles"): Case("self", body=_import_profile_body, ok=(201,)),
    ("GET", "/api/v1/import-profiles/{profile_id}"): Case(
        "object", params=lambda w, u: _import_profile_of(w, fresh=True)
    ),
    ("PATCH", "/api/v1/import-profiles/{profile_id}"): Case(
        "object", params=lambda w, u: _import_profile_of(w, fresh=True),
        body=lambda w, u: {"description": "matrix"},
    ),
    ("DELETE", "/api/v1/import-profiles/{profile_id}"): Case(
        "object", params=lambda w, u: _import_profile_of(w, fresh=True), ok=(204,)
    ),
    # Pages
    ("GET", "/"): Case("public"),
    ("GET", "/login"): Case("public"),
    ("POST", "/login"): Case(
        "public",
        form=True,
        ok=(200, 303),
        body=lambda w, u: {"username": "nobody", "password": "x"},
    ),
    ("POST", "/logout"): Case("self", form=True, ok=(303,)),
    ("GET", "/console"): Case("self"),
}


def all_routes(app) -> list[tuple[str, str, Permission | None]]:  # type: ignore[no-untyped-def]
    found = []
    routes = [r for router in app.state.routers for r in router.routes]
    routes += [r for r in app.router.routes if isinstance(r, APIRoute | Mount | Route)]
    for route in routes:
        if isinstance(route, APIRoute):
            # path_format: the path without its convertors ({warning_id:int} → {warning_id}).
            for method in sorted(route.methods - {"HEAD"}):
                found.append((method, route.path_format, route_permission(route)))
        elif isinstance(route, Mount):
            found.append(("GET", route.path, Permission.PUBLIC))
        elif isinstance(route, Route):
            for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
                found.append((method, route.path_format, None))
    return found


def _role_with(permission: Permission, *, enterprise_last: bool = True) -> Role | None:
    roles = [r for r in Role if permission in ROLE_PERMISSIONS[r]]
    roles.sort(key=lambda r: (r == Role.ENTERPRISE_USER) if enterprise_last else 0)
    return roles[0] if roles else None


def _role_without(permission: Permission) -> Role | None:
    return next((r for r in Role if permission not in ROLE_PERMISSIONS[r]), None)


def _call(world: World, method: str, path: str, case: Case, user, owner) -> Any:  # type: ignore[no-untyped-def]
    """Call the route as `user`, about objects owned by `owner` (the allowed user in A)."""
    page = not path.startswith("/api/") and path not in ("/healthz", "/readyz", "/metrics")
    client, headers = world.client_for(user, page=page)
    params = case.params(world, owner)
    url = path
    query = {}
    for key, value in params.items():
        if "{" + key + "}" in url:
            url = url.replace("{" + key + "}", str(value))
        else:
            query[key] = value
    body = case.body(world, owner)
    kwargs: dict[str, Any] = {
        "headers": {**headers, "Accept-Language": "en"},
        "params": query,
        "follow_redirects": False,
    }
    if case.files is not None:
        kwargs["files"] = case.files(world, owner)
        kwargs["data"] = body or {}
    elif body is not None or method in ("POST", "PUT", "PATCH"):
        if case.form:
            kwargs["data"] = {
                **(body or {}),
                "csrf_token": world.csrf.get(getattr(user, "id", 0), ""),
            }
        else:
            kwargs["json"] = body if body is not None else {}
    return client.request(method, url, **kwargs)


def test_every_route_declares_a_permission_and_has_a_case(app):
    missing_permission = [
        (m, p) for m, p, perm in all_routes(app) if perm is None and (m, p) not in FRAMEWORK_ROUTES
    ]
    assert not missing_permission, f"routes without require(...): {missing_permission}"
    missing_case = [
        (m, p)
        for m, p, _ in all_routes(app)
        if (m, p) not in CASES and (m, p) not in FRAMEWORK_ROUTES
    ]
    assert not missing_case, f"add these routes to CASES in {__file__}: {missing_case}"


def _check_route(
    world: World, method: str, path: str, permission: Permission, case: Case, failures: list[str]
) -> None:
    """The four callers of one route; failures are collected, not raised, to see them all."""
    page = not path.startswith("/api/") and path not in ("/healthz", "/readyz", "/metrics")
    allowed_role = _role_with(permission)
    owner = world.user("A", allowed_role) if allowed_role else None

    def check(label: str, user, expected: tuple[int, ...], predicate=None) -> None:  # type: ignore[no-untyped-def]
        response = _call(world, method, path, case, user, owner)
        if path == "/logout" and user is not None:
            world.clients.pop(user.id, None)  # that session is over
        ok = response.status_code in expected and (predicate is None or predicate(response))
        if not ok:
            failures.append(
                f"{method} {path} [{label}]: {response.status_code} {response.text[:200]!r}"
            )

    if permission in PUBLIC:
        check("anonymous", None, case.ok)
        return
    if page:
        check("anonymous", None, (303,), lambda r: r.headers["location"].startswith("/login"))
    else:
        check("anonymous", None, (401,))
    wrong = _role_without(permission)
    if wrong is not None:
        check(f"wrong role {wrong.value}", world.user("A", wrong), (403,))
    assert allowed_role is not None, permission
    visible = case.visible
    if case.kind == "object":
        check("other organisation", world.user("B", allowed_role), (404,))
    elif case.kind == "list" and visible is not None:
        check(
            "other organisation",
            world.user("B", allowed_role),
            (200,),
            lambda r: not visible(world, r.json()),
        )
    check(
        "allowed",
        owner,
        case.ok,
        (lambda r: visible(world, r.json())) if case.kind == "list" and visible else None,
    )


def test_permission_matrix(app, db, settings):
    world = build_world(app, db, settings)
    failures: list[str] = []
    # RISKGATE_MATRIX_PATHS="/api/v1/border,/console/border" checks only those routes (to work
    # on one domain's cases); the suite always checks every route.
    only = tuple(p for p in os.environ.get("RISKGATE_MATRIX_PATHS", "").split(",") if p)
    for method, path, permission in all_routes(app):
        if (method, path) in FRAMEWORK_ROUTES or (only and not path.startswith(only)):
            continue
        assert permission is not None, (method, path)
        _check_route(world, method, path, permission, CASES[(method, path)], failures)
    assert world.clients, "no page route was exercised with a signed-in session"
    assert not failures, "\n".join(failures)


def test_system_actor_is_unscoped():
    assert Actor.system().can(Permission.ORG_MANAGE) and SYSTEM.is_system


@pytest.mark.parametrize("permission", list(Permission))
def test_every_permission_is_granted_to_someone(permission):
    assert permission in PUBLIC or _role_with(permission) is not None


# The console and portal pages keep their cases beside their tests.
from tests.web.matrix_cases import WEB_CASES  # noqa: E402

CASES.update(WEB_CASES)

from tests.linkage.matrix_cases import LINKAGE_CASES  # noqa: E402

CASES.update(LINKAGE_CASES)

from tests.channels.matrix_cases import CHANNEL_CASES  # noqa: E402

CASES.update(CHANNEL_CASES)

from tests.reports.matrix_cases import REPORT_CASES  # noqa: E402

CASES.update(REPORT_CASES)

from tests.experts.matrix_cases import EXPERT_CASES  # noqa: E402

CASES.update(EXPERT_CASES)

from tests.monitoring.matrix_cases import MONITORING_CASES  # noqa: E402

CASES.update(MONITORING_CASES)

from tests.signals.matrix_cases import SIGNAL_CASES  # noqa: E402

CASES.update(SIGNAL_CASES)

from tests.assessment.matrix_cases import ASSESSMENT_CASES  # noqa: E402

CASES.update(ASSESSMENT_CASES)

from tests.analysis_reports.matrix_cases import ANALYSIS_REPORT_CASES  # noqa: E402

CASES.update(ANALYSIS_REPORT_CASES)

# Warnings keep one case file per part (life cycle, portal, formats, push, console, tracking):
# every tests/warnings/matrix_cases*.py exports CASES.
import importlib  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

for _case_file in sorted((_Path(__file__).parent / "warnings").glob("matrix_cases*.py")):
    CASES.update(importlib.import_module(f"tests.warnings.{_case_file.stem}").CASES)

# Recalls and the effect evaluation of a case (issue 6): tests/recalls/matrix_cases*.py.
for _case_file in sorted((_Path(__file__).parent / "recalls").glob("matrix_cases*.py")):
    CASES.update(importlib.import_module(f"tests.recalls.{_case_file.stem}").CASES)

# Control rules, risk profiles and lifting petitions (issue 6): tests/border/ and
# tests/response/ matrix_cases_h3.py.
for _package in ("border", "response"):
    for _case_file in sorted((_Path(__file__).parent / _package).glob("matrix_cases*.py")):
        CASES.update(importlib.import_module(f"tests.{_package}.{_case_file.stem}").CASES)

# Information exchange (issue 13): tests/identity/matrix_cases*.py.
for _case_file in sorted((_Path(__file__).parent / "identity").glob("matrix_cases*.py")):
    CASES.update(importlib.import_module(f"tests.identity.{_case_file.stem}").CASES)
