"""The overview's to-do dashboard (概览 待办): for the signed-in user, what awaits them, each a
count and the link to the filtered list that shows exactly those items.

One function per tile, each returning `(count, url)`. Every count is taken from the same
statement the target list runs (the owning domain's `*_statement` function, which applies
`identity.scope`), with the same filters the link passes, so the number on the tile is the number
of rows the link shows. A tile appears only when the user holds the permission of its list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.evaluation.enums import PetitionStatus
from riskgate.evaluation.petitions import service as petitions
from riskgate.outbox import service as outbox
from riskgate.recalls import service as recalls
from riskgate.reports import enterprise as enterprise_reports
from riskgate.reports import service as reports
from riskgate.reports.enums import ReportKind, ReportStatus
from riskgate.response import tasks
from riskgate.signals import service as signals
from riskgate.warnings.enums import WarningStatus
from riskgate.warnings.lifecycle import authority
from riskgate.warnings.lifecycle import service as warnings
from riskgate.warnings.models import WarningDelivery
from riskgate.warnings.push import acknowledgement

Count = tuple[int, str]
DUE_SOON_HOURS = 24
NEAREST_SHOWN = 3


def _count(db: Session, stmt: Select[Any]) -> int:
    return int(db.execute(select(func.count()).select_from(
        stmt.order_by(None).subquery())).scalar_one())


# ---------------------------------------------------------------- one function per tile


def complaints_to_accept(db: Session, actor: Actor) -> Count:
    """Public complaints received and not yet accepted (or rejected)."""
    stmt = reports.reports_statement(actor, ReportKind.complaint, status=ReportStatus.received)
    return _count(db, stmt), "/console/complaints?status=received"


def whistleblower_reports_to_accept(db: Session, actor: Actor) -> Count:
    """Whistleblower reports received and not yet accepted (or rejected)."""
    stmt = reports.reports_statement(actor, ReportKind.whistleblower,
                                     status=ReportStatus.received)
    return _count(db, stmt), "/console/whistleblower-reports?status=received"


def signals_past_deadline(db: Session, actor: Actor, now: dt.datetime | None = None) -> Count:
    """Open signals past their triage deadline (the queue's 超期 filter)."""
    stmt = signals.signals_statement(
        actor, signals.SignalFilter(overdue=True, open_only=True), now=now)
    return _count(db, stmt), "/console/signals?overdue=1"


def approval_queue_statement(db: Session, actor: Actor) -> Select[Any]:
    """The warnings awaiting the actor's approval. Kept apart so that routing approvals to an
    organisation changes one place: the condition lives with the issuing authority
    (`warnings.lifecycle.authority.approval_queue_condition`), which the list's `approvable`
    filter uses too."""
    return warnings.warnings_statement(actor, status=WarningStatus.in_review).where(
        authority.approval_queue_condition(db, actor))


def warnings_awaiting_approval(db: Session, actor: Actor) -> Count:
    """Warnings in review that the actor's organisation may approve (not the actor's drafts)."""
    return (_count(db, approval_queue_statement(db, actor)),
            "/console/warnings?status=in_review&approvable=true")


def tasks_due_soon(db: Session, actor: Actor, now: dt.datetime | None = None) -> Count:
    """Open response tasks of the actor's unit falling due within 24 hours (not yet late)."""
    stmt = tasks.inbox_statement(actor, now=now or utcnow(), due_within_hours=DUE_SOON_HOURS)
    return _count(db, stmt), f"/console/response/tasks?due_within={DUE_SOON_HOURS}"


def tasks_overdue(db: Session, actor: Actor, now: dt.datetime | None = None) -> Count:
    """Open response tasks of the actor's unit past their deadline."""
    stmt = tasks.inbox_statement(actor, overdue=True, now=now or utcnow())
    return _count(db, stmt), "/console/response/tasks?overdue=true"


def acknowledgements_open(db: Session, actor: Actor) -> Count:
    """Pushed warnings (and follow-ups) delivered to the actor or their organisation and not yet
    acknowledged (签收)."""
    stmt = acknowledgement.received_statement(actor, open_only=True)
    return _count(db, stmt), "/console/warnings/received?open_only=true"


def nearest_acknowledgements(db: Session, actor: Actor,
                             limit: int = NEAREST_SHOWN) -> list[dict[str, Any]]:
    """The open acknowledgements with the nearest deadline first (those without one last)."""
    stmt = acknowledgement.received_statement(actor, open_only=True).order_by(
        WarningDelivery.ack_deadline.is_(None), WarningDelivery.ack_deadline,
        WarningDelivery.id).limit(limit)
    rows = acknowledgement.with_warnings(db, list(db.execute(stmt).scalars()))
    now = utcnow()
    return [{"number": warning.number, "title": warning.title,
             "deadline": delivery.ack_deadline,
             "late": delivery.ack_deadline is not None and delivery.ack_deadline < now,
             "url": f"/console/warnings/received?open_only=true&warning={warning.id}"}
            for delivery, warning, _kind in rows]


def petitions_to_review(db: Session, actor: Actor) -> Count:
    """Lifting petitions against warnings issued in the actor's subtree, not yet decided."""
    stmt = petitions.petitions_statement(actor, status=PetitionStatus.submitted)
    return _count(db, stmt), "/console/petitions?status=submitted"


def unread_messages(db: Session, actor: Actor) -> Count:
    """Unread messages in the actor's inbox."""
    return outbox.unread_count(db, actor), "/console/inbox?unread=true"


def recall_reports_due(db: Session, actor: Actor) -> Count:
    """Recalls of the actor's enterprise whose progress report is due by tomorrow or late."""
    stmt = recalls.my_recalls_statement(actor, report_due=True)
    return _count(db, stmt), "/console/my-recalls?report_due=true"


def my_petitions_pending(db: Session, actor: Actor) -> Count:
    """The enterprise's own lifting petitions still awaiting a decision."""
    stmt = petitions.petitions_statement(actor, status=PetitionStatus.submitted, mine=True)
    return _count(db, stmt), "/console/my-petitions?status=submitted"


def my_reports(db: Session, actor: Actor) -> Count:
    """The accident and self-inspection reports the enterprise has filed (their status is on
    the list)."""
    return _count(db, enterprise_reports.own_reports_statement(actor)), "/console/my-reports"


# ---------------------------------------------------------------- the dashboard


@dataclass(frozen=True)
class TileSpec:
    key: str
    permission: Permission
    title: str  # msgid
    hint: str  # msgid: what the count is
    count: Callable[[Session, Actor], Count]
    urgent: bool = False  # a non-zero count is shown as a warning


@dataclass
class Tile:
    key: str
    title: str
    hint: str
    count: int
    url: str
    urgent: bool = False
    items: list[dict[str, Any]] = field(default_factory=list)


TILES: tuple[TileSpec, ...] = (
    TileSpec("complaints", Permission.REPORT_HANDLE, N_("Complaints to accept"),
             N_("Public complaints received and not yet accepted"), complaints_to_accept),
    TileSpec("whistleblower", Permission.REPORT_HANDLE, N_("Whistleblower reports to accept"),
             N_("Reports received and not yet accepted"), whistleblower_reports_to_accept),
    TileSpec("signals", Permission.SIGNAL_TRIAGE, N_("Signals past their triage deadline"),
             N_("Open signals not triaged in time"), signals_past_deadline, urgent=True),
    TileSpec("approvals", Permission.WARNING_APPROVE, N_("Warnings awaiting my approval"),
             N_("In review, within your organisation's issuing authority"),
             warnings_awaiting_approval),
    TileSpec("tasks_due", Permission.RESPONSE_TASK_REPORT, N_("Tasks due within 24 hours"),
             N_("Open response tasks of your unit"), tasks_due_soon),
    TileSpec("tasks_overdue", Permission.RESPONSE_TASK_REPORT, N_("Overdue tasks"),
             N_("Open response tasks of your unit past their deadline"), tasks_overdue,
             urgent=True),
    TileSpec("acknowledgements", Permission.WARNING_ACKNOWLEDGE, N_("Warnings to acknowledge"),
             N_("Pushed to you and not yet acknowledged, nearest deadline first"),
             acknowledgements_open),
    TileSpec("petitions", Permission.PETITION_REVIEW, N_("Lifting petitions to review"),
             N_("Petitions from enterprises awaiting a decision"), petitions_to_review),
    TileSpec("recall_reports", Permission.RECALL_REPORT, N_("Recall progress reports due"),
             N_("Due by tomorrow or late"), recall_reports_due, urgent=True),
    TileSpec("my_petitions", Permission.PETITION_FILE, N_("My petitions awaiting a decision"),
             N_("Lifting petitions of your enterprise"), my_petitions_pending),
    TileSpec("my_reports", Permission.ENTERPRISE_REPORT_FILE, N_("My reports"),
             N_("Accident and self-inspection reports filed; open the list for their status"),
             my_reports),
    TileSpec("inbox", Permission.INBOX_READ, N_("Unread messages"),
             N_("Messages in your inbox not yet read"), unread_messages),
)


def dashboard(db: Session, actor: Actor) -> list[Tile]:
    """The tiles the actor holds the permission for, in the order of the loop."""
    tiles = []
    for spec in TILES:
        if not actor.can(spec.permission):
            continue
        count, url = spec.count(db, actor)
        tile = Tile(spec.key, spec.title, spec.hint, count, url, urgent=spec.urgent and count > 0)
        if spec.key == "acknowledgements" and count:
            tile.items = nearest_acknowledgements(db, actor)
        tiles.append(tile)
    return tiles
