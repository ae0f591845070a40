"""Demo data of the channels domain: responsible units, two quarters of submissions, feeds.

The feeds are disabled and point at `.invalid` addresses: the demo makes no outbound request.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.channels import feed_service, submissions
from riskgate.core.context import Actor
from riskgate.core.settings import Settings
from riskgate.identity.models import Organisation

ACTOR = Actor.system("demo")
UNITS = ("CUS2200", "CUS5100", "CUS5300", "CUS4200", "CUS4300", "CUS6400", "CUS7200",
         "AMR310000", "AMR440000", "AMR370000", "AMR460000", "AMR650000")
# Per unit, for the quarter before last and the last one: days after the quarter's end it
# submitted (None: not submitted). Beyond the due days it is late.
HISTORY = {
    "CUS2200": (10, 12), "CUS5100": (14, 30), "CUS5300": (20, None), "CUS4200": (5, 8),
    "CUS4300": (None, None), "CUS6400": (15, 3), "AMR310000": (9, 11), "AMR440000": (25, None),
}
FEEDS = (
    ("GACC", "EU Safety Gate weekly report (example)", "https://safety-gate.example.invalid/feed.atom",
     "atom", "feed_safety_gate"),
    ("GACC", "US CPSC recalls (example)", "https://cpsc.example.invalid/recalls.json", "json",
     "feed_cpsc"),
    ("SAMR", "Media monitoring (example)", "https://media.example.invalid/rss", "rss",
     "public_opinion"),
)


def load_channel_demo(session: Session, settings: Settings) -> dict[str, int]:
    by_code = {o.code: o for o in session.execute(
        select(Organisation).where(Organisation.code.in_([*UNITS, "GACC", "SAMR"]))).scalars()}
    for code in UNITS:
        if code in by_code:
            submissions.set_unit(session, ACTOR, by_code[code].id, True)
    today = submissions.local_today(settings)
    last = submissions.previous_quarter(*submissions.quarter_of(today))
    before = submissions.previous_quarter(*last)
    submitted = 0
    for code, delays in HISTORY.items():
        for (year, quarter), delay in zip((before, last), delays, strict=True):
            if delay is None or code not in by_code:
                continue
            moment = dt.datetime.combine(submissions.quarter_end(year, quarter)
                                         + dt.timedelta(days=delay), dt.time(2), tzinfo=dt.UTC)
            if moment.date() > today:
                continue
            on_time = delay <= settings.quarterly_due_days
            submissions.submit(session, ACTOR, settings, year, quarter,
                               organisation_id=by_code[code].id, now=moment,
                               note="示例报送" if on_time else "逾期补报")
            submitted += 1
    for owner, name, url, fmt, channel in FEEDS:
        if owner in by_code:
            feed_service.create_feed(session, ACTOR, {
                "organisation_id": by_code[owner].id, "name": name, "url": url, "format": fmt,
                "source_channel": channel, "poll_minutes": 60, "enabled": False,
                "defaults": {"language": "en"}, "field_map": {}})
    return {"responsible units": len(UNITS), "quarterly submissions": submitted,
            "feed subscriptions": len(FEEDS)}
