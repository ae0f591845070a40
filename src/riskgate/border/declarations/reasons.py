"""Why a declaration line went to its lane, in words: "布控规则 BK-2026-0003：实施查验",
"企业信用：高级认证企业", "随机抽中". Shared by the API, the port officer's page and anyone who
shows a screening decision (`reason_text`)."""

from __future__ import annotations

from typing import Any

from riskgate.border.enums import ControlAction, CreditGrade, Lane
from riskgate.catalog.reference import country
from riskgate.core.i18n import N_, gettext

_MESSAGES = {
    "rule": N_("Control rule {number}: {action}"),
    "sampling_skip": N_("Control rule {number} matched but not drawn (sampling rate {rate})"),
    "credit": N_("Enterprise credit: {grade}"),
    "country": N_("Origin-country risk: {country} (score {score})"),
    "commodity": N_("Commodity risk: HS {prefix} (score {score})"),
    "random": N_("Drawn at random"),
    "top_up": N_("Drawn to keep the port's expected rate (top-up)"),
    "hold_back": N_("Held back: the port's expected rate is reached"),
    "clear": N_("No control rule matched; enterprise credit: {grade}; risk score {score}"),
}
_OTHER = N_("Screening reason: {kind}")
# A rule's reason names the line fields it matched on (`RuleSpec.matched_fields`).
_MATCHED = N_("{reason}; matched on {fields}")
_FIELDS = {
    "hs_code": N_("HS code"), "origin_country": N_("country of origin"),
    "trader_code": N_("enterprise code"), "description": N_("keywords"),
    "brand": N_("brand"), "model": N_("model"), "batch": N_("batch"),
    "barcode": N_("barcode"), "port_code": N_("port"), "direction": N_("direction"),
}


def _number(value: Any) -> str:
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return str(value or "")


def reason_text(reason: dict[str, Any], language: str) -> str:
    """One stored reason ({kind, lane, params}) as a sentence in `language`."""
    kind = str(reason.get("kind") or "")
    params = dict(reason.get("params") or {})
    message = _MESSAGES.get(kind)
    if message is None:
        return gettext(_OTHER, language, kind=kind)
    values: dict[str, Any] = {}
    if kind in ("rule", "sampling_skip"):
        values["number"] = params.get("number") or f"#{params.get('rule_id', '?')}"
        values["action"] = ControlAction.label_of(params.get("action"), language)
        values["rate"] = _number(params.get("rate", params.get("sampling_rate")))
    elif kind in ("credit", "clear"):
        values["grade"] = CreditGrade.label_of(params.get("grade"), language)
        values["score"] = _number(params.get("risk_score"))
    elif kind == "country":
        code = str(params.get("country") or "")
        entry = country(code) if code else None
        values["country"] = entry.label(language) if entry else code
        values["score"] = _number(params.get("country_score"))
    elif kind == "commodity":
        values["prefix"] = params.get("hs_prefix") or ""
        values["score"] = _number(params.get("commodity_score"))
    try:
        text = gettext(message, language, **values)
    except (KeyError, IndexError, ValueError):
        text = gettext(message, language)
    matched = [f for f in str(params.get("matched") or "").split(",") if f]
    if kind in ("rule", "sampling_skip") and matched:
        separator = "、" if language.startswith("zh") else ", "
        fields = separator.join(gettext(_FIELDS[f], language) if f in _FIELDS else f
                                for f in matched)
        text = gettext(_MATCHED, language, reason=text, fields=fields)
    return text


def lane_label(lane: Any, language: str, *, short: bool = False) -> str:
    """A lane's name ("红色通道（查验）", or "红色" when `short`); an unknown code as it is."""
    value = Lane.parse(str(lane))
    if value is None:
        return str(lane)
    return value.short_label(language) if short else value.label(language)
