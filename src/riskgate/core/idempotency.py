"""Idempotency-Key support for creating POSTs.

The first request with a key stores its response in the same transaction as the change; a retry
with the same key and body gets the stored response back instead of creating a second object.
The same key with a different body is refused, since it is almost certainly a client bug.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.core.db import Base, utcnow
from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, fingerprint
from riskgate.core.i18n import N_

HEADER = "idempotency-key"


class IdempotencyKeyReused(DomainError):
    status = 422
    type_slug = "idempotency-key-reused"
    title = "Idempotency key reused"
    message = N_("This Idempotency-Key was already used with a different request body.")


class IdempotencyKeyInvalid(DomainError):
    status = 400
    type_slug = "idempotency-key-invalid"
    title = "Invalid Idempotency-Key"
    message = N_("The Idempotency-Key header must have 1 to 200 printable characters.")


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("principal", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    principal: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def idempotent(
    ctx: RequestContext, body: Any, create: Callable[[], Any], status_code: int = 201
) -> JSONResponse:
    """Run `create` once per (actor, Idempotency-Key); replay its response for retries."""
    key = ctx.request.headers.get(HEADER)
    if key is None:
        return JSONResponse(jsonable_encoder(create()), status_code=status_code)
    if not 1 <= len(key) <= 200 or not key.isprintable():
        raise IdempotencyKeyInvalid()
    principal = f"user:{ctx.actor.user_id}" if ctx.actor.user_id else "anonymous"
    request_hash = fingerprint(
        ctx.request.method,
        ctx.request.url.path,
        json.dumps(jsonable_encoder(body), sort_keys=True, ensure_ascii=False),
    )
    stored = ctx.db.execute(
        select(IdempotencyRecord).where(
            IdempotencyRecord.principal == principal, IdempotencyRecord.key == key
        )
    ).scalar_one_or_none()
    if stored is not None:
        if stored.request_hash != request_hash:
            raise IdempotencyKeyReused()
        return JSONResponse(
            json.loads(stored.response_body),
            status_code=stored.status_code,
            headers={"Idempotent-Replayed": "true"},
        )
    content = jsonable_encoder(create())
    ctx.db.add(
        IdempotencyRecord(
            principal=principal,
            key=key,
            method=ctx.request.method,
            path=ctx.request.url.path,
            request_hash=request_hash,
            status_code=status_code,
            response_body=json.dumps(content, ensure_ascii=False),
        )
    )
    ctx.db.flush()
    return JSONResponse(content, status_code=status_code)
