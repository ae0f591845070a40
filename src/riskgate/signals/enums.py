"""Vocabularies of signals and their triage, each member with its label, and the labels of the
signals stage's audit entries."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class SignalStatus(LabelledEnum):
    """Where a signal stands; changes only through `workflow.SIGNAL_FLOW`."""

    new = "new", N_("New")
    triage = "triage", N_("In triage")
    assessment = "assessment", N_("In assessment")
    dismissed = "dismissed", N_("Dismissed")
    merged = "merged", N_("Merged")


OPEN_STATUSES = frozenset({SignalStatus.new, SignalStatus.triage, SignalStatus.assessment})
# The triage clock runs while a signal waits for a decision.
CLOCK_STATUSES = frozenset({SignalStatus.new, SignalStatus.triage})


class SignalKind(LabelledEnum):
    """What raised the signal: a statistical alarm or one of the threshold rules."""

    statistical = "statistical", N_("Statistical alarm")
    threshold_death_injury = "threshold_death_injury", N_("Death or serious injury")
    threshold_foreign_notices = "threshold_foreign_notices", N_("Repeated foreign notices")
    recurrence = "recurrence", N_("Recurrence")


class Severity(LabelledEnum):
    """How urgent the triage is; sets the deadline (see `rules.DEFAULTS["deadline_hours"]`)."""

    low = "low", N_("Low")
    medium = "medium", N_("Medium")
    high = "high", N_("High")
    critical = "critical", N_("Critical")


SEVERITY_RANK = {Severity.low: 1, Severity.medium: 2, Severity.high: 3, Severity.critical: 4}


class Granularity(StrEnum):
    """The period of a count series."""

    week = "week"
    day = "day"


# What the signals stage's audit entries are called on pages (actions and object types).
AUDIT_LABELS: dict[str, str] = {
    "signal.opened": N_("Signal raised"),
    "signal.joined": N_("Alarm joined the signal"),
    "signal.transition": N_("Signal status changed"),
    "signal.merged_in": N_("Signal merged into this one"),
    "signal.assign": N_("Signal assigned"),
    "signal.overdue": N_("Overdue signal reminder sent"),
    "signal.rule": N_("Signal rule changed"),
    "signal.run_requested": N_("Detection run requested"),
    "signal": N_("Signal"),
    "signal_rule": N_("Signal rule"),
    "scheduled_job": N_("Scheduled job"),
}
