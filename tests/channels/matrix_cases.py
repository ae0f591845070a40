"""Permission-matrix cases for the channels routes (merged in tests/test_permission_matrix.py).

Organisation A is registered as a responsible unit and owns a feed subscription; B is its
sibling. Data scope in detail is tested by the channels tests themselves.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.test_permission_matrix import A_ORG, Case, World, _items

_unique = itertools.count(1)


def _officer_a(world: World):  # type: ignore[no-untyped-def]
    from riskgate.core.permissions import Role
    from riskgate.identity import auth_service

    return auth_service.actor_for(world.user("A", Role.RISK_OFFICER), "en")


def _feed_of(world: World, _user: Any = None) -> dict[str, Any]:
    from riskgate.channels import feed_service

    if "feed_id" not in world.__dict__:
        feed = feed_service.create_feed(world.db, _officer_a(world), {
            "name": "A's feed", "url": "http://127.0.0.1:9/feed", "format": "atom",
            "source_channel": "feed_rasff", "poll_minutes": 60, "enabled": False,
            "defaults": {}, "field_map": {}})
        world.db.commit()
        world.__dict__["feed_id"] = feed.id
    return {"feed_id": world.__dict__["feed_id"]}


def _unit_a(world: World, _user: Any = None) -> dict[str, Any]:
    from riskgate.channels import submissions
    from tests.factories import SYSTEM

    submissions.set_unit(world.db, SYSTEM, world.orgs["A"].id, True)
    world.db.commit()
    return {"limit": 200}


def _quarter(back: int) -> tuple[int, int]:
    from riskgate.channels.submissions import local_today, previous_quarter, quarter_of
    from riskgate.core.settings import Settings

    quarter = quarter_of(local_today(Settings(_env_file=None)))  # type: ignore[call-arg]
    for _ in range(back):
        quarter = previous_quarter(*quarter)
    return quarter


def _submission_a(world: World, _user: Any = None) -> dict[str, Any]:
    from riskgate.channels import submissions

    _unit_a(world)
    if "submission_id" not in world.__dict__:
        year, quarter = _quarter(1)
        row = submissions.submit(world.db, _officer_a(world), world.settings, year, quarter)
        world.db.commit()
        world.__dict__["submission_id"] = row.id
    return {"limit": 200}


def _current(world: World, user: Any) -> dict[str, Any]:
    _unit_a(world)
    year, quarter = _quarter(0)
    return {"year": year, "quarter": quarter}


CSV = b"source_channel,title,product_name\nquarterly_submission,Matrix,Matrix\n"
FEED_BODY = {"name": "New feed", "url": "http://127.0.0.1:9/x", "format": "rss",
             "source_channel": "public_opinion", "enabled": False}


def _page_submit(world: World, user: Any) -> dict[str, Any]:
    _unit_a(world)
    year, quarter = _quarter(2)
    return {"quarter": f"{year}-{quarter}", "note": "matrix"}


CHANNEL_CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/channels/health"): Case("self"),
    ("GET", "/api/v1/channels/expectations"): Case("self"),
    ("PUT", "/api/v1/channels/expectations/{channel}"): Case(
        "self", params=lambda w, u: {"channel": "hotline_12315"},
        body=lambda w, u: {"cadence_days": 2}),
    ("GET", "/api/v1/channels/silences"): Case("self"),
    ("GET", "/api/v1/feeds"): Case(
        "list", params=lambda w, u: (_feed_of(w), {"limit": 200})[1],
        visible=lambda w, r: any(i["id"] == _feed_of(w)["feed_id"] for i in _items(r))),
    ("POST", "/api/v1/feeds"): Case(
        "object", body=lambda w, u: {**FEED_BODY, "name": f"Feed {next(_unique)}",
                                     "organisation_id": w.orgs["A"].id}, ok=(201,)),
    ("GET", "/api/v1/feeds/{feed_id}"): Case("object", params=_feed_of),
    ("PATCH", "/api/v1/feeds/{feed_id}"): Case(
        "object", params=_feed_of, body=lambda w, u: {"poll_minutes": 90}),
    ("POST", "/api/v1/feeds/{feed_id}/poll"): Case("object", params=_feed_of, ok=(202,)),
    ("GET", "/api/v1/submissions/units"): Case(
        "list", params=_unit_a,
        visible=lambda w, r: any(i["organisation_id"] == w.orgs["A"].id for i in _items(r))),
    ("PUT", "/api/v1/submissions/units/{organisation_id}"): Case(
        "object", params=A_ORG, body=lambda w, u: {"active": True}),
    ("GET", "/api/v1/submissions/matrix"): Case(
        "list", params=lambda w, u: (_unit_a(w), {"quarters": 2})[1],
        visible=lambda w, r: any(i["organisation_id"] == w.orgs["A"].id for i in r)),
    ("GET", "/api/v1/submissions"): Case(
        "list", params=_submission_a,
        visible=lambda w, r: any(i["id"] == w.__dict__["submission_id"] for i in _items(r))),
    ("POST", "/api/v1/submissions/{year}/{quarter}/upload"): Case(
        "object", params=_current,
        body=lambda w, u: {"profile": "riskgate_csv", "organisation_id": str(w.orgs["A"].id)},
        files=lambda w, u: {"file": ("q.csv", CSV, "text/csv")}, ok=(201,)),
    ("POST", "/api/v1/submissions/{year}/{quarter}/submit"): Case(
        "object", params=_current, body=lambda w, u: {"organisation_id": w.orgs["A"].id}),
    # Pages
    ("GET", "/console/channels"): Case("self"),
    ("GET", "/console/channels/feeds"): Case("self"),
    ("POST", "/console/channels/feeds"): Case(
        "self", form=True, ok=(303,),
        body=lambda w, u: {"name": f"Page feed {next(_unique)}", "url": "http://127.0.0.1:9/p",
                           "format": "atom", "source_channel": "public_opinion",
                           "poll_minutes": "60"}),
    ("GET", "/console/channels/feeds/{feed_id}"): Case("object", params=_feed_of),
    ("POST", "/console/channels/feeds/{feed_id}"): Case(
        "object", params=_feed_of, form=True, ok=(303,),
        body=lambda w, u: {"name": "A's feed", "url": "http://127.0.0.1:9/feed",
                           "format": "atom", "source_channel": "feed_rasff",
                           "poll_minutes": "60"}),
    ("POST", "/console/channels/feeds/{feed_id}/poll"): Case(
        "object", params=_feed_of, form=True, ok=(303,)),
    ("GET", "/console/channels/submissions"): Case("self"),
    ("POST", "/console/channels/submissions"): Case(
        "self", form=True, ok=(303,), body=_page_submit),
}
