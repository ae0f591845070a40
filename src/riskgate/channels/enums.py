"""Closed vocabularies of the channels domain, each member with its label: feed formats and
quarterly submission states."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class FeedFormat(LabelledEnum):
    """How a subscribed address answers: an Atom feed, RSS 2.0, or JSON (array or JSON Feed 1.1)."""

    atom = "atom", N_("Atom")
    rss = "rss", N_("RSS 2.0")
    json = "json", N_("JSON")


class SubmissionStatus(LabelledEnum):
    """A unit's quarter: nothing submitted yet, submitted by the due date, or after it."""

    missing = "missing", N_("Not submitted")
    submitted = "submitted", N_("Submitted on time")
    late = "late", N_("Submitted late")


# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "feed.create": N_("Feed subscription created"),
    "feed.update": N_("Feed subscription changed"),
    "feed.poll_requested": N_("Feed poll requested"),
    "feed.poll": N_("Feed polled"),
    "submission.unit": N_("Responsible unit changed"),
    "submission.upload": N_("Quarterly submission file imported"),
    "submission.submit": N_("Quarter submitted"),
    "channel.expectation": N_("Channel expectation changed"),
    "channel.silence": N_("Silent channel detected"),
    "channel.silence_cleared": N_("Silent channel active again"),
    "feed_subscription": N_("Feed subscription"),
    "submission_unit": N_("Responsible unit"),
    "quarterly_submission": N_("Quarterly submission"),
    "channel_expectation": N_("Channel expectation"),
    "channel_silence": N_("Silent channel"),
}
