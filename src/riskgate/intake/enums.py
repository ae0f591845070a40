"""States of import batches and quarantined rows, each with its label."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class BatchStatus(LabelledEnum):
    """A batch is running while its file is read, completed once every row is stored or
    quarantined (both within one transaction: a failed import leaves no batch)."""

    running = "running", N_("Being imported")
    completed = "completed", N_("Import completed")


class QuarantineStatus(LabelledEnum):
    """A bad row waits (open) until a correction lets it in (resolved)."""

    open = "open", N_("To be corrected")
    resolved = "resolved", N_("Corrected and imported")


# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "import.batch": N_("File imported"),
    "import.quarantine_reprocess": N_("Quarantined row corrected"),
    "import.profile_create": N_("Import profile created"),
    "import.profile_update": N_("Import profile changed"),
    "import.profile_delete": N_("Import profile deleted"),
    "import_batch": N_("Import batch"),
    "quarantined_row": N_("Quarantined row"),
    "import_profile": N_("Import profile"),
}
