"""Report periods (pure): quarters, their labels and bounds, the weeks a period spans.

A period is a closed range of local calendar days (Asia/Shanghai by default); queries turn it into
the half-open UTC range [first day 00:00 local, day after the last 00:00 local).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self, timezone: str) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) in UTC for timestamps, from local midnight to local midnight."""
        zone = ZoneInfo(timezone)
        start = dt.datetime.combine(self.start, dt.time(), zone)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), zone)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def quarter(year: int, number: int) -> Period:
    """The quarter `number` (1–4) of `year`, labelled like 2026Q3."""
    if not 1 <= number <= 4:
        raise ValueError("quarter must be 1-4")
    start = dt.date(year, 3 * number - 2, 1)
    end = dt.date(year, 12, 31) if number == 4 else \
        dt.date(year, 3 * number + 1, 1) - dt.timedelta(days=1)
    return Period(start, end, f"{year}Q{number}")


def parse_quarter(text: str) -> Period | None:
    """'2026Q3', '2026-Q3' or '2026q3' → the quarter; None if the text is not one."""
    match = QUARTER.match(text or "")
    if not match:
        return None
    year = int(match.group(1))
    if not 1900 <= year <= 2200:
        return None
    return quarter(year, int(match.group(2)))


def quarter_of(day: dt.date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def previous_quarter(day: dt.date) -> Period:
    """The last quarter that ended before `day`'s quarter began."""
    return quarter_of(quarter_of(day).start - dt.timedelta(days=1))


def custom(start: dt.date, end: dt.date) -> Period:
    return Period(start, end, f"{start.isoformat()}~{end.isoformat()}")


def week_starts(period: Period) -> list[dt.date]:
    """The Mondays of the ISO weeks that overlap the period, in order."""
    first = period.start - dt.timedelta(days=period.start.weekday())
    weeks = []
    day = first
    while day <= period.end:
        weeks.append(day)
        day += dt.timedelta(days=7)
    return weeks


def week_index(weeks: list[dt.date], day: dt.date) -> int | None:
    """The position of `day`'s week in `weeks` (from week_starts), or None if outside."""
    if not weeks:
        return None
    index = (day - weeks[0]).days // 7
    return index if 0 <= index < len(weeks) else None
