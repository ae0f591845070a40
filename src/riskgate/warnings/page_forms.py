"""The warning draft form of the console: submitted fields to `schemas.WarningIn`, problems back
onto the fields they concern, and a stored warning back into form values.

Repeated rows are named `products-<i>-<field>` and `enterprises-<i>-<field>`; code lists
(countries, regions, ports) and measures are multiple choices; evidence is typed as text
(numbers or ids, separated by commas or spaces).
Problems found by the input model or the service (`products.0.hs_code`, `origin_countries.2`,
`evidence.1.object_id`) are shown beside the input they concern, and everything the user typed
is rendered again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.core.errors import DomainError, NotFound
from riskgate.core.i18n import N_, gettext
from riskgate.core.problems import _PYDANTIC_MESSAGES
from riskgate.warnings.enums import EvidenceKind
from riskgate.warnings.schemas import WarningIn
from riskgate.web.forms import Form, Submitted, clean

MAX_ROWS = 200
SCALAR_FIELDS = ("title", "title_en", "summary", "summary_en", "hazard", "hazard_class", "level",
                 "warning_type", "effective_from", "effective_until", "consumer_instructions",
                 "enterprise_instructions", "evidence_record", "evidence_signal",
                 "evidence_assessment")
CODE_LISTS = ("origin_countries", "regions", "ports")
PRODUCT_FIELDS = ("name", "hs_code", "category", "brand", "model", "batch", "barcode")
ENTERPRISE_FIELDS = ("organisation_id", "role")
EVIDENCE_FIELDS = {kind: f"evidence_{kind.value}" for kind in EvidenceKind}
_ROW = re.compile(r"^(products|enterprises)-(\d{1,3})-([a-z_]+)$")
_SPLIT = re.compile(r"[\s,，;；、]+")
INVALID = N_("Some fields are invalid; see the field errors.")


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
    from riskgate.assessment.models import RiskAssessment
    from riskgate.records.models import RiskRecord
    from riskgate.signals.models import Signal

    column = {EvidenceKind.record: RiskRecord.record_number, EvidenceKind.signal: Signal.number,
              EvidenceKind.assessment: RiskAssessment.number}[kind]
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
    """Validate with the API's input model; problems land on their fields."""
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


def apply_error(form: Form, error: DomainError, language: str,
                evidence_fields: list[str] | None = None) -> Form:
    """A service's error on the form: field problems beside their inputs, the message on top."""
    if isinstance(error, NotFound):
        raise error
    form.message = error.translated(language)
    for problem in error.fields:
        name = field_name(problem.loc.split("."), evidence_fields or [])
        form.add(name, problem.translated(language))
    field_param = error.params.get("field")
    if not error.fields and isinstance(field_param, str):
        form.add(field_param, form.message)
    return form


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
