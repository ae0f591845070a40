"""Triage of signals: moves along `workflow.SIGNAL_FLOW`, assignment, the clock and overdue
reminders.

new → triage → assessment (opens a draft risk assessment of the signal's records) /
dismissed (a reason is required; optionally snoozed: no new signal for the key until the snooze
ends unless a more severe hit comes) / merged (into another open signal of the same
organisation tree; the records move there and later hits on this key join that signal). A new
signal may also be dismissed or merged at once. The deadline is set by severity when the signal
opens (`rules.DEFAULTS["deadline_hours"]`); while new or in triage past it, the signal is
overdue, and the reminder job tells the assignee (or the owning unit's risk officers) once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import FieldProblem, InvalidTransition, NotFound, ValidationFailed
from riskgate.core.events import announce
from riskgate.core.i18n import N_
from riskgate.core.workflow import move
from riskgate.identity.models import Organisation, User
from riskgate.identity.scope import ShareColumns, get_in_scope
from riskgate.outbox import service as outbox
from riskgate.signals.enums import CLOCK_STATUSES, OPEN_STATUSES, SignalStatus
from riskgate.signals.events import SignalEscalated
from riskgate.signals.models import Signal, SignalRecord
from riskgate.signals.officers import can_triage, officers_for
from riskgate.signals.raising import add_records
from riskgate.signals.workflow import OBJECT, OBJECT_TYPE, SIGNAL_FLOW

MAX_SNOOZE_DAYS = 365
MAX_ID = 2**31 - 1  # ids are 32-bit integers: a longer number names no signal
REMINDER_TOPIC = "signal.overdue"
ASSIGNED_TOPIC = "signal.assigned"


# Signals shared by exchange agreements (riskgate.identity.scope): the columns filters match.
SIGNAL_SHARE = ShareColumns(hazard=Signal.hazard_class, channel=Signal.source_channel,
                            region=Signal.region_code)


def get_signal(db: Session, actor: Actor, signal_id: int, *, to_act: bool = False) -> Signal:
    return get_in_scope(db, Signal, signal_id, actor, Signal.organisation_id, object_name=OBJECT,
                        object_type=OBJECT_TYPE, share=SIGNAL_SHARE, to_act=to_act)


def record_ids(db: Session, signal_id: int) -> list[int]:
    return list(db.execute(select(SignalRecord.record_id).where(
        SignalRecord.signal_id == signal_id).order_by(SignalRecord.record_id)).scalars())


def is_overdue(signal: Signal, now: dt.datetime | None = None) -> bool:
    return (signal.status in CLOCK_STATUSES and signal.deadline_at is not None
            and signal.deadline_at < (now or utcnow()))


def _find_target(db: Session, actor: Actor, merge_into: int | str) -> Signal:
    if isinstance(merge_into, str) and not merge_into.isdigit():
        found = db.execute(select(Signal.id).where(Signal.number == merge_into.strip().upper())
                           ).scalar_one_or_none()
        if found is None:
            raise ValidationFailed(fields=[FieldProblem("merge_into", N_(
                "No signal has that number."))])
        merge_into = found
    if int(merge_into) > MAX_ID:
        raise ValidationFailed(fields=[FieldProblem("merge_into", N_(
            "No signal has that number."))])
    try:
        return get_signal(db, actor, int(merge_into))
    except NotFound:
        raise ValidationFailed(fields=[FieldProblem("merge_into", N_(
            "No signal has that number."))]) from None


def transition(db: Session, actor: Actor, signal_id: int, *, status: SignalStatus,
               reason: str | None = None, snooze_days: int | None = None,
               merge_into: int | str | None = None) -> Signal:
    """Move a signal along `SIGNAL_FLOW` (audited with its triage fields before and after)."""
    signal = get_signal(db, actor, signal_id, to_act=True)
    SIGNAL_FLOW.check(signal, status)
    reason = (reason or "").strip() or None
    now = utcnow()
    changes: dict[str, Any] = {}
    noted: dict[str, Any] = {}
    if status == SignalStatus.dismissed:
        if not reason:
            raise ValidationFailed(fields=[FieldProblem("reason", N_(
                "Give the reason for dismissing the signal."))])
        if snooze_days is not None and not 0 <= snooze_days <= MAX_SNOOZE_DAYS:
            raise ValidationFailed(fields=[FieldProblem("snooze_days", N_(
                "The snooze lasts 0 to {max} days."), {"max": MAX_SNOOZE_DAYS})])
        changes["dismissal_reason"] = reason
        if snooze_days:
            changes["snoozed_until"] = now + dt.timedelta(days=snooze_days)
    elif status == SignalStatus.merged:
        target = _merge_target(db, actor, signal, merge_into)
        _move_records(db, actor, signal, target, reason, now)
        changes.update(record_count=0, merged_into_id=target.id)
        noted["merged_into"] = target.number
    move(db, SIGNAL_FLOW, signal, status, actor=actor, action="signal.transition",
         reason=reason, noted=noted, **changes)
    # When it was decided is kept on the signal, not in the audit entry (the entry's own time).
    signal.decided_at = now if status not in CLOCK_STATUSES else None
    db.flush()
    if status == SignalStatus.assessment:
        announce(db, escalation(actor, signal, record_ids(db, signal.id)))
    return signal


def _merge_target(db: Session, actor: Actor, signal: Signal,
                  merge_into: int | str | None) -> Signal:
    """The open signal of the same organisation tree that `signal` may be merged into."""
    if merge_into is None or merge_into == "":
        raise ValidationFailed(fields=[FieldProblem("merge_into", N_(
            "Choose the signal to merge into."))])
    target = _find_target(db, actor, merge_into)
    if target.id == signal.id or target.status not in OPEN_STATUSES or (
            target.root_organisation_id != signal.root_organisation_id):
        raise ValidationFailed(fields=[FieldProblem("merge_into", N_(
            "A signal can only be merged into another open signal of the same "
            "organisation tree."))])
    return target


def _move_records(db: Session, actor: Actor, signal: Signal, target: Signal,
                  reason: str | None, now: dt.datetime) -> None:
    """The merged signal's records join the target (audited on the target)."""
    moved = record_ids(db, signal.id)
    target_before = target.snapshot()
    add_records(db, target, moved, now)
    db.execute(delete(SignalRecord).where(SignalRecord.signal_id == signal.id))
    old, new = audit.diff(target_before, target.snapshot())
    audit.record(db, actor, "signal.merged_in", object_type=OBJECT_TYPE, object_id=target.id,
                 before=old, after=new | {"from": signal.number}, reason=reason,
                 organisation_id=target.organisation_id)


def escalation(actor: Actor, signal: Signal, records: list[int]) -> SignalEscalated:
    """What an assessment of the signal starts from (its product is an HS chapter "HS09" or a
    product category)."""
    hs = signal.product[2:] if signal.product and signal.product.startswith("HS") else None
    return SignalEscalated(
        actor=actor, signal_id=signal.id, title=f"{signal.number} {signal.title}"[:300],
        organisation_id=signal.organisation_id, record_ids=records,
        hazard_class=signal.hazard_class, product_category=None if hs else signal.product,
        hs_code=hs, origin_country=signal.origin_country)


def attach_assessment(db: Session, signal_id: int, assessment_id: int) -> None:
    """The assessment opened from the signal (the assessment stage calls this when it follows
    `signal.escalated`)."""
    signal = db.get(Signal, signal_id)
    if signal is not None:
        signal.assessment_id = assessment_id
        db.flush()


# --- assignment ------------------------------------------------------------------------------


def assign(db: Session, actor: Actor, signal_id: int, assignee_id: int | None) -> Signal:
    """Give the signal to an officer who may triage it and whose unit sees it (or to nobody)."""
    signal = get_signal(db, actor, signal_id, to_act=True)
    if signal.status not in OPEN_STATUSES:
        label = SignalStatus(signal.status).msgid
        raise InvalidTransition(object=OBJECT, current=label, target=label)
    user = None
    if assignee_id is not None:
        user = db.get(User, assignee_id)
        owner = db.get(Organisation, signal.organisation_id)
        sees = user is not None and owner is not None and owner.path.startswith(
            user.organisation.path)
        if user is None or not user.active or not sees or not can_triage(db, user):
            raise ValidationFailed(fields=[FieldProblem("assignee_id", N_(
                "Assign the signal to an active risk officer of a unit that sees it."))])
    before = signal.snapshot()
    signal.assignee_id = assignee_id
    db.flush()
    old, new = audit.diff(before, signal.snapshot())
    audit.record(db, actor, "signal.assign", object_type=OBJECT_TYPE, object_id=signal.id,
                 before=old, after=new, organisation_id=signal.organisation_id)
    if user is not None and user.id != actor.user_id:
        outbox.notify_user(
            db, user, topic=ASSIGNED_TOPIC, subject=N_("Signal {number} assigned to you"),
            body=N_("The signal {number} ({title}) was assigned to you by {by}."),
            params={"number": signal.number, "title": signal.title, "by": actor.username},
            link=f"/console/signals/{signal.id}",
        )  # fmt: skip
    return signal


# --- the overdue reminder (a scheduled job) --------------------------------------------------

REMINDER_ACTOR = Actor.system("signal-clock")


def remind_overdue(db: Session, now: dt.datetime) -> dict[str, int]:
    """Tell who is responsible about each overdue signal, once per signal (audited)."""
    overdue = db.execute(select(Signal).where(
        Signal.status.in_(list(CLOCK_STATUSES)), Signal.deadline_at < now,
        Signal.overdue_notified_at.is_(None)).order_by(Signal.id)).scalars().all()
    notified = 0
    for signal in overdue:
        users = officers_for(db, signal)
        for user in users:
            outbox.notify_user(
                db, user, topic=REMINDER_TOPIC, subject=N_("Signal {number} is overdue"),
                body=N_("The triage deadline of signal {number} ({title}) passed on {deadline}."),
                params={"number": signal.number, "title": signal.title,
                        "deadline": signal.deadline_at.strftime("%Y-%m-%d %H:%M UTC")
                        if signal.deadline_at else ""},
                link=f"/console/signals/{signal.id}",
                dedupe_key=f"signal:{signal.id}:overdue:{signal.deadline_at}:{user.id}",
            )  # fmt: skip
        signal.overdue_notified_at = now
        notified += len(users)
        audit.record(db, REMINDER_ACTOR, "signal.overdue", object_type=OBJECT_TYPE,
                     object_id=signal.id, after={"deadline_at": signal.deadline_at,
                                                 "notified_users": len(users)},
                     organisation_id=signal.organisation_id)
    db.flush()
    return {"overdue": len(overdue), "notified": notified}


