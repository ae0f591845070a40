"""Work on response tasks (G1): the unit's inbox, starting, progress reports with quantities and
evidence files, waiving and reopening, and the overdue view of supervisors (督查).

Only the unit a task is assigned to reports on it; the case owner (RESPONSE_MANAGE in the
owner's subtree) waives and reopens. A report of 100 % or marked complete finishes the task.
Evidence: PDF, JPEG, PNG, XLSX and DOCX, recognised by content (XLSX/DOCX by their OOXML
parts), stored once under their SHA-256 like record attachments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, DomainError, FieldProblem, NotFound, PermissionDenied
from riskgate.core.i18n import N_
from riskgate.core.uploads import Upload
from riskgate.core.workflow import move
from riskgate.identity.models import Organisation
from riskgate.identity.scope import scope_condition
from riskgate.reports.attachments import (
    AttachmentTooLarge,
    Checked,
    TooManyAttachments,
    path_for,
    safe_name,
    sniff,
    store_file,
)
from riskgate.response.enums import ENDED_TASK_STATES, CaseStatus, TaskStatus
from riskgate.response.models import ResponseCase, ResponseTask, TaskEvidence, TaskReport
from riskgate.response.service import owned_case
from riskgate.response.workflow import TASK_FLOW, TASK_OBJECT, TASK_TYPE

QUANTITY_FIELDS = ("seized_units", "returned_units", "destroyed_units", "recalled_units",
                   "value_cny")
OPEN_STATES = (TaskStatus.pending, TaskStatus.in_progress)
_OOXML = {"word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
          "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class EvidenceRefused(DomainError):
    status = 415
    type_slug = "evidence-refused"
    title = N_("Evidence refused")
    message = N_("Evidence may be PDF, JPEG, PNG, XLSX or DOCX files.")


class CaseClosed(Conflict):
    type_slug = "response-case-closed"
    title = N_("Case closed")
    message = N_("Case {case} is {status}; its tasks take no more reports.")


class NotYourTask(PermissionDenied):
    type_slug = "response-not-your-task"
    title = N_("Not your unit's task")
    message = N_("Only the unit the task is assigned to reports on it.")


# ---------------------------------------------------------------- reading

def _visible(actor: Actor) -> ColumnElement[bool] | None:
    """Tasks of a unit in the actor's subtree, or of a case owned there."""
    unit = scope_condition(actor, ResponseTask.organisation_id)
    owned = scope_condition(actor, ResponseCase.organisation_id)
    if unit is None or owned is None:  # the system: every task
        return None
    return or_(unit, ResponseTask.case_id.in_(select(ResponseCase.id).where(owned)))


def get_task(db: Session, actor: Actor, task_id: int) -> ResponseTask:
    stmt = select(ResponseTask).where(ResponseTask.id == task_id)
    condition = _visible(actor)
    if condition is not None:
        stmt = stmt.where(condition)
    task = db.execute(stmt).scalar_one_or_none()
    if task is None:
        raise NotFound(TASK_OBJECT)
    return task


def inbox_statement(actor: Actor, *, status: TaskStatus | None = None,
                    overdue: bool | None = None, now: dt.datetime | None = None,
                    due_within_hours: int | None = None) -> Select[Any]:
    """The tasks of the actor's own unit (every task for the system); `due_within_hours` keeps
    the open tasks not yet late that fall due within that many hours."""
    stmt = select(ResponseTask)
    if not actor.is_system:
        stmt = stmt.where(ResponseTask.organisation_id == (actor.organisation_id or -1))
    if status is not None:
        stmt = stmt.where(ResponseTask.status == status)
    if overdue is not None:
        late = and_(ResponseTask.status.in_(OPEN_STATES), ResponseTask.due_at < (now or utcnow()))
        stmt = stmt.where(late if overdue else ~late)
    if due_within_hours is not None:
        moment = now or utcnow()
        stmt = stmt.where(ResponseTask.status.in_(OPEN_STATES), ResponseTask.due_at >= moment,
                          ResponseTask.due_at <= moment + dt.timedelta(hours=due_within_hours))
    return stmt


def inbox(db: Session, actor: Actor, *, status: TaskStatus | None = None,
          overdue: bool | None = None, limit: int = 500,
          due_within_hours: int | None = None) -> list[ResponseTask]:
    """The unit's tasks, overdue first, then open by deadline, then finished (newest first)."""
    now = utcnow()
    rows = list(db.execute(inbox_statement(actor, status=status, overdue=overdue, now=now,
                                           due_within_hours=due_within_hours)
                           .order_by(ResponseTask.due_at).limit(limit)).scalars())

    def rank(task: ResponseTask) -> tuple[int, float]:
        if task.status in OPEN_STATES:
            return (0 if task.due_at < now else 1, task.due_at.timestamp())
        return (2, -task.due_at.timestamp())

    return sorted(rows, key=rank)


def overdue(db: Session, actor: Actor, *, limit: int = 500) -> dict[str, Any]:
    """Open tasks past their deadline, oldest deadline first, with counts per unit (the 督查
    view): those of units in the actor's subtree (its jurisdiction) and every task of the cases
    led there (joint cases its agency leads), whichever agency the responsible unit belongs to."""
    now = utcnow()
    stmt = select(ResponseTask).where(ResponseTask.status.in_(OPEN_STATES),
                                      ResponseTask.due_at < now)
    condition = _visible(actor)
    if condition is not None:
        stmt = stmt.where(condition)
    rows = list(db.execute(stmt.order_by(ResponseTask.due_at, ResponseTask.id)
                           .limit(limit)).scalars())
    counts = Counter(t.organisation_id for t in rows)
    names = dict(db.execute(select(Organisation.id, Organisation.name_zh).where(
        Organisation.id.in_(counts))).all()) if counts else {}
    oldest: dict[int, dt.datetime] = {}
    for task in rows:
        oldest.setdefault(task.organisation_id, task.due_at)
    units: list[dict[str, Any]] = [
        {"organisation_id": org_id, "name": names.get(org_id, ""), "overdue": n,
         "oldest_due_at": oldest[org_id],
         "hours_overdue": round((now - oldest[org_id]).total_seconds() / 3600, 1)}
        for org_id, n in counts.items()]
    units.sort(key=lambda u: u["oldest_due_at"])
    return {"now": now, "tasks": rows, "units": units, "names": names, "total": len(rows)}


def evidence_of(db: Session, report_ids: list[int]) -> dict[int, list[TaskEvidence]]:
    found: dict[int, list[TaskEvidence]] = {rid: [] for rid in report_ids}
    if report_ids:
        for row in db.execute(select(TaskEvidence).where(TaskEvidence.report_id.in_(report_ids))
                              .order_by(TaskEvidence.id)).scalars():
            found[row.report_id].append(row)
    return found


def get_evidence(db: Session, actor: Actor, task_id: int, evidence_id: int) -> TaskEvidence:
    get_task(db, actor, task_id)
    row = db.execute(select(TaskEvidence).join(TaskReport, TaskReport.id == TaskEvidence.report_id)
                     .where(TaskEvidence.id == evidence_id, TaskReport.task_id == task_id)
                     ).scalar_one_or_none()
    if row is None:
        raise NotFound(N_("evidence file"))
    return row


def read_evidence(root: Path, evidence: TaskEvidence) -> bytes:
    try:
        return path_for(root, evidence.sha256).read_bytes()
    except FileNotFoundError as error:
        raise NotFound(N_("evidence file")) from error


# ---------------------------------------------------------------- evidence files

def _media_type(data: bytes) -> str | None:
    found = sniff(data)
    if found in ("image/jpeg", "image/png", "application/pdf"):
        return found
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for prefix, media_type in _OOXML.items():
                if any(n.startswith(prefix) for n in names):
                    return media_type
    return None


def check_evidence(uploads: list[Upload], *, max_bytes: int, max_files: int) -> list[Checked]:
    """Check every file before anything is stored; problems name the file (field `evidence`)."""
    if len(uploads) > max_files:
        raise TooManyAttachments(
            fields=[FieldProblem("evidence", TooManyAttachments.message, {"max": max_files})],
            max=max_files)
    checked = []
    for index, upload in enumerate(uploads):
        name = safe_name(upload.file_name)
        loc = f"evidence.{index}"
        if len(upload.data) > max_bytes:
            raise AttachmentTooLarge(fields=[FieldProblem(
                loc, N_("{name} is larger than {limit} bytes."),
                {"name": name, "limit": max_bytes})], limit=max_bytes)
        media_type = _media_type(upload.data)
        if media_type is None:
            raise EvidenceRefused(fields=[FieldProblem(
                loc, N_("{name} is not a PDF, JPEG, PNG, XLSX or DOCX file (checked by its "
                        "content, not its name)."), {"name": name})])
        checked.append(Checked(name, upload.data, media_type,
                               hashlib.sha256(upload.data).hexdigest()))
    return checked


# ---------------------------------------------------------------- work

def _case_of(db: Session, task: ResponseTask) -> ResponseCase:
    case = db.get(ResponseCase, task.case_id)
    assert case is not None
    return case


def _own(actor: Actor, task: ResponseTask) -> None:
    if actor.organisation_id != task.organisation_id:
        raise NotYourTask()


def _case_open(case: ResponseCase) -> None:
    if case.status != CaseStatus.open:
        raise CaseClosed(case=case.number, status=CaseStatus(case.status).msgid)


def start_task(db: Session, actor: Actor, task_id: int) -> ResponseTask:
    """The unit starts work on a pending task."""
    task = get_task(db, actor, task_id)
    _own(actor, task)
    case = _case_of(db, task)
    _case_open(case)
    move(db, TASK_FLOW, task, TaskStatus.in_progress, actor=actor, action="response.task.start",
         organisation_id=case.organisation_id, started_at=utcnow())
    return task


def report(db: Session, actor: Actor, task_id: int, *, body: str, progress_percent: int,
           complete: bool = False, quantities: dict[str, Any] | None = None,
           uploads: list[Upload] | None = None, root: Path, max_bytes: int,
           max_files: int) -> TaskReport:
    """A progress report of the task's unit: starts a pending task; 100 % or `complete`
    finishes it. Files are checked before anything is stored. 409 once the case is closed or
    the task finished."""
    task = get_task(db, actor, task_id)
    _own(actor, task)
    case = _case_of(db, task)
    _case_open(case)
    if task.status in ENDED_TASK_STATES:
        raise Conflict(N_("This task is {status}; reopen it before reporting."),
                       status=TaskStatus(task.status).msgid)
    checked = check_evidence(uploads or [], max_bytes=max_bytes, max_files=max_files)
    finished = complete or progress_percent >= 100
    progress = 100 if finished else progress_percent
    amounts = {k: (str(v) if k == "value_cny" else v) for k, v in (quantities or {}).items()
               if v is not None}
    row = TaskReport(task_id=task.id, organisation_id=task.organisation_id,
                     author_user_id=actor.user_id, author=actor.username, body=body,
                     progress_percent=progress, quantities=amounts, created_at=utcnow())
    db.add(row)
    db.flush()
    for item in checked:
        store_file(root, item)
        db.add(TaskEvidence(report_id=row.id, sha256=item.sha256, media_type=item.media_type,
                            size=len(item.data), original_name=item.file_name))
    db.flush()
    audit.record(db, actor, "response.task.report", object_type=TASK_TYPE, object_id=task.id,
                 after={"report_id": row.id, "progress_percent": progress,
                        "quantities": amounts, "evidence": [c.file_name for c in checked]},
                 organisation_id=case.organisation_id)
    if task.status == TaskStatus.pending:
        move(db, TASK_FLOW, task, TaskStatus.in_progress, actor=actor,
             action="response.task.start", organisation_id=case.organisation_id,
             started_at=utcnow())
    if finished:
        move(db, TASK_FLOW, task, TaskStatus.done, actor=actor, action="response.task.complete",
             organisation_id=case.organisation_id, progress_percent=100, completed_at=utcnow())
    elif progress != task.progress_percent:
        task.progress_percent = progress
        db.flush()
    return row


def waive(db: Session, actor: Actor, task_id: int, reason: str) -> ResponseTask:
    """The case owner waives an open task, with the reason."""
    task = get_task(db, actor, task_id)
    case = owned_case(db, actor, task.case_id)
    _case_open(case)
    move(db, TASK_FLOW, task, TaskStatus.waived, actor=actor, action="response.task.waive",
         organisation_id=case.organisation_id, reason=reason, waived_reason=reason)
    return task


def reopen(db: Session, actor: Actor, task_id: int, reason: str) -> ResponseTask:
    """The case owner sends a done task back to work, with the reason (the case must be open)."""
    task = get_task(db, actor, task_id)
    case = owned_case(db, actor, task.case_id)
    _case_open(case)
    move(db, TASK_FLOW, task, TaskStatus.in_progress, actor=actor, action="response.task.reopen",
         organisation_id=case.organisation_id, reason=reason, completed_at=None)
    return task
