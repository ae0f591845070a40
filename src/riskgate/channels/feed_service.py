"""Feed subscriptions: manage them, and poll them — fetch outside any transaction, then store.

A poll that gets a new answer becomes one `ImportBatch` (profile `feed:<id>`): good entries go
through `records.service.store_drafts` (so an entry seen before is a duplicate, and polling again
changes nothing) and bad ones into `quarantined_row`, exactly as a file import does. A failure
(timeout, HTTP error, malformed XML, too large) is recorded on the subscription and the feed is
tried again at its next poll; 304 Not Modified and an unchanged body store nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.channels.feeds import FeedEntry, FeedRefused, parse_feed, standard_fields
from riskgate.channels.models import FeedSubscription
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import NotFound
from riskgate.core.i18n import N_, gettext
from riskgate.core.schedule import make_due
from riskgate.core.settings import Settings
from riskgate.identity import service as identity
from riskgate.identity.scope import get_in_scope, scoped
from riskgate.intake.enums import BatchStatus, QuarantineStatus
from riskgate.intake.models import ImportBatch, QuarantinedRow
from riskgate.intake.profiles import PROFILES
from riskgate.intake.service import complete_batch, map_row
from riskgate.records.normalise import storable
from riskgate.records.service import store_drafts

log = logging.getLogger("riskgate.channels.feeds")
POLL_JOB = "feeds.poll"
MAX_ENTRIES = 5000
FEED_ACTOR = Actor.system("feed-poller")
USER_AGENT = "riskgate-feed/1 (+https://github.com/riskgate)"
EDITABLE = ("name", "url", "format", "source_channel", "poll_minutes", "enabled", "defaults",
            "field_map")


def _snapshot(feed: FeedSubscription) -> dict[str, Any]:
    values = {name: getattr(feed, name) for name in EDITABLE}
    return values | {"organisation_id": feed.organisation_id}


def create_feed(db: Session, actor: Actor, data: dict[str, Any]) -> FeedSubscription:
    """A new subscription owned by the named organisation (in scope) or the actor's; due at once."""
    owner_id = data.pop("organisation_id", None) or actor.organisation_id
    if owner_id is None:  # an account outside every organisation owns nothing
        raise NotFound(N_("organisation"))
    organisation = identity.get_organisation(db, actor, owner_id)
    feed = FeedSubscription(organisation_id=organisation.id, consecutive_failures=0, **data)
    feed.next_poll_at = utcnow() if feed.enabled else None
    db.add(feed)
    db.flush()
    audit.record(db, actor, "feed.create", object_type="feed_subscription", object_id=feed.id,
                 after=_snapshot(feed), organisation_id=feed.organisation_id)
    db.flush()
    return feed


def feeds_statement(actor: Actor) -> Select[Any]:
    return scoped(select(FeedSubscription), actor, FeedSubscription.organisation_id)


def get_feed(db: Session, actor: Actor, feed_id: int) -> FeedSubscription:
    return get_in_scope(db, FeedSubscription, feed_id, actor, FeedSubscription.organisation_id,
                        object_name=N_("feed subscription"))


def update_feed(db: Session, actor: Actor, feed_id: int, changes: dict[str, Any],
                reason: str | None = None) -> FeedSubscription:
    feed = get_feed(db, actor, feed_id)
    before = _snapshot(feed)
    for name, value in changes.items():
        if name in EDITABLE:
            setattr(feed, name, value)
    if "url" in changes and changes["url"] != before["url"]:
        # Another address: the validators and the body hash of the old one mean nothing.
        feed.etag = feed.last_modified = feed.last_sha256 = None
    if feed.enabled and (not before["enabled"] or feed.next_poll_at is None):
        feed.next_poll_at = utcnow()
    if not feed.enabled:
        feed.next_poll_at = None
    old, new = audit.diff(before, _snapshot(feed))
    if new:
        audit.record(db, actor, "feed.update", object_type="feed_subscription", object_id=feed.id,
                     before=old, after=new, reason=reason, organisation_id=feed.organisation_id)
    db.flush()
    return feed


def request_poll(db: Session, actor: Actor, feed_id: int) -> FeedSubscription:
    """Poll this feed at the worker's next tick (the request itself makes no network call)."""
    feed = get_feed(db, actor, feed_id)
    now = utcnow()
    feed.next_poll_at = now
    make_due(db, POLL_JOB, now)
    audit.record(db, actor, "feed.poll_requested", object_type="feed_subscription",
                 object_id=feed.id, organisation_id=feed.organisation_id)
    db.flush()
    return feed


def feed_batches_statement(feed: FeedSubscription) -> Select[Any]:
    return select(ImportBatch).where(ImportBatch.profile == feed.profile_name)


def feed_totals(db: Session, feed: FeedSubscription) -> dict[str, int]:
    row = db.execute(
        select(func.count(ImportBatch.id), func.coalesce(func.sum(ImportBatch.rows_read), 0),
               func.coalesce(func.sum(ImportBatch.imported), 0),
               func.coalesce(func.sum(ImportBatch.quarantined), 0))
        .where(ImportBatch.profile == feed.profile_name)
    ).one()
    return {"batches": row[0], "rows_read": row[1], "imported": row[2], "quarantined": row[3]}


# --- Polling -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PollTarget:
    """What a fetch needs, read in a short transaction so the network call holds no connection."""

    id: int
    url: str
    etag: str | None
    last_modified: str | None


@dataclass
class Fetched:
    status: int | None = None
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def due_targets(db: Session, now: dt.datetime, limit: int = 50) -> list[PollTarget]:
    rows = db.execute(
        select(FeedSubscription.id, FeedSubscription.url, FeedSubscription.etag,
               FeedSubscription.last_modified)
        .where(FeedSubscription.enabled.is_(True), FeedSubscription.next_poll_at <= now)
        .order_by(FeedSubscription.next_poll_at, FeedSubscription.id).limit(limit)
    ).all()
    return [PollTarget(*row) for row in rows]


def fetch(target: PollTarget, settings: Settings, client: httpx.Client | None = None) -> Fetched:
    """GET the feed (conditional when we have validators), reading at most feed_max_bytes."""
    headers = {"User-Agent": USER_AGENT,
               "Accept": "application/atom+xml, application/rss+xml, application/feed+json, "
                         "application/json, application/xml;q=0.9, */*;q=0.5"}
    if target.etag:
        headers["If-None-Match"] = target.etag
    if target.last_modified:
        headers["If-Modified-Since"] = target.last_modified
    timeout = settings.feed_timeout_seconds
    own = client is None
    client = client or httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5)
    deadline = time.monotonic() + 3 * timeout  # a server dripping bytes cannot hold us forever
    try:
        with client.stream("GET", target.url, headers=headers) as response:
            if response.status_code == 304:
                return Fetched(304)
            if response.status_code != 200:
                return Fetched(response.status_code, error=f"HTTP {response.status_code}")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > settings.feed_max_bytes:
                    return Fetched(200, error=f"answer larger than {settings.feed_max_bytes} bytes")
                if time.monotonic() > deadline:
                    return Fetched(200, error="answer too slow")
                chunks.append(chunk)
            return Fetched(200, b"".join(chunks), response.headers.get("etag"),
                           response.headers.get("last-modified"))
    except httpx.HTTPError as error:
        return Fetched(error=f"{type(error).__name__}: {error}"[:500] or type(error).__name__)
    finally:
        if own:
            client.close()


def record_fetch(db: Session, feed_id: int, fetched: Fetched, now: dt.datetime) -> dict[str, Any]:
    """Apply one fetch to its subscription; returns a summary of what happened."""
    feed = db.get(FeedSubscription, feed_id, with_for_update=True)
    if feed is None:
        return {"feed": feed_id, "result": "gone"}
    feed.last_polled_at = now
    feed.last_status = fetched.status
    feed.next_poll_at = now + dt.timedelta(minutes=feed.poll_minutes) if feed.enabled else None
    if fetched.error is None and fetched.not_modified:
        return _succeeded(feed, now, "not_modified")
    body = fetched.body or b""
    digest = hashlib.sha256(body).hexdigest()
    if fetched.error is None and digest == feed.last_sha256:
        _keep_validators(feed, fetched)
        return _succeeded(feed, now, "unchanged")
    entries: list[FeedEntry] = []
    error = fetched.error
    if error is None:
        try:
            entries = parse_feed(body, feed.format.value, feed.field_map)
        except FeedRefused as refused:
            error = gettext(refused.message, "en", **refused.params)
    if error is not None:
        feed.consecutive_failures += 1
        feed.last_error = error[:2000]
        db.flush()
        return {"feed": feed.id, "result": "failed", "error": feed.last_error}
    batch = store_entries(db, feed, entries[:MAX_ENTRIES], digest, now)
    feed.last_batch_id = batch.id
    feed.last_sha256 = digest
    _keep_validators(feed, fetched)
    summary = _succeeded(feed, now, "stored")
    return summary | batch.counts() | {"batch": batch.id}


def _keep_validators(feed: FeedSubscription, fetched: Fetched) -> None:
    feed.etag = (fetched.etag or "")[:500] or None
    feed.last_modified = (fetched.last_modified or "")[:100] or None


def _succeeded(feed: FeedSubscription, now: dt.datetime, result: str) -> dict[str, Any]:
    feed.last_success_at = now
    feed.last_error = None
    feed.consecutive_failures = 0
    return {"feed": feed.id, "result": result}


def store_entries(db: Session, feed: FeedSubscription, entries: list[FeedEntry], digest: str,
                  now: dt.datetime) -> ImportBatch:
    """One batch of entries: good ones stored (duplicates are no-ops), bad ones quarantined."""
    batch = ImportBatch(
        organisation_id=feed.organisation_id, profile=feed.profile_name,
        file_name=storable(feed.name)[:255], sha256=digest, encoding="utf-8",
        actor_user_id=None, actor_name=FEED_ACTOR.username or "feed-poller",
        status=BatchStatus.running, rows_read=len(entries), imported=0, duplicates=0,
        quarantined=0, ignored_columns=[],
    )  # fmt: skip
    db.add(batch)
    db.flush()
    profile = PROFILES["riskgate_csv"]
    good: list[tuple[dict[str, Any], str]] = []
    bad: list[QuarantinedRow] = []
    for entry in entries:
        fields = standard_fields(entry, feed.source_channel.value, feed.defaults or {})
        problems = entry.problems
        draft: dict[str, Any] = {}
        if not problems:
            draft, problems = map_row(profile, dict(fields))
        if problems:
            bad.append(QuarantinedRow(
                batch_id=batch.id, line_number=entry.position, raw_content=storable(entry.raw),
                fields={k: storable(str(v)) for k, v in fields.items()}, problems=problems,
                status=QuarantineStatus.open,
            ))  # fmt: skip
        else:
            good.append((draft, storable(entry.raw)))
    if good:
        results = store_drafts(db, good, channel=feed.source_channel,
                               organisation_id=feed.organisation_id, batch_id=batch.id,
                               received_at=now)
        batch.imported = sum(1 for r in results if r.created)
        batch.duplicates = len(results) - batch.imported
    if bad:
        db.add_all(bad)
        batch.quarantined = len(bad)
    complete_batch(db, FEED_ACTOR, batch, action="feed.poll",
                   organisation_id=feed.organisation_id,
                   noted={"feed": feed.id, "url": feed.url, "sha256": digest})
    return batch


def poll_due(sessions_transaction: Any, settings: Settings, now: dt.datetime) -> dict[str, Any]:
    """Poll every due feed: read targets, fetch each without a transaction, store each in one.

    `sessions_transaction` is a context-manager factory (JobRun.transaction).
    """
    with sessions_transaction() as db:
        targets = due_targets(db, now)
    counts: dict[str, Any] = {"polled": 0, "failed": 0, "stored": 0, "records": 0}
    if not targets:
        return counts
    with httpx.Client(timeout=settings.feed_timeout_seconds, follow_redirects=True,
                      max_redirects=5) as client:
        for target in targets:
            fetched = fetch(target, settings, client)
            try:
                with sessions_transaction() as db:
                    summary = record_fetch(db, target.id, fetched, utcnow())
            except Exception as error:  # noqa: BLE001 — one bad feed must not stop the others
                log.exception("storing a feed's entries failed", extra={"feed": target.id})
                summary = _record_crash(sessions_transaction, target.id, error)
            counts["polled"] += 1
            counts["failed"] += summary["result"] == "failed"
            counts["stored"] += summary["result"] == "stored"
            counts["records"] += summary.get("imported", 0)
    return counts


def _record_crash(sessions_transaction: Any, feed_id: int, error: Exception) -> dict[str, Any]:
    """Keep the failure on the subscription (in a fresh transaction) and push its next poll."""
    message = f"{type(error).__name__}: {error}"[:2000]
    with sessions_transaction() as db:
        feed = db.get(FeedSubscription, feed_id)
        if feed is not None:
            feed.consecutive_failures += 1
            feed.last_error = message
            feed.last_polled_at = utcnow()
            feed.next_poll_at = utcnow() + dt.timedelta(minutes=feed.poll_minutes)
    return {"feed": feed_id, "result": "failed", "error": message}

