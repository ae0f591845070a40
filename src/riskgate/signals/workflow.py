"""The workflow of a signal's triage (see core.workflow).

new → triage → assessment (opens a draft risk assessment) / dismissed / merged; a new signal may
also be dismissed or merged at once. Each move is audited with the triage fields of the signal
(`Signal.snapshot`); a merge's entry also notes the number of the signal it went into.
"""

from __future__ import annotations

from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.signals.enums import SignalStatus as S

OBJECT = N_("signal")
OBJECT_TYPE = "signal"

# The triage fields audited with every move (those of `Signal.snapshot`).
AUDITED = ("severity", "assignee_id", "deadline_at", "assessment_id", "merged_into_id",
           "dismissal_reason", "snoozed_until", "record_count", "organisation_id")

SIGNAL_FLOW: Workflow[S] = Workflow(
    object_name=OBJECT,
    audit_type=OBJECT_TYPE,
    transitions={
        S.new: {S.triage, S.dismissed, S.merged},
        S.triage: {S.assessment, S.dismissed, S.merged},
        S.assessment: set(),
        S.dismissed: set(),
        S.merged: set(),
    },
    audited=AUDITED,
)
