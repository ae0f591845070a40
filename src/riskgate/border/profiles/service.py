"""Risk profiles (风险参数): enterprise credit grades, origin-country and commodity risk scores,
and per-port lane targets; validated and audited, and read as one screening `Policy`.

Profiles are national reference data: anyone with RISK_PROFILE_MANAGE keeps them, anyone with
CONTROL_RULE_READ reads them (no organisation scope)."""

from __future__ import annotations

import csv
import io
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.border.codes import normalise_enterprise_code, normalise_hs
from riskgate.border.enums import CreditGrade
from riskgate.border.models import CommodityRisk, CountryRisk, EnterpriseCredit, PortLaneTarget
from riskgate.border.profiles.schemas import (
    CommodityRiskIn,
    CountryRiskIn,
    CreditGradeIn,
    PortTargetIn,
)
from riskgate.border.screening.types import Policy, PortTarget
from riskgate.catalog.reference import country_resolve, hs_lookup, port
from riskgate.core.context import Actor
from riskgate.core.errors import FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.identity.models import Organisation

# --- what screening reads ---------------------------------------------------------------------


def current_policy(db: Session) -> Policy:
    """The screening policy from the profiles; the contract's defaults where a table is empty
    (credit multipliers are fixed by the contract, not stored)."""
    countries = {row.country: float(row.score) for row in db.execute(
        select(CountryRisk.country, CountryRisk.score))}
    commodities = {row.hs_prefix: float(row.score) for row in db.execute(
        select(CommodityRisk.hs_prefix, CommodityRisk.score))}
    targets = {
        row.port_code: PortTarget(red_rate=row.red_rate, yellow_rate=row.yellow_rate,
                                  blue_rate=row.blue_rate, min_random_rate=row.min_random_rate)
        for row in db.execute(select(PortLaneTarget)).scalars()
    }
    return Policy(country_scores=countries, commodity_scores=commodities, port_targets=targets)


def credit_grade(db: Session, trader_code: str) -> CreditGrade:
    """An enterprise's credit grade by its code; ordinary when unknown."""
    code = normalise_enterprise_code(trader_code or "")
    if not code:
        return CreditGrade.ordinary
    grade = db.execute(select(EnterpriseCredit.grade).where(
        EnterpriseCredit.enterprise_code == code)).scalar_one_or_none()
    return CreditGrade(grade) if grade is not None else CreditGrade.ordinary


def credit_grades(db: Session, codes: list[str]) -> dict[str, CreditGrade]:
    """Grades of many codes at once (unknown codes are left out: ordinary)."""
    wanted = sorted({normalise_enterprise_code(c) for c in codes if c})
    found: dict[str, CreditGrade] = {}
    for start in range(0, len(wanted), 500):
        for row in db.execute(select(EnterpriseCredit.enterprise_code, EnterpriseCredit.grade)
                              .where(EnterpriseCredit.enterprise_code.in_(
                                  wanted[start:start + 500]))):
            found[row.enterprise_code] = CreditGrade(row.grade)
    return found


# --- checks -----------------------------------------------------------------------------------


def _score_problem(loc: str, value: float) -> FieldProblem | None:
    if not 0 <= value <= 1:
        return FieldProblem(loc, N_("A score or rate must be between 0 and 1."))
    return None


def _raise(problems: list[FieldProblem | None]) -> None:
    real = [p for p in problems if p is not None]
    if real:
        raise ValidationFailed(fields=real)


def _audit(db: Session, actor: Actor, action: str, object_type: str, key: str,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    old, new = audit.diff(before, after) if before and after else (before, after)
    audit.record(db, actor, action, object_type=object_type, object_id=key, before=old,
                 after=new)


def _row(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: (getattr(obj, n).value if hasattr(getattr(obj, n), "value") else getattr(obj, n))
            for n in names}


# --- enterprise credit ------------------------------------------------------------------------

_CREDIT_FIELDS = ("enterprise_code", "name", "grade", "organisation_id")


def set_credit_grade(db: Session, actor: Actor, body: CreditGradeIn) -> EnterpriseCredit:
    """Create or replace an enterprise's grade; linked to the organisation whose USCC or
    foreign registration number is the code."""
    code = normalise_enterprise_code(body.enterprise_code)
    if not code.isalnum() or not code.isascii():
        _raise([FieldProblem("enterprise_code", N_(
            "An enterprise code has letters and digits only."))])
    org_id = db.execute(select(Organisation.id).where(or_(
        Organisation.uscc == code, Organisation.foreign_registration_number == code))
    ).scalars().first()
    row = db.execute(select(EnterpriseCredit).where(
        EnterpriseCredit.enterprise_code == code)).scalar_one_or_none()
    before = _row(row, _CREDIT_FIELDS) if row is not None else None
    if row is None:
        row = EnterpriseCredit(enterprise_code=code, name=body.name, grade=body.grade)
        db.add(row)
    row.name, row.grade, row.organisation_id = body.name, body.grade, org_id
    row.updated_by = actor.username
    db.flush()
    after = _row(row, _CREDIT_FIELDS)
    if before != after:
        _audit(db, actor, "risk_profile.credit_grade", "enterprise_credit", code, before, after)
    return row


def delete_credit_grade(db: Session, actor: Actor, code: str) -> None:
    row = db.execute(select(EnterpriseCredit).where(
        EnterpriseCredit.enterprise_code == normalise_enterprise_code(code))).scalar_one_or_none()
    if row is None:
        raise NotFound(N_("credit grade"))
    _audit(db, actor, "risk_profile.credit_grade_delete", "enterprise_credit",
           row.enterprise_code, _row(row, _CREDIT_FIELDS), None)
    db.delete(row)
    db.flush()


def upload_credit_grades(db: Session, actor: Actor, content: bytes
                         ) -> tuple[int, list[dict[str, Any]]]:
    """Apply a CSV of `enterprise_code,name,grade` rows (header required). Good rows are
    applied; bad ones come back with their line number, field and reason."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        _raise([FieldProblem("file", N_("The file is not UTF-8 text."))])
    reader = csv.DictReader(io.StringIO(text))
    missing = {"enterprise_code", "name", "grade"} - set(reader.fieldnames or [])
    if missing:
        _raise([FieldProblem("file", N_("The header lacks the columns: {columns}."),
                             {"columns": ", ".join(sorted(missing))})])
    applied = 0
    problems: list[dict[str, Any]] = []
    for row in reader:
        line = reader.line_num
        try:
            body = CreditGradeIn.model_validate({k: (row.get(k) or "").strip() for k in (
                "enterprise_code", "name", "grade")})
            with db.begin_nested():
                set_credit_grade(db, actor, body)
            applied += 1
        except ValidationFailed as error:
            problems += [{"line": line, "field": f.loc, "message": f.translated(actor.language)}
                         for f in error.fields]
        except ValueError as error:  # pydantic
            problems += [{"line": line, "field": str(e["loc"][0]) if e["loc"] else "",
                          "message": e["msg"]} for e in getattr(error, "errors", lambda: [])()]
    return applied, problems


def list_credit_grades(db: Session, grade: CreditGrade | None = None) -> list[EnterpriseCredit]:
    stmt = select(EnterpriseCredit).order_by(EnterpriseCredit.enterprise_code)
    if grade is not None:
        stmt = stmt.where(EnterpriseCredit.grade == grade)
    return list(db.execute(stmt.limit(2000)).scalars())


# --- country and commodity risk ---------------------------------------------------------------

_SCORE_FIELDS = ("score", "note")


def set_country_risk(db: Session, actor: Actor, body: CountryRiskIn) -> CountryRisk:
    code = country_resolve(body.country)
    _raise([None if code else FieldProblem("country", N_("Unknown code: {code}."),
                                           {"code": body.country}),
            _score_problem("score", body.score)])
    assert code is not None  # refused above otherwise
    return _set_score(db, actor, CountryRisk, "country", code, body, "country_risk")


def set_commodity_risk(db: Session, actor: Actor, body: CommodityRiskIn) -> CommodityRisk:
    prefix = normalise_hs(body.hs_prefix)
    problem = None
    if not prefix.isdigit() or not prefix.isascii() or not 2 <= len(prefix) <= 10:
        problem = FieldProblem("hs_prefix", N_("An HS prefix has 2 to 10 digits: {code}."),
                               {"code": body.hs_prefix})
    elif any(hs_lookup(prefix[:n]) is None for n in (2, 4, 6) if len(prefix) >= n):
        problem = FieldProblem("hs_prefix", N_("HS code {code} is not in the catalogue."),
                               {"code": body.hs_prefix})
    _raise([problem, _score_problem("score", body.score)])
    return _set_score(db, actor, CommodityRisk, "hs_prefix", prefix, body,
                      "commodity_risk")


Scored = TypeVar("Scored", CountryRisk, CommodityRisk)


def _set_score(db: Session, actor: Actor, model: type[Scored], key_field: str, key: str,
               body: CountryRiskIn | CommodityRiskIn, object_type: str) -> Scored:
    """Create or update a scored profile row (country or commodity risk), audited old → new."""
    row = db.get(model, key)
    before = _row(row, _SCORE_FIELDS) if row is not None else None
    if row is None:
        row = model(score=body.score, **{key_field: key})
        db.add(row)
    row.score, row.note, row.updated_by = body.score, body.note, actor.username
    db.flush()
    _audit(db, actor, f"risk_profile.{object_type}", object_type, key, before,
           _row(row, _SCORE_FIELDS))
    return row


def delete_country_risk(db: Session, actor: Actor, code: str) -> None:
    _delete(db, actor, CountryRisk, code.strip().upper(), "country_risk", _SCORE_FIELDS)


def delete_commodity_risk(db: Session, actor: Actor, prefix: str) -> None:
    _delete(db, actor, CommodityRisk, normalise_hs(prefix), "commodity_risk", _SCORE_FIELDS)


def _delete(db: Session, actor: Actor, model: Any, key: str, object_type: str,
            fields: tuple[str, ...]) -> None:
    row = db.get(model, key)
    if row is None:
        raise NotFound(N_("risk profile entry"))
    _audit(db, actor, f"risk_profile.{object_type}_delete", object_type, key,
           _row(row, fields), None)
    db.delete(row)
    db.flush()


# --- port lane targets ------------------------------------------------------------------------

_TARGET_FIELDS = ("red_rate", "yellow_rate", "blue_rate", "min_random_rate")


def set_port_target(db: Session, actor: Actor, body: PortTargetIn) -> PortLaneTarget:
    """Rates in [0, 1], red + yellow + blue at most 1, the minimum random rate at most red."""
    problems: list[FieldProblem | None] = [
        None if port(body.port_code) else FieldProblem("port_code", N_("Unknown code: {code}."),
                                                       {"code": body.port_code})]
    problems += [_score_problem(name, getattr(body, name)) for name in _TARGET_FIELDS]
    if body.red_rate + body.yellow_rate + body.blue_rate > 1 + 1e-9:
        problems.append(FieldProblem("blue_rate", N_(
            "Red, yellow and blue rates together must not exceed 1.")))
    if body.min_random_rate > body.red_rate:
        problems.append(FieldProblem("min_random_rate", N_(
            "The minimum random rate must not exceed the red rate.")))
    _raise(problems)
    row = db.get(PortLaneTarget, body.port_code)
    before = _row(row, _TARGET_FIELDS) if row is not None else None
    if row is None:
        row = PortLaneTarget(port_code=body.port_code, **{n: getattr(body, n)
                                                          for n in _TARGET_FIELDS})
        db.add(row)
    for name in _TARGET_FIELDS:
        setattr(row, name, getattr(body, name))
    row.updated_by = actor.username
    db.flush()
    _audit(db, actor, "risk_profile.port_target", "port_lane_target", body.port_code, before,
           _row(row, _TARGET_FIELDS))
    return row


def delete_port_target(db: Session, actor: Actor, port_code: str) -> None:
    _delete(db, actor, PortLaneTarget, port_code.strip(), "port_lane_target", _TARGET_FIELDS)


def list_country_risks(db: Session) -> list[CountryRisk]:
    return list(db.execute(select(CountryRisk).order_by(CountryRisk.country)).scalars())


def list_commodity_risks(db: Session) -> list[CommodityRisk]:
    return list(db.execute(select(CommodityRisk).order_by(CommodityRisk.hs_prefix)).scalars())


def list_port_targets(db: Session) -> list[PortLaneTarget]:
    return list(db.execute(select(PortLaneTarget).order_by(PortLaneTarget.port_code)).scalars())
