"""Channel health (M3): volume, last record and rejection rate per channel; silence alerts.

Each channel's expected cadence comes from the catalogue (`source_channels.csv`, cadence_days)
unless `channel_expectation` overrides it. The silence check looks at every (channel,
organisation) pair that has ever received records: one silent longer than its cadence opens one
`channel_silence` episode and notifies that organisation's risk officers once; the episode is
cleared (and audited) when a record arrives again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.enums import SourceChannel
from riskgate.catalog.reference import source_channel, source_channels
from riskgate.channels.models import ChannelExpectation, ChannelSilence, FeedSubscription
from riskgate.channels.submissions import risk_officers
from riskgate.core.context import Actor
from riskgate.core.db import is_postgresql, utcnow
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.identity.models import Organisation
from riskgate.identity.scope import AnySelect, scoped
from riskgate.intake.models import ImportBatch
from riskgate.intake.profiles import PROFILES
from riskgate.outbox import service as outbox
from riskgate.records.models import RiskRecord

WEEKS = 8
DAYS = 30
HEALTH_ACTOR = Actor.system("channel-health")
SILENCE_TOPIC = "channel.silent"


# --- Expected cadence ----------------------------------------------------------------------


def expectations(db: Session) -> dict[SourceChannel, tuple[int, bool, bool]]:
    """channel -> (cadence in days, monitored, overridden)."""
    result = {e.code: (e.cadence_days, True, False) for e in source_channels()}
    for row in db.execute(select(ChannelExpectation)).scalars():
        result[row.source_channel] = (row.cadence_days, row.monitored, True)
    return result


def set_expectation(db: Session, actor: Actor, channel: SourceChannel, cadence_days: int,
                    monitored: bool, reason: str | None = None) -> ChannelExpectation:
    if not 1 <= cadence_days <= 366:
        raise ValidationFailed(fields=[FieldProblem(
            "cadence_days", N_("The cadence must be between 1 and 366 days."))])
    row = db.get(ChannelExpectation, channel)
    entry = source_channel(channel.value)
    before = ({"cadence_days": row.cadence_days, "monitored": row.monitored} if row else
              {"cadence_days": entry.cadence_days if entry else None, "monitored": True})
    if row is None:
        row = ChannelExpectation(source_channel=channel, cadence_days=cadence_days,
                                 monitored=monitored)
        db.add(row)
    row.cadence_days, row.monitored = cadence_days, monitored
    db.flush()
    old, new = audit.diff(before, {"cadence_days": cadence_days, "monitored": monitored})
    if new:
        audit.record(db, actor, "channel.expectation", object_type="channel_expectation",
                     object_id=channel.value, before=old, after=new, reason=reason)
    return row


# --- The dashboard -------------------------------------------------------------------------


def _local_day(db: Session, column: Any, timezone: str) -> Any:
    """The calendar day of a UTC timestamp in the local time zone, as the database computes it."""
    if is_postgresql(db):
        return func.to_char(func.timezone(timezone, column), "YYYY-MM-DD")
    offset = dt.datetime.now(ZoneInfo(timezone)).utcoffset() or dt.timedelta()
    return func.date(column, f"{int(offset.total_seconds()) // 60:+d} minutes")


def _records(actor: Actor, stmt: AnySelect) -> AnySelect:
    return scoped(stmt, actor, RiskRecord.organisation_id)


def health(db: Session, actor: Actor, timezone: str,
           now: dt.datetime | None = None) -> dict[str, Any]:
    """Per channel in the actor's scope: last record, volumes (day, week, 8 weekly and 30 daily
    buckets), rejection rate of its imports, cadence and whether it is silent."""
    now = now or utcnow()
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    since = now - dt.timedelta(weeks=WEEKS)
    summary = db.execute(_records(actor, select(
        RiskRecord.source_channel, func.max(RiskRecord.received_at), func.count(RiskRecord.id),
        func.sum(case((RiskRecord.received_at >= now - dt.timedelta(days=1), 1), else_=0)),
        func.sum(case((RiskRecord.received_at >= now - dt.timedelta(days=7), 1), else_=0)),
    )).group_by(RiskRecord.source_channel)).all()
    day = _local_day(db, RiskRecord.received_at, timezone)
    per_day = db.execute(_records(actor, select(RiskRecord.source_channel, day, func.count()))
                         .where(RiskRecord.received_at >= since)
                         .group_by(RiskRecord.source_channel, day)).all()
    days = [today - dt.timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
    week_starts = [today - dt.timedelta(days=today.weekday(), weeks=n)
                   for n in range(WEEKS - 1, -1, -1)]
    daily: dict[str, dict[str, int]] = defaultdict(dict)
    weekly: dict[str, list[int]] = defaultdict(lambda: [0] * WEEKS)
    for channel, day_text, count in per_day:
        key = SourceChannel(channel).value
        daily[key][str(day_text)] = count
        moment = dt.date.fromisoformat(str(day_text))
        for index in range(WEEKS - 1, -1, -1):
            if moment >= week_starts[index]:
                weekly[key][index] += count
                break
    rejection = rejection_by_channel(db, actor)
    expected = expectations(db)
    channels = []
    for channel, last, total, last_day, last_week in summary:
        key = SourceChannel(channel)
        cadence, monitored, _overridden = expected.get(key, (7, True, False))
        rows_read, quarantined = rejection.pop(key.value, (0, 0))
        channels.append({
            "channel": key.value, "last_received_at": last, "total": total,
            "last_day": int(last_day or 0), "last_week": int(last_week or 0),
            "weekly": weekly[key.value], "daily": [daily[key.value].get(d.isoformat(), 0)
                                                   for d in days],
            "rows_read": rows_read, "quarantined": quarantined,
            "rejection_rate": round(quarantined / rows_read, 4) if rows_read else None,
            "cadence_days": cadence, "monitored": monitored,
            "silent": bool(monitored and last and now - last > dt.timedelta(days=cadence)),
        })  # fmt: skip
    channels.sort(key=lambda c: (-c["total"], c["channel"]))
    mixed = rejection.pop("", (0, 0))
    return {
        "generated_at": now, "days": [d.isoformat() for d in days],
        "weeks": [w.isoformat() for w in week_starts], "channels": channels,
        "mixed_files": {"rows_read": mixed[0], "quarantined": mixed[1],
                        "rejection_rate": round(mixed[1] / mixed[0], 4) if mixed[0] else None},
    }


def rejection_by_channel(db: Session, actor: Actor) -> dict[str, tuple[int, int]]:
    """(rows read, quarantined) of the actor's import batches, by the channel of their profile;
    files whose rows name their own channel (riskgate_csv, custom profiles) count under ""."""
    rows = db.execute(scoped(select(
        ImportBatch.profile, func.sum(ImportBatch.rows_read), func.sum(ImportBatch.quarantined),
    ), actor, ImportBatch.organisation_id).group_by(ImportBatch.profile)).all()
    feed_channels = dict(db.execute(select(FeedSubscription.id, FeedSubscription.source_channel))
                         .all())
    totals: dict[str, tuple[int, int]] = {}
    for profile, read, quarantined in rows:
        channel: Any = None
        if profile.startswith("feed:") and profile[5:].isdigit():
            channel = feed_channels.get(int(profile[5:]))
        elif profile in PROFILES:
            channel = PROFILES[profile].channel
        key = SourceChannel(channel).value if channel else ""
        previous = totals.get(key, (0, 0))
        totals[key] = (previous[0] + int(read or 0), previous[1] + int(quarantined or 0))
    return totals


def feed_health(db: Session, actor: Actor) -> list[dict[str, Any]]:
    """Each feed subscription in scope with its last record and the rejection rate of its polls."""
    feeds = db.execute(scoped(select(FeedSubscription), actor, FeedSubscription.organisation_id)
                       .order_by(FeedSubscription.id)).scalars().all()
    if not feeds:
        return []
    profiles = [f.profile_name for f in feeds]
    stats = {row[0]: row[1:] for row in db.execute(
        select(ImportBatch.profile, func.sum(ImportBatch.rows_read),
               func.sum(ImportBatch.quarantined), func.max(RiskRecord.received_at))
        .outerjoin(RiskRecord, RiskRecord.import_batch_id == ImportBatch.id)
        .where(ImportBatch.profile.in_(profiles)).group_by(ImportBatch.profile)).all()}
    result = []
    for feed in feeds:
        read, quarantined, last = stats.get(feed.profile_name, (0, 0, None))
        read, quarantined = int(read or 0), int(quarantined or 0)
        result.append({"feed": feed, "rows_read": read, "quarantined": quarantined,
                       "rejection_rate": round(quarantined / read, 4) if read else None,
                       "last_record_at": last})
    return result


def silences_statement(actor: Actor, *, open_only: bool = False) -> Select[Any]:
    stmt = scoped(select(ChannelSilence), actor, ChannelSilence.organisation_id)
    return stmt.where(ChannelSilence.cleared_at.is_(None)) if open_only else stmt


# --- The silence check (a scheduled job) ---------------------------------------------------


def check_silences(db: Session, now: dt.datetime) -> dict[str, int]:
    """Open an episode for each newly silent (channel, organisation), clear those that spoke."""
    expected = expectations(db)
    last_seen = {
        (SourceChannel(channel), org_id): last
        for channel, org_id, last in db.execute(
            select(RiskRecord.source_channel, RiskRecord.organisation_id,
                   func.max(RiskRecord.received_at))
            .group_by(RiskRecord.source_channel, RiskRecord.organisation_id)).all()
    }
    open_episodes = {(e.source_channel, e.organisation_id): e for e in db.execute(
        select(ChannelSilence).where(ChannelSilence.cleared_at.is_(None))).scalars()}
    opened = cleared = notified = 0
    for key, episode in open_episodes.items():
        last = last_seen.get(key)
        cadence, monitored, _ = expected.get(key[0], (7, True, False))
        spoke = last is not None and last > episode.last_record_at
        if spoke or not monitored:
            episode.cleared_at = now
            cleared += 1
            audit.record(db, HEALTH_ACTOR, "channel.silence_cleared", object_type="channel_silence",
                         object_id=episode.id, before={"cleared_at": None},
                         after={"cleared_at": now, "last_record_at": last},
                         organisation_id=episode.organisation_id)
    for (channel, org_id), last in last_seen.items():
        cadence, monitored, _ = expected.get(channel, (7, True, False))
        current = open_episodes.get((channel, org_id))
        if not monitored or now - last <= dt.timedelta(days=cadence):
            continue
        if current is not None and current.cleared_at is None:
            continue
        episode = ChannelSilence(source_channel=channel, organisation_id=org_id,
                                 last_record_at=last, cadence_days=cadence, detected_at=now,
                                 notified_users=0)
        db.add(episode)
        db.flush()
        opened += 1
        notified += _notify(db, episode)
        audit.record(db, HEALTH_ACTOR, "channel.silence", object_type="channel_silence",
                     object_id=episode.id, after={"channel": channel.value,
                                                  "last_record_at": last,
                                                  "cadence_days": cadence,
                                                  "notified_users": episode.notified_users},
                     organisation_id=org_id)
    db.flush()
    return {"opened": opened, "cleared": cleared, "notified": notified}


def _notify(db: Session, episode: ChannelSilence) -> int:
    entry = source_channel(episode.source_channel.value)
    organisation = db.get(Organisation, episode.organisation_id)
    users = risk_officers(db, episode.organisation_id)
    for user in users:
        outbox.notify_user(
            db, user, topic=SILENCE_TOPIC,
            subject=N_("Channel silent: {channel}"),
            body=N_("No risk information has arrived through {channel} at {organisation} since "
                    "{last}; it is expected at least every {days} days."),
            params={"channel": entry.name_zh if entry and user.language != "en" else
                    (entry.name_en if entry else episode.source_channel.value),
                    "organisation": organisation.name_zh if organisation else "",
                    "last": episode.last_record_at.strftime("%Y-%m-%d %H:%M UTC"),
                    "days": episode.cadence_days},
            link="/console/channels", dedupe_key=f"silence:{episode.id}:{user.id}",
        )  # fmt: skip
    episode.notified_users = len(users)
    return len(users)
