"""Control rules derived from warnings (预警转布控).

When a warning calls for border action, its publication derives one control rule:
* it calls for border action when its level is I or II, when it is a bulletin (风险警示通报,
  which tells regulators to take port control), or when its measures include a border-only
  measure (`port_control`, `restrict_trade`, `ban_trade`, `return_shipment` — the catalogue's
  measures of scope "border");
* scope: HS prefixes from its products' HS codes, countries from `origin_countries`, enterprise
  codes from the organisations it names (USCC or foreign registration number), ports from
  `ports`; the brands, models and batches of its products (matched exactly against a line's
  brand, model and batch: the rule targets what the warning names, not every line of the HS
  code and country). A product field constrains the rule only when every product of the warning
  gives it: a product named by HS code alone says "all goods of this code", and the rule widens
  to them (fields combine with AND, so constraining the others' brand would miss its lines).
  Barcodes only when no product has a usable HS code — a rule asking for HS code *and* barcode
  would miss every line declared without a barcode. Only what the warning gives is constrained.
  Brand, model and batch only narrow: without any HS code, country, enterprise or barcode the
  warning gives nothing a port could match on, and no rule is derived (logged);
* action by level: I physical inspection of every line (rate 1.0), II physical inspection of one
  line in two (0.5), III documentary check, IV documentary check of one line in five (0.2); a
  `ban_trade` measure makes it refuse entry. Priority 90/80/70/60 by level;
* valid from publication until the end of `effective_until` (open when it has none).
An adjustment re-derives the rule (version += 1, audited; retired if the warning no longer calls
for border action); lifting or withdrawal retires it with the follow-up's reason. Codes taken out
by accepted lifting petitions stay out when the rule is re-derived (the rule records them:
`ControlRule.excluded_enterprise_codes`, written by `rules.service.leave_out_enterprise`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Set
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.border.codes import enterprise_codes_of, normalise_hs
from riskgate.border.enums import ControlAction, RuleOrigin, RuleStatus
from riskgate.border.models import ControlRule
from riskgate.border.rules import service as rules
from riskgate.border.rules.schemas import ControlRuleIn
from riskgate.catalog.reference import hs_code_problem
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import ValidationFailed
from riskgate.search.folding import fold
from riskgate.warnings.events import WarningIssued
from riskgate.warnings.lifecycle.content import enterprises_of, products_of
from riskgate.warnings.models import PublicWarning, WarningFollowUp

log = logging.getLogger(__name__)

BORDER_MEASURES = frozenset({"port_control", "restrict_trade", "ban_trade", "return_shipment"})
LEVEL_ACTIONS: dict[str, tuple[ControlAction, float, int]] = {
    "I": (ControlAction.physical_inspection, 1.0, 90),
    "II": (ControlAction.physical_inspection, 0.5, 80),
    "III": (ControlAction.documentary_check, 1.0, 70),
    "IV": (ControlAction.documentary_check, 0.2, 60),
}


def calls_for_border_action(warning: PublicWarning) -> bool:
    level = getattr(warning.level, "value", warning.level)
    kind = getattr(warning.warning_type, "value", warning.warning_type)
    return (level in ("I", "II") or kind == "bulletin"
            or bool(BORDER_MEASURES & set(warning.measures or [])))


def derive_scope(db: Session, warning: PublicWarning, excluded: Set[str] = frozenset()
                 ) -> dict[str, list[str]]:
    """The rule's scope fields from the warning (unusable HS codes are skipped and logged)."""
    products = products_of(db, warning.id)
    hs: list[str] = []
    barcodes: list[str] = []
    named: dict[str, list[str]] = {"brands": [], "models": [], "batches": []}
    everyone_names = dict.fromkeys(named, bool(products))  # does every product give the field?
    for product in products:
        code = normalise_hs(product.hs_code or "")
        if code and hs_code_problem(code) is None and code not in hs:
            hs.append(code)
        elif code and code not in hs:
            log.info("warning %s: HS code %r skipped for its control rule", warning.id, code)
        for name, raw in (("brands", product.brand), ("models", product.model),
                          ("batches", product.batch)):
            word = " ".join((raw or "").split())
            if not word:
                everyone_names[name] = False
            elif fold(word) not in {fold(w) for w in named[name]}:
                named[name].append(word)
        barcode = "".join((product.barcode or "").split())
        if barcode and barcode not in barcodes:
            barcodes.append(barcode)
    if hs:  # HS codes identify the goods; a barcode would narrow them by AND
        barcodes = []
    codes = sorted(enterprise_codes_of(db, [e.organisation_id for e in enterprises_of(
        db, warning.id)]) - set(excluded))
    return {"hs_prefixes": hs, "countries": list(dict.fromkeys(warning.origin_countries or [])),
            "enterprise_codes": codes, "keywords": [], "barcodes": barcodes,
            **{name: words if everyone_names[name] else [] for name, words in named.items()},
            "ports": list(dict.fromkeys(warning.ports or []))}


def derive_values(db: Session, warning: PublicWarning, excluded: Set[str] = frozenset()
                  ) -> dict[str, Any] | None:
    """Everything a derived rule holds, or None when the warning gives nothing to match on."""
    scope = derive_scope(db, warning, excluded)
    if not any(scope[name] for name in ("hs_prefixes", "countries", "enterprise_codes",
                                        "barcodes")):
        return None
    level = getattr(warning.level, "value", warning.level)
    action, rate, priority = LEVEL_ACTIONS[level]
    if "ban_trade" in (warning.measures or []):
        action, rate = ControlAction.refuse_entry, 1.0
    until = None
    if warning.effective_until is not None:
        until = dt.datetime.combine(warning.effective_until + dt.timedelta(days=1), dt.time(),
                                    tzinfo=dt.UTC)
    start = warning.published_at or utcnow()
    if until is not None and until <= start:
        until = None  # an end already past would make the rule invalid; the warning decides
    return {"title": f"{warning.number} {warning.title}"[:300], **scope, "action": action,
            "sampling_rate": rate, "priority": priority, "valid_from": start,
            "valid_until": until}


def _current_rule(db: Session, warning_id: int) -> ControlRule | None:
    return db.execute(select(ControlRule).where(
        ControlRule.warning_id == warning_id, ControlRule.status != RuleStatus.retired,
    ).order_by(ControlRule.id.desc())).scalars().first()


def on_warning_issued(db: Session, event: WarningIssued) -> None:
    """Follows `warning.issued`: publication derives a control rule; an adjustment re-derives
    it; lifting or withdrawal retires it."""
    follow_from(db, event.actor, event.warning, event.follow_up)


def follow_from(db: Session, actor: Actor, warning: PublicWarning,
                follow_up: WarningFollowUp | None) -> ControlRule | None:
    """The rule concerned by a publication or a follow-up (None when there is none)."""
    kind = getattr(getattr(follow_up, "kind", None), "value", getattr(follow_up, "kind", None))
    rule = _current_rule(db, warning.id)
    if kind in ("lifting", "withdrawal"):
        assert follow_up is not None
        if rule is not None:
            rules.retire(db, actor, rule, f"{warning.number}: {follow_up.reason}"[:2000])
        return rule
    reason = follow_up.reason if follow_up is not None else None
    excluded = set(rule.excluded_enterprise_codes) if rule is not None else set()
    values = derive_values(db, warning, excluded) if calls_for_border_action(warning) else None
    if values is None:
        if not calls_for_border_action(warning):
            log.info("warning %s calls for no border action: no control rule", warning.id)
        else:
            log.info("warning %s gives no HS code, country, enterprise or barcode: "
                     "no control rule", warning.id)
        if rule is not None:
            rules.retire(db, actor, rule, f"{warning.number}: {reason or ''}".strip()[:2000])
        return None
    try:
        if rule is None:
            return rules.create_rule(db, actor, ControlRuleIn.model_validate(values),
                                     organisation_id=warning.organisation_id,
                                     warning_id=warning.id, origin=RuleOrigin.warning)
        values.pop("valid_from")  # the rule started with the first publication
        return rules.apply_changes(db, actor, rule, values, action="control_rule.rederive",
                                   reason=reason)
    except ValidationFailed as error:  # e.g. an unknown port: never block the publication
        log.warning("warning %s: control rule not derived: %s", warning.id,
                    [(f.loc, f.message) for f in error.fields])
        return rule
