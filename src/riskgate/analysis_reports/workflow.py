"""The workflow of an assessment report (see core.workflow): requested (pending), then ready
with its file stored, or failed with the error kept. The worker makes the move."""

from __future__ import annotations

from riskgate.analysis_reports.enums import ReportStatus as S
from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow

OBJECT = N_("assessment report")
OBJECT_TYPE = "analysis_report"
# Audited with the status: what the request and the generation say (`service._snapshot`, less
# the period, which never changes).
AUDITED = ("kind", "title", "category_dimension", "category_value", "language", "format",
           "sha256", "size", "error", "scheduled")

REPORT_FLOW: Workflow[S] = Workflow(
    object_name=OBJECT,
    audit_type=OBJECT_TYPE,
    transitions={S.pending: {S.ready, S.failed}, S.ready: set(), S.failed: set()},
    audited=AUDITED,
)
