"""JSON routes for the audit trail (audit administrators)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Query
from pydantic import BaseModel

from riskgate.audit import service
from riskgate.audit.models import AuditEntry
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import OutputModel
from riskgate.identity.scope import visible_org_ids

router = api_router(prefix="/api/v1/audit", tags=["audit"])


class AuditEntryOut(OutputModel):
    id: int
    occurred_at: dt.datetime
    actor_user_id: int | None
    actor_name: str
    organisation_id: int | None
    action: str
    object_type: str
    object_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    request_id: str | None
    client_address: str | None
    entry_hash: str


class ChainProblemOut(BaseModel):
    entry_id: int | None
    kind: str
    detail: str


class ChainReportOut(BaseModel):
    ok: bool
    checked: int
    problems: list[ChainProblemOut]


@router.get("", response_model=Page[AuditEntryOut], summary="Search the audit trail")
def search_audit(
    q: str | None = Query(default=None, max_length=100),
    action: str | None = Query(default=None, max_length=100),
    object_type: str | None = Query(default=None, max_length=60),
    object_id: str | None = Query(default=None, max_length=64),
    actor: str | None = Query(default=None, max_length=150),
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    sort: str | None = Query(default=None, description="id or -id (default -id)"),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.AUDIT_READ),
) -> Page[AuditEntryOut]:
    query = service.AuditQuery(
        text=q,
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_name=actor,
        since=since,
        until=until,
    )
    stmt = service.search_statement(query, visible_org_ids(ctx.actor))
    rows, next_cursor = paginate(
        ctx.db,
        stmt,
        id_column=AuditEntry.id,
        allowed_sorts={"id": AuditEntry.id},
        sort=sort,
        default_sort="-id",
        limit=limit,
        cursor=cursor,
    )
    return Page(items=[AuditEntryOut.model_validate(r) for r in rows], next_cursor=next_cursor)
