"""The weekly report: ISO weeks in Beijing time, counts by level, type, category, country and
hazard class for what the reader may read, the follow-ups of the week, its page and workbook."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from riskgate.core.context import Actor
from riskgate.core.errors import NotFound
from riskgate.warnings.publication.weekly import IsoWeek, weekly_report
from tests.factories import sign_in
from tests.warnings.helpers import adjust, build_world, make_published_warning

WEEK = IsoWeek(2026, 47)  # Monday 16 to Sunday 22 November 2026
MONDAY_START_UTC = dt.datetime(2026, 11, 15, 16, 0, tzinfo=dt.UTC)  # 00:00 in Beijing


def test_iso_weeks() -> None:
    assert IsoWeek.parse("2026-W47") == WEEK
    assert str(IsoWeek(2026, 1)) == "2026-W01"
    assert IsoWeek.parse("2026-W53") == IsoWeek(2026, 53)  # 2026 begins on a Thursday
    for bad in ("2027-W53", "2026-W00", "2026-47", "2026-W7", "x", "", "2026-W47.xlsx"):
        with pytest.raises(NotFound):
            IsoWeek.parse(bad)
    assert WEEK.bounds() == (MONDAY_START_UTC, MONDAY_START_UTC + dt.timedelta(days=7))
    assert (WEEK.monday, WEEK.sunday) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert WEEK.shifted(-47) == IsoWeek(2025, 52) and WEEK.shifted(6) == IsoWeek(2026, 53)
    late_sunday = dt.datetime(2026, 11, 22, 15, 59, tzinfo=dt.UTC)  # 23:59 in Beijing
    assert IsoWeek.current(late_sunday) == WEEK
    assert IsoWeek.current(late_sunday + dt.timedelta(minutes=1)) == IsoWeek(2026, 48)


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def _at(db, warning, when: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    """Move the publication into the week under test (the service stamps 'now')."""
    warning.published_at = when
    db.flush()


@pytest.fixture
def week_data(world, db):  # type: ignore[no-untyped-def]
    first = make_published_warning(world, level="I", hazard_class="physical")
    _at(db, first, MONDAY_START_UTC)
    second = make_published_warning(
        world, level="III", origin_countries=["FR"],
        products=[{"name": "奶粉", "hs_code": "040210", "category": "食品"}])
    _at(db, second, MONDAY_START_UTC + dt.timedelta(days=6, hours=23, minutes=59))
    before = make_published_warning(world)
    _at(db, before, MONDAY_START_UTC - dt.timedelta(seconds=1))
    bulletin = make_published_warning(world, warning_type="bulletin", enterprises=[])
    _at(db, bulletin, MONDAY_START_UTC + dt.timedelta(days=2))
    follow_up = adjust(world, first, level="II")
    follow_up.created_at = MONDAY_START_UTC + dt.timedelta(days=3)
    db.commit()
    return {"first": first, "second": second, "before": before, "bulletin": bulletin}


def test_public_report_counts_announcements_of_the_week(db, week_data) -> None:  # type: ignore[no-untyped-def]
    report = weekly_report(db, Actor.anonymous(), WEEK)
    assert [i.warning.id for i in report.items] == [week_data["first"].id,
                                                    week_data["second"].id]
    assert report.by_level == {"I": 1, "III": 1}  # level I at publication, adjusted later
    assert report.by_type == {"announcement": 2}
    assert report.by_category == {"玩具": 1, "食品": 1}
    assert report.by_country == {"CN": 1, "VN": 1, "FR": 1}
    assert report.by_hazard_class == {"physical": 1, "chemical": 1}
    assert [(f.sequence, w.id) for f, w in report.follow_ups] == [(1, week_data["first"].id)]
    assert weekly_report(db, Actor.anonymous(), WEEK.shifted(-1)).total == 1


def test_regulators_also_count_bulletins(db, world, week_data) -> None:  # type: ignore[no-untyped-def]
    report = weekly_report(db, world.actor(world.other_officer), WEEK)
    assert report.total == 3 and report.by_type == {"announcement": 2, "bulletin": 1}
    enterprise = weekly_report(db, world.actor(world.ent2_user), WEEK)
    assert enterprise.by_type == {"announcement": 2}


def test_pages_and_workbook(app, world, week_data) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    page = client.get("/warnings/weekly/2026-W47", params={"lang": "en"})
    assert page.status_code == 200
    assert week_data["first"].number in page.text and week_data["second"].number in page.text
    assert week_data["bulletin"].number not in page.text
    assert week_data["before"].number not in page.text
    assert 'href="/warnings/weekly/2026-W46"' in page.text  # the week before
    # The week after only once it has begun.
    assert ('href="/warnings/weekly/2026-W48"' in page.text) == (IsoWeek.current() > WEEK)
    assert 'href="/warnings/weekly/2026-W47"' in client.get("/warnings/weekly/2026-W46").text
    assert client.get("/warnings/weekly").status_code == 200
    jump = client.get("/warnings/weekly", params={"week": "2026-W47"}, follow_redirects=False)
    assert jump.status_code == 303 and jump.headers["location"] == "/warnings/weekly/2026-W47"
    assert client.get("/warnings/weekly", params={"week": "junk"}).status_code == 404
    assert client.get("/warnings/weekly/2026-W99").status_code == 404
    chinese = client.get("/warnings/weekly/2026-W47", params={"lang": "zh-CN"})
    assert "预警周报" in chinese.text

    download = client.get("/warnings/weekly/2026-W47.xlsx", params={"lang": "en"})
    assert download.status_code == 200 and download.content[:2] == b"PK"
    book = load_workbook(io.BytesIO(download.content), read_only=True)
    assert book.sheetnames == ["Summary", "Warnings", "Follow-ups"]
    warnings = list(book["Warnings"].iter_rows(values_only=True))
    assert len(warnings) == 3 and warnings[1][0] == week_data["first"].number
    summary = [r for r in book["Summary"].iter_rows(values_only=True)]
    assert ("Warnings published", 2) in [tuple(r[:2]) for r in summary if r]
    assert client.get("/warnings/weekly/bad.xlsx").status_code == 404

    regulator = TestClient(app)
    sign_in(regulator, world.other_officer.username)
    assert week_data["bulletin"].number in regulator.get("/warnings/weekly/2026-W47").text
