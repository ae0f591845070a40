"""Schemathesis on the search and export routes as a risk officer (the project-wide fuzz test
calls them only as administrators, who may not read records): no request may answer 5xx."""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from tests.factories import token_for

EXAMPLES = int(os.environ.get("RISKGATE_FUZZ_EXAMPLES", "30"))
ROUTES = {("GET", "/api/v1/records"), ("GET", "/api/v1/records/export")}


def test_search_and_export_never_answer_5xx(app, db, settings, world):
    token = token_for(db, world.officer_user)
    db.commit()
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures: list[str] = []
    seen = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in ROUTES:
            continue
        seen.add((operation.method.upper(), operation.path))

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                             suppress_health_check=list(HealthCheck))
        def exercise(case):  # type: ignore[no-untyped-def]
            headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query} "
                                f"{response.status_code}: {response.text[:300]}")

        exercise()
    assert seen == ROUTES
    assert not failures, "\n".join(sorted(set(failures))[:20])
