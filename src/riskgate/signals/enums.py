"""Vocabularies of signals and their triage."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class SignalStatus(StrEnum):
    """Where a signal stands; changes only through `triage.TRANSITIONS`."""

    new = "new"
    triage = "triage"
    assessment = "assessment"
    dismissed = "dismissed"
    merged = "merged"


OPEN_STATUSES = frozenset({SignalStatus.new, SignalStatus.triage, SignalStatus.assessment})
# The triage clock runs while a signal waits for a decision.
CLOCK_STATUSES = frozenset({SignalStatus.new, SignalStatus.triage})


class SignalKind(StrEnum):
    """What raised the signal: a statistical alarm or one of the threshold rules."""

    statistical = "statistical"
    threshold_death_injury = "threshold_death_injury"
    threshold_foreign_notices = "threshold_foreign_notices"
    recurrence = "recurrence"


class Severity(StrEnum):
    """How urgent the triage is; sets the deadline (see `rules.DEFAULTS["deadline_hours"]`)."""

    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


SEVERITY_RANK = {Severity.low: 1, Severity.medium: 2, Severity.high: 3, Severity.critical: 4}


class Granularity(StrEnum):
    """The period of a count series."""

    week = "week"
    day = "day"


STATUS_LABELS = {
    SignalStatus.new: N_("New"),
    SignalStatus.triage: N_("In triage"),
    SignalStatus.assessment: N_("In assessment"),
    SignalStatus.dismissed: N_("Dismissed"),
    SignalStatus.merged: N_("Merged"),
}
KIND_LABELS = {
    SignalKind.statistical: N_("Statistical alarm"),
    SignalKind.threshold_death_injury: N_("Death or serious injury"),
    SignalKind.threshold_foreign_notices: N_("Repeated foreign notices"),
    SignalKind.recurrence: N_("Recurrence"),
}
SEVERITY_LABELS = {
    Severity.low: N_("Low"),
    Severity.medium: N_("Medium"),
    Severity.high: N_("High"),
    Severity.critical: N_("Critical"),
}
