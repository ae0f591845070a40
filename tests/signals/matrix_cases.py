"""Permission-matrix cases for the signals routes (merged in tests/test_permission_matrix.py).

Each call that changes a signal gets a fresh signal owned by organisation A (one record of A's
behind a threshold hit); B, A's sibling, must not see it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from tests.test_permission_matrix import Case, World, _items

_unique = itertools.count(1)


def new_signal(world: World, _user: Any = None) -> dict[str, Any]:
    """A new signal owned by A (its record is A's)."""
    from riskgate.core.db import utcnow
    from riskgate.records.service import store_drafts
    from riskgate.signals import raising
    from riskgate.signals.enums import Severity, SignalKind
    from riskgate.signals.rules import rule_set

    n = next(_unique)
    org = world.orgs["A"]
    (stored,) = store_drafts(world.db, [({
        "title": f"Matrix notice {n}", "product_name": "toy", "external_reference": f"MX-{n}",
        "language": "en", "trade_direction": "import", "confidentiality": "internal",
        "hazard_types": [], "enterprises": [], "occurred_on": dt.date.today(),
        "source_channel": "feed_rasff"}, None)], channel=None, organisation_id=org.id)
    root_id = int(org.path.strip("/").split("/")[0])
    signal, _what = raising.raise_hit(world.db, raising.Hit(
        root_id=root_id, key=f"foreign|matrix={n}", kind=SignalKind.threshold_foreign_notices,
        severity=Severity.medium, title=f"Matrix {n}", record_ids=[stored.record_id]),
        utcnow(), rule_set(world.db))
    world.db.commit()
    world.__dict__["signal_id"] = signal.id
    return {"signal_id": signal.id}


def _existing(world: World, user: Any = None) -> dict[str, Any]:
    if "signal_id" not in world.__dict__:
        return new_signal(world, user)
    return {"signal_id": world.__dict__["signal_id"]}


def _listed(world: World, response: Any) -> bool:
    return any(i["id"] == world.__dict__["signal_id"] for i in _items(response))


def _officer_a(world: World) -> int:
    from riskgate.core.permissions import Role

    return world.user("A", Role.RISK_OFFICER).id


SIGNAL_CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/signals"): Case(
        "list", params=lambda w, u: (_existing(w), {"limit": 200})[1], visible=_listed),
    ("GET", "/api/v1/signals/rules"): Case("self"),
    ("PUT", "/api/v1/signals/rules/{name}"): Case(
        "self", params=lambda w, u: {"name": "min_total"},
        body=lambda w, u: {"value": 5, "reason": "matrix"}),
    ("POST", "/api/v1/signals/run"): Case("self", ok=(202,)),
    ("GET", "/api/v1/signals/{signal_id}"): Case("object", params=_existing),
    ("POST", "/api/v1/signals/{signal_id}/transition"): Case(
        "object", params=new_signal, body=lambda w, u: {"status": "triage"}),
    ("POST", "/api/v1/signals/{signal_id}/assign"): Case(
        "object", params=new_signal, body=lambda w, u: {"assignee_id": _officer_a(w)}),
    # Pages
    ("GET", "/console/signals"): Case("self"),
    ("GET", "/console/signals/{signal_id}"): Case("object", params=_existing),
    ("POST", "/console/signals/run"): Case("self", form=True, ok=(303,)),
    ("POST", "/console/signals/{signal_id}/transition"): Case(
        "object", params=new_signal, form=True, ok=(303,),
        body=lambda w, u: {"status": "dismissed", "reason": "matrix"}),
    ("POST", "/console/signals/{signal_id}/assign"): Case(
        "object", params=new_signal, form=True, ok=(303,),
        body=lambda w, u: {"assignee_id": str(_officer_a(w))}),
}
