"""Closed vocabularies of the channels domain: feed formats and quarterly submission states."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class FeedFormat(StrEnum):
    """How a subscribed address answers: an Atom feed, RSS 2.0, or JSON (array or JSON Feed 1.1)."""

    atom = "atom"
    rss = "rss"
    json = "json"


class SubmissionStatus(StrEnum):
    """A unit's quarter: nothing submitted yet, submitted by the due date, or after it."""

    missing = "missing"
    submitted = "submitted"
    late = "late"


SUBMISSION_LABELS = {
    SubmissionStatus.missing: N_("Not submitted"),
    SubmissionStatus.submitted: N_("Submitted on time"),
    SubmissionStatus.late: N_("Submitted late"),
}

# The one transition table of the submission workflow: (from, event) -> to.
SUBMISSION_TRANSITIONS: dict[tuple[SubmissionStatus, str], SubmissionStatus] = {
    (SubmissionStatus.missing, "submit_on_time"): SubmissionStatus.submitted,
    (SubmissionStatus.missing, "submit_late"): SubmissionStatus.late,
}
