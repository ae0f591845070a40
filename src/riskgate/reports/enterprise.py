"""Accident reports (mandatory reporting) and self-inspection results filed by enterprises.

Enterprises are roots of their own organisation trees, and no table says which regulator
supervises which enterprise. The enterprise says whether the report concerns the domestic market
or an import/export; the receiving regulator is then resolved from the enterprise's registered
region exactly as for complaints (`receiving.resolve`). The risk record belongs to that
regulator — so it and the bodies above it see it, as any record in their scope — and the
`enterprise_report` row ties it to the enterprise, which sees its own reports (and only those)
through `enterprise_organisation_id`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.enums import SourceChannel
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.i18n import N_, gettext
from riskgate.core.uploads import Upload
from riskgate.identity.models import Organisation
from riskgate.identity.scope import get_in_scope, scoped
from riskgate.records import service as records
from riskgate.records.enums import Confidentiality, EnterpriseRole
from riskgate.records.models import RiskRecord
from riskgate.reports import attachments, drafts, receiving, tracking
from riskgate.reports.enums import EnterpriseReportKind, InspectionResult
from riskgate.reports.models import EnterpriseReport
from riskgate.reports.schemas import EnterpriseReportIn

CHANNELS = {
    EnterpriseReportKind.accident: SourceChannel.enterprise_accident_report,
    EnterpriseReportKind.self_inspection: SourceChannel.enterprise_self_inspection,
}
TITLES = {
    EnterpriseReportKind.accident: N_("Accident report on {product}: {summary}"),
    EnterpriseReportKind.self_inspection: N_("Self-inspection of {product} ({result})"),
}
OBJECT_NAME = N_("enterprise report")
NOT_AN_ENTERPRISE = N_("Only an enterprise's own account can file its reports.")


def _enterprise(db: Session, actor: Actor, fields: list[FieldProblem]) -> Organisation | None:
    organisation = db.get(Organisation, actor.organisation_id) if actor.organisation_id else None
    if organisation is None or not organisation.org_type.is_enterprise:
        fields.append(FieldProblem("organisation", NOT_AN_ENTERPRISE))
        return None
    return organisation


def _new_reference(db: Session) -> str:
    for _attempt in range(10):
        reference = tracking.new_tracking_number("enterprise", utcnow().year)
        if not db.execute(select(EnterpriseReport.id).where(
                EnterpriseReport.reference == reference)).first():
            return reference
    raise RuntimeError("could not find a free reference")


def file_report(db: Session, actor: Actor, settings: Any, body: EnterpriseReportIn, *,
                language: str, uploads: list[Upload] | None = None) -> EnterpriseReport:
    """File the report as the actor's enterprise; the record goes to the receiving regulator."""
    fields: list[FieldProblem] = []
    enterprise = _enterprise(db, actor, fields)
    drafts.common_checks(body, fields)
    if body.kind == EnterpriseReportKind.self_inspection and body.result is None:
        fields.append(FieldProblem("result", N_("A self-inspection needs its result.")))
    uploads = drafts.decode_attachments(body.attachments, fields) + (uploads or [])
    reference = _new_reference(db)
    text_language = drafts.text_language(body.description, language)
    if body.kind == EnterpriseReportKind.self_inspection:
        result = (body.result or InspectionResult.passed).label(text_language)
        title = gettext(TITLES[body.kind], text_language, product=body.product_name,
                        result=result)
    else:
        title = drafts.title_for(TITLES[body.kind], body.product_name, body.description,
                                 text_language)
    extra: dict[str, Any] = {
        "barcode": body.barcode, "hs_code": body.hs_code, "quantity": body.quantity,
        "measures_taken": body.measures_taken,
        "injuries_count": body.injuries_count,
        "injury_severity": body.injury_severity.value if body.injury_severity else None,
        "injury_age_group": body.injury_age_group.value if body.injury_age_group else None,
    }
    if body.kind == EnterpriseReportKind.self_inspection and body.result == InspectionResult.failed:
        extra["hazard_substance"] = body.test_items
    if enterprise is not None:
        extra["enterprises"] = [{"role": EnterpriseRole.manufacturer.value,
                                 "uscc": enterprise.uscc,
                                 "name": None if enterprise.uscc else enterprise.name_zh,
                                 "country": enterprise.foreign_country}]
    draft, raw = drafts.build(
        body, channel=CHANNELS[body.kind], reference=reference, title=title,
        language=text_language, confidentiality=Confidentiality.internal, extra=extra,
        fields=fields)
    checked = []
    if not fields:
        checked = attachments.check(uploads, max_bytes=settings.attachment_max_bytes,
                                    max_files=settings.attachment_max_files)
    if fields or enterprise is None:
        raise ValidationFailed(fields=fields)
    regulator = receiving.resolve(db, body.route, body.region_code or enterprise.region_code,
                                  settings.reports_receiving_org)
    (stored,) = records.store_drafts(db, [(draft, raw)], channel=None,
                                     organisation_id=regulator.id)
    record_id, record_number = stored.known()
    attachments.attach(db, Path(settings.attachments_dir), record_id, checked)
    details = {k: v for k, v in {
        "result": body.result.value if body.result else None, "test_items": body.test_items,
        "standard": body.standard, "laboratory": body.laboratory,
    }.items() if v is not None}
    report = EnterpriseReport(
        kind=body.kind, reference=reference, record_id=record_id,
        enterprise_organisation_id=enterprise.id, organisation_id=regulator.id, route=body.route,
        submitted_by_user_id=actor.user_id, details=details,
    )
    db.add(report)
    db.flush()
    audit.record(db, actor, "enterprise_report.filed", object_type="enterprise_report",
                 object_id=report.id,
                 after={"kind": body.kind, "reference": reference,
                        "record_number": record_number, "regulator_id": regulator.id,
                        "attachments": len(checked)},
                 organisation_id=enterprise.id)
    return report


def own_reports_statement(actor: Actor, kind: EnterpriseReportKind | None = None) -> Select[Any]:
    """The reports of the actor's enterprise (its subtree: the enterprise itself)."""
    stmt = scoped(select(EnterpriseReport), actor, EnterpriseReport.enterprise_organisation_id)
    if kind is not None:
        stmt = stmt.where(EnterpriseReport.kind == kind)
    return stmt


def received_reports_statement(actor: Actor,
                               kind: EnterpriseReportKind | None = None) -> Select[Any]:
    """The reports received by regulators in the actor's scope."""
    stmt = scoped(select(EnterpriseReport), actor, EnterpriseReport.organisation_id)
    if kind is not None:
        stmt = stmt.where(EnterpriseReport.kind == kind)
    return stmt


def get_own_report(db: Session, actor: Actor, report_id: int) -> EnterpriseReport:
    return get_in_scope(db, EnterpriseReport, report_id, actor,
                        EnterpriseReport.enterprise_organisation_id, object_name=OBJECT_NAME)


def get_received_report(db: Session, actor: Actor, report_id: int) -> EnterpriseReport:
    return get_in_scope(db, EnterpriseReport, report_id, actor, EnterpriseReport.organisation_id,
                        object_name=OBJECT_NAME)


def view(db: Session, report: EnterpriseReport, language: str) -> dict[str, Any]:
    """The report with its record and receiving regulator, for the pages and the API."""
    record = db.get(RiskRecord, report.record_id)
    regulator = db.get(Organisation, report.organisation_id)
    enterprise = db.get(Organisation, report.enterprise_organisation_id)
    return {
        "id": report.id, "kind": report.kind, "reference": report.reference,
        "record_id": report.record_id, "record_number": record.record_number if record else "",
        "enterprise_organisation_id": report.enterprise_organisation_id,
        "organisation_id": report.organisation_id,
        "receiving_organisation": regulator.name(language) if regulator else "",
        "enterprise": enterprise.name(language) if enterprise else "",
        "route": report.route, "details": report.details, "created_at": report.created_at,
        "record": record,
        "attachments": attachments.attachments_of(db, report.record_id),
    }
