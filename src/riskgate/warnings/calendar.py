"""Working days for the enterprise comment window: Monday to Friday, minus the public holidays
listed in settings (`warning_holidays`, ISO dates), since the State Council publishes them
yearly and no rule computes them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def add_working_days(start: dt.datetime, days: int, *, timezone: str,
                     holidays: frozenset[dt.date] = frozenset()) -> dt.datetime:
    """The end of the `days`-th working day after `start` (local 23:59:59), as UTC."""
    zone = ZoneInfo(timezone)
    day = start.astimezone(zone).date()
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    end = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone)
    return end.astimezone(dt.UTC)
