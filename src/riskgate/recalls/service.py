"""Recalls (召回, R3): a regulator records an ordered recall (责令召回) or registers an
enterprise's voluntary one (主动召回); the recalling enterprise files periodic progress reports
through its own account; the completion rate is the units remedied over the units affected.

Who sees what: the owning regulator's subtree (`organisation_id`, scoped like every other list);
the recalling enterprise sees its own recalls (`enterprise_id`), nothing else. Enterprises are
roots of their own, outside any regulator's scope, so a regulator may name any active
enterprise (as warnings do).

Reports beyond the units affected are *accepted and flagged*: the affected figure is an estimate
(“about 9,500”), and refusing a true report would push the enterprise to under-report. The real
sum is kept; the completion rate is shown capped at 100 %, the recall says `over_reported` and the
owning regulator is told. When the sum reaches the units affected the recall is completed
automatically (audited as `recall.auto_complete`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import (
    Conflict,
    FieldProblem,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from riskgate.core.i18n import N_
from riskgate.core.numbers import next_number
from riskgate.core.permissions import Role
from riskgate.core.settings import get_settings
from riskgate.core.workflow import move
from riskgate.identity.enums import OrgType
from riskgate.identity.models import Organisation
from riskgate.identity.scope import get_in_scope, scoped
from riskgate.identity.service import active_users
from riskgate.outbox import service as outbox
from riskgate.recalls.enums import RecallOrigin, RecallStatus, Remedy
from riskgate.recalls.models import Recall, RecallProgressReport
from riskgate.recalls.schemas import ProgressReportIn, RecallIn, RecallOut, RecallPatch
from riskgate.recalls.workflow import OBJECT, OBJECT_TYPE, RECALL_FLOW, snapshot
from riskgate.records.models import RiskRecord
from riskgate.response.models import ResponseCase
from riskgate.warnings.lifecycle.service import get_warning

S = RecallStatus
TOPIC = "recall"
_ENTERPRISE_TYPES = (OrgType.ENTERPRISE.value, OrgType.FOREIGN_ENTERPRISE.value)
_EDITABLE = ("enterprise_name", "title", "product_name", "category", "hs_code", "brand", "model",
             "batch", "barcode", "units_affected", "plan", "hazard", "report_every_days",
             "warning_id", "record_id", "case_id", "public")
REPORTABLE_STATES = frozenset({S.in_progress, S.completed})  # a late report after completion
PUBLIC_STATES = (S.in_progress, S.completed, S.closed)
LATE_DAYS = 7  # a report this many days past due is reported to the regulator (R3)


class ReportsClosed(Conflict):
    type_slug = "recall-reports-closed"
    title = N_("No more progress reports")
    message = N_("Recall {number} is {status}; it takes no more progress reports.")


# ---------------------------------------------------------------- figures

def completion_percent(recall: Recall) -> float | None:
    """Units remedied over units affected, capped at 100 for display (None when unknown)."""
    if not recall.units_affected:
        return None
    return round(min(100.0, 100.0 * recall.units_remedied / recall.units_affected), 1)


def over_reported(recall: Recall) -> bool:
    return bool(recall.units_affected) and recall.units_remedied > recall.units_affected


def report_flags(recall: Recall, reports: list[RecallProgressReport]) -> dict[int, bool]:
    """Report id → True for the reports that took the running sum past the units affected."""
    flags: dict[int, bool] = {}
    total = 0
    for report in sorted(reports, key=lambda r: r.id):
        total += report.units_remedied
        flags[report.id] = (bool(recall.units_affected) and report.units_remedied > 0
                            and total > recall.units_affected)
    return flags


def to_out(recall: Recall) -> dict[str, Any]:
    """The recall as the API returns it (RecallOut fields)."""
    values = {name: getattr(recall, name) for name in RecallOut.model_fields
              if hasattr(recall, name)}
    values["completion_percent"] = completion_percent(recall)
    values["over_reported"] = over_reported(recall)
    return values


# ---------------------------------------------------------------- reading

def recalls_statement(actor: Actor, *, status: RecallStatus | None = None,
                      origin: RecallOrigin | None = None, q: str | None = None) -> Select[Any]:
    """Recalls owned in the actor's subtree (the console list)."""
    stmt = scoped(select(Recall), actor, Recall.organisation_id)
    if status is not None:
        stmt = stmt.where(Recall.status == status)
    if origin is not None:
        stmt = stmt.where(Recall.origin == origin)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(or_(Recall.number.ilike(like), Recall.title.ilike(like),
                              Recall.product_name.ilike(like), Recall.brand.ilike(like),
                              Recall.enterprise_name.ilike(like)))
    return stmt


def my_recalls_statement(actor: Actor, *, report_due: bool = False) -> Select[Any]:
    """The recalls of the actor's enterprise (not drafts: the enterprise acts once started);
    `report_due` keeps those in progress whose next report falls due by tomorrow (or is late)."""
    stmt = select(Recall).where(Recall.enterprise_id == actor.organisation_id,
                                Recall.status != S.draft)
    if report_due:
        stmt = stmt.where(Recall.status == S.in_progress, Recall.next_report_due.is_not(None),
                          Recall.next_report_due <= _today() + dt.timedelta(days=1))
    return stmt


def get_recall(db: Session, actor: Actor, recall_id: int) -> Recall:
    """A recall owned in the actor's subtree, else NotFound."""
    return get_in_scope(db, Recall, recall_id, actor, Recall.organisation_id, object_name=OBJECT)


def get_my_recall(db: Session, actor: Actor, recall_id: int) -> Recall:
    """A recall of the actor's enterprise, else NotFound (another enterprise's is not shown)."""
    recall: Recall | None = db.execute(my_recalls_statement(actor).where(
        Recall.id == recall_id)).scalar_one_or_none()
    if recall is None or actor.organisation_id is None:
        raise NotFound(object=OBJECT)
    return recall


def started_recalls_of(db: Session, case_id: int, warning_id: int | None) -> list[Recall]:
    """The recalls linked to a response case or to its warning that have started (not drafts,
    not cancelled): what the case's effect evaluation counts."""
    links = [Recall.case_id == case_id]
    if warning_id is not None:
        links.append(Recall.warning_id == warning_id)
    return list(db.execute(select(Recall).where(
        or_(*links), Recall.status.not_in([S.draft, S.cancelled]))).scalars())


def reports_of(db: Session, recall_id: int) -> list[RecallProgressReport]:
    return list(db.execute(select(RecallProgressReport).where(
        RecallProgressReport.recall_id == recall_id).order_by(RecallProgressReport.id)).scalars())


def reports_of_many(db: Session, recall_ids: list[int]) -> dict[int, list[RecallProgressReport]]:
    """The reports of several recalls in one query (a list page), each list oldest first."""
    found: dict[int, list[RecallProgressReport]] = {recall_id: [] for recall_id in recall_ids}
    if recall_ids:
        for report in db.execute(select(RecallProgressReport).where(
                RecallProgressReport.recall_id.in_(recall_ids))
                .order_by(RecallProgressReport.id)).scalars():
            found[report.recall_id].append(report)
    return found


# ---------------------------------------------------------------- recording

def _owner(db: Session, actor: Actor, organisation_id: int | None) -> int:
    """The owning regulator: the actor's organisation or one below it; never an enterprise."""
    org_id = organisation_id or actor.organisation_id
    org = get_in_scope(db, Organisation, org_id, actor, Organisation.id,
                       object_name=N_("organisation")) if org_id else None
    if org is None or OrgType(org.org_type).is_enterprise:
        raise PermissionDenied(N_("Only a regulator records recalls."))
    return org.id


def _enterprise(db: Session, enterprise_id: int | None, name: str | None,
                problems: list[FieldProblem]) -> tuple[int | None, str]:
    if enterprise_id is None:
        if not (name or "").strip():
            problems.append(FieldProblem("enterprise_id", N_(
                "Choose the recalling enterprise, or give the name of one not registered.")))
        return None, (name or "").strip()
    org = db.get(Organisation, enterprise_id)
    if org is None or not org.active or org.org_type not in _ENTERPRISE_TYPES:
        problems.append(FieldProblem("enterprise_id", N_("No such enterprise.")))
        return None, ""
    return org.id, org.name_zh


def _check_links(db: Session, actor: Actor, values: dict[str, Any],
                 problems: list[FieldProblem]) -> None:
    """A linked warning must be readable by the actor; a record or case in the actor's scope."""
    if values.get("warning_id") is not None:
        try:
            get_warning(db, actor, values["warning_id"])
        except NotFound:
            problems.append(FieldProblem("warning_id", N_("No such warning.")))
    checks = (("record_id", RiskRecord, RiskRecord.organisation_id, N_("No such risk record.")),
              ("case_id", ResponseCase, ResponseCase.organisation_id, N_("No such case.")))
    for name, model, column, message in checks:
        if values.get(name) is not None:
            try:
                get_in_scope(db, model, values[name], actor, column, object_name=OBJECT)
            except NotFound:
                problems.append(FieldProblem(name, message))


def _raise_if(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationFailed(fields=problems)


def create_recall(db: Session, actor: Actor, data: RecallIn) -> Recall:
    """Record an ordered recall or register a voluntary one, as a draft; audited."""
    org_id = _owner(db, actor, data.organisation_id)
    problems: list[FieldProblem] = []
    if data.origin == RecallOrigin.foreign:
        problems.append(FieldProblem("origin", N_(
            "Foreign recalls come from the imported records, not from this form.")))
    enterprise_id, enterprise_name = _enterprise(db, data.enterprise_id, data.enterprise_name,
                                                 problems)
    values = data.model_dump()
    _check_links(db, actor, values, problems)
    _raise_if(problems)
    recall = Recall(
        number=next_number(db, "RCL"), organisation_id=org_id, enterprise_id=enterprise_id,
        origin=data.origin, status=S.draft, remedies=[Remedy(r).value for r in data.remedies],
        units_remedied=0, created_by=actor.username,
        **{name: values[name] for name in _EDITABLE if name != "enterprise_name"},
        enterprise_name=enterprise_name[:300],
    )
    db.add(recall)
    db.flush()
    audit.record(db, actor, "recall.create", object_type=OBJECT_TYPE, object_id=recall.id,
                 after=snapshot(recall), organisation_id=org_id)
    return recall


def update_recall(db: Session, actor: Actor, recall_id: int, data: RecallPatch) -> Recall:
    """Change a draft (only a draft: once started the enterprise works to it); audited."""
    recall = get_recall(db, actor, recall_id)
    if recall.status != S.draft:
        raise Conflict(N_("Only a draft recall can be edited."))
    sent = data.model_dump(exclude_unset=True)
    problems: list[FieldProblem] = []
    for name in ("title", "product_name", "units_affected", "remedies", "report_every_days",
                 "public"):
        if name in sent and sent[name] is None:
            problems.append(FieldProblem(name, N_("This field is required.")))
    if "enterprise_id" in sent or "enterprise_name" in sent:
        enterprise_id, enterprise_name = _enterprise(
            db, sent.get("enterprise_id"), sent.get("enterprise_name"), problems)
        sent["enterprise_id"], sent["enterprise_name"] = enterprise_id, enterprise_name[:300]
    _check_links(db, actor, sent, problems)
    _raise_if(problems)
    before = snapshot(recall)
    for name, value in sent.items():
        if name == "remedies":
            value = [Remedy(r).value for r in value]
        setattr(recall, name, value)
    db.flush()
    old, new = audit.diff(before, snapshot(recall))
    audit.record(db, actor, "recall.update", object_type=OBJECT_TYPE, object_id=recall.id,
                 before=old, after=new, organisation_id=recall.organisation_id)
    return recall


# ---------------------------------------------------------------- life cycle

def local_date(moment: dt.datetime | None = None) -> dt.date:
    """The date in the deployment's time zone (Asia/Shanghai): a report dated "today" at 07:00
    in Beijing is not in the future although it is still yesterday in UTC."""
    return (moment or utcnow()).astimezone(ZoneInfo(get_settings().timezone)).date()


def _today() -> dt.date:
    return local_date()


def start_recall(db: Session, actor: Actor, recall_id: int) -> Recall:
    """The recall starts: the first report is due `report_every_days` from today."""
    recall = get_recall(db, actor, recall_id)
    today = _today()
    move(db, RECALL_FLOW, recall, S.in_progress, actor=actor, action="recall.start",
         started_on=today, next_report_due=today + dt.timedelta(days=recall.report_every_days))
    _tell_enterprise(db, recall, N_("Recall {number} has started"),
                     N_("Recall {number} of {product} has started; report its progress every "
                        "{days} days, first by {due}."),
                     key=f"recall-start:{recall.id}")
    return recall


def complete_recall(db: Session, actor: Actor, recall_id: int, note: str | None = None,
                    *, recall: Recall | None = None, action: str = "recall.complete") -> Recall:
    """The regulator (or the enterprise, through a final report) says the recall is done."""
    recall = recall or get_recall(db, actor, recall_id)
    move(db, RECALL_FLOW, recall, S.completed, actor=actor, action=action, reason=note,
         next_report_due=None)
    _tell_owner(db, recall, N_("Recall {number} is completed"),
                N_("Recall {number} of {product} is completed ({rate}); evaluate and close it."),
                key=f"recall-complete:{recall.id}")
    return recall


def close_recall(db: Session, actor: Actor, recall_id: int, evaluation: str) -> Recall:
    """The regulator evaluates a completed recall and closes it."""
    recall = get_recall(db, actor, recall_id)
    if not evaluation.strip():
        raise ValidationFailed(fields=[FieldProblem("evaluation", N_("This field is required."))])
    move(db, RECALL_FLOW, recall, S.closed, actor=actor, action="recall.close",
         evaluation=evaluation, evaluated_at=utcnow())
    _tell_enterprise(db, recall, N_("Recall {number} is closed"),
                     N_("The regulator evaluated recall {number} of {product} and closed it."),
                     key=f"recall-close:{recall.id}")
    return recall


def cancel_recall(db: Session, actor: Actor, recall_id: int, reason: str) -> Recall:
    """Cancel a draft or a recall in progress, saying why."""
    recall = get_recall(db, actor, recall_id)
    if not reason.strip():
        raise ValidationFailed(fields=[FieldProblem("reason", N_("This field is required."))])
    was_started = recall.status == S.in_progress
    move(db, RECALL_FLOW, recall, S.cancelled, actor=actor, action="recall.cancel",
         reason=reason, next_report_due=None)
    if was_started:
        _tell_enterprise(db, recall, N_("Recall {number} was cancelled"),
                         N_("Recall {number} of {product} was cancelled."),
                         key=f"recall-cancel:{recall.id}")
    return recall


# ---------------------------------------------------------------- progress reports

def file_report(db: Session, actor: Actor, recall_id: int,
                data: ProgressReportIn) -> RecallProgressReport:
    """The recalling enterprise reports the units remedied in a period; the sum is kept, the
    next report falls due, and the recall completes itself at 100 % (or when `final`)."""
    recall = get_my_recall(db, actor, recall_id)
    if recall.status not in REPORTABLE_STATES:
        raise ReportsClosed(number=recall.number, status=S(recall.status).msgid)
    problems: list[FieldProblem] = []
    if data.period_end > _today():
        problems.append(FieldProblem("period_end", N_("The period cannot end in the future.")))
    if recall.started_on and data.period_end < recall.started_on:
        problems.append(FieldProblem("period_end", N_(
            "The period cannot end before the recall started ({date}).")
            , {"date": recall.started_on.isoformat()}))
    by_remedy = {Remedy(k).value: v for k, v in data.by_remedy.items() if v}
    for remedy in by_remedy:
        if remedy not in recall.remedies:
            problems.append(FieldProblem(f"by_remedy.{remedy}", N_(
                "This remedy is not in the recall plan.")))
    if by_remedy and sum(by_remedy.values()) != data.units_remedied:
        problems.append(FieldProblem("by_remedy", N_(
            "The units by remedy must add up to the units remedied.")))
    _raise_if(problems)
    report = RecallProgressReport(
        recall_id=recall.id, organisation_id=actor.organisation_id, author=actor.username,
        period_end=data.period_end, units_remedied=data.units_remedied, by_remedy=by_remedy,
        note=data.note)
    db.add(report)
    before = snapshot(recall)
    was_over = over_reported(recall)
    recall.units_remedied += data.units_remedied
    if recall.status == S.in_progress:
        recall.next_report_due = _today() + dt.timedelta(days=recall.report_every_days)
    db.flush()
    old, new = audit.diff(before, snapshot(recall))
    audit.record(db, actor, "recall.report", object_type=OBJECT_TYPE, object_id=recall.id,
                 before=old, after={**new, "report_id": report.id,
                                    "period_end": data.period_end.isoformat(),
                                    "report_units": data.units_remedied},
                 organisation_id=recall.organisation_id)
    _tell_owner(db, recall, N_("Progress report on recall {number}"),
                N_("{enterprise} reported {units} units remedied on recall {number} ({rate})."),
                key=f"recall-report:{report.id}", units=data.units_remedied)
    if over_reported(recall) and not was_over:
        _tell_owner(db, recall, N_("Recall {number}: more units remedied than affected"),
                    N_("The reports on recall {number} add up to {remedied} units, more than "
                       "the {affected} affected; check the figures with the enterprise."),
                    key=f"recall-over:{recall.id}", remedied=recall.units_remedied,
                    affected=recall.units_affected)
    if recall.status == S.in_progress:
        if recall.units_affected and recall.units_remedied >= recall.units_affected:
            complete_recall(db, actor, recall.id, N_("All affected units remedied."),
                            recall=recall, action="recall.auto_complete")
        elif data.final:
            complete_recall(db, actor, recall.id, data.note, recall=recall)
    return report


# ---------------------------------------------------------------- notices

def _params(recall: Recall, extra: dict[str, Any]) -> dict[str, Any]:
    rate = completion_percent(recall)
    due = recall.next_report_due.isoformat() if recall.next_report_due else "-"
    return {"number": recall.number, "product": recall.product_name,
            "enterprise": recall.enterprise_name, "days": recall.report_every_days,
            "due": due, "rate": "-" if rate is None else f"{rate:g} %", **extra}


def _tell_owner(db: Session, recall: Recall, subject: str, body: str, *, key: str,
                **extra: Any) -> int:
    """Tell the owning regulator's risk officers (the recall's handlers)."""
    users = active_users(db, recall.organisation_id, Role.RISK_OFFICER)
    for user in users:
        outbox.notify_user(db, user, topic=TOPIC, subject=subject, body=body,
                           params=_params(recall, extra), link=f"/console/recalls/{recall.id}",
                           dedupe_key=f"{key}:{user.id}")
    return len(users)


def _tell_enterprise(db: Session, recall: Recall, subject: str, body: str, *, key: str,
                     **extra: Any) -> int:
    if recall.enterprise_id is None:
        return 0
    users = active_users(db, recall.enterprise_id)
    for user in users:
        outbox.notify_user(db, user, topic=TOPIC, subject=subject, body=body,
                           params=_params(recall, extra), link="/console/my-recalls",
                           dedupe_key=f"{key}:{user.id}")
    return len(users)


def remind_reports_due(db: Session, now: dt.datetime) -> dict[str, int]:
    """The job's work: remind the enterprise once per period when its report is past due, and
    tell the owning regulator once when it is more than LATE_DAYS late (concealment or delay of
    a recall is punished, R3). Idempotent through the outbox dedupe keys."""
    today = local_date(now)
    rows = db.execute(select(Recall).where(
        Recall.status == S.in_progress, Recall.next_report_due.is_not(None),
        Recall.next_report_due < today, Recall.enterprise_id.is_not(None))
        .order_by(Recall.id)).scalars().all()
    reminded = late = 0
    for recall in rows:
        due = recall.next_report_due
        assert due is not None
        if _tell_enterprise(db, recall, N_("Progress report due on recall {number}"),
                            N_("The progress report on recall {number} of {product} was due on "
                               "{due}; file it now."), key=f"recall-due:{recall.id}:{due}"):
            reminded += 1
        if (today - due).days > LATE_DAYS and _tell_owner(
                db, recall, N_("Recall {number}: progress report overdue"),
                N_("{enterprise} has not reported on recall {number} since {due}, more than "
                   "{late} days ago."), key=f"recall-late:{recall.id}:{due}", late=LATE_DAYS):
            late += 1
    return {"due": len(rows), "reminded": reminded, "late": late}
