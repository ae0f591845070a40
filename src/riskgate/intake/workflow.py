"""The workflows of intake (see core.workflow): an import batch and a quarantined row.

A batch runs while its file (or a feed's answer) is read and completes when every row is stored
or quarantined — in one transaction, so a batch that failed leaves nothing behind. A quarantined
row stays open until a correction lets it in (resolved); a correction that is still wrong leaves
it open.
"""

from __future__ import annotations

from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.intake.enums import BatchStatus as B
from riskgate.intake.enums import QuarantineStatus as Q

BATCH_FLOW: Workflow[B] = Workflow(
    object_name=N_("import batch"),
    audit_type="import_batch",
    transitions={B.running: {B.completed}, B.completed: set()},
)

QUARANTINE_FLOW: Workflow[Q] = Workflow(
    object_name=N_("quarantined row"),
    audit_type="quarantined_row",
    transitions={Q.open: {Q.resolved}, Q.resolved: set()},
)
