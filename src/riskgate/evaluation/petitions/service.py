"""Lifting petitions (解除申请): an enterprise named by a warning, or listed by a control rule,
asks its issuer to lift the measure, with evidence files (third-party laboratory results,
consignments found clean). The issuer accepts or rejects with a note; accepting a petition
against a control rule takes the enterprise's codes out of the rule (or retires a rule left
with no scope). submitted → accepted | rejected, once (`petitions.workflow`).

The border keeps its own data: accepting a petition against a control rule tells the border
(`border.rules.service.leave_out_enterprise`), which takes the codes out and remembers them."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.audit.chain import to_jsonable
from riskgate.border.enums import RuleStatus
from riskgate.border.models import ControlRule
from riskgate.border.rules import service as control_rules
from riskgate.border.rules.workflow import RULE_FLOW
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import FieldProblem, NotFound, PermissionDenied, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission, Role
from riskgate.core.uploads import Upload
from riskgate.core.workflow import move
from riskgate.evaluation.enums import PetitionStatus
from riskgate.evaluation.models import LiftingPetition, PetitionEvidence
from riskgate.evaluation.petitions.workflow import (
    OBJECT,
    OBJECT_TYPE,
    PETITION_FLOW,
    SNAPSHOT_FIELDS,
)
from riskgate.identity.models import Organisation
from riskgate.identity.scope import in_subtree
from riskgate.identity.service import active_users
from riskgate.outbox.service import notify_user
from riskgate.reports.attachments import Checked, safe_name, sniff, store_file
from riskgate.warnings.enums import IN_FORCE_STATES
from riskgate.warnings.models import PublicWarning, WarningEnterprise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALLOWED_TYPES = ("application/pdf", "image/jpeg", "image/png", XLSX)



def _snapshot(petition: LiftingPetition) -> dict[str, Any]:
    """The petition's audited fields as the audit trail stores them (its creation)."""
    return {name: to_jsonable(getattr(petition, name)) for name in SNAPSHOT_FIELDS}


# --- evidence ---------------------------------------------------------------------------------


def _media_type(data: bytes) -> str | None:
    """PDF, JPEG or PNG by magic bytes; XLSX as a ZIP holding a workbook."""
    found = sniff(data)
    if found in ("application/pdf", "image/jpeg", "image/png"):
        return found
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return XLSX
    return None


def check_evidence(uploads: list[Upload], *, max_bytes: int, max_files: int) -> list[Checked]:
    """At least one file, each a PDF, JPEG, PNG or XLSX (by content) within the size limit."""
    uploads = [u for u in uploads if u.data]
    if not uploads:
        raise ValidationFailed(fields=[FieldProblem("evidence", N_("Evidence is required."))])
    if len(uploads) > max_files:
        raise ValidationFailed(fields=[FieldProblem(
            "evidence", N_("At most {max} files can be attached."), {"max": max_files})])
    checked = []
    for index, upload in enumerate(uploads):
        name = safe_name(upload.file_name)
        if len(upload.data) > max_bytes:
            raise ValidationFailed(fields=[FieldProblem(
                f"evidence.{index}", N_("{name} is larger than {limit} bytes."),
                {"name": name, "limit": max_bytes})])
        media_type = _media_type(upload.data)
        if media_type is None:
            raise ValidationFailed(fields=[FieldProblem(
                f"evidence.{index}", N_("{name} is not a PDF, JPEG, PNG or XLSX file."),
                {"name": name})])
        checked.append(Checked(name, upload.data, media_type,
                               hashlib.sha256(upload.data).hexdigest()))
    return checked


# --- filing -----------------------------------------------------------------------------------


def _names_organisation(db: Session, warning_id: int, organisation_id: int) -> bool:
    return db.execute(select(WarningEnterprise.id).where(
        WarningEnterprise.warning_id == warning_id,
        WarningEnterprise.organisation_id == organisation_id)).first() is not None


def submit(db: Session, actor: Actor, *, warning_id: int | None, control_rule_id: int | None,
           body: str, clean_consignments: int, uploads: list[Upload], root: Path,
           max_bytes: int, max_files: int) -> LiftingPetition:
    """File a petition for the actor's enterprise. The warning must name it (or the rule list
    one of its codes), else 404; a rule not derived from a warning, or one that does not belong
    to the warning given, is 422; no evidence is 422."""
    problems = []
    if not body.strip():
        problems.append(FieldProblem("body", N_("This field is required.")))
    if clean_consignments < 0:
        problems.append(FieldProblem("clean_consignments", N_("Must be 0 or more.")))
    if warning_id is None and control_rule_id is None:
        problems.append(FieldProblem("warning_id", N_("Choose a warning or a control rule.")))
    if problems:
        raise ValidationFailed(fields=problems)
    org_id = actor.organisation_id
    rule = None
    if control_rule_id is not None:
        rule = control_rules.rule_listing(db, control_rule_id, org_id)  # else 404
        if rule.warning_id is None:
            raise ValidationFailed(fields=[FieldProblem("control_rule_id", N_(
                "Only rules derived from a warning can be petitioned here."))])
        if warning_id is not None and warning_id != rule.warning_id:
            raise ValidationFailed(fields=[FieldProblem("control_rule_id", N_(
                "The control rule does not follow this warning."))])
        if rule.status == RuleStatus.retired:
            RULE_FLOW.check(rule, RuleStatus.retired)  # the 409 of a retired rule
        warning_id = rule.warning_id
    warning = db.get(PublicWarning, warning_id)
    if warning is None or org_id is None or warning.status not in IN_FORCE_STATES or (
            rule is None and not _names_organisation(db, warning.id, org_id)):
        raise NotFound(N_("warning"))
    checked = check_evidence(uploads, max_bytes=max_bytes, max_files=max_files)
    petition = LiftingPetition(
        organisation_id=org_id, warning_id=warning.id, control_rule_id=control_rule_id,
        body=body.strip(), clean_consignments=clean_consignments,
        status=PetitionStatus.submitted, submitted_by=actor.username)
    db.add(petition)
    db.flush()
    seen: set[str] = set()
    for item in checked:
        if item.sha256 in seen:
            continue
        seen.add(item.sha256)
        store_file(root, item)
        db.add(PetitionEvidence(petition_id=petition.id, sha256=item.sha256,
                                media_type=item.media_type, size=len(item.data),
                                original_name=item.file_name))
    db.flush()
    audit.record(db, actor, "petition.submit", object_type=OBJECT_TYPE, object_id=petition.id,
                 after={**_snapshot(petition), "evidence": sorted(seen)},
                 organisation_id=org_id)
    _notify_reviewers(db, petition, warning)
    return petition


def _notify_reviewers(db: Session, petition: LiftingPetition, warning: PublicWarning) -> None:
    for user in active_users(db, warning.organisation_id, Role.RISK_OFFICER):
        notify_user(db, user, topic="petition.submitted", subject=N_(
            "A lifting petition for {number}"), body=N_(
            "An enterprise petitions to lift the measures of warning {number}."),
            params={"number": warning.number}, link=f"/console/petitions/{petition.id}",
            dedupe_key=f"petition:{petition.id}:submitted:{user.id}")


# --- reading ----------------------------------------------------------------------------------


def petitions_statement(actor: Actor, *, status: PetitionStatus | None = None,
                        mine: bool = False) -> Select[Any]:
    """Petitions the actor may read: its own enterprise's, and (reviewers) those against
    warnings issued in its subtree. `mine` keeps only its own enterprise's. Others: 403."""
    if not (actor.can(Permission.PETITION_FILE) or actor.can(Permission.PETITION_REVIEW)):
        raise PermissionDenied(permission=Permission.PETITION_FILE.value)
    stmt = select(LiftingPetition)
    if not actor.is_system:
        own = LiftingPetition.organisation_id == (actor.organisation_id or -1)
        if actor.can(Permission.PETITION_REVIEW) and actor.organisation_path and not mine:
            issued = LiftingPetition.warning_id.in_(select(PublicWarning.id).where(
                PublicWarning.organisation_id.in_(select(Organisation.id).where(
                    in_subtree(Organisation.path, actor.organisation_path)))))
            stmt = stmt.where(or_(own, issued))
        else:
            stmt = stmt.where(own)
    if status is not None:
        stmt = stmt.where(LiftingPetition.status == status)
    return stmt


def get_petition(db: Session, actor: Actor, petition_id: int, *,
                 review: bool = False) -> LiftingPetition:
    """A petition the actor may read (with `review`, one it may decide), else NotFound."""
    stmt = petitions_statement(actor).where(LiftingPetition.id == petition_id)
    petition: LiftingPetition | None = db.execute(stmt).scalar_one_or_none()
    if petition is None:
        raise NotFound(OBJECT)
    if review and not actor.is_system:
        warning = db.get(PublicWarning, petition.warning_id)
        org = db.get(Organisation, warning.organisation_id) if warning else None
        if org is None or not org.path.startswith(actor.organisation_path or "/none/"):
            raise NotFound(OBJECT)
    return petition


def evidence_of(db: Session, petition_id: int) -> list[PetitionEvidence]:
    return list(db.execute(select(PetitionEvidence).where(
        PetitionEvidence.petition_id == petition_id).order_by(PetitionEvidence.id)).scalars())


def get_evidence(db: Session, actor: Actor, petition_id: int,
                 evidence_id: int) -> PetitionEvidence:
    get_petition(db, actor, petition_id)
    evidence = db.get(PetitionEvidence, evidence_id)
    if evidence is None or evidence.petition_id != petition_id:
        raise NotFound(N_("attachment"))
    return evidence


def petitionable(db: Session, actor: Actor) -> tuple[list[PublicWarning], list[ControlRule]]:
    """What the actor's enterprise may petition against: warnings in force naming it, and live
    or suspended rules derived from warnings that list one of its codes."""
    if actor.organisation_id is None:
        return [], []
    warnings = list(db.execute(select(PublicWarning).where(
        PublicWarning.status.in_(IN_FORCE_STATES),
        PublicWarning.id.in_(select(WarningEnterprise.warning_id).where(
            WarningEnterprise.organisation_id == actor.organisation_id)),
    ).order_by(PublicWarning.id.desc()).limit(200)).scalars())
    return warnings, control_rules.rules_listing(db, actor.organisation_id)


# --- deciding ---------------------------------------------------------------------------------


def decide(db: Session, actor: Actor, petition_id: int, *, accept: bool,
           note: str) -> LiftingPetition:
    """Accept or reject, once, with a note; accepting one against a control rule takes the
    enterprise's codes out of it. The enterprise's users are told through their inbox."""
    if not (note or "").strip():
        raise ValidationFailed(fields=[FieldProblem("note", N_("This field is required."))])
    petition = get_petition(db, actor, petition_id, review=True)
    target = PetitionStatus.accepted if accept else PetitionStatus.rejected
    PETITION_FLOW.check(petition, target)  # refused before anything changes
    petition.reviewed_at = utcnow()  # recorded, not audited (as ever)
    move(db, PETITION_FLOW, petition, target, actor=actor, action=f"petition.{target.value}",
         reason=note.strip(), reviewed_by=actor.username, decision_note=note.strip())
    if accept and petition.control_rule_id is not None:
        control_rules.leave_out_enterprise(
            db, actor, petition.control_rule_id, petition.organisation_id,
            f"petition {petition.id}: {petition.decision_note}"[:2000])
    _notify_enterprise(db, petition)
    return petition


def _notify_enterprise(db: Session, petition: LiftingPetition) -> None:
    subject = (N_("Your lifting petition was accepted")
               if petition.status == PetitionStatus.accepted
               else N_("Your lifting petition was rejected"))
    for user in active_users(db, petition.organisation_id):
        notify_user(db, user, topic="petition.decided", subject=subject,
                    body=N_("Decision note: {note}"), params={"note": petition.decision_note},
                    link=f"/console/my-petitions/{petition.id}",
                    dedupe_key=f"petition:{petition.id}:decided:{user.id}")
