"""Permission-matrix cases of targeted push (collected by tests/test_permission_matrix.py).

Subscriptions belong to their user: the calling owner (A's risk officer) subscribes; B's user
gets 404. Deliveries: A's risk officer subscribes to everything, then A publishes a level IV
warning (drafted by its officer, approved and published by its approver); each acknowledging
route gets a fresh delivery still pending. The delivery log is A's, as the issuer.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.test_permission_matrix import Case, World, _items

_unique = itertools.count(1)


def _subscription_of(world: World, user: Any) -> dict[str, Any]:
    from riskgate.identity import auth_service
    from riskgate.warnings.push import subscriptions

    world.db.commit()
    created = subscriptions.create_subscription(
        world.db, auth_service.actor_for(user, "en"),
        {"name": f"matrix {next(_unique)}", "channel": "inbox"})
    world.db.commit()
    return {"subscription_id": created.id}


def _publish(world: World) -> int:
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service
    from riskgate.warnings.lifecycle import service
    from riskgate.warnings.push import subscriptions
    from riskgate.warnings.push.subscriptions import subscriptions_statement
    from tests.warnings.helpers import warning_input

    world.db.commit()  # a fresh snapshot: the app has written since (SQLite WAL)
    officer = auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")
    approver = auth_service.actor_for(world.user("A", Role.APPROVER), "en")
    if not world.db.execute(subscriptions_statement(officer)).first():
        subscriptions.create_subscription(world.db, officer, {"name": "all", "channel": "inbox"})
    warning = service.create_warning(world.db, officer, warning_input(None, level="IV"))
    service.submit_for_review(world.db, officer, warning.id)
    service.approve(world.db, approver, warning.id)
    service.publish(world.db, approver, warning.id)
    world.db.commit()
    return warning.id


def _pushed_warning(world: World, _user: Any = None) -> dict[str, Any]:
    if "pushed_warning_id" not in world.__dict__:
        world.__dict__["pushed_warning_id"] = _publish(world)
    return {"warning_id": world.__dict__["pushed_warning_id"]}


def _delivery_id(world: World) -> int:
    from sqlalchemy import select

    from riskgate.core.permissions import Role
    from riskgate.warnings.enums import DeliveryState
    from riskgate.warnings.models import WarningDelivery

    _pushed_warning(world)
    world.db.commit()
    return world.db.execute(select(WarningDelivery.id).where(
        WarningDelivery.user_id == world.user("A", Role.RISK_OFFICER).id,
        WarningDelivery.state == DeliveryState.pending).order_by(WarningDelivery.id)
    ).scalars().first() or _fresh(world)


def _fresh(world: World) -> int:
    _publish(world)
    return _delivery_id(world)


def _pending_delivery(world: World, _user: Any = None) -> dict[str, Any]:
    return {"delivery_id": _delivery_id(world)}


def _received(world: World, _user: Any = None) -> dict[str, Any]:
    world.__dict__["received_delivery_id"] = _delivery_id(world)
    return {"limit": 200}


def _received_visible(world: World, payload: Any) -> bool:
    return any(i["id"] == world.__dict__["received_delivery_id"] for i in _items(payload))


SUB = _subscription_of

CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/warning-subscriptions"): Case("self"),
    ("POST", "/api/v1/warning-subscriptions"): Case(
        "self", body=lambda w, u: {"name": f"matrix {next(_unique)}"}, ok=(201,)),
    ("GET", "/api/v1/warning-subscriptions/{subscription_id}"): Case("object", params=SUB),
    ("PATCH", "/api/v1/warning-subscriptions/{subscription_id}"): Case(
        "object", params=SUB, body=lambda w, u: {"levels": ["I"]}),
    ("DELETE", "/api/v1/warning-subscriptions/{subscription_id}"): Case("object", params=SUB),
    ("GET", "/api/v1/warnings/received"): Case("list", params=_received,
                                              visible=_received_visible),
    ("POST", "/api/v1/warning-deliveries/{delivery_id}/acknowledge"): Case(
        "object", params=_pending_delivery, body=lambda w, u: {"note": "matrix"}),
    ("GET", "/api/v1/warnings/{warning_id}/deliveries"): Case("object", params=_pushed_warning),
    ("GET", "/console/warnings/subscriptions"): Case("self"),
    ("POST", "/console/warnings/subscriptions"): Case(
        "self", form=True, body=lambda w, u: {"name": f"matrix {next(_unique)}",
                                              "channel": "inbox"}, ok=(303,)),
    ("POST", "/console/warnings/subscriptions/{subscription_id}/deactivate"): Case(
        "object", params=SUB, form=True, ok=(303,)),
    ("GET", "/console/warnings/received"): Case("self"),
    ("POST", "/console/warnings/received/{delivery_id}/acknowledge"): Case(
        "object", params=_pending_delivery, form=True, ok=(303,)),
    ("GET", "/console/warnings/{warning_id}/deliveries"): Case("object",
                                                              params=_pushed_warning),
}
