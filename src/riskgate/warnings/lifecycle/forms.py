"""The forms of the warning console: the draft form, the adjustment form, and the options their
selects offer.

The draft form's repeated rows are named `products-<i>-<field>` and `enterprises-<i>-<field>`;
code lists (countries, regions, ports) and measures are multiple choices; evidence is typed as
text (numbers or ids, separated by commas or spaces). It is read into the API's input model
(`WarningIn`); problems found by the model or the service (`products.0.hs_code`,
`origin_countries.2`, `evidence.1.object_id`) are shown beside the input they concern, and
everything the user typed is rendered again.

The adjustment form starts from the warning in force and sends only what the user changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.assessment.models import RiskAssessment
from riskgate.catalog.choices import country_choices, port_choices, region_choices
from riskgate.catalog.enums import HazardClass, MeasureType
from riskgate.catalog.hazards import hazard_class
from riskgate.catalog.warnings_and_measures import measure_types, warning_levels, warning_types
from riskgate.core.errors import DomainError, FieldProblem
from riskgate.core.http import RequestContext
from riskgate.core.i18n import N_, gettext
from riskgate.core.problems import _PYDANTIC_MESSAGES  # one table of translatable messages
from riskgate.identity.enums import OrgType
from riskgate.identity.models import Organisation
from riskgate.records.models import RiskRecord
from riskgate.signals.models import Signal
from riskgate.warnings.enums import EnterpriseRole, EvidenceKind
from riskgate.warnings.lifecycle.schemas import WarningIn
from riskgate.warnings.models import PublicWarning
from riskgate.web.forms import Form, Submitted, clean

T = TypeVar("T")

MAX_ROWS = 200
ENTERPRISE_CHOICES_LIMIT = 2000
SCALAR_FIELDS = ("title", "title_en", "summary", "summary_en", "hazard", "hazard_class", "level",
                 "warning_type", "effective_from", "effective_until", "consumer_instructions",
                 "enterprise_instructions", "evidence_record", "evidence_signal",
                 "evidence_assessment")
CODE_LISTS = ("origin_countries", "regions", "ports")
PRODUCT_FIELDS = ("name", "hs_code", "category", "brand", "model", "batch", "barcode")
ENTERPRISE_FIELDS = ("organisation_id", "role")
EVIDENCE_FIELDS = {kind: f"evidence_{kind.value}" for kind in EvidenceKind}
_EVIDENCE_NUMBERS = {EvidenceKind.record: RiskRecord.record_number,
                     EvidenceKind.signal: Signal.number,
                     EvidenceKind.assessment: RiskAssessment.number}
ADJUST_LISTS = ("measures", "origin_countries", "regions", "ports")
ADJUST_TEXTS = ("consumer_instructions", "enterprise_instructions")
_ROW = re.compile(r"^(products|enterprises)-(\d{1,3})-([a-z_]+)$")
_SPLIT = re.compile(r"[\s,，;；、]+")
_ENTERPRISE_TYPES = tuple(t.value for t in OrgType if t.is_enterprise)
INVALID = N_("Some fields are invalid; see the field errors.")


# --- Options -------------------------------------------------------------------------------


def choices(language: str) -> dict[str, Any]:
    """Options of the warning forms' selects, in the page's language."""
    return {
        "levels": [(e.code.value, e.display(language)) for e in warning_levels()],
        "types": [(e.code.value, e.label(language)) for e in warning_types()],
        "measure_options": [(m.code.value, m.label(language)) for m in measure_types()
                            if m.code.value in MeasureType.__members__],
        "hazard_classes": [(h.value, _hazard_class_label(h, language)) for h in HazardClass],
        "roles": EnterpriseRole.choices(language),
    }


def _hazard_class_label(code: HazardClass, language: str) -> str:
    entry = hazard_class(code.value)
    return entry.label(language) if entry else code.value


def code_choices(language: str) -> dict[str, Any]:
    """The countries, regions and ports to choose from (scope fields)."""
    return {"country_options": country_choices(language),
            "region_options": region_choices(language), "port_options": port_choices(language)}


def enterprise_options(ctx: RequestContext, selected: list[str] | None = None
                       ) -> list[tuple[str, str]]:
    """Registered enterprises to name in a warning (enterprises are roots of their own, outside
    any regulator's data scope, so all active ones are offered)."""
    rows = ctx.db.execute(
        select(Organisation).where(Organisation.org_type.in_(_ENTERPRISE_TYPES),
                                   Organisation.active.is_(True))
        .order_by(Organisation.name_zh, Organisation.id).limit(ENTERPRISE_CHOICES_LIMIT)
    ).scalars().all()  # fmt: skip
    options = [(str(o.id), f"{o.name(ctx.language)}" + (f" ({o.uscc})" if o.uscc else ""))
               for o in rows]
    known = {value for value, _ in options}
    for value in selected or []:
        if value and value not in known:  # a tampered or stale choice stays visible with its error
            options.append((value, value))
    return options


# --- The draft form ------------------------------------------------------------------------


def split_codes(text: str | None) -> list[str]:
    return [part for part in _SPLIT.split(text or "") if part]


def form_values(submitted: Submitted) -> dict[str, Any]:
    """What the user typed, shaped for the template (rows in order, removed rows left out)."""
    values: dict[str, Any] = {name: submitted.fields.get(name, "") for name in SCALAR_FIELDS}
    for name in ("measures", *CODE_LISTS):
        values[name] = [v for v in dict.fromkeys(submitted.lists.get(name, [])) if v.strip()]
    values["attachment_public"] = submitted.fields.get("attachment_public") == "1"
    rows: dict[str, dict[int, dict[str, str]]] = {"products": {}, "enterprises": {}}
    for name, value in submitted.fields.items():
        if match := _ROW.match(name):
            rows[match[1]].setdefault(int(match[2]), {})[match[3]] = value.strip()
    for group, names in (("products", PRODUCT_FIELDS), ("enterprises", ENTERPRISE_FIELDS)):
        kept = [row for _, row in sorted(rows[group].items())
                if row.get("remove") != "1" and any(row.get(n) for n in names if n != "role")]
        values[group] = kept[:MAX_ROWS]
    return values


def _resolve_evidence(db: Session, kind: EvidenceKind, token: str) -> int | None:
    """An id typed as digits, or a number (RR-2026-000001, SG-2026-0001, RA-2026-0001)."""
    if token.isdigit():
        return int(token) if 0 < int(token) < 2**31 else None
    column = _EVIDENCE_NUMBERS[kind]
    return db.execute(select(column.class_.id).where(column == token.upper())).scalar()


@dataclass
class Payload:
    """The WarningIn input, and the form field of each evidence item (for its problems)."""

    data: dict[str, Any]
    evidence_fields: list[str]


def to_payload(db: Session, values: dict[str, Any], form: Form, language: str) -> Payload:
    """The body of `WarningIn` from the form values; unknown evidence numbers go on the form."""
    data: dict[str, Any] = {}
    for name in ("title", "title_en", "summary", "summary_en", "hazard", "hazard_class", "level",
                 "warning_type", "effective_from", "effective_until", "consumer_instructions",
                 "enterprise_instructions"):
        if (value := clean(values.get(name))) is not None:
            data[name] = value
    for name in ("measures", *CODE_LISTS):
        data[name] = list(values.get(name) or [])
    data["products"] = [{k: v for k, v in row.items() if k in PRODUCT_FIELDS and v}
                        for row in values.get("products", [])]
    data["enterprises"] = [
        {"organisation_id": int(row["organisation_id"])
         if row.get("organisation_id", "").isdigit() else row.get("organisation_id"),
         **({"role": row["role"]} if row.get("role") else {})}
        for row in values.get("enterprises", [])]
    evidence: list[dict[str, Any]] = []
    evidence_fields: list[str] = []
    for kind, name in EVIDENCE_FIELDS.items():
        for token in split_codes(values.get(name)):
            object_id = _resolve_evidence(db, kind, token)
            if object_id is None:
                form.add(name, gettext("Unknown number or id: {code}.", language, code=token))
                continue
            evidence.append({"kind": kind.value, "object_id": object_id})
            evidence_fields.append(name)
    data["evidence"] = evidence
    return Payload(data, evidence_fields)


def field_name(loc: tuple[Any, ...] | list[Any], evidence_fields: list[str]) -> str:
    """The form input a problem location refers to."""
    parts = [str(p) for p in loc]
    if not parts:
        return "__all__"
    head = parts[0]
    if head in ("products", "enterprises") and len(parts) >= 3 and parts[1].isdigit():
        return f"{head}-{parts[1]}-{parts[2]}"
    if head in ("products", "enterprises"):
        return head
    if head == "evidence":
        if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(evidence_fields):
            return evidence_fields[int(parts[1])]
        return "evidence_record"
    return head


def parse_warning(form: Form, payload: Payload, language: str) -> WarningIn | None:
    """Validate with the API's input model; problems land on their inputs (rows included)."""
    try:
        body = WarningIn.model_validate(payload.data)
    except ValidationError as error:
        for item in error.errors():
            name = field_name(item.get("loc") or (), payload.evidence_fields)
            template = _PYDANTIC_MESSAGES.get(item.get("type", ""))
            ctx = {k: str(v) for k, v in (item.get("ctx") or {}).items()}
            if template:
                try:
                    message = gettext(template, language, **ctx)
                except (KeyError, IndexError, ValueError):
                    message = gettext(template, language)
            else:
                message = str(item.get("msg", ""))
            if message not in form.error(name):
                form.add(name, message)
        form.message = gettext(INVALID, language)
        return None
    if form.errors:
        form.message = gettext(INVALID, language)
        return None
    return body


def on_inputs(call: Callable[[], T], evidence_fields: list[str]) -> T:
    """Run a service call on the draft; its field problems, which name the input model's
    locations (`products.1.hs_code`, `evidence.0.object_id`), are re-raised naming the form's
    inputs (`products-1-hs_code`, `evidence_record`), so the form path shows each beside it."""
    try:
        return call()
    except DomainError as error:  # the same error, its problems re-keyed
        error.fields = [FieldProblem(field_name(p.loc.split("."), evidence_fields), p.message,
                                     p.params) for p in error.fields]
        raise


def values_from_warning(warning: Any, products: list[Any], enterprises: list[Any],
                        evidence: list[Any]) -> dict[str, Any]:
    """A stored draft as form values (for the edit page)."""
    values: dict[str, Any] = {}
    for name in ("title", "title_en", "summary", "summary_en", "hazard",
                 "consumer_instructions", "enterprise_instructions"):
        values[name] = getattr(warning, name) or ""
    for name in ("hazard_class", "level", "warning_type"):
        value = getattr(warning, name)
        values[name] = getattr(value, "value", value) or ""
    for name in ("effective_from", "effective_until"):
        value = getattr(warning, name)
        values[name] = value.isoformat() if value else ""
    for name in ("measures", *CODE_LISTS):
        values[name] = list(getattr(warning, name) or [])
    values["products"] = [{k: getattr(p, k) or "" for k in PRODUCT_FIELDS} for p in products]
    values["enterprises"] = [{"organisation_id": str(e.organisation_id),
                              "role": getattr(e.role, "value", e.role)} for e in enterprises]
    for kind, name in EVIDENCE_FIELDS.items():
        values[name] = ", ".join(str(e.object_id) for e in evidence
                                 if EvidenceKind(e.kind) == kind)
    values["attachment_public"] = True
    return values


# --- The adjustment form ---------------------------------------------------------------------


def adjust_defaults(warning: PublicWarning) -> dict[str, Any]:
    """The adjustment form as first shown: the warning as now in force."""
    values: dict[str, Any] = {name: list(getattr(warning, name) or []) for name in ADJUST_LISTS}
    values["level"] = warning.level.value
    values["effective_until"] = (warning.effective_until.isoformat()
                                 if warning.effective_until else "")
    for name in ADJUST_TEXTS:
        values[name] = getattr(warning, name) or ""
    values["reason"] = ""
    return values


def adjustment_input(submitted: Submitted, warning: PublicWarning
                     ) -> tuple[Form, dict[str, Any]]:
    """(what the user typed, the input of `AdjustmentIn`): the reason, and only the fields that
    differ from the warning in force."""
    current = adjust_defaults(warning)
    values: dict[str, Any] = {"reason": submitted.fields.get("reason", ""),
                              "level": submitted.fields.get("level", ""),
                              "effective_until": submitted.fields.get("effective_until", "")}
    for name in ADJUST_LISTS:
        values[name] = [v for v in dict.fromkeys(submitted.lists.get(name, [])) if v.strip()]
    for name in ADJUST_TEXTS:
        values[name] = submitted.fields.get(name, "")
    data: dict[str, Any] = {}
    for name, value in values.items():
        if name == "reason":
            if (reason := clean(value)) is not None:
                data["reason"] = reason
        elif name in ADJUST_LISTS:
            if sorted(value) != sorted(current[name]):
                data[name] = value
        elif (clean(value) or "") != (current[name] or ""):
            data[name] = clean(value)
    return Form(values=values), data
