"""The permission matrix restricted to the linkage routes (the full matrix runs them too; this
one runs alone while other domains' routes are being added)."""

from __future__ import annotations

import tests.test_permission_matrix  # noqa: F401  (first: it merges the cases below)
from tests.linkage.matrix_cases import LINKAGE_CASES
from tests.test_permission_matrix import _check_route, all_routes, build_world


def test_linkage_routes_in_the_permission_matrix(app, db, settings):
    world = build_world(app, db, settings)
    failures: list[str] = []
    seen = set()
    for method, path, permission in all_routes(app):
        if (method, path) in LINKAGE_CASES:
            seen.add((method, path))
            _check_route(world, method, path, permission, LINKAGE_CASES[(method, path)], failures)
    assert seen == set(LINKAGE_CASES)
    assert not failures, "\n".join(failures)
