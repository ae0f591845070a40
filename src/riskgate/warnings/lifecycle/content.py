"""A warning's content beyond its own row: checking codes against the catalogue, writing the
product, enterprise and evidence rows, the filter facets, and the full snapshot frozen at
publication. Used by the life-cycle service (and, for the snapshot, by publication)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from riskgate.assessment.models import RiskAssessment
from riskgate.catalog.countries import country
from riskgate.catalog.geography import port, region
from riskgate.catalog.hs import hs_code_problem, normalise_hs_code
from riskgate.core.context import Actor
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.identity.enums import OrgType
from riskgate.identity.models import Organisation
from riskgate.identity.scope import scope_condition
from riskgate.records.models import RiskRecord
from riskgate.signals.models import Signal
from riskgate.warnings.enums import EvidenceKind
from riskgate.warnings.lifecycle.schemas import EnterpriseIn, EvidenceIn, ProductIn, WarningIn
from riskgate.warnings.models import (
    PublicWarning,
    WarningEnterprise,
    WarningEvidence,
    WarningFacet,
    WarningProduct,
)

# Each kind of evidence: its table, and what a message calls one of its rows.
_EVIDENCE: dict[EvidenceKind, tuple[Any, str]] = {
    EvidenceKind.record: (RiskRecord, N_("risk record")),
    EvidenceKind.signal: (Signal, N_("signal")),
    EvidenceKind.assessment: (RiskAssessment, N_("risk assessment")),
}


def check_codes(field: str, codes: list[str], kind: str) -> tuple[list[str], list[FieldProblem]]:
    """Normalise country / region / port codes; unknown ones become field problems."""
    cleaned: list[str] = []
    problems: list[FieldProblem] = []
    for index, raw in enumerate(codes):
        code = raw.strip().upper() if kind == "country" else raw.strip()
        found = {"country": country, "region": region, "port": port}[kind](code)
        if found is None:
            problems.append(FieldProblem(f"{field}.{index}", N_("Unknown code: {code}."),
                                         {"code": raw}))
        elif code not in cleaned:
            cleaned.append(code)
    return cleaned, problems


def check_products(products: list[ProductIn], field: str = "products"
                   ) -> tuple[list[dict[str, Any]], list[FieldProblem]]:
    rows: list[dict[str, Any]] = []
    problems: list[FieldProblem] = []
    for index, product in enumerate(products):
        row = product.model_dump()
        if product.hs_code:
            problem = hs_code_problem(product.hs_code)
            if problem:
                problems.append(FieldProblem(f"{field}.{index}.hs_code",
                                             N_("Invalid HS code {code}: {problem}."),
                                             {"code": product.hs_code, "problem": problem}))
            else:
                row["hs_code"] = normalise_hs_code(product.hs_code)
        rows.append(row)
    return rows, problems


def check_enterprises(db: Session, enterprises: list[EnterpriseIn]) -> list[FieldProblem]:
    """Every named enterprise must be an active registered enterprise organisation."""
    ids = {e.organisation_id for e in enterprises}
    found = {row.id: row for row in db.execute(select(Organisation.id, Organisation.org_type,
                                                      Organisation.active)
                                               .where(Organisation.id.in_(ids)))} if ids else {}
    problems = []
    seen: set[int] = set()
    for index, enterprise in enumerate(enterprises):
        row = found.get(enterprise.organisation_id)
        if row is None or not row.active or not OrgType(row.org_type).is_enterprise:
            problems.append(FieldProblem(f"enterprises.{index}.organisation_id",
                                         N_("No enterprise with id {id} is registered."),
                                         {"id": enterprise.organisation_id}))
        elif enterprise.organisation_id in seen:
            problems.append(FieldProblem(f"enterprises.{index}.organisation_id",
                                         N_("This enterprise is named twice.")))
        seen.add(enterprise.organisation_id)
    return problems


def check_evidence(db: Session, actor: Actor, evidence: list[EvidenceIn]) -> list[FieldProblem]:
    """Evidence must exist and lie in the drafter's data scope (so its existence outside scope
    is not disclosed, the message is the same)."""
    problems = []
    for index, item in enumerate(evidence):
        model, name = _EVIDENCE[item.kind]
        stmt = select(model.id).where(model.id == item.object_id)
        condition = scope_condition(actor, model.organisation_id)
        if condition is not None:
            stmt = stmt.where(condition)
        if db.execute(stmt).first() is None:
            problems.append(FieldProblem(f"evidence.{index}.object_id",
                                         N_("No {kind} with id {id} in your scope."),
                                         {"kind": name, "id": item.object_id}))
    return problems


def raise_if(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationFailed(fields=problems)


def check(db: Session, actor: Actor, data: WarningIn) -> dict[str, Any]:
    """Every code, product, enterprise and piece of evidence of a draft checked (one 422 naming
    each problem); the normalised codes and product rows to store."""
    problems: list[FieldProblem] = []
    countries, found = check_codes("origin_countries", data.origin_countries, "country")
    problems += found
    regions, found = check_codes("regions", data.regions, "region")
    problems += found
    ports, found = check_codes("ports", data.ports, "port")
    problems += found
    products, found = check_products(data.products)
    problems += found
    problems += check_enterprises(db, data.enterprises)
    problems += check_evidence(db, actor, data.evidence)
    if data.effective_from and data.effective_until and data.effective_until < data.effective_from:
        problems.append(FieldProblem("effective_until",
                                     N_("The end date is before the start date.")))
    raise_if(problems)
    return {"origin_countries": countries, "regions": regions, "ports": ports,
            "products": products}


def replace_products(db: Session, warning: PublicWarning, rows: list[dict[str, Any]]) -> None:
    db.execute(delete(WarningProduct).where(WarningProduct.warning_id == warning.id))
    for position, row in enumerate(rows):
        db.add(WarningProduct(warning_id=warning.id, position=position, **row))
    db.flush()


def replace_enterprises(db: Session, warning: PublicWarning,
                        enterprises: list[EnterpriseIn]) -> None:
    db.execute(delete(WarningEnterprise).where(WarningEnterprise.warning_id == warning.id))
    for item in enterprises:
        db.add(WarningEnterprise(warning_id=warning.id, organisation_id=item.organisation_id,
                                 role=item.role))
    db.flush()


def replace_evidence(db: Session, warning: PublicWarning, evidence: list[EvidenceIn]) -> None:
    db.execute(delete(WarningEvidence).where(WarningEvidence.warning_id == warning.id))
    seen = set()
    for item in evidence:
        if (item.kind, item.object_id) not in seen:
            db.add(WarningEvidence(warning_id=warning.id, kind=item.kind,
                                   object_id=item.object_id))
            seen.add((item.kind, item.object_id))
    db.flush()


def products_of(db: Session, warning_id: int) -> list[WarningProduct]:
    return list(db.execute(select(WarningProduct).where(WarningProduct.warning_id == warning_id)
                           .order_by(WarningProduct.position, WarningProduct.id)).scalars())


def enterprises_of(db: Session, warning_id: int) -> list[WarningEnterprise]:
    return list(db.execute(select(WarningEnterprise).where(
        WarningEnterprise.warning_id == warning_id).order_by(WarningEnterprise.id)).scalars())


def evidence_of(db: Session, warning_id: int) -> list[WarningEvidence]:
    return list(db.execute(select(WarningEvidence).where(
        WarningEvidence.warning_id == warning_id).order_by(WarningEvidence.id)).scalars())


def rebuild_facets(db: Session, warning: PublicWarning) -> None:
    """The filter values of the warning as now in force (see `WarningFacet`)."""
    db.execute(delete(WarningFacet).where(WarningFacet.warning_id == warning.id))
    values: set[tuple[str, str]] = set()
    for code in warning.origin_countries or []:
        values.add(("country", code))
    for code in warning.regions or []:
        values.add(("region", code))
    for code in warning.ports or []:
        values.add(("port", code))
    for product in products_of(db, warning.id):
        if product.hs_code:
            values.add(("hs", product.hs_code))
            values.add(("chapter", product.hs_code[:2]))
        if product.category:
            values.add(("category", product.category.strip()[:100]))
    for enterprise in enterprises_of(db, warning.id):
        values.add(("enterprise", str(enterprise.organisation_id)))
    for facet, value in sorted(values):
        db.add(WarningFacet(warning_id=warning.id, facet=facet, value=value))
    db.flush()


def full_snapshot(db: Session, warning: PublicWarning) -> dict[str, Any]:
    """The warning with its products and enterprises, as JSON: frozen into `original` at
    publication and compared by adjustments."""
    snapshot = warning.snapshot()
    snapshot.pop("status", None)
    snapshot["published_at"] = warning.published_at.isoformat() if warning.published_at else None
    snapshot["products"] = [p.snapshot() for p in products_of(db, warning.id)]
    snapshot["enterprises"] = [{"organisation_id": e.organisation_id, "role": e.role.value}
                               for e in enterprises_of(db, warning.id)]
    return snapshot
