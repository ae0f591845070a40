"""The workflow of a lifting petition (see core.workflow): submitted → accepted | rejected,
once, with the reviewer's note."""

from __future__ import annotations

from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.evaluation.enums import PetitionStatus as S

OBJECT = N_("lifting petition")
OBJECT_TYPE = "lifting_petition"
# Audited with the status (creation, and each decision).
SNAPSHOT_FIELDS = ("status", "warning_id", "control_rule_id", "clean_consignments",
                   "reviewed_by", "decision_note")

PETITION_FLOW: Workflow[S] = Workflow(
    object_name=OBJECT,
    audit_type=OBJECT_TYPE,
    transitions={
        S.submitted: {S.accepted, S.rejected},
        S.accepted: set(),
        S.rejected: set(),
    },
    audited=SNAPSHOT_FIELDS[1:],
)
