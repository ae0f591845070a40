"""The one router of every page (portal, sign-in, console).

All page modules register their routes on this router, so that the application's route table —
and the permission-matrix test that walks it — lists each page route itself (FastAPI includes
nested routers lazily, which would hide them).
"""

from __future__ import annotations

from riskgate.core.http import api_router

router = api_router(include_in_schema=False)
