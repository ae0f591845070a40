"""Targeted push (精准推送) of a warning and of each of its follow-ups: it follows
`warning.issued` (`on_warning_issued`, listed in the composition root).

Who is told: every subscription the warning matches (`subscriptions.matching_subscriptions`) and
the enterprises it names (their active users, inbox and e-mail, as one organisation delivery) —
each only if the warning's type may reach it (`audience.may_receive`: a 通报 regulators only, a
通告 regulators and the enterprises named, a 公告 anyone), checked on every path and once more
for the whole list before anything is written (`within_audience`). A follow-up also reaches
everyone told of the warning before, even if an adjustment narrowed its scope. One
`WarningDelivery` per recipient per message (`recipient_key` "sub:<id>" / "org:<id>"); a person
told as a user of a named enterprise is not told again through their own inbox or e-mail
subscription, and two subscriptions of one person to the same channel and address make one
delivery.

Everything is written in bulk in the caller's transaction (10,000 recipients are a few
statements): the deliveries, then their outbox events (`outbox.service.enqueue_many`), whose
dedupe keys "wpush:<delivery id>[:n]" make a repeated push add nothing. Delivery itself is the
outbox worker's: a failing webhook endpoint is retried and dead-lettered there and never
blocks the warning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import String, Table, literal, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session

from riskgate.catalog.enums import WarningLevel
from riskgate.catalog.warnings_and_measures import warning_level, warning_type
from riskgate.core.db import bulk_insert, utcnow
from riskgate.core.i18n import N_
from riskgate.core.settings import Settings, get_settings
from riskgate.identity.models import Organisation, User
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import Channel
from riskgate.outbox.models import OutboxEvent
from riskgate.warnings.enums import DeliveryReason, DeliveryState, FollowUpKind, PushChannel
from riskgate.warnings.events import WarningIssued
from riskgate.warnings.lifecycle.service import visibility_condition
from riskgate.warnings.models import (
    PublicWarning,
    WarningDelivery,
    WarningEnterprise,
    WarningFollowUp,
    WarningProduct,
    WarningSubscription,
)
from riskgate.warnings.push.audience import is_regulator, may_receive
from riskgate.warnings.push.subscriptions import Match, matching_subscriptions, warning_facts
from riskgate.web.links import MayOpen

_DELIVERIES = cast(Table, WarningDelivery.__table__)
LANGUAGES = ("zh-CN", "en")

TOPICS = {None: "warning.published", FollowUpKind.adjustment: "warning.adjusted",
          FollowUpKind.lifting: "warning.lifted", FollowUpKind.withdrawal: "warning.withdrawn"}
SUBJECTS = {
    None: N_("Warning {number} ({level}): {title}"),
    FollowUpKind.adjustment: N_("Warning {number} adjusted ({level}): {title}"),
    FollowUpKind.lifting: N_("Warning {number} lifted: {title}"),
    FollowUpKind.withdrawal: N_("Warning {number} withdrawn: {title}"),
}
BODIES = {
    None: N_("{type} {number}, {level}, was published: {title}\n\n"
             "Please acknowledge receipt by {deadline}: {ack_link}"),
    FollowUpKind.adjustment: N_("{type} {number} was adjusted (follow-up {sequence}) and is "
                                "now {level}. Reason: {reason}\n\n"
                                "Please acknowledge receipt by {deadline}: {ack_link}"),
    FollowUpKind.lifting: N_("{type} {number} was lifted (follow-up {sequence}). "
                             "Reason: {reason}"),
    FollowUpKind.withdrawal: N_("{type} {number} was withdrawn (follow-up {sequence}). "
                                "Reason: {reason}"),
}
# Messages that ask for an acknowledgement (签收) by a deadline; liftings and withdrawals only
# inform (they can still be acknowledged, but nobody is reminded).
NEEDS_ACK = (None, FollowUpKind.adjustment)


def ack_hours(level: WarningLevel | str, settings: Settings | None = None) -> float:
    """Hours a recipient has to acknowledge a warning of this level (settings, I 2 h … IV 72 h)."""
    settings = settings or get_settings()
    code = str(getattr(level, "value", level)).lower()
    return float(getattr(settings, f"warning_ack_hours_{code}"))


@dataclass
class Recipient:
    """One delivery to make: who, why, and the outbox events that carry it."""

    key: str
    reason: DeliveryReason
    organisation_id: int
    channel: PushChannel
    user_id: int | None = None
    subscription_id: int | None = None
    org_type: str | None = None
    # (channel, target, language) of each outbox event.
    targets: list[tuple[Channel, str, str]] = field(default_factory=list)


def _named_recipients(db: Session, warning: PublicWarning) -> tuple[list[Recipient], set[int]]:
    """The named enterprises with their active users' inboxes and addresses; also the ids of
    those users (they are not told again through a subscription)."""
    rows = db.execute(
        select(Organisation.id, Organisation.contact_email, Organisation.org_type)
        .join(WarningEnterprise, WarningEnterprise.organisation_id == Organisation.id)
        .where(WarningEnterprise.warning_id == warning.id).order_by(Organisation.id)
    ).all()
    # A 通报 names enterprises for the regulators' information, never to tell them.
    named = [row for row in rows if may_receive(warning.warning_type, row.org_type, named=True)]
    users = db.execute(
        select(User.id, User.organisation_id, User.email, User.language)
        .where(User.organisation_id.in_([n.id for n in named]), User.active.is_(True))
        .order_by(User.id)
    ).all() if named else []
    recipients = []
    for org in named:
        targets: list[tuple[Channel, str, str]] = []
        addresses = set()
        for user in users:
            if user.organisation_id != org.id:
                continue
            targets.append((Channel.INBOX, str(user.id), user.language))
            if user.email:
                targets.append((Channel.EMAIL, user.email, user.language))
                addresses.add(user.email.lower())
        if org.contact_email and org.contact_email.lower() not in addresses:
            targets.append((Channel.EMAIL, org.contact_email, "zh-CN"))
        recipients.append(Recipient(f"org:{org.id}", DeliveryReason.named_enterprise, org.id,
                                    PushChannel.inbox, org_type=_code(org.org_type),
                                    targets=targets))
    return recipients, {u.id for u in users}


def _subscription_recipient(match: Match) -> Recipient | None:
    language = match.user_language or "zh-CN"
    if match.channel == PushChannel.webhook:
        if match.webhook_endpoint_id is None:
            return None
        target = (Channel.WEBHOOK, str(match.webhook_endpoint_id), language)
    elif match.channel == PushChannel.email:
        if not match.email:
            return None
        target = (Channel.EMAIL, match.email, language)
    else:
        if match.user_id is None:
            return None
        target = (Channel.INBOX, str(match.user_id), language)
    return Recipient(f"sub:{match.id}", DeliveryReason.subscription, match.organisation_id,
                     match.channel, user_id=match.user_id, subscription_id=match.id,
                     targets=[target])


def _earlier_subscriptions(db: Session, warning: PublicWarning, known: set[int]) -> list[Match]:
    """Active subscriptions told of this warning before that no longer match it (still only
    those of organisations the warning's type may reach)."""
    keys = db.execute(select(WarningDelivery.subscription_id).where(
        WarningDelivery.warning_id == warning.id,
        WarningDelivery.subscription_id.is_not(None)).distinct()).scalars().all()
    wanted = sorted({key for key in keys if key is not None} - known)
    if not wanted:
        return []
    s = WarningSubscription
    rows = db.execute(
        select(s.id, s.organisation_id, s.user_id, s.channel, s.email, s.webhook_endpoint_id,
               User.language, Organisation.org_type)
        .join(Organisation, Organisation.id == s.organisation_id)
        .outerjoin(User, User.id == s.user_id)
        .where(s.id.in_(wanted), s.active.is_(True), Organisation.active.is_(True))
    ).all()
    named = warning_facts(db, warning)["named"]
    return [Match(r.id, r.organisation_id, r.user_id, PushChannel(r.channel), r.email,
                  r.webhook_endpoint_id, r.language) for r in rows
            if may_receive(warning.warning_type, r.org_type, named=r.organisation_id in named)]


def _code(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def within_audience(db: Session, warning: PublicWarning,
                    recipients: list[Recipient]) -> list[Recipient]:
    """The last check before anything is written: each recipient's organisation, and the
    organisation of each user told, may receive the warning's type (`audience.may_receive`)."""
    named = set(db.execute(select(WarningEnterprise.organisation_id).where(
        WarningEnterprise.warning_id == warning.id)).scalars())
    user_ids = {int(target) for r in recipients for channel, target, _l in r.targets
                if channel == Channel.INBOX} | {r.user_id for r in recipients if r.user_id}
    user_orgs = dict(db.execute(select(User.id, User.organisation_id).where(
        User.id.in_(user_ids))).all()) if user_ids else {}
    org_ids = {r.organisation_id for r in recipients} | set(user_orgs.values())
    types = {org_id: _code(org_type) for org_id, org_type in db.execute(select(
        Organisation.id, Organisation.org_type).where(Organisation.id.in_(org_ids))).all()
    } if org_ids else {}

    def allowed(org_id: int | None) -> bool:
        return org_id is not None and may_receive(warning.warning_type, types.get(org_id),
                                                  named=org_id in named)

    kept = []
    for recipient in recipients:
        if not allowed(recipient.organisation_id):
            continue
        recipient.targets = [t for t in recipient.targets if t[0] != Channel.INBOX
                             or allowed(user_orgs.get(int(t[1])))]
        recipient.org_type = types.get(recipient.organisation_id)
        kept.append(recipient)
    return kept


def message_link(warning: PublicWarning, org_type: str | None) -> str:
    """Where a pushed message's 打开 leads: a regulator to the warning's console page, an
    enterprise to its acknowledgement page of the warning (always its own to open)."""
    if is_regulator(org_type):
        return f"/console/warnings/{warning.id}"
    return f"/console/warnings/received?warning={warning.id}"


def recipients_for(db: Session, warning: PublicWarning,
                   follow_up: WarningFollowUp | None) -> list[Recipient]:
    """Everyone the message goes to, once each (see the module docstring)."""
    recipients, named_users = _named_recipients(db, warning)
    matches = matching_subscriptions(db, warning)
    if follow_up is not None:
        matches += _earlier_subscriptions(db, warning, {m.id for m in matches})
    seen: set[tuple[Any, ...]] = set()
    for match in matches:
        human = match.channel in (PushChannel.inbox, PushChannel.email)
        if human and match.user_id in named_users:
            continue  # already told as a user of a named enterprise
        recipient = _subscription_recipient(match)
        if recipient is None:
            continue
        channel, target, _language = recipient.targets[0]
        identity = (channel, target.lower())
        if identity in seen:
            continue
        seen.add(identity)
        recipients.append(recipient)
    return recipients


def _params(warning: PublicWarning, follow_up: WarningFollowUp | None, deadline: str,
            language: str, base_url: str) -> dict[str, Any]:
    level = warning_level(getattr(warning.level, "value", warning.level))
    kind = warning_type(getattr(warning.warning_type, "value", warning.warning_type))
    return {
        "number": warning.number,
        "title": (warning.title_en or warning.title) if language == "en" else warning.title,
        "level": level.display(language) if level else str(warning.level),
        "type": kind.label(language) if kind else str(warning.warning_type),
        "sequence": follow_up.sequence if follow_up else 0,
        "reason": follow_up.reason if follow_up else "",
        "deadline": deadline,
        "ack_link": f"{base_url.rstrip('/')}/console/warnings/received?warning={warning.id}",
    }


def webhook_data(db: Session, warning: PublicWarning, follow_up: WarningFollowUp | None,
                 delivery_id: int, base_url: str) -> dict[str, Any]:
    """The JSON a webhook subscriber receives, as `data` of the signed Standard Webhooks body
    (`type` is the topic: warning.published / adjusted / lifted / withdrawn):

        {"delivery_id": 17, "acknowledge_url": ".../api/v1/warning-deliveries/17/acknowledge",
         "warning": {id, number, level, warning_type, status, title, title_en, summary,
                     summary_en, hazard, measures, origin_countries, regions, ports,
                     effective_from, effective_until, consumer_instructions,
                     enterprise_instructions, published_at, products: [...], link},
         "follow_up": null | {id, sequence, kind, reason, evaluation, changes, level_after}}

    The receiver acknowledges with a POST to `acknowledge_url` (a token of the subscriber).
    """
    products = db.execute(select(WarningProduct).where(
        WarningProduct.warning_id == warning.id).order_by(WarningProduct.position,
                                                          WarningProduct.id)).scalars().all()
    return {
        "delivery_id": delivery_id,
        "acknowledge_url": f"{base_url.rstrip('/')}/api/v1/warning-deliveries/{delivery_id}"
                           "/acknowledge",
        "warning": {
            "id": warning.id, "number": warning.number,
            "level": str(getattr(warning.level, "value", warning.level)),
            "warning_type": str(getattr(warning.warning_type, "value", warning.warning_type)),
            "status": str(getattr(warning.status, "value", warning.status)),
            "title": warning.title, "title_en": warning.title_en,
            "summary": warning.summary, "summary_en": warning.summary_en,
            "hazard": warning.hazard, "measures": list(warning.measures or []),
            "origin_countries": list(warning.origin_countries or []),
            "regions": list(warning.regions or []), "ports": list(warning.ports or []),
            "effective_from": warning.effective_from.isoformat()
            if warning.effective_from else None,
            "effective_until": warning.effective_until.isoformat()
            if warning.effective_until else None,
            "consumer_instructions": warning.consumer_instructions,
            "enterprise_instructions": warning.enterprise_instructions,
            "published_at": warning.published_at.astimezone(dt.UTC).isoformat()
            if warning.published_at else None,
            "products": [p.snapshot() for p in products],
            "link": f"{base_url.rstrip('/')}/console/warnings/{warning.id}",
        },
        "follow_up": None if follow_up is None else {
            "id": follow_up.id, "sequence": follow_up.sequence,
            "kind": str(getattr(follow_up.kind, "value", follow_up.kind)),
            "reason": follow_up.reason, "evaluation": follow_up.evaluation,
            "changes": follow_up.changes,
            "level_after": str(getattr(follow_up.level_after, "value", follow_up.level_after)),
        },
    }


def push_warning(db: Session, warning: PublicWarning, follow_up: WarningFollowUp | None,
                 *, settings: Settings | None = None) -> int:
    """Fan out a publication (follow_up None) or a follow-up; returns the deliveries made."""
    settings = settings or get_settings()
    kind = FollowUpKind(follow_up.kind) if follow_up is not None else None
    follow_up_id = follow_up.id if follow_up is not None else None
    db.flush()
    message = (WarningDelivery.warning_id == warning.id,
               WarningDelivery.follow_up_id.is_(None) if follow_up_id is None
               else WarningDelivery.follow_up_id == follow_up_id)
    # NULL follow-up ids never collide in the unique key: look before inserting.
    done = set(db.execute(select(WarningDelivery.recipient_key).where(*message)).scalars())
    recipients = within_audience(db, warning, [r for r in recipients_for(db, warning, follow_up)
                                               if r.key not in done])
    if not recipients:
        return 0
    now = utcnow()
    level = follow_up.level_after if follow_up is not None else warning.level
    deadline = (now + dt.timedelta(hours=ack_hours(level, settings))
                if kind in NEEDS_ACK else None)
    bulk_insert(db, _DELIVERIES, [
        {"warning_id": warning.id, "follow_up_id": follow_up_id, "recipient_key": r.key,
         "reason": r.reason, "subscription_id": r.subscription_id,
         "organisation_id": r.organisation_id, "user_id": r.user_id, "channel": r.channel,
         "state": DeliveryState.pending, "created_at": now, "ack_deadline": deadline}
        for r in recipients
    ])
    ids = dict(db.execute(select(WarningDelivery.recipient_key, WarningDelivery.id)
                          .where(*message)).all())
    local_deadline = (deadline.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M")
                      if deadline else "")
    params = {lang: _params(warning, follow_up, local_deadline, lang, settings.base_url)
              for lang in LANGUAGES}
    topic = TOPICS[kind]
    webhook_common: dict[str, Any] | None = None
    events = []
    for recipient in recipients:
        delivery_id = ids[recipient.key]
        for n, (channel, target, language) in enumerate(recipient.targets):
            lang = "en" if language == "en" else "zh-CN"
            if channel == Channel.WEBHOOK:
                if webhook_common is None:
                    webhook_common = webhook_data(db, warning, follow_up, 0, settings.base_url)
                data = {**webhook_common, "delivery_id": delivery_id,
                        "acknowledge_url": f"{settings.base_url.rstrip('/')}/api/v1/"
                                           f"warning-deliveries/{delivery_id}/acknowledge"}
                payload: dict[str, Any] = {"type": topic, "data": data}
            else:
                payload = {"subject": SUBJECTS[kind], "body": BODIES[kind],
                           "params": params[lang],
                           "link": message_link(warning, recipient.org_type), "language": lang}
            events.append({
                "channel": channel, "topic": topic, "target": target, "payload": payload,
                "organisation_id": recipient.organisation_id,
                "dedupe_key": f"wpush:{delivery_id}" + (f":{n}" if n else ""),
            })
    outbox.enqueue_many(db, events)
    # Link each delivery to its first event, in one statement.
    first_event = (select(OutboxEvent.id)
                   .where(OutboxEvent.dedupe_key == literal("wpush:")
                          + sql_cast(WarningDelivery.id, String))
                   .scalar_subquery())
    db.execute(update(WarningDelivery).where(*message, WarningDelivery.outbox_event_id.is_(None))
               .values(outbox_event_id=first_event).execution_options(synchronize_session=False))
    return len(recipients)


def on_warning_issued(db: Session, event: WarningIssued) -> None:
    """Follows `warning.issued`: the publication or follow-up goes to its recipients."""
    push_warning(db, event.warning, event.follow_up)


def may_open_warning_page(db: Session, query: MayOpen) -> list[bool]:
    """Answers `web.links.MayOpen` for a warning's console pages (a pushed message's 打开, a
    delivery's number): False when the reader may not read the warning (the page is 404)."""
    if not query.route_path.startswith("/console/warnings/{warning_id"):
        return []
    stmt = select(PublicWarning.id).where(PublicWarning.id == query.param("warning_id"))
    condition = visibility_condition(query.actor)
    if condition is not None:
        stmt = stmt.where(condition)
    return [db.execute(stmt).first() is not None]
