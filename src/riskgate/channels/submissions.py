"""Quarterly unit submissions (M5): who must submit, what they submitted, reminders.

Responsible units are the organisations registered in `submission_unit` (by a holder of
CHANNEL_MANAGE above them, or the demo). The lead agency is whoever's data scope holds a unit: it
sees the unit in the matrix. A unit uploads its quarter's file through any import profile (or
pushes records with source_channel `quarterly_submission` and an occurrence date in the quarter)
and then marks the quarter submitted. Due date: quarter end + `quarterly_due_days`; submitted after
it is "late". Reminders go through the outbox to the unit's risk officers, once per kind
(due soon, overdue) and quarter, whatever the number of polls.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.enums import SourceChannel
from riskgate.channels.enums import SubmissionStatus
from riskgate.channels.models import QuarterlySubmission, SubmissionUnit
from riskgate.channels.workflow import SUBMISSION_FLOW
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.permissions import Role
from riskgate.core.settings import Settings
from riskgate.core.workflow import move
from riskgate.identity import service as identity
from riskgate.identity.models import Organisation, User, UserRole
from riskgate.identity.scope import scoped
from riskgate.intake.models import ImportBatch
from riskgate.intake.service import ingest_batch
from riskgate.outbox import service as outbox
from riskgate.records.models import RiskRecord

REMINDER_TOPIC = "submission.reminder"
REMINDERS = {
    "due_soon": (
        N_("Quarterly submission due: {quarter}"),
        N_("{unit} has not yet submitted its risk information for {quarter}. "
           "It is due by {due_on}."),
    ),
    "overdue": (
        N_("Quarterly submission overdue: {quarter}"),
        N_("{unit} has not submitted its risk information for {quarter}, "
           "which was due by {due_on}."),
    ),
}


# --- Quarters (pure) -----------------------------------------------------------------------


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    if quarter == 4:
        return dt.date(year, 12, 31)
    return quarter_start(year, quarter + 1) - dt.timedelta(days=1)


def due_date(year: int, quarter: int, due_days: int) -> dt.date:
    return quarter_end(year, quarter) + dt.timedelta(days=due_days)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def recent_quarters(today: dt.date, count: int) -> list[tuple[int, int]]:
    """The `count` quarters up to and including the current one, oldest first."""
    quarters = [quarter_of(today)]
    while len(quarters) < count:
        quarters.insert(0, previous_quarter(*quarters[0]))
    return quarters


def local_today(settings: Settings, now: dt.datetime | None = None) -> dt.date:
    return (now or utcnow()).astimezone(ZoneInfo(settings.timezone)).date()


def _check_quarter(year: int, quarter: int, today: dt.date) -> None:
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise ValidationFailed(fields=[FieldProblem("quarter", N_("No such quarter."))])
    if quarter_start(year, quarter) > today:
        raise ValidationFailed(fields=[FieldProblem(
            "quarter", N_("The quarter {quarter} has not started yet."),
            {"quarter": quarter_label(year, quarter)})])


# --- Units ---------------------------------------------------------------------------------


def units_statement(actor: Actor) -> Select[Any]:
    return scoped(select(SubmissionUnit), actor, SubmissionUnit.organisation_id)


def set_unit(db: Session, actor: Actor, organisation_id: int, active: bool) -> SubmissionUnit:
    """Register (or stop requiring) an organisation in scope as a responsible unit."""
    organisation = identity.get_organisation(db, actor, organisation_id)
    unit = db.execute(
        select(SubmissionUnit).where(SubmissionUnit.organisation_id == organisation.id)
    ).scalar_one_or_none()
    before = None if unit is None else {"active": unit.active}
    if unit is None:
        unit = SubmissionUnit(organisation_id=organisation.id, active=active)
        db.add(unit)
    unit.active = active
    db.flush()
    if before != {"active": active}:
        audit.record(db, actor, "submission.unit", object_type="submission_unit",
                     object_id=unit.id, before=before, after={"active": active},
                     organisation_id=organisation.id)
    return unit


def _unit_organisation(db: Session, actor: Actor, organisation_id: int | None) -> Organisation:
    chosen = organisation_id or actor.organisation_id
    if chosen is None:  # an account outside every organisation has no unit
        raise NotFound(N_("organisation"))
    organisation = identity.get_organisation(db, actor, chosen)
    registered = db.execute(
        select(SubmissionUnit.id).where(SubmissionUnit.organisation_id == organisation.id,
                                        SubmissionUnit.active.is_(True))
    ).first()
    if registered is None:
        raise Conflict(N_("{organisation} is not a responsible unit for quarterly submissions."),
                       organisation=organisation.name_zh)
    return organisation


# --- Submitting ----------------------------------------------------------------------------


def _row(db: Session, organisation_id: int, year: int, quarter: int,
         settings: Settings) -> QuarterlySubmission:
    row = db.execute(
        select(QuarterlySubmission).where(
            QuarterlySubmission.organisation_id == organisation_id,
            QuarterlySubmission.year == year, QuarterlySubmission.quarter == quarter,
        ).with_for_update()
    ).scalar_one_or_none()
    if row is None:
        row = QuarterlySubmission(
            organisation_id=organisation_id, year=year, quarter=quarter,
            status=SubmissionStatus.missing,
            due_on=due_date(year, quarter, settings.quarterly_due_days),
            batch_ids=[], record_count=0,
        )  # fmt: skip
        db.add(row)
        db.flush()
    return row


def _count_records(db: Session, row: QuarterlySubmission) -> int:
    batches = db.execute(
        select(func.coalesce(func.sum(ImportBatch.imported + ImportBatch.duplicates), 0))
        .where(ImportBatch.id.in_(row.batch_ids or [-1]))
    ).scalar_one()
    pushed = db.execute(
        select(func.count(RiskRecord.id)).where(
            RiskRecord.organisation_id == row.organisation_id,
            RiskRecord.source_channel == SourceChannel.quarterly_submission,
            RiskRecord.import_batch_id.is_(None),
            RiskRecord.occurred_on >= quarter_start(row.year, row.quarter),
            RiskRecord.occurred_on <= quarter_end(row.year, row.quarter),
        )
    ).scalar_one()
    return int(batches) + int(pushed)


def upload(db: Session, actor: Actor, settings: Settings, year: int, quarter: int, *,
           profile_name: str, binary: IO[bytes], file_name: str,
           organisation_id: int | None = None) -> tuple[QuarterlySubmission, ImportBatch]:
    """Import a unit's file for the quarter (any import profile) and attach the batch."""
    _check_quarter(year, quarter, local_today(settings))
    organisation = _unit_organisation(db, actor, organisation_id)
    batch = ingest_batch(db, actor, profile_name=profile_name, binary=binary, file_name=file_name,
                         organisation_id=organisation.id)
    row = _row(db, organisation.id, year, quarter, settings)
    row.batch_ids = [*(row.batch_ids or []), batch.id]
    row.record_count = _count_records(db, row)
    audit.record(db, actor, "submission.upload", object_type="quarterly_submission",
                 object_id=row.id, after={"quarter": quarter_label(year, quarter),
                                          "batch": batch.id, "record_count": row.record_count},
                 organisation_id=organisation.id)
    db.flush()
    return row, batch


def submit(db: Session, actor: Actor, settings: Settings, year: int, quarter: int, *,
           organisation_id: int | None = None, note: str | None = None,
           now: dt.datetime | None = None) -> QuarterlySubmission:
    """Mark the unit's quarter as submitted — on time or late, by the local date of `now`
    (the present, except when loading the history of earlier submissions, e.g. the demo)."""
    now = now or utcnow()
    today = local_today(settings, now)
    _check_quarter(year, quarter, today)
    organisation = _unit_organisation(db, actor, organisation_id)
    row = _row(db, organisation.id, year, quarter, settings)
    event = "submit_on_time" if today <= row.due_on else "submit_late"
    # One entry: the move, with what was submitted (the quarter, its records and batches).
    record_count = _count_records(db, row)
    move(db, SUBMISSION_FLOW, row, event, actor=actor, action="submission.submit", reason=note,
         organisation_id=organisation.id, submitted_at=now, submitted_by=actor.username,
         note=note, record_count=record_count,
         noted={"quarter": quarter_label(year, quarter), "record_count": record_count,
                "batch_ids": row.batch_ids})
    return row


def submissions_statement(actor: Actor, year: int | None = None,
                          quarter: int | None = None) -> Select[Any]:
    stmt = scoped(select(QuarterlySubmission), actor, QuarterlySubmission.organisation_id)
    if year is not None:
        stmt = stmt.where(QuarterlySubmission.year == year)
    if quarter is not None:
        stmt = stmt.where(QuarterlySubmission.quarter == quarter)
    return stmt


# --- The lead agency's matrix --------------------------------------------------------------


@dataclass
class Cell:
    year: int
    quarter: int
    status: SubmissionStatus
    due_on: dt.date
    overdue: bool  # missing and past the due date
    submitted_at: dt.datetime | None = None
    record_count: int = 0
    submission_id: int | None = None


@dataclass
class MatrixRow:
    organisation_id: int
    code: str
    name_zh: str
    name_en: str | None
    cells: list[Cell]


def matrix(db: Session, actor: Actor, settings: Settings, quarters: list[tuple[int, int]],
           now: dt.datetime | None = None) -> list[MatrixRow]:
    """Units in the actor's scope × the given quarters: submitted, late or missing."""
    today = local_today(settings, now)
    units = db.execute(
        scoped(select(Organisation).join(SubmissionUnit,
                                         SubmissionUnit.organisation_id == Organisation.id),
               actor, Organisation.id)
        .where(SubmissionUnit.active.is_(True)).order_by(Organisation.path)
    ).scalars().all()
    wanted = {(y, q) for y, q in quarters}
    rows = db.execute(
        select(QuarterlySubmission).where(
            QuarterlySubmission.organisation_id.in_([u.id for u in units] or [-1]),
            QuarterlySubmission.year.in_({y for y, _q in wanted} or {-1}),
        )
    ).scalars().all()
    found = {(r.organisation_id, r.year, r.quarter): r for r in rows}
    result = []
    for unit in units:
        cells = []
        for year, quarter in quarters:
            row = found.get((unit.id, year, quarter))
            due_on = row.due_on if row else due_date(year, quarter, settings.quarterly_due_days)
            status = row.status if row else SubmissionStatus.missing
            cells.append(Cell(
                year, quarter, status, due_on,
                overdue=status == SubmissionStatus.missing and today > due_on,
                submitted_at=row.submitted_at if row else None,
                record_count=row.record_count if row else 0,
                submission_id=row.id if row else None,
            ))  # fmt: skip
        result.append(MatrixRow(unit.id, unit.code, unit.name_zh, unit.name_en, cells))
    return result


# --- Reminders (a scheduled job) -----------------------------------------------------------


def risk_officers(db: Session, organisation_id: int) -> list[User]:
    return list(db.execute(
        select(User).join(UserRole, UserRole.user_id == User.id).where(
            User.organisation_id == organisation_id, User.active.is_(True),
            UserRole.role == Role.RISK_OFFICER,
        ).order_by(User.id)
    ).scalars().unique())


def send_reminders(db: Session, settings: Settings, now: dt.datetime) -> dict[str, Any]:
    """Remind units of the last ended quarter: before the due date, then once it is overdue.

    Each (unit, quarter, kind, user) is queued once: the outbox's dedupe key makes a second
    run a no-op, so the job may run as often as it likes.
    """
    today = local_today(settings, now)
    year, quarter = previous_quarter(*quarter_of(today))
    due_on = due_date(year, quarter, settings.quarterly_due_days)
    if today < due_on - dt.timedelta(days=settings.quarterly_reminder_days):
        return {"queued": 0}
    kind = "due_soon" if today <= due_on else "overdue"
    done = select(QuarterlySubmission.organisation_id).where(
        QuarterlySubmission.year == year, QuarterlySubmission.quarter == quarter,
        QuarterlySubmission.status != SubmissionStatus.missing,
    )
    units = db.execute(
        select(Organisation).join(SubmissionUnit, SubmissionUnit.organisation_id == Organisation.id)
        .where(SubmissionUnit.active.is_(True), Organisation.active.is_(True),
               Organisation.id.not_in(done))
        .order_by(Organisation.id)
    ).scalars().all()
    subject, body = REMINDERS[kind]
    label = quarter_label(year, quarter)
    queued = 0
    for unit in units:
        for user in risk_officers(db, unit.id):
            events = outbox.notify_user(
                db, user, topic=REMINDER_TOPIC, subject=subject, body=body,
                params={"unit": unit.name_zh, "quarter": label, "due_on": due_on.isoformat()},
                link="/console/channels/submissions",
                dedupe_key=f"submission:{unit.id}:{label}:{kind}:{user.id}",
            )  # fmt: skip
            queued += len(events)
    return {"queued": queued, "units": len(units), "kind": kind}
