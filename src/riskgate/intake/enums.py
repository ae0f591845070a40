"""States of import batches and quarantined rows."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class BatchStatus(StrEnum):
    running = "running"
    completed = "completed"


class QuarantineStatus(StrEnum):
    """A bad row waits (open) until a correction lets it in (resolved)."""

    open = "open"
    resolved = "resolved"


# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "import.batch": N_("File imported"),
    "import.quarantine_reprocess": N_("Quarantined row corrected"),
    "import_batch": N_("Import batch"),
    "quarantined_row": N_("Quarantined row"),
}
