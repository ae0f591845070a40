"""Acknowledgement (签收) of pushed warnings: the recipient's list, the issuer's delivery log,
and the reminders and escalations of deliveries not acknowledged in time.

States: `push.workflow.DELIVERY_FLOW` (pending → reminded → escalated; any of them →
acknowledged). At the deadline (set at push time per level) the recipient is reminded once;
after a further period of the same length the delivery is escalated once to the supervisors of
the recipient organisation (else of its parent, else of the issuing organisation). Reminders and
escalations obey the same audience rule as the push (`audience.may_receive`): nobody is reminded
of, or escalated about, a warning whose type may not reach their organisation.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, NotFound
from riskgate.core.i18n import N_
from riskgate.core.permissions import Role
from riskgate.core.settings import get_settings
from riskgate.core.workflow import move
from riskgate.identity.models import Organisation, User
from riskgate.identity.scope import get_in_scope
from riskgate.identity.service import active_users
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import EventStatus
from riskgate.outbox.models import OutboxEvent
from riskgate.warnings.enums import IN_FORCE_STATES, DeliveryState
from riskgate.warnings.lifecycle.service import visibility_condition
from riskgate.warnings.models import (
    PublicWarning,
    WarningDelivery,
    WarningEnterprise,
    WarningFollowUp,
)
from riskgate.warnings.push.audience import may_receive
from riskgate.warnings.push.workflow import DELIVERY_FLOW, OBJECT

REMINDER_TOPIC = "warning.ack_reminder"
ESCALATION_TOPIC = "warning.ack_escalation"


def _mine(actor: Actor) -> ColumnElement[bool]:
    """Deliveries addressed to the actor, or to the actor's organisation as a whole."""
    return or_(WarningDelivery.user_id == actor.user_id,
               and_(WarningDelivery.user_id.is_(None),
                    WarningDelivery.organisation_id == actor.organisation_id))


def _readable(actor: Actor) -> ColumnElement[bool]:
    """Deliveries of warnings the actor may read (a delivery made before the audience rule held
    — a 通报 to an enterprise — is neither listed nor acknowledged)."""
    condition = visibility_condition(actor)
    if condition is None:
        return WarningDelivery.id.is_not(None)
    return WarningDelivery.warning_id.in_(select(PublicWarning.id).where(condition))


def received_statement(actor: Actor, *, open_only: bool = False,
                       warning_id: int | None = None) -> Select[Any]:
    """What was delivered to the actor or their organisation (deliveries) of warnings the
    actor may read."""
    stmt = select(WarningDelivery).where(
        and_(_mine(actor), _readable(actor)) if actor.user_id is not None
        else WarningDelivery.id < 0)
    if open_only:
        stmt = stmt.where(WarningDelivery.state != DeliveryState.acknowledged)
    if warning_id is not None:
        stmt = stmt.where(WarningDelivery.warning_id == warning_id)
    return stmt


def with_warnings(db: Session, deliveries: list[WarningDelivery]
                  ) -> list[tuple[WarningDelivery, PublicWarning, str | None]]:
    """Each delivery with its warning and follow-up kind (two queries for the whole page)."""
    warning_ids = {d.warning_id for d in deliveries}
    follow_up_ids = {d.follow_up_id for d in deliveries if d.follow_up_id is not None}
    warnings = {w.id: w for w in db.execute(select(PublicWarning).where(
        PublicWarning.id.in_(warning_ids))).scalars()} if warning_ids else {}
    kinds = dict(db.execute(select(WarningFollowUp.id, WarningFollowUp.kind).where(
        WarningFollowUp.id.in_(follow_up_ids))).all()) if follow_up_ids else {}
    return [(d, warnings[d.warning_id],
             str(getattr(kinds[d.follow_up_id], "value", kinds[d.follow_up_id]))
             if d.follow_up_id in kinds else None) for d in deliveries]


def acknowledge(db: Session, actor: Actor, delivery_id: int,
                note: str | None = None) -> WarningDelivery:
    """Acknowledge a delivery addressed to the actor (or to their organisation); audited.
    A second acknowledgement is a conflict; someone else's delivery is not found."""
    delivery = None
    if actor.user_id is not None:
        delivery = db.execute(select(WarningDelivery).where(
            WarningDelivery.id == delivery_id, _mine(actor), _readable(actor))
        ).scalar_one_or_none()
    if delivery is None:
        raise NotFound(OBJECT)
    if delivery.state == DeliveryState.acknowledged:
        raise Conflict(N_("This delivery was already acknowledged by {user} at {at}."),
                       user=delivery.acknowledged_by or "",
                       at=delivery.acknowledged_at.isoformat() if delivery.acknowledged_at
                       else "")
    ack_note = (note or "").strip() or None
    move(db, DELIVERY_FLOW, delivery, DeliveryState.acknowledged, actor=actor,
         action="warning.delivery.acknowledged", acknowledged_at=utcnow(),
         acknowledged_by=actor.username, acknowledged_by_user_id=actor.user_id,
         ack_note=ack_note, noted={"warning_id": delivery.warning_id, "note": ack_note})
    return delivery


def issued_warning(db: Session, actor: Actor, warning_id: int) -> PublicWarning:
    """The delivery log is the issuer's: the warning must be issued in the actor's subtree."""
    return get_in_scope(db, PublicWarning, warning_id, actor, PublicWarning.organisation_id,
                        object_name=N_("warning"))


def deliveries_statement(db: Session, actor: Actor, warning_id: int) -> Select[Any]:
    """The delivery log of a warning the actor's organisation issued (NotFound otherwise)."""
    warning = issued_warning(db, actor, warning_id)
    return select(WarningDelivery).where(WarningDelivery.warning_id == warning.id)


def outbox_statuses(db: Session, deliveries: list[WarningDelivery]) -> dict[int, EventStatus]:
    """Delivery id → status of its (first) outbox event: pending, delivered or dead."""
    ids = [d.outbox_event_id for d in deliveries if d.outbox_event_id is not None]
    if not ids:
        return {}
    statuses = dict(db.execute(select(OutboxEvent.id, OutboxEvent.status)
                               .where(OutboxEvent.id.in_(ids))).all())
    return {d.id: EventStatus(statuses[d.outbox_event_id])
            for d in deliveries if d.outbox_event_id in statuses}


def delivery_summary(db: Session, actor: Actor, warning: PublicWarning,
                     limit: int = 200) -> dict[str, Any]:
    """For the warning's detail page (`_deliveries.html`): counts by state, overdue, the
    organisations' names and the newest rows. Empty when the actor is not of the issuer."""
    try:
        stmt = deliveries_statement(db, actor, warning.id)
    except NotFound:
        return {"visible": False, "counts": {}, "total": 0, "overdue": 0, "rows": []}
    now = utcnow()
    states = db.execute(select(WarningDelivery.state, WarningDelivery.ack_deadline).where(
        WarningDelivery.warning_id == warning.id)).all()
    counts = Counter(DeliveryState(s) for s, _d in states)
    overdue = sum(1 for s, d in states
                  if s != DeliveryState.acknowledged and d is not None and d < now)
    rows = list(db.execute(stmt.order_by(WarningDelivery.id.desc()).limit(limit)).scalars())
    org_ids = {r.organisation_id for r in rows}
    names = dict(db.execute(select(Organisation.id, Organisation.name_zh)
                            .where(Organisation.id.in_(org_ids))).all()) if org_ids else {}
    # The template labels states, reasons, channels and outbox statuses (`|label`).
    return {"visible": True, "counts": {s: counts.get(s, 0) for s in DeliveryState},
            "total": len(states), "overdue": overdue, "rows": rows, "names": names,
            "outbox": outbox_statuses(db, rows), "now": now}


# --- Reminders and escalation (run by warnings.push.jobs) ---------------------------------------


def _org_type(db: Session, organisation_id: int | None) -> str | None:
    if organisation_id is None:
        return None
    found = db.execute(select(Organisation.org_type).where(
        Organisation.id == organisation_id)).scalar_one_or_none()
    return None if found is None else str(getattr(found, "value", found))


def _may_receive(db: Session, warning: PublicWarning | None, organisation_id: int | None) -> bool:
    """The audience rule for one organisation (no warning given: no restriction)."""
    if warning is None:
        return True
    named = organisation_id is not None and db.execute(select(WarningEnterprise.id).where(
        WarningEnterprise.warning_id == warning.id,
        WarningEnterprise.organisation_id == organisation_id)).first() is not None
    return may_receive(warning.warning_type, _org_type(db, organisation_id), named=named)


def _recipient_users(db: Session, delivery: WarningDelivery) -> list[User]:
    if delivery.user_id is not None:
        user = db.get(User, delivery.user_id)
        return [user] if user is not None and user.active else []
    return active_users(db, delivery.organisation_id)


def supervisors_for(db: Session, organisation_id: int, issuer_id: int,
                    warning: PublicWarning | None = None) -> list[User]:
    """Supervisors of the recipient organisation, else of its parent, else of the issuer —
    of an organisation the warning's type may reach."""
    parent_id = db.execute(select(Organisation.parent_id).where(
        Organisation.id == organisation_id)).scalar_one_or_none()
    for candidate in (organisation_id, parent_id, issuer_id):
        if candidate is not None and _may_receive(db, warning, candidate):
            found = active_users(db, candidate, Role.SUPERVISOR)
            if found:
                return found
    return []


def _message_params(warning: PublicWarning, delivery: WarningDelivery,
                    organisation: str) -> dict[str, Any]:
    timezone = ZoneInfo(get_settings().timezone)
    deadline = delivery.ack_deadline.astimezone(timezone).strftime("%Y-%m-%d %H:%M") \
        if delivery.ack_deadline else ""
    return {"number": warning.number, "title": warning.title, "deadline": deadline,
            "organisation": organisation}


def remind_and_escalate(db: Session, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind the recipients of deliveries past their deadline, and escalate those still not
    acknowledged a further period later; each once (state and outbox dedupe keys), audited.
    Only deliveries of warnings still in force are followed up."""
    now = now or utcnow()
    system = Actor.system("warnings.acknowledgements")
    due = db.execute(
        select(WarningDelivery, PublicWarning)
        .join(PublicWarning, PublicWarning.id == WarningDelivery.warning_id)
        .where(WarningDelivery.state.in_((DeliveryState.pending, DeliveryState.reminded)),
               WarningDelivery.ack_deadline.is_not(None), WarningDelivery.ack_deadline <= now,
               PublicWarning.status.in_(IN_FORCE_STATES))
        .order_by(WarningDelivery.id)
    ).all()
    reminded = escalated = 0
    names: dict[int, str] = {}
    allowed: dict[tuple[int, int], bool] = {}
    for delivery, warning in due:
        deadline = delivery.ack_deadline
        if deadline is None:  # never: the query asks for a deadline
            continue
        key = (warning.id, delivery.organisation_id)
        if key not in allowed:
            allowed[key] = _may_receive(db, warning, delivery.organisation_id)
        if not allowed[key]:
            continue  # made before the audience rule held: nobody is reminded of it
        if delivery.organisation_id not in names:
            names[delivery.organisation_id] = db.execute(select(Organisation.name_zh).where(
                Organisation.id == delivery.organisation_id)).scalar_one()
        params = _message_params(warning, delivery, names[delivery.organisation_id])
        link = f"/console/warnings/received?warning={warning.id}"
        if delivery.state == DeliveryState.pending:
            for user in _recipient_users(db, delivery):
                if user.organisation_id != delivery.organisation_id and not _may_receive(
                        db, warning, user.organisation_id):
                    continue
                outbox.notify_user(
                    db, user, topic=REMINDER_TOPIC,
                    subject=N_("Reminder: acknowledge warning {number}"),
                    body=N_("Warning {number} ({title}) was due to be acknowledged by "
                            "{deadline}. Please acknowledge it now."),
                    params=params, link=link,
                    dedupe_key=f"wack-remind:{delivery.id}:{user.id}")
            move(db, DELIVERY_FLOW, delivery, DeliveryState.reminded, actor=system,
                 action="warning.delivery.reminded", reminded_at=now)
            reminded += 1
        if delivery.state == DeliveryState.reminded and now >= deadline + (
                deadline - delivery.created_at):
            for user in supervisors_for(db, delivery.organisation_id, warning.organisation_id,
                                        warning):
                outbox.notify_user(
                    db, user, topic=ESCALATION_TOPIC,
                    subject=N_("Escalation: warning {number} not acknowledged"),
                    body=N_("{organisation} has not acknowledged warning {number} ({title}), "
                            "due by {deadline}, despite a reminder."),
                    params=params, link=f"/console/warnings/{warning.id}",
                    dedupe_key=f"wack-escalate:{delivery.id}:{user.id}")
            move(db, DELIVERY_FLOW, delivery, DeliveryState.escalated, actor=system,
                 action="warning.delivery.escalated", escalated_at=now)
            escalated += 1
    db.flush()
    return {"reminded": reminded, "escalated": escalated}
