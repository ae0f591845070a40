"""Writing, verifying and searching the audit trail.

`record` runs inside the caller's transaction, so an audit entry exists exactly when the change it
describes was committed (Zulip's rule: every state change a named action, audited with old and new
values in one transaction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from riskgate.audit.chain import GENESIS_HASH, HASHED_FIELDS, entry_hash, to_jsonable
from riskgate.audit.enums import ChainProblemKind
from riskgate.audit.models import AuditEntry, AuditHead
from riskgate.core import actor_cache
from riskgate.core.context import Actor, current_request
from riskgate.core.db import utcnow
from riskgate.core.i18n import N_, gettext

_HEAD_ID = 1


def _lock_head(session: Session) -> AuditHead:
    head = session.execute(
        select(AuditHead).where(AuditHead.id == _HEAD_ID).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=_HEAD_ID, last_entry_id=0, last_hash=GENESIS_HASH, entry_count=0)
        session.add(head)
        session.flush()
    return head


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None
         ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the keys whose values changed, so entries say what changed and nothing more."""
    before = to_jsonable(before or {})
    after = to_jsonable(after or {})
    keys = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return ({k: before[k] for k in keys if k in before}, {k: after[k] for k in keys if k in after})


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    object_type: str,
    object_id: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    organisation_id: int | None = None,
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction."""
    if object_type in actor_cache.IDENTITY_OBJECTS:
        actor_cache.invalidate()
    head = _lock_head(session)
    info = current_request.get()
    entry = AuditEntry(
        id=head.last_entry_id + 1,
        occurred_at=utcnow(),
        actor_user_id=actor.user_id,
        actor_name=actor.username,
        organisation_id=organisation_id if organisation_id is not None else actor.organisation_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=to_jsonable(before) if before is not None else None,
        after=to_jsonable(after) if after is not None else None,
        reason=reason,
        request_id=info.request_id,
        client_address=info.client_address,
        prev_hash=head.last_hash,
    )
    entry.entry_hash = entry_hash(head.last_hash, _fields(entry))
    session.add(entry)
    head.last_entry_id = entry.id
    head.last_hash = entry.entry_hash
    head.entry_count = head.entry_count + 1
    session.flush()
    return entry


def _fields(entry: AuditEntry) -> dict[str, Any]:
    values = {name: getattr(entry, name) for name in HASHED_FIELDS}
    # Stored times lose sub-microsecond precision and any zone; hash what can be read back.
    occurred: dt.datetime = values["occurred_at"]
    values["occurred_at"] = (
        occurred.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    )
    return values


@dataclass(frozen=True)
class ChainProblem:
    """One inconsistency; `message` is a msgid with `params`, so pages can translate it."""
    entry_id: int | None
    kind: ChainProblemKind
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def detail(self) -> str:
        return self.message.format(**self.params)

    def translated(self, language: str) -> str:
        return gettext(self.message, language, **self.params)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problems: list[ChainProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(session: Session, *, batch_size: int = 5000,
                 progress: Callable[[int], Any] | None = None) -> ChainReport:
    """Recompute every hash in id order; report edited, inserted or deleted entries."""
    problems: list[ChainProblem] = []
    expected_prev = GENESIS_HASH
    last_id = 0
    checked = 0
    while True:
        rows = (
            session.execute(
                select(AuditEntry)
                .where(AuditEntry.id > last_id)
                .order_by(AuditEntry.id)
                .limit(batch_size)
            )
            .scalars()
            .all()
        )
        if not rows:
            break
        for entry in rows:
            checked += 1
            if entry.id != last_id + 1:
                problems.append(
                    ChainProblem(
                        entry.id,
                        ChainProblemKind.GAP,
                        N_("Entries {first} to {last} are missing."),
                        {"first": last_id + 1, "last": entry.id - 1},
                    )
                )
            if entry.prev_hash != expected_prev:
                problems.append(
                    ChainProblem(
                        entry.id,
                        ChainProblemKind.BROKEN_LINK,
                        N_(
                            "The previous hash does not match the entry before it (an entry was "
                            "deleted or inserted before this one)."
                        ),
                    )
                )
            recomputed = entry_hash(entry.prev_hash, _fields(entry))
            if recomputed != entry.entry_hash:
                problems.append(
                    ChainProblem(entry.id, ChainProblemKind.ALTERED,
                                 N_("The content does not match its hash."))
                )
            expected_prev = entry.entry_hash
            last_id = entry.id
        if progress is not None:
            progress(len(rows))
        session.expunge_all()
    head = session.get(AuditHead, _HEAD_ID)
    if head is not None:
        if head.last_hash != expected_prev or head.last_entry_id != last_id:
            problems.append(
                ChainProblem(
                    last_id or None,
                    ChainProblemKind.HEAD_MISMATCH,
                    N_(
                        "The chain ends at entry {last} but the head records entry {head} "
                        "(entries were deleted or appended outside riskgate)."
                    ),
                    {"last": last_id, "head": head.last_entry_id},
                )
            )
        if head.entry_count != checked:
            problems.append(
                ChainProblem(
                    None,
                    ChainProblemKind.COUNT_MISMATCH,
                    N_("{found} entries found, {written} were written."),
                    {"found": checked, "written": head.entry_count},
                )
            )
    elif checked:
        problems.append(
            ChainProblem(None, ChainProblemKind.HEAD_MISMATCH,
                         N_("Entries exist but the head is missing."))
        )
    return ChainReport(checked=checked, problems=problems)


@dataclass(frozen=True)
class AuditQuery:
    text: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    actor_name: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def search_statement(query: AuditQuery, visible_org_ids: Select[Any] | None
                     ) -> Select[AuditEntry]:
    """The audit search, limited to the organisations the auditor may see (None: all)."""
    stmt = select(AuditEntry)
    if visible_org_ids is not None:
        # Entries with no organisation (system jobs, CLI) are visible only to unscoped auditors.
        stmt = stmt.where(AuditEntry.organisation_id.in_(visible_org_ids))
    if query.action:
        stmt = stmt.where(AuditEntry.action == query.action)
    if query.object_type:
        stmt = stmt.where(AuditEntry.object_type == query.object_type)
    if query.object_id:
        stmt = stmt.where(AuditEntry.object_id == query.object_id)
    if query.actor_name:
        stmt = stmt.where(func.lower(AuditEntry.actor_name) == query.actor_name.lower())
    if query.since:
        stmt = stmt.where(AuditEntry.occurred_at >= query.since)
    if query.until:
        stmt = stmt.where(AuditEntry.occurred_at < query.until)
    if query.text:
        like = f"%{query.text}%"
        stmt = stmt.where(
            or_(
                AuditEntry.action.ilike(like),
                AuditEntry.object_type.ilike(like),
                AuditEntry.object_id.ilike(like),
                AuditEntry.actor_name.ilike(like),
                AuditEntry.reason.ilike(like),
            )
        )
    return stmt
