"""The workflow of a recall (see core.workflow).

draft → in_progress (started) → completed (the enterprise or the regulator says it is done, or
the reported units reach the units affected) → closed (the regulator's evaluation); cancelled,
with a reason, from draft or in progress.
"""

from __future__ import annotations

from typing import Any

from riskgate.audit.chain import to_jsonable
from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.recalls.enums import RecallStatus as S
from riskgate.recalls.models import Recall

OBJECT = N_("recall")
OBJECT_TYPE = "recall"

# Audited fields of a recall (what `snapshot` keeps).
SNAPSHOT_FIELDS = (
    "number", "organisation_id", "enterprise_id", "enterprise_name", "origin", "status", "title",
    "product_name", "category", "hs_code", "brand", "model", "batch", "barcode", "country",
    "hazard", "remedies", "plan", "units_affected", "units_remedied", "started_on",
    "report_every_days", "next_report_due", "public", "warning_id", "record_id", "case_id",
    "source_url", "evaluation", "evaluated_at",
)

RECALL_FLOW: Workflow[S] = Workflow(
    object_name=OBJECT,
    audit_type=OBJECT_TYPE,
    transitions={
        S.draft: {S.in_progress, S.cancelled},
        S.in_progress: {S.completed, S.cancelled},
        S.completed: {S.closed},
        S.closed: set(),
        S.cancelled: set(),
    },
    audited=SNAPSHOT_FIELDS,
)


def snapshot(recall: Recall) -> dict[str, Any]:
    """The recall's audited fields as the audit trail stores them (creation and edits)."""
    return {name: to_jsonable(getattr(recall, name)) for name in SNAPSHOT_FIELDS}
