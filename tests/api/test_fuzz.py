"""Schemathesis over the whole OpenAPI document: no generated request may cause a 5xx.

Each operation is called anonymously and as a system, security and audit administrator (no
account may hold two of these duties), so that every operation is exercised past its permission
check. Hypothesis drives the cases directly, in one test with a real migrated database.
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from riskgate.core.permissions import Role
from tests.factories import make_org, make_user, token_for

EXAMPLES = int(os.environ.get("RISKGATE_FUZZ_EXAMPLES", "30"))


def test_no_operation_answers_5xx(app, db, settings):
    org = make_org(db)
    make_org(db, parent=org)
    make_user(db, settings, org, Role.RISK_OFFICER)
    tokens = [None] + [
        token_for(db, make_user(db, settings, org, role))
        for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
    ]
    db.commit()
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):  # type: ignore[no-untyped-def]
            for token in tokens:
                headers = dict(case.headers or {})
                if token:
                    headers["Authorization"] = f"Bearer {token}"
                response = case.call(headers=headers)
                if response.status_code >= 500:
                    failures.append(
                        f"{case.method} {case.formatted_path} "
                        f"{response.status_code}: {response.text[:300]}"
                    )

        exercise()
    assert operations > 30
    assert not failures, "\n".join(sorted(set(failures))[:20])
