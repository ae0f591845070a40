"""Complaints and whistleblower reports: filing, tracking, handling, rewards.

Filing creates the risk record through `records.service.store_drafts` (so it is classified,
indexed and linked like any other record), links the attachments, and returns the tracking number
with its access code — shown once. Staff move a report through its workflow (`reports.workflow`);
each change is audited, and a complainant who left an e-mail address is told through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.enums import SourceChannel
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.uploads import Upload
from riskgate.core.workflow import move
from riskgate.identity.models import Organisation
from riskgate.identity.scope import get_in_scope, scoped
from riskgate.outbox import service as outbox
from riskgate.outbox.enums import Channel
from riskgate.records import service as records
from riskgate.records.enums import Confidentiality
from riskgate.reports import attachments, drafts, receiving, tracking
from riskgate.reports.enums import ReportKind, ReportRoute, ReportStatus, RewardStatus
from riskgate.reports.models import PublicReport, PublicReportNote, WhistleblowerIdentity
from riskgate.reports.schemas import (
    ComplaintIn,
    NoteIn,
    RewardIn,
    TransitionIn,
    WhistleblowerIn,
)
from riskgate.reports.workflow import FLOWS, REWARD_FLOW

OBJECT_NAMES = {ReportKind.complaint: N_("complaint"),
                ReportKind.whistleblower: N_("whistleblower report")}
TITLES = {ReportKind.complaint: N_("Complaint about {product}: {summary}"),
          ReportKind.whistleblower: N_("Whistleblower report on {product}: {summary}")}
WITHHELD = "withheld"

SUBMITTED_SUBJECT = N_("Your report {number} was received")
SUBMITTED_BODY = N_(
    "Thank you. Your report was received under the tracking number {number} by {organisation}."
    "\n\nLook up its progress on the portal's tracking page with this number and the access code "
    "you were shown when you submitted it.")
STATUS_SUBJECT = N_("Your report {number}: {status}")
STATUS_BODY = N_("The status of your report {number} is now: {status}.\n\n{note}")


@dataclass(frozen=True)
class Submitted:
    """A filed report and the access code that is shown to the reporter once."""

    report: PublicReport
    access_code: str
    organisation: Organisation
    record_number: str


def channel_for(kind: ReportKind, route: ReportRoute) -> SourceChannel:
    """Complaints come in on the hotline of the route (12315 market, 12360 customs)."""
    if kind == ReportKind.whistleblower:
        return SourceChannel.whistleblower
    if route == ReportRoute.border:
        return SourceChannel.hotline_12360
    return SourceChannel.hotline_12315


def _new_tracking_number(db: Session, kind: ReportKind) -> str:
    for _attempt in range(10):
        number = tracking.new_tracking_number(kind.value, utcnow().year)
        taken = db.execute(
            select(PublicReport.id).where(PublicReport.tracking_number == number)).first()
        if not taken:
            return number
    raise RuntimeError("could not find a free tracking number")  # 40 random bits: never


def _submit(
    db: Session,
    actor: Actor,
    settings: Any,
    *,
    kind: ReportKind,
    body: ComplaintIn | WhistleblowerIn,
    language: str,
    extra: dict[str, Any],
    fields: list[FieldProblem],
    receiving_organisation_id: int | None,
    uploads: list[Upload],
) -> tuple[PublicReport, str, Organisation, str]:
    drafts.common_checks(body, fields)
    uploads = drafts.decode_attachments(body.attachments, fields) + uploads
    number = _new_tracking_number(db, kind)
    text_language = drafts.text_language(body.description, language)
    draft, raw = drafts.build(
        body, channel=channel_for(kind, body.route), reference=number,
        title=drafts.title_for(TITLES[kind], body.product_name, body.description, text_language),
        language=text_language,
        confidentiality=(Confidentiality.restricted if kind == ReportKind.whistleblower
                         else Confidentiality.internal),
        extra=extra, fields=fields,
    )
    checked = []
    if not fields:
        checked = attachments.check(uploads, max_bytes=settings.attachment_max_bytes,
                                    max_files=settings.attachment_max_files)
    if fields:
        raise ValidationFailed(fields=fields)
    if receiving_organisation_id is not None:
        organisation = db.get(Organisation, receiving_organisation_id)
        if organisation is None:
            raise NotFound(N_("organisation"))
    else:
        organisation = receiving.resolve(db, body.route, body.region_code,
                                         settings.reports_receiving_org)
    (stored,) = records.store_drafts(db, [(draft, raw)], channel=None,
                                     organisation_id=organisation.id)
    record_id, record_number = stored.known()
    attachments.attach(db, Path(settings.attachments_dir), record_id, checked)
    code = tracking.new_access_code()
    report = PublicReport(
        kind=kind, tracking_number=number, access_code_hash=tracking.hash_access_code(code),
        record_id=record_id, organisation_id=organisation.id, route=body.route,
        status=ReportStatus.received, language=language, anonymous=True,
        reward_status=RewardStatus.none,
    )
    db.add(report)
    return report, code, organisation, record_number


def _audit_submission(db: Session, actor: Actor, report: PublicReport,
                      record_number: str) -> None:
    audit.record(
        db, actor, "report.submitted", object_type="public_report", object_id=report.id,
        after={"kind": report.kind, "tracking_number": report.tracking_number,
               "record_number": record_number, "route": report.route,
               "anonymous": report.anonymous,
               "attachments": len(attachments.attachments_of(db, report.record_id))},
        organisation_id=report.organisation_id,
    )


def submit_complaint(db: Session, actor: Actor, settings: Any, body: ComplaintIn, *,
                     language: str, receiving_organisation_id: int | None = None,
                     uploads: list[Upload] | None = None) -> Submitted:
    """File a consumer complaint; its contact details stay on the complaint, not the record."""
    fields: list[FieldProblem] = []
    extra: dict[str, Any] = {
        "injuries_count": body.injuries_count,
        "injury_severity": body.injury_severity.value if body.injury_severity else None,
        "injury_age_group": body.injury_age_group.value if body.injury_age_group else None,
    }
    if body.purchase_place:
        extra["enterprises"] = [{"role": "retailer", "name": body.purchase_place}]
    report, code, organisation, record_number = _submit(
        db, actor, settings, kind=ReportKind.complaint, body=body, language=language,
        extra=extra, fields=fields, receiving_organisation_id=receiving_organisation_id,
        uploads=uploads or [])
    report.purchase_place = body.purchase_place
    report.contact_name = body.contact_name
    report.contact_phone = body.contact_phone
    report.contact_email = str(body.contact_email) if body.contact_email else None
    report.anonymous = not (body.contact_name or body.contact_phone or body.contact_email)
    db.flush()
    _audit_submission(db, actor, report, record_number)
    if report.contact_email:
        _email(db, report, SUBMITTED_SUBJECT, SUBMITTED_BODY,
               {"number": report.tracking_number, "organisation": organisation.name(language)},
               dedupe=f"report:{report.id}:submitted")
    return Submitted(report, code, organisation, record_number)


def submit_whistleblower_report(db: Session, actor: Actor, settings: Any, body: WhistleblowerIn,
                                *, language: str, receiving_organisation_id: int | None = None,
                                uploads: list[Upload] | None = None) -> Submitted:
    """File a whistleblower report; a named reporter's identity goes to its own table."""
    fields: list[FieldProblem] = []
    identity = None if body.anonymous else body.identity
    id_number = None
    if not body.anonymous:
        if identity is None:
            fields.append(FieldProblem("identity", N_(
                "Give your name and a phone number or e-mail address, or report anonymously.")))
        elif not identity.phone and not identity.email:
            fields.append(FieldProblem("identity.phone", N_(
                "Give a phone number or an e-mail address.")))
        if identity is not None:
            id_number = drafts.check_id_number(identity.id_number, "identity.id_number", fields)
    extra: dict[str, Any] = {}
    if body.enterprise_name or body.enterprise_uscc:
        extra["enterprises"] = [{"role": "other", "name": body.enterprise_name,
                                 "uscc": body.enterprise_uscc}]
    report, code, organisation, record_number = _submit(
        db, actor, settings, kind=ReportKind.whistleblower, body=body, language=language,
        extra=extra, fields=fields, receiving_organisation_id=receiving_organisation_id,
        uploads=uploads or [])
    report.anonymous = identity is None
    db.flush()
    if identity is not None:
        db.add(WhistleblowerIdentity(
            report_id=report.id, name=identity.name, phone=identity.phone,
            email=str(identity.email) if identity.email else None, id_number=id_number))
        db.flush()
    _audit_submission(db, actor, report, record_number)
    return Submitted(report, code, organisation, record_number)


# --- The reporter's view -------------------------------------------------------------------

NOT_FOUND = N_("report with this tracking number and access code")


def track(db: Session, tracking_number: str, access_code: str | None,
          kind: ReportKind | None = None) -> PublicReport:
    """The report with this number, if the access code is right; otherwise NotFound, the same
    answer for a wrong number and a wrong code (no oracle for which numbers exist)."""
    number = tracking.normalise_tracking_number(tracking_number)
    report = None
    if number is not None:
        stmt = select(PublicReport).where(PublicReport.tracking_number == number)
        if kind is not None:
            stmt = stmt.where(PublicReport.kind == kind)
        report = db.execute(stmt).scalar_one_or_none()
    stored_hash = report.access_code_hash if report else "0" * 64
    matches = tracking.access_code_matches(access_code, stored_hash)
    if report is None or not matches:
        raise NotFound(NOT_FOUND)
    return report


def public_view(db: Session, report: PublicReport, language: str) -> dict[str, Any]:
    """What the tracking page and API show: status, public notes, the receiving body."""
    organisation = db.get(Organisation, report.organisation_id)
    return {
        "tracking_number": report.tracking_number,
        "kind": report.kind,
        "status": report.status,
        "status_label": report.status.label(language),
        "submitted_at": report.created_at,
        "receiving_organisation": organisation.name(language) if organisation else "",
        "reason": report.status_reason if report.status == ReportStatus.rejected else None,
        "reward_status": (report.reward_status if report.kind == ReportKind.whistleblower
                          and report.reward_status != RewardStatus.none else None),
        "notes": [{"created_at": n.created_at, "status": n.status, "body": n.body}
                  for n in report.notes if n.public],
    }


# --- Staff ---------------------------------------------------------------------------------


def reports_statement(actor: Actor, kind: ReportKind, *, status: ReportStatus | None = None,
                      tracking_number: str | None = None) -> Select[Any]:
    stmt = scoped(select(PublicReport), actor, PublicReport.organisation_id).where(
        PublicReport.kind == kind)
    if status is not None:
        stmt = stmt.where(PublicReport.status == status)
    if tracking_number:
        number = tracking.normalise_tracking_number(tracking_number)
        stmt = stmt.where(PublicReport.tracking_number == (number or tracking_number.strip()))
    return stmt


def get_report(db: Session, actor: Actor, kind: ReportKind, report_id: int) -> PublicReport:
    report = get_in_scope(db, PublicReport, report_id, actor, PublicReport.organisation_id,
                          object_name=OBJECT_NAMES[kind])
    if report.kind != kind:
        raise NotFound(OBJECT_NAMES[kind])
    return report


def _note(db: Session, actor: Actor, report: PublicReport, body: str, *, public: bool,
          status: ReportStatus | None = None) -> PublicReportNote:
    note = PublicReportNote(author_user_id=actor.user_id, author_name=actor.username, body=body,
                            public=public, status=status)
    report.notes.append(note)
    db.flush()
    return note


def _email(db: Session, report: PublicReport, subject: str, body: str, params: dict[str, Any],
           *, dedupe: str) -> None:
    if not report.contact_email:
        return
    outbox.enqueue(
        db, channel=Channel.EMAIL, topic=f"report.{report.kind.value}", target=report.contact_email,
        payload={"subject": subject, "body": body, "params": params, "link": "/track",
                 "language": report.language},
        organisation_id=report.organisation_id, dedupe_key=dedupe,
    )


def transition(db: Session, actor: Actor, kind: ReportKind, report_id: int,
               change: TransitionIn) -> PublicReport:
    """Move a report along its workflow; a rejection needs a reason. Audited; the complainant
    is e-mailed if they left an address (whistleblowers are not: their address is withheld)."""
    report = get_report(db, actor, kind, report_id)
    target = change.status
    flow = FLOWS[kind]
    flow.check(report, target)  # a refused move answers 409 before a missing reason's 422
    if target == ReportStatus.rejected and not change.reason:
        raise ValidationFailed(
            fields=[FieldProblem("reason", N_("Give the reason for rejecting."))])
    move(db, flow, report, target, actor=actor, action="report.status_changed",
         reason=change.reason,
         status_reason=change.reason if target == ReportStatus.rejected else None)
    if target in (ReportStatus.closed, ReportStatus.rejected):
        report.closed_at = utcnow()
    if change.public_note:
        _note(db, actor, report, change.public_note, public=True, status=target)
    db.flush()
    if kind == ReportKind.complaint:
        note = change.public_note or (change.reason if target == ReportStatus.rejected else "")
        _email(db, report, STATUS_SUBJECT, STATUS_BODY,
               {"number": report.tracking_number, "status": target.label(report.language),
                "note": note or ""},
               dedupe=f"report:{report.id}:status:{target.value}")
    return report


def add_note(db: Session, actor: Actor, kind: ReportKind, report_id: int,
             note: NoteIn) -> PublicReportNote:
    report = get_report(db, actor, kind, report_id)
    created = _note(db, actor, report, note.body, public=note.public)
    audit.record(db, actor, "report.note_added", object_type="public_report", object_id=report.id,
                 after={"note_id": created.id, "public": note.public},
                 organisation_id=report.organisation_id)
    return created


def reveal_identity(db: Session, actor: Actor, report_id: int,
                    reason: str) -> WhistleblowerIdentity | None:
    """The whistleblower's identity (None when anonymous); every look is audited with its
    reason. The route requires `whistleblower.identity.read`."""
    report = get_report(db, actor, ReportKind.whistleblower, report_id)
    identity = db.get(WhistleblowerIdentity, report.id)
    audit.record(db, actor, "whistleblower.identity_revealed", object_type="public_report",
                 object_id=report.id, after={"anonymous": identity is None}, reason=reason,
                 organisation_id=report.organisation_id)
    return identity


def set_reward(db: Session, actor: Actor, report_id: int, change: RewardIn) -> PublicReport:
    """Move a whistleblower's reward along its workflow (proposing needs an amount and an
    accepted report)."""
    report = get_report(db, actor, ReportKind.whistleblower, report_id)
    target = change.status
    REWARD_FLOW.check(report, target)  # a refused move answers 409 before the checks' 422
    if target == RewardStatus.proposed:
        if report.status in (ReportStatus.received, ReportStatus.rejected):
            raise ValidationFailed(fields=[FieldProblem("status", N_(
                "A reward can only be proposed for an accepted report."))])
        if change.amount is None:
            raise ValidationFailed(fields=[FieldProblem("amount", N_(
                "Give the amount of the reward."))])
    changes: dict[str, Any] = {}
    if target == RewardStatus.proposed:
        changes = {"reward_amount": change.amount, "reward_eligible": True}
    elif target == RewardStatus.declined:
        changes = {"reward_eligible": False}
    move(db, REWARD_FLOW, report, target, actor=actor, action="whistleblower.reward_changed",
         reason=change.reason, **changes)
    return report


def detail_view(db: Session, report: PublicReport) -> dict[str, Any]:
    """The staff view: contact of a complaint; a whistleblower's identity only as withheld."""
    data = {c: getattr(report, c) for c in (
        "id", "kind", "tracking_number", "record_id", "organisation_id", "route", "status",
        "status_reason", "anonymous", "created_at", "updated_at", "purchase_place",
        "contact_name", "contact_phone", "contact_email", "reward_status", "reward_eligible",
        "reward_amount")}
    data["identity"] = None if report.anonymous or report.kind == ReportKind.complaint \
        else WITHHELD
    data["notes"] = list(report.notes)
    data["attachments"] = attachments.attachments_of(db, report.record_id)
    return data
