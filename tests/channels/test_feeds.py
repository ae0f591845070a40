"""Feed pull against a real HTTP server on loopback: Atom, RSS, JSON, and every bad answer."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import func, select

from riskgate.catalog.enums import SourceChannel
from riskgate.channels import feed_service
from riskgate.channels.feeds import FeedRefused, parse_feed
from riskgate.channels.models import FeedSubscription
from riskgate.core.db import transaction, utcnow
from riskgate.core.schedule import Scheduler, load_jobs
from riskgate.intake.models import ImportBatch, QuarantinedRow
from riskgate.records.models import RiskRecord
from tests.channels.conftest import FIXTURES, http_date


def _poll(app, settings, now=None):  # type: ignore[no-untyped-def]
    @contextmanager
    def tx():  # type: ignore[no-untyped-def]
        with transaction(app.state.session_factory) as session:
            yield session

    return feed_service.poll_due(tx, settings, now or utcnow())


def _feed(app, units, url, fmt="atom", channel=SourceChannel.feed_safety_gate, **extra):  # type: ignore[no-untyped-def]
    with transaction(app.state.session_factory) as db:
        feed = feed_service.create_feed(db, units.lead_actor, {
            "name": f"{fmt} feed", "url": url, "format": fmt, "source_channel": channel,
            "poll_minutes": 60, "enabled": True, "defaults": extra.pop("defaults", {}),
            "field_map": extra.pop("field_map", {}),
        })
        return feed.id


def _due_again(app, feed_id):  # type: ignore[no-untyped-def]
    with transaction(app.state.session_factory) as db:
        db.get(FeedSubscription, feed_id).next_poll_at = utcnow()


def _state(app, feed_id):  # type: ignore[no-untyped-def]
    with app.state.session_factory() as db:
        feed = db.get(FeedSubscription, feed_id)
        batches = db.execute(select(ImportBatch).where(ImportBatch.profile == f"feed:{feed_id}")
                             .order_by(ImportBatch.id)).scalars().all()
        records = db.execute(select(func.count()).select_from(RiskRecord)).scalar_one()
        db.expunge_all()
        return feed, batches, records


def test_atom_feed_stores_entries_quarantines_bad_ones_and_honours_etag(
        app, settings, units, feed_server):  # type: ignore[no-untyped-def]
    url = feed_server.serve_file("/atom", "atom.xml", etag='"v1"',
                                 content_type="application/atom+xml")
    feed_id = _feed(app, units, url)
    summary = _poll(app, settings)
    assert summary == {"polled": 1, "failed": 0, "stored": 1, "records": 2}
    feed, batches, records = _state(app, feed_id)
    assert records == 2 and feed.etag == '"v1"' and feed.consecutive_failures == 0
    (batch,) = batches
    assert batch.counts() == {"rows_read": 3, "imported": 2, "duplicates": 0, "quarantined": 1}
    with app.state.session_factory() as db:
        stored = db.execute(select(RiskRecord).order_by(RiskRecord.id)).scalars().all()
        assert [r.external_reference for r in stored] == [
            "urn:example:recall:2026-101", "urn:example:recall:2026-102"]
        assert stored[0].origin_country == "CN" and stored[1].origin_country == "TR"
        assert stored[0].hazard_class == "chemical" and stored[1].hazard_type == "strangulation"
        assert stored[0].occurred_on == dt.date(2026, 11, 18)
        assert "https://recalls.example.org/2026-101" in stored[0].description
        assert "<b>" not in stored[0].description
        assert stored[0].source_channel == SourceChannel.feed_safety_gate
        (row,) = db.execute(select(QuarantinedRow)).scalars().all()
        assert row.line_number == 3 and "2026-103" in row.raw_content
        assert {p["field"] for p in row.problems} == {"title", "product_name"}

    # Polling again: the server answers 304 to our If-None-Match; nothing changes.
    _due_again(app, feed_id)
    assert _poll(app, settings)["stored"] == 0
    assert feed_server.requests[-1][1]["if-none-match"] == '"v1"'
    feed, batches, records = _state(app, feed_id)
    assert feed.last_status == 304 and len(batches) == 1 and records == 2


def test_rss_repolled_without_validators_changes_nothing_and_new_items_are_added(
        app, settings, units, feed_server):  # type: ignore[no-untyped-def]
    url = feed_server.serve_file("/rss", "rss.xml")
    feed_id = _feed(app, units, url, "rss", SourceChannel.food_safety)
    _poll(app, settings)
    _due_again(app, feed_id)
    assert _poll(app, settings)["stored"] == 0  # the same body: skipped by its hash
    feed, batches, records = _state(app, feed_id)
    assert len(batches) == 1 and records == 2
    assert batches[0].counts()["quarantined"] == 1  # the impossible pubDate

    body = (FIXTURES / "rss.xml").read_text().replace(
        "<item>", "<item><title>Listeria in cheese</title><guid>food-554</guid>"
        "<pubDate>Thu, 19 Nov 2026 08:00:00 GMT</pubDate></item><item>", 1)
    feed_server.serve("/rss", body)
    _due_again(app, feed_id)
    _poll(app, settings)
    feed, batches, records = _state(app, feed_id)
    assert records == 3
    assert batches[-1].counts() == {"rows_read": 4, "imported": 1, "duplicates": 2,
                                    "quarantined": 1}


def test_json_feed_and_plain_json_array_with_a_field_map(app, settings, units, feed_server):  # type: ignore[no-untyped-def]
    _feed(app, units, feed_server.serve_file("/jf", "feed.json",
                                             content_type="application/feed+json"), "json",
          SourceChannel.public_opinion)
    array_id = _feed(app, units, feed_server.serve_file("/arr", "array.json"), "json",
                     SourceChannel.foreign_notice, defaults={"language": "en"},
                     field_map={"id": "RecallNumber", "title": "Headline", "published": "When",
                                "country": "Origin", "category": "Hazard"})
    assert _poll(app, settings)["records"] == 3
    _feed_state, batches, _records = _state(app, array_id)
    assert batches[0].counts() == {"rows_read": 3, "imported": 1, "duplicates": 0,
                                   "quarantined": 2}
    with app.state.session_factory() as db:
        chinese = db.execute(select(RiskRecord).where(RiskRecord.external_reference == "cpa-2")
                             ).scalar_one()
        assert chinese.title == "电动滑板车电池起火" and chinese.origin_country == "CN"
        magnet = db.execute(select(RiskRecord).where(RiskRecord.external_reference == "X-1")
                            ).scalar_one()
        assert magnet.origin_country == "CN" and magnet.hazard_type == "injuries"
        problems = [r.problems for r in db.execute(select(QuarantinedRow)
                                                   .order_by(QuarantinedRow.line_number)).scalars()]
        assert problems[0][0]["params"] == {"value": "Narnia"}
        assert problems[1][0]["params"] == {"kind": "str"}


def test_same_entries_from_two_feeds_of_one_channel_are_stored_once(
        app, settings, units, feed_server):  # type: ignore[no-untyped-def]
    _feed(app, units, feed_server.serve_file("/a", "atom.xml"))
    _feed(app, units, feed_server.serve_file("/b", "atom.xml"))
    _poll(app, settings)
    with app.state.session_factory() as db:
        assert db.execute(select(func.count()).select_from(RiskRecord)).scalar_one() == 2
        duplicates = db.execute(select(func.sum(ImportBatch.duplicates))).scalar_one()
        assert duplicates == 2


@pytest.mark.parametrize(("name", "needle"), [
    ("malformed.xml", "not well-formed"),
    ("xxe.xml", "DTD"),
    ("billion.xml", "DTD"),
])
def test_bad_xml_is_a_recorded_failure_and_the_next_poll_retries(
        app, settings, units, feed_server, name, needle):  # type: ignore[no-untyped-def]
    url = feed_server.serve_file("/bad", name)
    feed_id = _feed(app, units, url, "rss")
    assert _poll(app, settings) == {"polled": 1, "failed": 1, "stored": 0, "records": 0}
    feed, batches, records = _state(app, feed_id)
    assert needle in feed.last_error and feed.consecutive_failures == 1
    assert batches == [] and records == 0
    assert feed.next_poll_at > utcnow() + dt.timedelta(minutes=59)  # retried at the next poll
    with app.state.session_factory() as db:  # nothing of /etc/passwd anywhere
        assert db.execute(select(func.count()).select_from(QuarantinedRow)).scalar_one() == 0

    feed_server.serve_file("/bad", "rss.xml")
    _due_again(app, feed_id)
    _poll(app, settings)
    feed, batches, records = _state(app, feed_id)
    assert feed.consecutive_failures == 0 and feed.last_error is None and records == 2


def test_server_error_timeout_and_oversized_answers_are_failures_not_crashes(
        app, settings, units, feed_server):  # type: ignore[no-untyped-def]
    quick = settings.model_copy(update={"feed_timeout_seconds": 0.3, "feed_max_bytes": 2048})
    error_id = _feed(app, units, feed_server.serve("/500", "oops", status=500))
    slow_id = _feed(app, units, feed_server.serve_file("/slow", "atom.xml", delay=2.0))
    big_id = _feed(app, units, feed_server.serve("/big", "<rss>" + "x" * 5000 + "</rss>"))
    gone_id = _feed(app, units, "http://127.0.0.1:9/nothing-listens-here")
    summary = _poll(app, quick)
    assert summary["polled"] == 4 and summary["failed"] == 4
    errors = {i: _state(app, i)[0] for i in (error_id, slow_id, big_id, gone_id)}
    assert errors[error_id].last_error == "HTTP 500" and errors[error_id].last_status == 500
    assert "Timeout" in errors[slow_id].last_error
    assert "larger than 2048" in errors[big_id].last_error
    assert "ConnectError" in errors[gone_id].last_error
    assert all(f.consecutive_failures == 1 for f in errors.values())

    for feed_id in errors:
        _due_again(app, feed_id)
    _poll(app, quick)
    assert _state(app, error_id)[0].consecutive_failures == 2


def test_last_modified_makes_the_poll_conditional(app, settings, units, feed_server):  # type: ignore[no-untyped-def]
    stamp = http_date(1_700_000_000)
    feed_id = _feed(app, units, feed_server.serve_file("/lm", "atom.xml", last_modified=stamp))
    _poll(app, settings)
    _due_again(app, feed_id)
    _poll(app, settings)
    assert feed_server.requests[-1][1]["if-modified-since"] == stamp
    assert _state(app, feed_id)[0].last_status == 304


def test_disabled_feeds_are_not_polled_and_the_job_runs_through_the_scheduler(
        app, settings, units, feed_server):  # type: ignore[no-untyped-def]
    url = feed_server.serve_file("/atom", "atom.xml")
    feed_id = _feed(app, units, url)
    with transaction(app.state.session_factory) as db:
        feed_service.update_feed(db, units.lead_actor, feed_id, {"enabled": False})
    scheduler = Scheduler(app.state.engine, settings, owner="test", jobs=load_jobs())
    outcome = scheduler.run_job(feed_service.POLL_JOB)
    assert outcome.ok and outcome.summary == {"polled": 0, "failed": 0, "stored": 0,
                                              "records": 0}
    with transaction(app.state.session_factory) as db:
        feed_service.update_feed(db, units.lead_actor, feed_id, {"enabled": True})
    outcome = scheduler.run_job(feed_service.POLL_JOB)
    assert outcome.summary["records"] == 2
    assert feed_server.requests and feed_server.requests[0][1]["user-agent"].startswith("riskgate")


@hsettings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["atom", "rss", "json"]))
def test_parse_feed_refuses_garbage_cleanly(body, kind):  # type: ignore[no-untyped-def]
    try:
        entries = parse_feed(body, kind)
    except FeedRefused:
        return
    assert isinstance(entries, list)


@hsettings(max_examples=100, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_rss_text_round_trips_through_the_parser(title, guid):  # type: ignore[no-untyped-def]
    from xml.sax.saxutils import escape

    clean = "".join(c for c in title if c.isprintable() and c not in "\ufffe\uffff")
    clean = "".join(c for c in clean if ord(c) >= 0x20 and not 0xD800 <= ord(c) <= 0xDFFF)
    body = (f"<rss version='2.0'><channel><item><title>{escape(clean)}</title>"
            f"<guid>g</guid></item></channel></rss>").encode()
    (entry,) = parse_feed(body, "rss")
    assert (entry.values["title"] or "") == clean.strip()


def test_a_crash_while_storing_one_feed_is_recorded_and_the_others_go_on(
        app, settings, units, feed_server, monkeypatch):  # type: ignore[no-untyped-def]
    broken = _feed(app, units, feed_server.serve_file("/broken", "atom.xml"))
    fine = _feed(app, units, feed_server.serve_file("/fine", "rss.xml"), "rss",
                 SourceChannel.food_safety)
    original = feed_service.store_entries

    def fail_once_for_broken(db, feed, *args):  # type: ignore[no-untyped-def]
        if feed.id == broken:
            raise RuntimeError("disk full")  # fault injection: the database refuses the write
        return original(db, feed, *args)

    monkeypatch.setattr(feed_service, "store_entries", fail_once_for_broken)
    summary = _poll(app, settings)
    assert summary["polled"] == 2 and summary["failed"] == 1 and summary["stored"] == 1
    feed, batches, _records = _state(app, broken)
    assert feed.last_error == "RuntimeError: disk full" and feed.consecutive_failures == 1
    assert batches == [] and feed.next_poll_at > utcnow()
    assert _state(app, fine)[0].last_error is None
