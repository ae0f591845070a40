"""Operational endpoints: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.migrations import current_revision, head_revision
from riskgate.core.permissions import Permission

router = api_router(tags=["operations"])


@router.get("/healthz", summary="Liveness: the process answers")
def healthz(ctx: RequestContext = require(Permission.PUBLIC)) -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: the database answers and is migrated")
def readyz(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:

    try:
        ctx.db.execute(text("SELECT 1"))
        current = current_revision(ctx.db.connection())
    except Exception as error:  # noqa: BLE001 — readiness reports, it does not raise
        return _ready(False, f"database unavailable: {type(error).__name__}")
    head = head_revision()
    if current != head:
        return _ready(False, f"database at revision {current}, code expects {head}")
    return _ready(True, "ok")


def _ready(ok: bool, detail: str) -> Response:
    import json

    return Response(
        json.dumps({"status": "ok" if ok else "unavailable", "detail": detail}),
        status_code=200 if ok else 503,
        media_type="application/json",
    )


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
def metrics(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
