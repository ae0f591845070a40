"""Per-client limits for the public forms, shared by every process through the database.

A fixed-window counter: one row per (action and hashed client address, window), bumped by an
upsert that returns the new count. It runs as a route dependency in a short transaction of its
own, before the route's transaction begins, so a request that then fails (a wrong tracking
number, an invalid form) still counts — which is the point. No Redis needed.

The client is `request.client.host`; behind a reverse proxy run uvicorn with
`--proxy-headers --forwarded-allow-ips=<proxy>` so that this is the visitor's address.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from fastapi import Depends, Request
from sqlalchemy import BigInteger, Integer, String, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column
from starlette.exceptions import HTTPException

from riskgate.core.db import Base, is_postgresql, transaction
from riskgate.core.http import request_language
from riskgate.core.i18n import N_, gettext


class RateLimitCounter(Base):
    """Hits of one client on one action in one fixed time window (shared by all processes)."""

    __tablename__ = "rate_limit_counter"

    bucket: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_number: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, autoincrement=False, index=True
    )
    hits: Mapped[int] = mapped_column(Integer)


TOO_MANY = N_("Too many requests; try again in {seconds} seconds.")
KEEP_WINDOWS = 2


class RateLimitExceeded(HTTPException):
    """429 with Retry-After; rendered as problem+json (API) or the error page (portal)."""

    def __init__(self, retry_after: int, language: str) -> None:
        super().__init__(
            status_code=429,
            detail=gettext(TOO_MANY, language, seconds=retry_after),
            headers={"Retry-After": str(retry_after)},
        )


def client_key(secret: str, address: str | None) -> str:
    """A keyed hash of the client address: the table holds no IP addresses."""
    digest = hashlib.sha256(f"{secret}\x00{address or 'unknown'}".encode()).hexdigest()
    return digest[:40]


def hit(db: Session, bucket: str, *, window_seconds: int,
        now: float | None = None) -> tuple[int, int]:
    """Count one hit; returns (hits in the current window, seconds until it ends)."""
    current = time.time() if now is None else now
    window = int(current // window_seconds)
    insert = pg_insert if is_postgresql(db) else sqlite_insert
    upsert = insert(RateLimitCounter).values(bucket=bucket, window_number=window, hits=1)
    stmt = upsert.on_conflict_do_update(
        index_elements=["bucket", "window_number"], set_={"hits": RateLimitCounter.hits + 1}
    ).returning(RateLimitCounter.hits)
    hits = int(db.execute(stmt).scalar_one())
    stale = RateLimitCounter.window_number < window - KEEP_WINDOWS
    db.execute(delete(RateLimitCounter).where(stale))
    retry_after = max(1, int((window + 1) * window_seconds - current))
    return hits, retry_after


def check(request: Request, action: str, setting: str) -> None:
    """Count the request; raise RateLimitExceeded past `settings.<setting>` in the window.

    Call it before the request's own transaction touches the database (it commits its own).
    """

    settings = request.app.state.settings
    address = request.client.host if request.client else None
    bucket = f"{action}:{client_key(settings.secret_key, address)}"
    with transaction(request.app.state.session_factory) as db:
        hits, retry_after = hit(db, bucket, window_seconds=settings.public_rate_window_seconds)
    if hits > getattr(settings, setting):
        raise RateLimitExceeded(retry_after, request_language(request))


def limited(action: str, setting: str) -> Any:
    """A route dependency allowing `settings.<setting>` hits per client and window (API routes:
    the 429 is problem+json with Retry-After). Pages call `check` themselves, so that they can
    answer with a page of their own."""

    def dependency(request: Request) -> None:
        check(request, action, setting)

    return Depends(dependency)


SUBMISSIONS = "public_submissions_per_window"
LOOKUPS = "public_lookups_per_window"
