"""The permission matrix over the recall and evaluation routes only (the full matrix runs them
too, with every other route): anonymous, wrong role, other organisation, allowed."""

from __future__ import annotations

from tests.test_permission_matrix import _check_route, all_routes, build_world  # isort: skip
from tests.recalls.matrix_cases_h5 import CASES  # isort: skip  (after the matrix: it loads us)


def test_recall_routes_in_the_matrix(app, db, settings):  # type: ignore[no-untyped-def]
    world = build_world(app, db, settings)
    failures: list[str] = []
    routes = {(m, p): perm for m, p, perm in all_routes(app)}
    for key, case in CASES.items():
        assert key in routes, key
        _check_route(world, key[0], key[1], routes[key], case, failures)
    assert not failures, "\n".join(failures)
