"""Joint-disposal rules (联防联控规则, R1): which measures a published warning requires, which
kind of unit leads each and which cooperate, and how soon it is due.

The default set (`DEFAULT_RULES`, documented in docs/response.md) is inserted by migration 0019,
so a fresh install has it; `ensure_defaults` inserts it again where it is missing (tests, demo).
Matching: a rule applies when each of its level, warning type and product category is NULL or
equals the warning's (category compared, trimmed and case-insensitive, with the categories of
the warning's products). Per measure the most specific active rule wins: category, then type,
then level, then any; a tie goes to the newest rule (an editor's rule beats the default).
The warning's own `measures` not covered by any rule still become tasks, led by the issuer with
the fallback deadline of the warning's level (`FALLBACK_HOURS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.enums import MeasureType, WarningLevel
from riskgate.catalog.reference import measure_type
from riskgate.core.context import Actor
from riskgate.core.errors import FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.identity.enums import OrgType
from riskgate.response.models import DisposalRule

OBJECT = N_("joint-disposal rule")
OBJECT_TYPE = "disposal_rule"
_H = 1
_DAY = 24

# (name, level, warning type, category, measure, lead, cooperating, deadline hours)
DEFAULT_RULES: tuple[tuple[str, str | None, str | None, str | None, str, str, list[str], int],
                     ...] = (
    ("I 口岸管控", "I", None, None, "port_control", "district_customs",
     ["subordinate_customs"], 2 * _H),
    ("I 暂停销售", "I", None, None, "suspend_sales", "market_regulator",
     ["district_customs"], 24 * _H),
    ("I 缺陷召回", "I", None, None, "defect_recall", "market_regulator", [], 72 * _H),
    ("I 溯源调查", "I", None, None, "trace_investigation", "district_customs",
     ["market_regulator"], 48 * _H),
    ("II 口岸管控", "II", None, None, "port_control", "district_customs",
     ["subordinate_customs"], 12 * _H),
    ("II 溯源调查", "II", None, None, "trace_investigation", "district_customs", [], 72 * _H),
    ("II 市场定向监管", "II", None, None, "targeted_supervision", "market_regulator", [],
     7 * _DAY),
    ("III 定向监管", "III", None, None, "targeted_supervision", "market_regulator", [],
     7 * _DAY),
    ("III 口岸管控", "III", None, None, "port_control", "district_customs",
     ["subordinate_customs"], 48 * _H),
    ("IV 定向监管", "IV", None, None, "targeted_supervision", "market_regulator", [],
     14 * _DAY),
    ("I 食品 销毁", "I", None, "食品", "destroy", "market_regulator", ["district_customs"],
     72 * _H),
    ("II 食品 销毁", "II", None, "食品", "destroy", "market_regulator", ["district_customs"],
     7 * _DAY),
    ("I 儿童用品 缺陷召回", "I", None, "儿童用品", "defect_recall", "market_regulator",
     ["district_customs"], 48 * _H),
    ("II 儿童用品 缺陷召回", "II", None, "儿童用品", "defect_recall", "market_regulator", [],
     7 * _DAY),
    ("I 玩具 缺陷召回", "I", None, "玩具", "defect_recall", "market_regulator",
     ["district_customs"], 48 * _H),
    ("II 玩具 缺陷召回", "II", None, "玩具", "defect_recall", "market_regulator", [], 7 * _DAY),
)

# Deadline of a measure the warning names but no rule covers (led by the issuer).
FALLBACK_HOURS = {WarningLevel.I: 24, WarningLevel.II: 72, WarningLevel.III: 7 * _DAY,
                  WarningLevel.IV: 14 * _DAY}


def measure_label(code: str) -> str:
    """The Chinese name of a measure (messages name it; the code when the catalogue lacks it)."""
    entry = measure_type(code)
    return entry.label("zh-CN") if entry else code


def default_rows() -> list[dict[str, Any]]:
    """The default set as rows of `disposal_rule` (used by migration 0019 and `ensure_defaults`)."""
    return [{"name": name, "level": level, "warning_type": kind, "category": category,
             "measure": measure, "lead_org_type": lead, "cooperating_org_types": list(coop),
             "deadline_hours": hours, "instructions": None, "active": True, "is_default": True}
            for name, level, kind, category, measure, lead, coop, hours in DEFAULT_RULES]


def ensure_defaults(db: Session) -> int:
    """Insert the default rules missing by name (none when the migration already did);
    returns how many were added."""
    present = set(db.execute(select(DisposalRule.name).where(
        DisposalRule.is_default.is_(True))).scalars())
    added = 0
    for row in default_rows():
        if row["name"] not in present:
            db.add(DisposalRule(**row))
            added += 1
    db.flush()
    return added


@dataclass(frozen=True)
class Requirement:
    """One measure a warning requires: who leads, who cooperates, how soon."""

    measure: MeasureType
    lead_org_type: OrgType | None  # None: the issuing organisation leads
    cooperating_org_types: tuple[str, ...]
    deadline_hours: int
    rule_id: int | None
    instructions: str | None


def _specificity(rule: DisposalRule) -> tuple[int, int]:
    return ((4 if rule.category else 0) + (2 if rule.warning_type else 0)
            + (1 if rule.level else 0), rule.id)


def requirements(db: Session, *, level: WarningLevel, warning_type: Any,
                 categories: list[str], measures: list[str]) -> list[Requirement]:
    """What a warning of this level, type, product categories and named measures requires,
    one requirement per measure, in measure order."""
    wanted = {c.strip().lower() for c in categories if c and c.strip()}
    rules = db.execute(select(DisposalRule).where(DisposalRule.active.is_(True))).scalars()
    best: dict[str, DisposalRule] = {}
    for rule in rules:
        if rule.level is not None and rule.level != level:
            continue
        if rule.warning_type is not None and rule.warning_type != warning_type:
            continue
        if rule.category is not None and rule.category.strip().lower() not in wanted:
            continue
        current = best.get(rule.measure.value)
        if current is None or _specificity(rule) > _specificity(current):
            best[rule.measure.value] = rule
    found = [Requirement(MeasureType(rule.measure), OrgType(rule.lead_org_type),
                         tuple(rule.cooperating_org_types or ()), rule.deadline_hours, rule.id,
                         rule.instructions) for rule in best.values()]
    covered = set(best)
    for code in measures or []:
        if code not in covered and code in MeasureType.__members__:
            found.append(Requirement(MeasureType(code), None, (), FALLBACK_HOURS[level], None,
                                     None))
            covered.add(code)
    order = list(MeasureType)
    return sorted(found, key=lambda r: order.index(r.measure))


# ---------------------------------------------------------------- the editor

RULE_FIELDS = ("name", "level", "warning_type", "category", "measure", "lead_org_type",
               "cooperating_org_types", "deadline_hours", "instructions", "active")


def _check(data: dict[str, Any]) -> None:
    """Rules an input model cannot say: regulators only, as lead and cooperating units."""
    problems: list[FieldProblem] = []
    lead = data.get("lead_org_type")
    if lead is not None and OrgType(lead).is_enterprise:
        problems.append(FieldProblem("lead_org_type",
                                     N_("An enterprise cannot lead a joint-disposal measure.")))
    for index, kind in enumerate(data.get("cooperating_org_types") or []):
        if OrgType(kind).is_enterprise:
            problems.append(FieldProblem(f"cooperating_org_types.{index}",
                                         N_("Cooperating units are regulators, not enterprises.")))
    if problems:
        raise ValidationFailed(fields=problems)


def snapshot(rule: DisposalRule) -> dict[str, Any]:
    values = {name: getattr(rule, name) for name in RULE_FIELDS}
    return {k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}


def list_rules(db: Session, *, include_inactive: bool = True) -> list[DisposalRule]:
    stmt = select(DisposalRule)
    if not include_inactive:
        stmt = stmt.where(DisposalRule.active.is_(True))
    return list(db.execute(stmt.order_by(DisposalRule.level, DisposalRule.measure,
                                         DisposalRule.id)).scalars())


def get_rule(db: Session, rule_id: int) -> DisposalRule:
    rule = db.get(DisposalRule, rule_id)
    if rule is None:
        raise NotFound(OBJECT)
    return rule


def create_rule(db: Session, actor: Actor, data: dict[str, Any]) -> DisposalRule:
    """A new rule from the editor (`schemas.DisposalRuleIn` values); audited."""
    _check(data)
    rule = DisposalRule(**{k: data.get(k) for k in RULE_FIELDS if k != "active"},
                        active=data.get("active", True), is_default=False,
                        updated_by=actor.username)
    rule.cooperating_org_types = [str(getattr(c, "value", c)) for c in
                                  data.get("cooperating_org_types") or []]
    db.add(rule)
    db.flush()
    audit.record(db, actor, "response.rule.create", object_type=OBJECT_TYPE, object_id=rule.id,
                 after=snapshot(rule), organisation_id=actor.organisation_id)
    return rule


def update_rule(db: Session, actor: Actor, rule_id: int, data: dict[str, Any]) -> DisposalRule:
    """Change the given fields of a rule (a default rule too); audited with what changed."""
    rule = get_rule(db, rule_id)
    merged = {**snapshot(rule), **data}
    _check(merged)
    before = snapshot(rule)
    for name, value in data.items():
        if name == "cooperating_org_types":
            value = [str(getattr(c, "value", c)) for c in value or []]
        setattr(rule, name, value)
    rule.updated_by = actor.username
    db.flush()
    old, new = audit.diff(before, snapshot(rule))
    audit.record(db, actor, "response.rule.update", object_type=OBJECT_TYPE, object_id=rule.id,
                 before=old, after=new, organisation_id=actor.organisation_id)
    return rule


def deactivate_rule(db: Session, actor: Actor, rule_id: int,
                    reason: str | None = None) -> DisposalRule:
    """Stop using a rule (kept for the tasks that name it); audited."""
    rule = get_rule(db, rule_id)
    if rule.active:
        rule.active = False
        rule.updated_by = actor.username
        db.flush()
        audit.record(db, actor, "response.rule.deactivate", object_type=OBJECT_TYPE,
                     object_id=rule.id, before={"active": True}, after={"active": False},
                     reason=reason, organisation_id=actor.organisation_id)
    return rule
