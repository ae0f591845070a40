"""Schemathesis over the assessment-report operations, as a risk officer who may call them:
no generated request may cause a 5xx (the whole-API fuzz test calls them only as
administrators, who are refused before the body is looked at)."""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from riskgate.core.permissions import Role
from tests.factories import make_org, make_user, token_for

EXAMPLES = int(os.environ.get("RISKGATE_FUZZ_EXAMPLES", "40"))


def test_report_operations_never_answer_5xx(app, db, settings):
    org = make_org(db)
    make_org(db, parent=org)
    token = token_for(db, make_user(db, settings, org, Role.RISK_OFFICER))
    db.commit()
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/api/v1/analysis-reports"):
            continue
        operations += 1

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                             suppress_health_check=list(HealthCheck))
        def exercise(case):  # type: ignore[no-untyped-def]
            headers = {**dict(case.headers or {}), "Authorization": f"Bearer {token}"}
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} "
                                f"{response.status_code}: {response.text[:300]}")

        exercise()
    assert operations == 4
    assert not failures, "\n".join(sorted(set(failures))[:20])
