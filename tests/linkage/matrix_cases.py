"""Permission-matrix cases for the linkage routes (merged by tests/test_permission_matrix.py).

Each call that needs a cluster gets a fresh one in organisation A: two records A's officer
pushes that share a batch and a model number (a split dissolves its cluster).
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.test_permission_matrix import Case, World, _items, _officer_a, _record_of

_unique = itertools.count(1)


def _cluster_in_a(world: World, user: Any) -> dict[str, Any]:
    from sqlalchemy import select

    from riskgate.linkage.models import RecordClusterMember
    from riskgate.records.service import push_records

    world.db.rollback()  # end a read snapshot older than the app's last write (SQLite)
    n = next(_unique)
    bodies = [
        {"source_channel": "foreign_notice", "external_reference": f"LINK-{n}-1",
         "title": "Heater overheating", "product_name": "Heater", "model": f"HX-{n}00",
         "batch_number": f"BATCH-{n}", "hazard_type": "fire", "occurred_on": "2026-05-01"},
        {"source_channel": "hotline_12315", "external_reference": f"LINK-{n}-2",
         "title": "电暖器起火", "product_name": "电暖器", "model": f"HX {n}00",
         "batch_number": f"batch-{n}", "occurred_on": "2026-05-09"},
    ]  # fmt: skip
    stored = push_records(world.db, _officer_a(world), bodies)
    cluster_id = world.db.execute(
        select(RecordClusterMember.cluster_id).where(
            RecordClusterMember.record_id == stored[1].record_id
        )
    ).scalar_one()
    world.db.commit()  # and leave no read snapshot open for the next writer (SQLite)
    world.__dict__["cluster_id"] = cluster_id
    return {"cluster_id": cluster_id}


def _listed_cluster(world: World, user: Any) -> dict[str, Any]:
    if "listed_cluster" not in world.__dict__:
        world.__dict__["listed_cluster"] = _cluster_in_a(world, user)["cluster_id"]
    return {"limit": 100}


LINKAGE_CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/records/{record_id}/cluster"): Case("object", params=_record_of),
    ("GET", "/api/v1/clusters"): Case(
        "list",
        params=_listed_cluster,
        visible=lambda w, r: any(i["id"] == w.__dict__["listed_cluster"] for i in _items(r)),
    ),
    ("GET", "/api/v1/clusters/{cluster_id}"): Case("object", params=_cluster_in_a),
    ("POST", "/api/v1/clusters/{cluster_id}/confirm"): Case(
        "object", params=_cluster_in_a, body=lambda w, u: {"reason": "matrix"}
    ),
    ("POST", "/api/v1/clusters/{cluster_id}/split"): Case(
        "object", params=_cluster_in_a, body=lambda w, u: {"reason": "matrix"}
    ),
    ("GET", "/console/clusters"): Case("self"),
    ("GET", "/console/records/{record_id}/cluster"): Case("object", params=_record_of),
    ("GET", "/console/clusters/{cluster_id}"): Case("object", params=_cluster_in_a),
    ("POST", "/console/clusters/{cluster_id}/confirm"): Case(
        "object", params=_cluster_in_a, form=True, body=lambda w, u: {"reason": "matrix"},
        ok=(303,),
    ),
    ("POST", "/console/clusters/{cluster_id}/split"): Case(
        "object", params=_cluster_in_a, form=True, body=lambda w, u: {"reason": "matrix"},
        ok=(303,),
    ),
}
