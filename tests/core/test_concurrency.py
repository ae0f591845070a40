"""A burst of concurrent requests completes even with few handler threads.

Regression test: a request used to take a pooled connection while authenticating (one thread)
and give it back only after its handler ran (another thread). With more requests in flight than
connections, every handler thread waited for a connection held by a request waiting for a
thread, and the server stopped answering.
"""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from riskgate.core.permissions import Role
from tests.factories import make_org, make_user, token_for


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    return settings.model_copy(update={"http_threads": 2})


def test_burst_of_uncached_credentials_does_not_starve_the_pool(live_server, db, settings):
    org = make_org(db)
    user = make_user(db, settings, org, Role.SECURITY_ADMIN)
    # Distinct tokens: none is in the credential cache, so each request reads the database.
    tokens = [token_for(db, user) for _ in range(60)]
    db.commit()

    def call(token: str) -> int:
        with httpx.Client(base_url=live_server, timeout=30) as client:
            return client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"}
                              ).status_code

    with ThreadPoolExecutor(max_workers=60) as pool:
        statuses = list(pool.map(call, tokens))
    assert statuses == [200] * 60
