"""Channel health: volumes, rejection rate, scope; silence alerts opened once and cleared."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.catalog.enums import SourceChannel
from riskgate.channels import health
from riskgate.channels.models import ChannelSilence
from riskgate.core.db import transaction, utcnow
from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.outbox.models import OutboxEvent
from riskgate.records.service import store_drafts
from tests.factories import SYSTEM, make_org, make_user

_n = itertools.count(1)


def _records(app, organisation_id, channel, *ages_in_days):  # type: ignore[no-untyped-def]
    now = utcnow()
    with transaction(app.state.session_factory) as db:
        for age in ages_in_days:
            n = next(_n)
            store_drafts(db, [({"title": f"记录{n}", "product_name": "产品",
                                "external_reference": f"H-{n}", "language": "zh",
                                "trade_direction": "unknown", "confidentiality": "internal",
                                "hazard_types": [], "enterprises": []}, None)],
                         channel=channel, organisation_id=organisation_id,
                         received_at=now - dt.timedelta(days=age))


def test_health_counts_volumes_and_rejections_within_scope(app, settings, units):  # type: ignore[no-untyped-def]
    _records(app, units.unit.id, SourceChannel.hotline_12315, 0.1, 2, 10, 40)
    _records(app, units.lead.id, SourceChannel.public_opinion, 0.5)
    import io

    from riskgate.intake.service import ingest_batch

    with transaction(app.state.session_factory) as db:
        ingest_batch(db, units.unit_actor, profile_name="riskgate_csv", file_name="x.csv",
                     binary=io.BytesIO("source_channel,title,product_name\n"
                                       "hotline_12315,电热毯过热,电热毯\n"
                                       "hotline_12315,,无标题\n".encode()))
    with app.state.session_factory() as db:
        lead_view = health.health(db, units.lead_actor, settings.timezone)
        unit_view = health.health(db, units.unit_actor, settings.timezone)
    by_channel = {c["channel"]: c for c in lead_view["channels"]}
    hotline = by_channel["hotline_12315"]
    assert hotline["total"] == 5 and hotline["last_day"] == 2 and hotline["last_week"] == 3
    assert sum(hotline["weekly"]) == 5 and len(hotline["weekly"]) == 8
    assert sum(hotline["daily"]) == 4 and len(hotline["daily"]) == 30  # not 40 days ago
    assert hotline["cadence_days"] == 1 and not hotline["silent"]
    assert lead_view["mixed_files"] == {"rows_read": 2, "quarantined": 1, "rejection_rate": 0.5}
    assert {c["channel"] for c in unit_view["channels"]} == {"hotline_12315"}  # not the lead's


def test_a_silent_channel_alerts_once_and_clears_when_records_arrive(app, settings, units):  # type: ignore[no-untyped-def]
    _records(app, units.unit.id, SourceChannel.hotline_12315, 3)
    _records(app, units.unit.id, SourceChannel.feed_safety_gate, 3)  # cadence 7 days: fine
    with transaction(app.state.session_factory) as db:
        assert health.check_silences(db, utcnow()) == {"opened": 1, "cleared": 0, "notified": 1}
    with transaction(app.state.session_factory) as db:
        assert health.check_silences(db, utcnow()) == {"opened": 0, "cleared": 0, "notified": 0}
    with app.state.session_factory() as db:
        (episode,) = db.execute(select(ChannelSilence)).scalars().all()
        assert episode.source_channel == SourceChannel.hotline_12315
        assert episode.organisation_id == units.unit.id and episode.cleared_at is None
        events = db.execute(select(OutboxEvent).where(
            OutboxEvent.topic == health.SILENCE_TOPIC)).scalars().all()
        assert {e.target for e in events} == {str(units.unit_officer.id),
                                              "officer@unit.example.cn"}
        assert events[0].payload["params"]["days"] == 1
        (open_only,) = db.execute(health.silences_statement(units.lead_actor, open_only=True)
                                  ).scalars().all()
        assert open_only.id == episode.id
    _records(app, units.unit.id, SourceChannel.hotline_12315, 0)
    with transaction(app.state.session_factory) as db:
        assert health.check_silences(db, utcnow())["cleared"] == 1
    with app.state.session_factory() as db:
        actions = db.execute(select(AuditEntry.action).where(
            AuditEntry.action.like("channel.silence%"))).scalars().all()
        assert actions == ["channel.silence", "channel.silence_cleared"]


def test_an_unmonitored_channel_never_alerts_and_cadence_overrides_apply(app, settings, units):  # type: ignore[no-untyped-def]
    _records(app, units.unit.id, SourceChannel.hotline_12315, 3)
    with transaction(app.state.session_factory) as db:
        health.set_expectation(db, SYSTEM, SourceChannel.hotline_12315, 1, False, "seasonal")
        assert health.check_silences(db, utcnow())["opened"] == 0
        health.set_expectation(db, SYSTEM, SourceChannel.hotline_12315, 5, True)
        assert health.check_silences(db, utcnow())["opened"] == 0  # 3 days < 5
        assert health.expectations(db)[SourceChannel.hotline_12315] == (5, True, True)


def test_silence_scope_hides_other_organisations(app, settings, units):  # type: ignore[no-untyped-def]
    _records(app, units.unit.id, SourceChannel.hotline_12315, 3)
    with transaction(app.state.session_factory) as db:
        health.check_silences(db, utcnow())
        stranger = actor_for(make_user(db, settings, make_org(db), Role.RISK_OFFICER), "en")
    with app.state.session_factory() as db:
        assert db.execute(health.silences_statement(stranger)).all() == []
        assert len(db.execute(health.silences_statement(units.lead_actor)).all()) == 1
