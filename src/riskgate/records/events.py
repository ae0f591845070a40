"""What the records stage announces (see core.events): a draft about to become a record, and the
records just stored. Every new record, whatever its channel (import, push, feed, portal form,
sampling result, inspection), is written by `records.service.store_drafts`, which announces both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from riskgate.core.events import StageEvent


@dataclass(frozen=True)
class NewRecord:
    """A record just inserted: its id, its owning organisation and the draft it was made from."""

    record_id: int
    organisation_id: int
    source_channel: str
    draft: dict[str, Any]


@dataclass(frozen=True)
class RecordDrafted(StageEvent):
    """A new draft, before it is inserted (exact duplicates never get here). Followers complete
    the draft in place — each fills only what the source left empty (the classifier's
    suggested hazard class and product) — the one event whose followers change its payload."""

    name: ClassVar[str] = "record.drafted"
    draft: dict[str, Any]


@dataclass(frozen=True)
class RecordsStored(StageEvent):
    """Records just inserted (one announcement per chunk of an import), in the same transaction:
    followers index them, link near-duplicates, raise signals, recognise foreign recalls."""

    name: ClassVar[str] = "record.stored"
    records: Sequence[NewRecord]
