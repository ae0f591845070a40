"""The rule set of the signal stage: which algorithm runs on which series, the activity rule,
and the threshold rules beside the statistics. Defaults live here; any of them can be
overridden in the `signal_rule` table (`service.set_rule`, audited), e.g. for a pilot with
stricter thresholds.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.catalog.enums import SourceChannel
from riskgate.signals.models import SignalRule

FOREIGN_CHANNELS = (
    SourceChannel.foreign_notice, SourceChannel.foreign_government_notice,
    SourceChannel.feed_rasff, SourceChannel.feed_safety_gate, SourceChannel.feed_cpsc,
)  # fmt: skip
# Channels fast enough for daily series (complaints and media arrive every day).
FAST_CHANNELS = (
    SourceChannel.hotline_12315, SourceChannel.hotline_12360, SourceChannel.hotline_12345,
    SourceChannel.public_opinion, SourceChannel.new_media, SourceChannel.mobile_app,
    SourceChannel.portal, SourceChannel.feed_rasff, SourceChannel.feed_safety_gate,
    SourceChannel.feed_cpsc,
)  # fmt: skip

DEFAULTS: dict[str, Any] = {
    # Weekly series: farringtonFlexible (Noufaily settings) once a series has enough history,
    # EARS C2 before that. `b` years of history are needed for the GLM baseline.
    "weekly_long": {"algorithm": "farrington_flexible",
                    "params": {"b": 2, "w": 3, "no_periods": 10, "weights_threshold": 2.58,
                               "past_weeks_not_included": 26, "p_threshold_trend": 1.0,
                               "trend": True, "threshold_method": "nbPlugin", "alpha": 0.01}},
    "weekly_short": {"algorithm": "ears_C2", "params": {"baseline": 7, "alpha": 0.001,
                                                        "min_sigma": 1.0}},
    "daily": {"algorithm": "ears_C3", "params": {"baseline": 7, "alpha": 0.025,
                                                 "min_sigma": 1.0}},
    # Optional CUSUM beside the others on weekly series (off by default).
    "cusum": {"enabled": False, "params": {"k": 1.04, "h": 2.26}},
    # Longest history read for a weekly (weeks) or daily (days) series.
    "weekly_history": 260,
    "daily_history": 90,
    # Activity rule: a series is tested only with at least `min_total` records in its history
    # and at least one in the evaluated period; an alarm opens a signal only when the period
    # holds at least `min_signal_count` records.
    "min_total": 5,
    "min_signal_count": 3,
    # Threshold rules.
    "death_injury_severities": ["fatal", "serious"],
    "death_injury_lookback_days": 30,
    "foreign_notices": {"count": 3, "window_days": 30},
    "recurrence": {"enabled": True},
    # Triage: deadlines per severity (hours) and the default snooze after a dismissal (days).
    "deadline_hours": {"critical": 24, "high": 72, "medium": 168, "low": 336},
    "snooze_days": 30,
}


def rule_set(db: Session) -> dict[str, Any]:
    """The defaults with the overrides of the `signal_rule` table."""
    rules = copy.deepcopy(DEFAULTS)
    for row in db.execute(select(SignalRule)).scalars():
        if row.name in rules:
            current = rules[row.name]
            rules[row.name] = ({**current, **row.value}
                               if isinstance(current, dict) and isinstance(row.value, dict)
                               else row.value)
    return rules
