"""Declaration screening service (U3): one declaration through the API, the shared steps of
batches and files (`declarations.batch`), replay, and the queries of the pages.

Screening reads three things that change rarely: the compiled live control rules, the policy
(credit multipliers, country and commodity scores, port targets) and, per declaration, the
trader's credit grade. The first two are kept per process: recompiled when the rule-set version
changes, looked at again at most every few seconds (other processes' changes) and at once when
this process flushes a change to a rule or a profile (`_watch_changes`). The per-port ledger
(lines seen per lane today) is a row per (port, day), locked while a declaration is screened;
the counts the declaration saw are kept on it (`Declaration.ledger`) so that `replay` can redo
the decision with the same seed and the same counts.

Audit: one entry per declaration screened through the API, one per batch or file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, Table, and_, case, event, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.border.codes import normalise_enterprise_code
from riskgate.border.declarations.schemas import CheckedDeclaration, check_declaration
from riskgate.border.enums import (
    LANE_SEVERITY,
    CreditGrade,
    DeclarationSource,
    Direction,
    Lane,
    RuleStatus,
)
from riskgate.border.models import (
    CommodityRisk,
    ControlRule,
    CountryRisk,
    Declaration,
    DeclarationBatch,
    DeclarationLine,
    PortLaneLedger,
    PortLaneTarget,
)
from riskgate.border.profiles.service import credit_grade
from riskgate.border.profiles.service import current_policy as load_policy
from riskgate.border.rules.service import live_rule_specs, to_spec
from riskgate.border.screening.lanes import screen
from riskgate.border.screening.match import CompiledRules, compile_rules
from riskgate.border.screening.types import (
    LineDecision,
    LineInput,
    Policy,
    PortLedger,
)
from riskgate.core.context import Actor
from riskgate.core.db import bulk_insert, utcnow
from riskgate.core.errors import Conflict, FieldProblem, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.identity.models import Organisation
from riskgate.identity.scope import get_in_scope, scoped

T = TypeVar("T")
RULES_TTL = 5.0  # seconds before another process's rule change is seen
POLICY_TTL = 5.0
LANES = tuple(lane.value for lane in Lane)


# --- process caches ------------------------------------------------------------------------


@dataclass
class _Cached:
    value: Any
    version: str
    loaded: float
    generation: int


_cache_lock = threading.Lock()
_caches: dict[str, _Cached] = {}
_generation = {"rules": 0, "policy": 0, "ports": 0}


def invalidate_caches(*names: str) -> None:
    """Forget the compiled rules and the policy (all, or the ones named)."""
    with _cache_lock:
        for name in names or tuple(_generation):
            _generation[name] += 1


_WATCHED = {ControlRule: "rules", CountryRisk: "policy", CommodityRisk: "policy",
            PortLaneTarget: "policy", Organisation: "ports"}


@event.listens_for(Session, "after_flush")
def _watch_changes(session: Session, _context: Any) -> None:
    """A flushed change to a rule or profile makes this process reload it (now, and after the
    commit, so that a reload between flush and commit is not kept)."""
    touched = {name for obj in itertools.chain(session.new, session.dirty, session.deleted)
               for model, name in _WATCHED.items() if isinstance(obj, model)}
    if touched:
        session.info.setdefault("border_touched", set()).update(touched)
        invalidate_caches(*touched)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    touched = session.info.pop("border_touched", None)
    if touched:
        invalidate_caches(*touched)


def _cached(name: str, ttl: float, load: Callable[[], tuple[str, Callable[[], T]]]) -> T:
    """The cached value of `name`, reloaded when stale; `load()` gives (version, build)."""
    now = time.monotonic()
    entry = _caches.get(name)
    generation = _generation[name]
    if entry is not None and entry.generation == generation and now - entry.loaded < ttl:
        kept: T = entry.value
        return kept
    version, build = load()
    value: T = entry.value if entry is not None and entry.version == version else build()
    with _cache_lock:
        _caches[name] = _Cached(value, version, now, generation)
    return value


_rule_labels: dict[int, tuple[str, str]] = {}  # rule id → (number, action), with the rules


def _value(value: Any) -> str:
    return str(value.value if hasattr(value, "value") else value)


def compiled_rules(db: Session) -> CompiledRules:
    """The live control rules compiled once per rule-set version."""

    def load() -> tuple[str, Callable[[], CompiledRules]]:
        # A cheap probe (one aggregate) decides whether to reload: loading and compiling
        # 10,000 rules takes a few hundred milliseconds, too long to repeat every few seconds.
        now = utcnow()
        live = and_(ControlRule.status == RuleStatus.active, ControlRule.valid_from <= now,
                    or_(ControlRule.valid_until.is_(None), ControlRule.valid_until > now))
        count, last, live_count = db.execute(select(
            func.count(ControlRule.id), func.max(ControlRule.updated_at),
            func.coalesce(func.sum(case((live, 1), else_=0)), 0))).one()
        probe = f"{count}|{last}|{live_count}"

        def build() -> CompiledRules:
            specs = live_rule_specs(db, now)[1]
            labels = {row.id: (row.number, _value(row.action)) for row in db.execute(
                select(ControlRule.id, ControlRule.number, ControlRule.action).where(
                    ControlRule.status == RuleStatus.active))}
            _rule_labels.clear()
            _rule_labels.update(labels)
            return compile_rules(specs)

        return probe, build

    return _cached("rules", RULES_TTL, load)


def current_policy(db: Session) -> Policy:
    """The screening policy from the risk profiles, cached per process (see the module doc)."""
    return _cached("policy", POLICY_TTL, lambda: ("", lambda: load_policy(db)))


def known_ports(db: Session) -> frozenset[str]:
    """Port codes of organisations (ports the catalogue may not know), cached a minute."""
    def load() -> tuple[str, Callable[[], frozenset[str]]]:
        return "", lambda: frozenset(code for code in db.execute(
            select(Organisation.port_code).where(Organisation.port_code.is_not(None))).scalars()
            if code is not None)

    return _cached("ports", 60.0, load)


# --- the decision --------------------------------------------------------------------------


def seed_for(number: str) -> int:
    """A declaration's default seed: derived from its number, so a replay draws the same."""
    digest = hashlib.blake2b(number.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & (2**63 - 1)


def today() -> dt.date:
    return utcnow().date()


def lock_ledgers(db: Session, ports: list[str], day: dt.date) -> dict[str, PortLaneLedger]:
    """The ledger rows of `ports` for `day`, created when missing, locked until commit."""
    wanted = sorted(set(ports))

    def fetch() -> dict[str, PortLaneLedger]:
        stmt = select(PortLaneLedger).where(
            PortLaneLedger.day == day, PortLaneLedger.port_code == wanted[0]
            if len(wanted) == 1 else PortLaneLedger.port_code.in_(wanted))
        return {row.port_code: row for row in db.execute(stmt.with_for_update()).scalars()}

    rows = fetch()
    missing = [p for p in wanted if p not in rows]
    if missing:
        try:
            with db.begin_nested():
                for code in missing:
                    db.add(PortLaneLedger(port_code=code, day=day, seen=0, red=0, yellow=0,
                                          blue=0, green=0))
        except IntegrityError:
            pass  # another transaction created them first
        rows = fetch()
    return rows


def ledger_state(row: PortLaneLedger) -> dict[str, Any]:
    return {"seen": row.seen, "lanes": {lane: getattr(row, lane) for lane in LANES}}


def line_inputs(header: dict[str, Any], lines: list[dict[str, Any]], grade: str,
                seed: int) -> list[LineInput]:
    trader = normalise_enterprise_code(header["trader_code"] or "")
    return [
        LineInput(
            line_no=line["line_no"], hs_code=line["hs_code"], description=line["description"],
            trader_code=trader, port_code=header["port_code"],
            direction=str(header["direction"]), credit_grade=grade, seed=seed,
            brand=line.get("brand"), model=line.get("model"), barcode=line.get("barcode"),
            origin_country=line.get("origin_country") or header.get("origin_country"),
            batch=line.get("batch"),
        )
        for line in lines
    ]


def decide(header: dict[str, Any], lines: list[dict[str, Any]], grade: str, seed: int,
           compiled: CompiledRules, policy: Policy,
           state: dict[str, Any]) -> tuple[list[LineDecision], dict[str, Any]]:
    """Screen the lines against the port's counts `state` ({seen, lanes}); returns the decisions
    and the counts after them. Same inputs → same decisions (the engine's contract)."""
    port = header["port_code"]
    ledger = PortLedger(seen={port: int(state["seen"])},
                                  lanes={port: {k: int(v) for k, v in state["lanes"].items()}})
    decisions = screen(line_inputs(header, lines, grade, seed), compiled, policy, ledger)
    # The engine updates (and ages) the counts; keep what it left.
    return decisions, {"seen": int(ledger.seen.get(port, 0)),
                       "lanes": {k: int(v) for k, v in ledger.lanes.get(port, {}).items()}}


def store_reasons(decision: LineDecision,
                  rule_info: dict[int, tuple[str, str]]) -> list[dict[str, Any]]:
    """The decision's reasons as JSON, the rule's number added so pages can name it."""
    stored = []
    for reason in decision.reasons:
        params = {k: (v if isinstance(v, int | float | str | bool) or v is None else str(v))
                  for k, v in dict(reason.params).items()}
        rule_id = params.get("rule_id")
        if isinstance(rule_id, int) and rule_id in rule_info:
            params.setdefault("number", rule_info[rule_id][0])
            params.setdefault("action", rule_info[rule_id][1])
        stored.append({"kind": reason.kind, "lane": str(reason.lane), "params": params})
    return stored


def rule_info(db: Session, decisions: list[LineDecision]) -> dict[int, tuple[str, str]]:
    ids = {rid for d in decisions for rid in d.rule_ids}
    ids |= {rid for d in decisions for r in d.reasons
            if isinstance(rid := r.params.get("rule_id"), int)}
    found = {rid: _rule_labels[rid] for rid in ids if rid in _rule_labels}
    ordered = sorted(ids - set(found))
    for start in range(0, len(ordered), 500):
        for row in db.execute(select(ControlRule.id, ControlRule.number, ControlRule.action)
                              .where(ControlRule.id.in_(ordered[start:start + 500]))):
            found[row.id] = (row.number, _value(row.action))
    return found


def worst_lane(lanes: list[str]) -> Lane:
    return max((Lane(lane) for lane in lanes), key=lambda lane: LANE_SEVERITY[lane],
               default=Lane.green)


def line_row(declaration_id: int, line: dict[str, Any], decision: LineDecision,
             info: dict[int, tuple[str, str]]) -> dict[str, Any]:
    return {
        "declaration_id": declaration_id, "line_no": line["line_no"],
        "hs_code": line["hs_code"], "description": line["description"],
        "brand": line.get("brand"), "model": line.get("model"), "barcode": line.get("barcode"),
        "batch": line.get("batch"), "quantity": line["quantity"], "unit": line.get("unit"),
        "value": line["value"],
        "currency": line.get("currency"), "origin_country": line.get("origin_country"),
        "lane": Lane(decision.lane), "reasons": store_reasons(decision, info),
        "rule_ids": [int(r) for r in decision.rule_ids],
        "risk_score": float(decision.risk_score), "draw": float(decision.draw),
    }  # fmt: skip


def _lane_counts(lanes: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(LANES, 0)
    for lane in lanes:
        counts[str(lane)] += 1
    return counts


def save_ledger(row: PortLaneLedger, state: dict[str, Any]) -> None:
    row.seen = state["seen"]
    for lane in LANES:
        setattr(row, lane, int(state["lanes"].get(lane, 0)))


def table_of(model: Any) -> Table:
    """A model's table, for bulk inserts."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _problems_fields(checked: CheckedDeclaration) -> list[FieldProblem]:
    return checked.all_problems


def screen_declaration(db: Session, actor: Actor, data: dict[str, Any],
                       source: DeclarationSource = DeclarationSource.api) -> Declaration:
    """Check, screen and store one declaration: every line gets its lane and reasons. Any bad
    field refuses the whole declaration (422, each field named); a number already used is 409."""
    if actor.organisation_id is None:
        raise ValidationFailed(fields=[FieldProblem(
            "organisation", N_("Declarations must belong to an organisation."))])
    checked = check_declaration(data, known_ports(db))
    if checked.header is None or any(line.values is None for line in checked.lines):
        raise ValidationFailed(fields=_problems_fields(checked))
    header = checked.header
    lines = [line.values for line in checked.lines if line.values is not None]
    # A number already used fails the unique constraint at the insert below (409): one query
    # fewer than looking first, on the path that must stay fast.
    compiled, policy = compiled_rules(db), current_policy(db)
    grade = credit_grade(db, header["trader_code"])
    seed = header["seed"] if header["seed"] is not None else seed_for(header["number"])
    day = today()
    ledger_row = lock_ledgers(db, [header["port_code"]], day)[header["port_code"]]
    before = ledger_state(ledger_row)
    decisions, after = decide(header, lines, grade.value, seed, compiled, policy, before)
    info = rule_info(db, decisions)
    declaration = Declaration(
        number=header["number"], organisation_id=actor.organisation_id, source=source,
        direction=Direction(header["direction"]), port_code=header["port_code"],
        trade_mode=header["trade_mode"], declarant_name=header["declarant_name"],
        declarant_code=header["declarant_code"], trader_name=header["trader_name"],
        trader_code=header["trader_code"], origin_country=header["origin_country"],
        destination_country=header["destination_country"], declared_on=header["declared_on"],
        seed=seed, lane=worst_lane([d.lane for d in decisions]), credit_grade=grade,
        created_by=actor.username, ledger={**before, "day": day.isoformat()},
    )
    db.add(declaration)
    try:
        db.flush()
    except IntegrityError as error:
        raise Conflict(N_("The declaration number {number} is already taken."),
                       number=header["number"]) from error
    bulk_insert(db, table_of(DeclarationLine), [
        line_row(declaration.id, line, decision, info)
        for line, decision in zip(lines, decisions, strict=True)])
    save_ledger(ledger_row, after)
    db.flush()
    audit.record(db, actor, "declaration.screen", object_type="declaration",
                 object_id=declaration.id, after={
                     "number": declaration.number, "port_code": declaration.port_code,
                     "lane": declaration.lane.value, "seed": seed, "lines": len(lines),
                     "lanes": _lane_counts([d.lane for d in decisions]),
                 })  # fmt: skip
    return declaration


# --- replay --------------------------------------------------------------------------------


def replay(db: Session, actor: Actor, declaration_id: int) -> dict[str, Any]:
    """Redo the screening of a stored declaration with its seed, its ledger snapshot, the rules
    it matched (as they are now) and the current policy; say whether every lane agrees."""
    declaration = get_declaration(db, actor, declaration_id)
    lines = lines_of(db, declaration.id)
    ids = sorted({rid for line in lines for rid in line.rule_ids}
                 | {r["params"]["rule_id"] for line in lines for r in line.reasons
                    if isinstance((r.get("params") or {}).get("rule_id"), int)})
    rules = db.execute(select(ControlRule).where(ControlRule.id.in_(ids))).scalars().all() \
        if ids else []
    compiled = compile_rules([to_spec(rule) for rule in rules])
    header = {"port_code": declaration.port_code,
              "direction": Direction(declaration.direction).value,
              "trader_code": declaration.trader_code,
              "origin_country": declaration.origin_country}
    values = [{"line_no": line.line_no, "hs_code": line.hs_code,
               "description": line.description, "brand": line.brand, "model": line.model,
               "barcode": line.barcode, "origin_country": line.origin_country,
               "batch": line.batch}
              for line in lines]
    snapshot = declaration.ledger or {"seen": 0, "lanes": {}}
    decisions, _after = decide(header, values, CreditGrade(declaration.credit_grade).value,
                               declaration.seed,
                               compiled, current_policy(db),
                               {"seen": snapshot.get("seen", 0),
                                "lanes": snapshot.get("lanes", {})})
    compared = [{"line_no": line.line_no, "stored": line.lane.value, "replayed": decision.lane,
                 "agrees": line.lane.value == decision.lane}
                for line, decision in zip(lines, decisions, strict=True)]
    agrees = all(item["agrees"] for item in compared)
    audit.record(db, actor, "declaration.replay", object_type="declaration",
                 object_id=declaration.id, after={"agrees": agrees},
                 organisation_id=declaration.organisation_id)
    return {"declaration_id": declaration.id, "agrees": agrees, "lines": compared}


# --- queries -------------------------------------------------------------------------------


def declarations_statement(actor: Actor, *, lane: Lane | None = None, port: str | None = None,
                           date_from: dt.date | None = None, date_to: dt.date | None = None,
                           batch_id: int | None = None, number: str | None = None
                           ) -> Select[Any]:
    stmt = scoped(select(Declaration), actor, Declaration.organisation_id)
    if lane is not None:
        stmt = stmt.where(Declaration.lane == lane)
    if port:
        stmt = stmt.where(Declaration.port_code == port)
    if date_from is not None:
        stmt = stmt.where(Declaration.declared_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(Declaration.declared_on <= date_to)
    if batch_id is not None:
        stmt = stmt.where(Declaration.batch_id == batch_id)
    if number:
        stmt = stmt.where(Declaration.number == number)
    return stmt


def get_declaration(db: Session, actor: Actor, declaration_id: int) -> Declaration:
    return get_in_scope(db, Declaration, declaration_id, actor, Declaration.organisation_id,
                        object_name=N_("declaration"))


def lines_of(db: Session, declaration_id: int) -> list[DeclarationLine]:
    return list(db.execute(select(DeclarationLine).where(
        DeclarationLine.declaration_id == declaration_id).order_by(DeclarationLine.line_no)
    ).scalars())


def get_batch(db: Session, actor: Actor, batch_id: int) -> DeclarationBatch:
    return get_in_scope(db, DeclarationBatch, batch_id, actor, DeclarationBatch.organisation_id,
                        object_name=N_("declaration batch"))


def lane_counts_by_port(db: Session, actor: Actor, since: dt.datetime
                        ) -> dict[str, dict[str, int]]:
    """Lines per port and lane received since `since`, in the actor's scope."""
    stmt = scoped(
        select(Declaration.port_code, DeclarationLine.lane, func.count(DeclarationLine.id))
        .join(Declaration, Declaration.id == DeclarationLine.declaration_id)
        .where(Declaration.received_at >= since)
        .group_by(Declaration.port_code, DeclarationLine.lane),
        actor, Declaration.organisation_id)
    counts: dict[str, dict[str, int]] = {}
    for port_code, lane, count in db.execute(stmt):
        counts.setdefault(port_code, dict.fromkeys(LANES, 0))[str(
            lane.value if hasattr(lane, "value") else lane)] = count
    return counts
