"""States of import batches and quarantined rows."""

from __future__ import annotations

from enum import StrEnum


class BatchStatus(StrEnum):
    running = "running"
    completed = "completed"


class QuarantineStatus(StrEnum):
    """A bad row waits (open) until a correction lets it in (resolved)."""

    open = "open"
    resolved = "resolved"
