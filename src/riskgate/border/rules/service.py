"""Control rules (布控指令): written by hand or derived from a warning, validated, numbered
(BK-2026-0001), versioned, suspended, resumed and retired through the rule's workflow
(`rules.workflow.RULE_FLOW`), and served to screening as `RuleSpec`s with a version string for
caching the compiled index.

Derivation from warnings lives in `rules.derivation` (which follows `warning.issued`). An
accepted lifting petition (a later stage) tells the border through `leave_out_enterprise`: the
enterprise's codes leave the rule, and the rule remembers them (`excluded_enterprise_codes`) so
that they stay out when it is derived again."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.audit.chain import to_jsonable
from riskgate.border.codes import enterprise_codes_of, normalise_enterprise_code, normalise_hs
from riskgate.border.enums import ControlAction, RuleOrigin, RuleStatus
from riskgate.border.models import ControlRule
from riskgate.border.rules.schemas import ControlRuleIn, ControlRuleUpdate
from riskgate.border.rules.workflow import (
    LIST_FIELDS,
    OBJECT,
    OBJECT_TYPE,
    PRODUCT_FIELDS,
    RULE_FLOW,
    SCOPE_FIELDS,
    SNAPSHOT_FIELDS,
)
from riskgate.border.screening.types import RuleSpec
from riskgate.catalog.reference import country_resolve, hs_lookup, port
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.core.numbers import next_number
from riskgate.core.workflow import move
from riskgate.identity.models import Organisation
from riskgate.identity.scope import get_in_scope, in_subtree
from riskgate.search.folding import fold

EDITABLE = ("title", "direction", *LIST_FIELDS, "action", "sampling_rate", "priority",
            "valid_from", "valid_until")


def snapshot(rule: ControlRule) -> dict[str, Any]:
    """The rule's audited fields as the audit trail stores them (creation and edits)."""
    return {name: to_jsonable(getattr(rule, name)) for name in SNAPSHOT_FIELDS}


# --- validation -------------------------------------------------------------------------------


def _hs_problem(digits: str) -> str | None:
    if not digits.isdigit() or not digits.isascii():
        return N_("An HS prefix has digits only: {code}.")
    if not 2 <= len(digits) <= 10:
        return N_("An HS prefix has 2 to 10 digits: {code}.")
    for length in (2, 4, 6):
        if len(digits) >= length and hs_lookup(digits[:length]) is None:
            return N_("HS code {code} is not in the catalogue.")
    return None


def validate_scope(values: dict[str, Any]) -> dict[str, Any]:
    """Normalise a rule's scope, rates and validity, or raise ValidationFailed naming each bad
    field: an empty scope, an unknown HS prefix / country / port, a value given twice, a sampling
    rate outside (0, 1], an end of validity before its start."""
    problems: list[FieldProblem] = []
    out = dict(values)
    normalisers: dict[str, Callable[[str], str]] = {
        "hs_prefixes": normalise_hs, "countries": lambda v: v.strip().upper(),
        "enterprise_codes": normalise_enterprise_code, "keywords": lambda v: " ".join(v.split()),
        "barcodes": lambda v: "".join(v.split()), "ports": lambda v: v.strip(),
        **{name: lambda v: " ".join(v.split()) for name in PRODUCT_FIELDS},
    }
    for name, normalise in normalisers.items():
        cleaned: list[str] = []
        seen: set[str] = set()
        for index, raw in enumerate(values.get(name) or []):
            value = normalise(str(raw))
            loc = f"{name}.{index}"
            if not value:
                problems.append(FieldProblem(loc, N_("Empty value.")))
                continue
            message = None
            if name == "hs_prefixes":
                message = _hs_problem(value)
            elif name == "countries":
                resolved = country_resolve(value)
                if resolved is None:
                    message = N_("Unknown code: {code}.")
                else:
                    value = resolved
            elif name == "ports" and port(value) is None:
                message = N_("Unknown code: {code}.")
            elif len(value) > 200:
                message = N_("Too long: {code}.")
            if message is not None:
                problems.append(FieldProblem(loc, message, {"code": str(raw)[:50]}))
                continue
            key = fold(value) if name in ("keywords", *PRODUCT_FIELDS) else value
            if key in seen:
                problems.append(FieldProblem(loc, N_("{code} is listed twice."),
                                             {"code": str(raw)[:50]}))
                continue
            seen.add(key)
            cleaned.append(value)
        out[name] = cleaned
    if not any(out[name] for name in SCOPE_FIELDS) and not problems:
        problems.append(FieldProblem("hs_prefixes", N_(
            "Give at least one of HS prefixes, countries, enterprise codes, keywords or "
            "barcodes.")))
    rate = values.get("sampling_rate", 1.0)
    if rate is None or not 0 < float(rate) <= 1:
        problems.append(FieldProblem("sampling_rate", N_(
            "The sampling rate must be above 0 and at most 1.")))
    start, end = values.get("valid_from"), values.get("valid_until")
    for name, moment in (("valid_from", start), ("valid_until", end)):
        if moment is not None and moment.tzinfo is None:
            out[name] = moment.replace(tzinfo=dt.UTC)
    if out.get("valid_until") and out.get("valid_from") and out["valid_until"] <= out[
            "valid_from"]:
        problems.append(FieldProblem("valid_until", N_(
            "The end of validity must come after its start.")))
    if problems:
        raise ValidationFailed(fields=problems)
    return out


# --- creating and changing --------------------------------------------------------------------


def create_rule(db: Session, actor: Actor, body: ControlRuleIn, *,
                organisation_id: int | None = None, warning_id: int | None = None,
                origin: RuleOrigin = RuleOrigin.manual) -> ControlRule:
    """A new active rule, numbered and audited. Hand-written rules belong to the actor's
    organisation; derived ones to the warning's issuer."""
    values = validate_scope({**body.model_dump(),
                             "valid_from": body.valid_from or utcnow()})
    rule = ControlRule(
        number=next_number(db, "BK"), organisation_id=organisation_id or actor.organisation_id,
        warning_id=warning_id, origin=origin, status=RuleStatus.active, version=1,
        created_by=actor.username, updated_by=actor.username,
        **{name: values[name] for name in EDITABLE})
    db.add(rule)
    db.flush()
    audit.record(db, actor, "control_rule.create", object_type=OBJECT_TYPE, object_id=rule.id,
                 after=snapshot(rule), organisation_id=rule.organisation_id)
    return rule


def apply_changes(db: Session, actor: Actor, rule: ControlRule, changes: dict[str, Any],
                  *, action: str, reason: str | None) -> ControlRule:
    """Validate the rule as it would be after `changes`; if anything differs, version += 1."""
    if rule.status == RuleStatus.retired:
        RULE_FLOW.check(rule, RuleStatus.retired)  # a retired rule changes no more: that 409
    merged = {name: getattr(rule, name) for name in EDITABLE}
    merged.update(changes)
    values = validate_scope(merged)
    before = snapshot(rule)
    changed = False
    for name in EDITABLE:
        if getattr(rule, name) != values[name]:
            setattr(rule, name, values[name])
            changed = True
    if not changed:
        return rule
    rule.version += 1
    rule.updated_by = actor.username
    db.flush()
    old, new = audit.diff(before, snapshot(rule))
    audit.record(db, actor, action, object_type=OBJECT_TYPE, object_id=rule.id, before=old,
                 after=new, reason=reason, organisation_id=rule.organisation_id)
    return rule


def update_rule(db: Session, actor: Actor, rule_id: int, body: ControlRuleUpdate) -> ControlRule:
    """Change the fields given (PATCH): validated as a whole, version += 1, audited."""
    rule = get_rule(db, actor, rule_id, own=True)
    changes = body.model_dump(exclude_unset=True)
    reason = changes.pop("reason", None)
    return apply_changes(db, actor, rule, changes, action="control_rule.update", reason=reason)


def _touched(rule: ControlRule, actor: Actor, target: RuleStatus, **unaudited: Any) -> None:
    """Who last changed the rule (and when it retired): recorded with a move but, as ever, not
    in its audit entry. Checked first, so that a refused move changes nothing."""
    RULE_FLOW.check(rule, target)
    rule.updated_by = actor.username
    for name, value in unaudited.items():
        setattr(rule, name, value)


def suspend_rule(db: Session, actor: Actor, rule_id: int, reason: str | None) -> ControlRule:
    rule = get_rule(db, actor, rule_id, own=True)
    _touched(rule, actor, RuleStatus.suspended)
    move(db, RULE_FLOW, rule, RuleStatus.suspended, actor=actor, action="control_rule.suspend",
         reason=reason)
    return rule


def resume_rule(db: Session, actor: Actor, rule_id: int, reason: str | None) -> ControlRule:
    rule = get_rule(db, actor, rule_id, own=True)
    _touched(rule, actor, RuleStatus.active)
    move(db, RULE_FLOW, rule, RuleStatus.active, actor=actor, action="control_rule.resume",
         reason=reason)
    return rule


def retire(db: Session, actor: Actor, rule: ControlRule, reason: str) -> ControlRule:
    """Retire a rule for good, with the reason (by hand, on lifting, or an accepted petition)."""
    _touched(rule, actor, RuleStatus.retired, retired_at=utcnow())
    move(db, RULE_FLOW, rule, RuleStatus.retired, actor=actor, action="control_rule.retire",
         reason=reason, retired_reason=reason)
    return rule


def retire_rule(db: Session, actor: Actor, rule_id: int, reason: str) -> ControlRule:
    return retire(db, actor, get_rule(db, actor, rule_id, own=True), reason)


def remove_enterprise_code(db: Session, actor: Actor, rule: ControlRule, codes: list[str],
                           reason: str) -> ControlRule:
    """Take an enterprise's codes out of a rule (an accepted lifting petition); a rule left with
    no scope at all is retired instead."""
    drop = {normalise_enterprise_code(code) for code in codes if code}
    remaining = [code for code in rule.enterprise_codes if code not in drop]
    if remaining == list(rule.enterprise_codes):
        return rule
    if not remaining and not any(getattr(rule, name) for name in SCOPE_FIELDS
                                 if name != "enterprise_codes"):
        return retire(db, actor, rule, reason)
    return apply_changes(db, actor, rule, {"enterprise_codes": remaining},
                         action="control_rule.remove_enterprise", reason=reason)


def leave_out_enterprise(db: Session, actor: Actor, rule_id: int, organisation_id: int,
                         reason: str) -> ControlRule | None:
    """The issuer accepted an enterprise's lifting petition against this rule: its codes leave
    the rule (a rule left with no scope is retired) and are recorded on it, so that they stay
    out when the rule is derived again from its warning. A retired rule (or none) is left as it
    is. The petition's decision is audited by the evaluation stage; the rule's change here."""
    rule = db.get(ControlRule, rule_id)
    if rule is None or rule.status == RuleStatus.retired:
        return rule
    codes = sorted(enterprise_codes_of(db, [organisation_id]))
    excluded = sorted({*rule.excluded_enterprise_codes, *codes})
    if excluded != list(rule.excluded_enterprise_codes):
        rule.excluded_enterprise_codes = excluded
    return remove_enterprise_code(db, actor, rule, codes, reason)


def rule_listing(db: Session, rule_id: int, organisation_id: int | None) -> ControlRule:
    """A rule that lists one of the organisation's codes (what its enterprise may petition
    against), else NotFound."""
    rule = db.get(ControlRule, rule_id)
    codes = enterprise_codes_of(db, [organisation_id]) if organisation_id else set()
    if rule is None or not codes & set(rule.enterprise_codes):
        raise NotFound(OBJECT)
    return rule


def rules_listing(db: Session, organisation_id: int) -> list[ControlRule]:
    """Live or suspended rules derived from warnings that list one of the organisation's codes,
    newest first."""
    codes = enterprise_codes_of(db, [organisation_id])
    found = db.execute(select(ControlRule).where(
        ControlRule.status != RuleStatus.retired, ControlRule.warning_id.is_not(None),
    ).order_by(ControlRule.id.desc())).scalars()
    return [rule for rule in found if codes & set(rule.enterprise_codes)]


def rules_of_warning(db: Session, warning_id: int) -> set[int]:
    """Ids of the rules derived from a warning (any status)."""
    return set(db.execute(select(ControlRule.id).where(
        ControlRule.warning_id == warning_id)).scalars())


# --- reading ----------------------------------------------------------------------------------


def get_rule(db: Session, actor: Actor, rule_id: int, *, own: bool = False) -> ControlRule:
    """A rule in the actor's subtree, or (for reading only) a live rule that applies at the
    actor's port. Anything else is 404."""
    if own:
        return get_in_scope(db, ControlRule, rule_id, actor, ControlRule.organisation_id,
                            object_name=OBJECT)
    found: ControlRule | None = db.execute(rules_statement(db, actor).where(
        ControlRule.id == rule_id)).scalar_one_or_none()
    if found is None:
        raise NotFound(OBJECT)
    return found


def _actor_port(db: Session, actor: Actor) -> str | None:
    if actor.organisation_id is None:
        return None
    return db.execute(select(Organisation.port_code).where(
        Organisation.id == actor.organisation_id)).scalar_one_or_none()


def rules_statement(db: Session, actor: Actor, *, status: RuleStatus | None = None,
                    action: ControlAction | None = None, origin: RuleOrigin | None = None,
                    warning_id: int | None = None) -> Select[Any]:
    """Rules the actor may read: those of its organisation subtree, plus the active rules that
    apply at the actor's own port (all ports, or naming it) wherever they were issued."""
    stmt = select(ControlRule)
    if not actor.is_system:
        own = ControlRule.organisation_id.in_(select(Organisation.id).where(
            in_subtree(Organisation.path, actor.organisation_path or "/none/")))
        port_code = _actor_port(db, actor)
        if port_code and actor.organisation_path:
            live = db.execute(select(ControlRule.id, ControlRule.ports).where(
                ControlRule.status == RuleStatus.active)).all()
            ids = [row.id for row in live if not row.ports or port_code in row.ports]
            stmt = stmt.where(or_(own, ControlRule.id.in_(ids)) if ids else own)
        elif actor.organisation_path:
            stmt = stmt.where(own)
        else:
            stmt = stmt.where(false())
    if status is not None:
        stmt = stmt.where(ControlRule.status == status)
    if action is not None:
        stmt = stmt.where(ControlRule.action == action)
    if origin is not None:
        stmt = stmt.where(ControlRule.origin == origin)
    if warning_id is not None:
        stmt = stmt.where(ControlRule.warning_id == warning_id)
    return stmt


# --- screening --------------------------------------------------------------------------------


def to_spec(rule: ControlRule) -> RuleSpec:
    """The engine's view of a rule: HS digits, upper-case countries and codes, folded keywords."""
    return RuleSpec(
        id=rule.id, action=ControlAction(rule.action).value, priority=rule.priority,
        sampling_rate=float(rule.sampling_rate),
        hs_prefixes=tuple(normalise_hs(v) for v in rule.hs_prefixes),
        countries=tuple(v.strip().upper() for v in rule.countries),
        enterprise_codes=tuple(normalise_enterprise_code(v) for v in rule.enterprise_codes),
        keywords=tuple(k for k in (fold(v).strip() for v in rule.keywords) if k),
        barcodes=tuple("".join(v.split()) for v in rule.barcodes),
        ports=tuple(rule.ports),
        brands=tuple(rule.brands or ()), models=tuple(rule.models or ()),
        batches=tuple(rule.batches or ()),
        direction=rule.direction.value if rule.direction is not None else None,
    )


def live_rule_specs(db: Session, at: dt.datetime | None = None) -> tuple[str, list[RuleSpec]]:
    """The active rules valid at `at` (default now) as RuleSpecs, highest priority first, and a
    version string that changes whenever the live set or any live rule changes: a digest of the
    rules' (id, version, updated_at) plus the count and last change over all rules. Callers keep
    the compiled index while the version stays the same."""
    at = at or utcnow()
    rules = db.execute(select(ControlRule).where(
        ControlRule.status == RuleStatus.active, ControlRule.valid_from <= at,
        or_(ControlRule.valid_until.is_(None), and_(ControlRule.valid_until > at)),
    ).order_by(ControlRule.priority.desc(), ControlRule.id)).scalars().all()
    count, last = db.execute(select(func.count(ControlRule.id),
                                    func.max(ControlRule.updated_at))).one()
    digest = hashlib.sha1(usedforsecurity=False)
    for rule in rules:
        digest.update(f"{rule.id}:{rule.version}:{rule.updated_at.isoformat()};".encode())
    last_text = last.isoformat() if hasattr(last, "isoformat") else str(last)
    version = f"{count}-{last_text}-{digest.hexdigest()[:16]}"
    return version, [to_spec(rule) for rule in rules]

