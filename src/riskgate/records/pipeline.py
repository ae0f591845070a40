"""The steps every new risk record goes through, whatever its channel (import, push, form, feed).

`records.service.store_drafts` calls `prepare` on each draft before the duplicate check (to fill
what can be derived: suggested hazard class, product category, HS chapter, search text) and
`after_store` once per chunk with the records it created (to index them for search and link
them to near-duplicates). Domains register their steps here, in the order they must run, so the
record service does not import them and each step is tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class NewRecord:
    """A record just inserted: its id, its owning organisation and the draft it was made from."""

    record_id: int
    organisation_id: int
    source_channel: str
    draft: dict[str, Any]


Prepare = Callable[[dict[str, Any]], None]
AfterStore = Callable[[Session, Sequence[NewRecord]], None]

PREPARE_STEPS: list[Prepare] = []
AFTER_STORE_STEPS: list[AfterStore] = []


def prepare(draft: dict[str, Any]) -> None:
    """Complete a draft in place (each step fills only what the source left empty)."""
    for step in PREPARE_STEPS:
        step(draft)


def after_store(db: Session, created: Sequence[NewRecord]) -> None:
    """Run the post-insert steps, in the same transaction as the insert."""
    if not created:
        return
    for step in AFTER_STORE_STEPS:
        step(db, created)


def _index_for_search(db: Session, created: Sequence[NewRecord]) -> None:
    # Imported here: the search service itself builds on the record service.
    from riskgate.search.service import index_new_records

    index_new_records(db, created)


AFTER_STORE_STEPS.append(_index_for_search)


def _classify(draft: dict[str, Any]) -> None:
    # Imported here: the classifier loads its model file on first use.
    from riskgate.intake.classify import prepare_draft

    prepare_draft(draft)


def _link(db: Session, created: Sequence[NewRecord]) -> None:
    from riskgate.linkage.service import link_new_records

    link_new_records(db, created)


PREPARE_STEPS.append(_classify)
AFTER_STORE_STEPS.append(_link)


def _death_injury_signal(db: Session, created: Sequence[NewRecord]) -> None:
    # A death or serious injury raises a signal at once (riskgate.signals.thresholds).
    from riskgate.signals.service import death_injury_step

    death_injury_step(db, created)


AFTER_STORE_STEPS.append(_death_injury_signal)


def _foreign_recalls(db: Session, created: Sequence[NewRecord]) -> None:
    # A record of a foreign recall feed (CPSC) is also a foreign recall (riskgate.recalls).
    from riskgate.recalls.foreign import after_store_step

    after_store_step(db, created)


AFTER_STORE_STEPS.append(_foreign_recalls)

