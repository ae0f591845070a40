"""Declaration input and output (U3).

Input is checked by hand (`check_declaration`), not only by Pydantic, because a batch must not be
all-or-nothing: every problem is a FieldProblem with a path such as `lines.3.hs_code` (the index
of the line in the list given) and a translated message, and the caller decides whether a problem
rejects the whole request (single API), the declaration (a bad header) or only the line (a bad
line: the declaration's other lines are still screened). The Pydantic models below document the
single-declaration body in the OpenAPI schema and give the response shapes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import Field

from riskgate.border.enums import Direction
from riskgate.catalog.reference import country_resolve, hs_code_problem, normalise_hs_code, port
from riskgate.core.errors import FieldProblem
from riskgate.core.i18n import N_
from riskgate.core.schemas import InputModel, OutputModel

NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,40}$")
MAX_LINES_PER_DECLARATION = 999
MAX_AMOUNT = Decimal("1e15")
HEADER_FIELDS = {
    "number", "direction", "port_code", "trade_mode", "declarant_name", "declarant_code",
    "trader_name", "trader_code", "origin_country", "destination_country", "declared_on",
    "seed", "lines",
}  # fmt: skip
LINE_FIELDS = {
    "line_no", "hs_code", "description", "brand", "model", "barcode", "quantity", "unit",
    "value", "currency", "origin_country", "batch",
}  # fmt: skip
# (field, max length) of optional and required text
_HEADER_TEXT = {"trade_mode": 10, "declarant_name": 300, "declarant_code": 40,
                "trader_name": 300, "trader_code": 40}
_LINE_TEXT = {"description": 4000, "brand": 200, "model": 200, "barcode": 64, "unit": 20,
              "batch": 200}

REQUIRED = N_("This field is required.")
TOO_LONG = N_("At most {max} characters.")


# --- Pydantic shapes -----------------------------------------------------------------------


class DeclarationLineIn(InputModel):
    line_no: int = Field(ge=1, le=999)
    hs_code: str = Field(max_length=20, description="8 or 10 digits")
    description: str = Field(max_length=4000, description="Chinese goods description")
    brand: str | None = Field(default=None, max_length=200)
    model: str | None = Field(default=None, max_length=200)
    barcode: str | None = Field(default=None, max_length=64)
    batch: str | None = Field(default=None, max_length=200, description="batch or lot number")
    quantity: Decimal
    unit: str | None = Field(default=None, max_length=20)
    value: Decimal = Decimal(0)
    currency: str | None = Field(default=None, max_length=3)
    origin_country: str | None = Field(default=None, max_length=60)


class DeclarationIn(InputModel):
    number: str = Field(max_length=40, description="Customs declaration number (报关单号)")
    direction: Direction
    port_code: str = Field(max_length=40)
    trade_mode: str | None = Field(default=None, max_length=10)
    declarant_name: str | None = Field(default=None, max_length=300)
    declarant_code: str | None = Field(default=None, max_length=40)
    trader_name: str = Field(max_length=300, description="Importer or exporter")
    trader_code: str = Field(max_length=40)
    origin_country: str | None = Field(default=None, max_length=60)
    destination_country: str | None = Field(default=None, max_length=60)
    declared_on: dt.date
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1,
                             description="Random seed; derived from the number when absent")
    lines: list[DeclarationLineIn] = Field(min_length=1, max_length=MAX_LINES_PER_DECLARATION)


class DeclarationBatchIn(InputModel):
    """Declarations checked one by one: the good ones are screened, the bad ones reported."""

    declarations: list[Any] = Field(min_length=1, max_length=100_000)


class RetryIn(InputModel):
    """Corrected fields of a rejected line (or declaration header) to merge and screen again."""

    fields: dict[str, Any] = Field(default_factory=dict)


class ReasonOut(OutputModel):
    kind: str
    lane: str
    params: dict[str, Any] = {}
    text: str


class LineOut(OutputModel):
    id: int
    line_no: int
    hs_code: str
    description: str
    brand: str | None
    model: str | None
    barcode: str | None
    batch: str | None = None
    quantity: Decimal
    unit: str | None
    value: Decimal
    currency: str | None
    origin_country: str | None
    lane: str
    risk_score: float
    draw: float
    rule_ids: list[int]
    reasons: list[ReasonOut]
    inspection: dict[str, Any] | None = None


class DeclarationSummaryOut(OutputModel):
    id: int
    number: str
    organisation_id: int
    source: str
    direction: str
    port_code: str
    trader_name: str
    trader_code: str
    declared_on: dt.date
    received_at: dt.datetime
    lane: str
    credit_grade: str
    batch_id: int | None


class DeclarationOut(DeclarationSummaryOut):
    trade_mode: str | None
    declarant_name: str | None
    declarant_code: str | None
    origin_country: str | None
    destination_country: str | None
    seed: int
    lines: list[LineOut]


class RejectedOut(OutputModel):
    id: int
    position: int
    declaration_number: str | None
    line_no: int | None
    problems: list[dict[str, Any]]
    raw: dict[str, Any] = {}
    resolved_at: dt.datetime | None = None


class BatchOut(OutputModel):
    id: int
    source: str
    filename: str | None
    declarations: int
    lines_screened: int
    lines_rejected: int
    lane_counts: dict[str, Any]
    created_at: dt.datetime
    rejected: list[RejectedOut] = []
    rejected_more: bool = False


class ReplayOut(OutputModel):
    declaration_id: int
    agrees: bool
    lines: list[dict[str, Any]]


# --- hand checks ---------------------------------------------------------------------------


@dataclass
class CheckedLine:
    index: int  # position in the list given
    raw: dict[str, Any]
    values: dict[str, Any] | None  # None when the line has problems
    problems: list[FieldProblem] = field(default_factory=list)


@dataclass
class CheckedDeclaration:
    raw: dict[str, Any]
    header: dict[str, Any] | None  # None when the header has problems
    header_problems: list[FieldProblem] = field(default_factory=list)
    lines: list[CheckedLine] = field(default_factory=list)

    @property
    def good_lines(self) -> list[CheckedLine]:
        return [line for line in self.lines if line.values is not None]

    @property
    def all_problems(self) -> list[FieldProblem]:
        problems = list(self.header_problems)
        for line in self.lines:
            problems.extend(line.problems)
        return problems


def _text(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, bool | dict | list):
        return None
    text = str(raw).strip()
    return text or None


def _check_text(data: dict[str, Any], name: str, limit: int, problems: list[FieldProblem], loc: str,
                *, required: bool = False) -> str | None:
    raw = data.get(name)
    value = _text(raw)
    if raw is not None and value is None and isinstance(raw, bool | dict | list):
        problems.append(FieldProblem(loc, N_("Expected text.")))
        return None
    if value is None:
        if required:
            problems.append(FieldProblem(loc, REQUIRED))
        return None
    if "\x00" in value:
        problems.append(FieldProblem(loc, N_("Text must not contain NUL characters.")))
        return None
    if len(value) > limit:
        problems.append(FieldProblem(loc, TOO_LONG, {"max": limit}))
        return None
    return value


def _check_country(data: dict[str, Any], name: str, problems: list[FieldProblem],
                   loc: str) -> str | None:
    value = _text(data.get(name))
    if value is None:
        return None
    code = country_resolve(value)
    if code is None:
        problems.append(FieldProblem(loc, N_("Unknown country {value}."), {"value": value[:60]}))
    return code


def _check_amount(data: dict[str, Any], name: str, problems: list[FieldProblem], loc: str, *,
                  positive: bool, required: bool) -> Decimal | None:
    raw = data.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            problems.append(FieldProblem(loc, REQUIRED))
        return None if required else Decimal(0)
    try:
        if isinstance(raw, bool):
            raise InvalidOperation
        amount = Decimal(str(raw).strip().replace(",", ""))
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(FieldProblem(loc, N_("Not a number: {value}."), {"value": str(raw)[:40]}))
        return None
    if positive and amount <= 0:
        problems.append(FieldProblem(loc, N_("Must be greater than zero.")))
        return None
    if amount < 0:
        problems.append(FieldProblem(loc, N_("Must not be negative.")))
        return None
    if amount >= MAX_AMOUNT:
        problems.append(FieldProblem(loc, N_("The number is too large.")))
        return None
    return amount


def _check_hs(data: dict[str, Any], problems: list[FieldProblem], loc: str) -> str | None:
    value = _text(data.get("hs_code"))
    if value is None:
        problems.append(FieldProblem(loc, REQUIRED))
        return None
    code = normalise_hs_code(value)
    if not code or not code.isdigit() or len(code) not in (8, 10):
        problems.append(FieldProblem(loc, N_("An HS code of 8 or 10 digits is required: {value}."),
                                     {"value": value[:20]}))
        return None
    if hs_code_problem(code) is not None:
        problems.append(FieldProblem(loc, N_("Unknown HS code {value}."), {"value": code}))
        return None
    return code


def _unknown_fields(data: dict[str, Any], allowed: set[str], prefix: str) -> list[FieldProblem]:
    return [FieldProblem(f"{prefix}{name}"[:200], N_("Unknown field."))
            for name in list(data)[:20] if name not in allowed]


def check_line(data: Any, index: int) -> CheckedLine:
    """Check one line; `values` is None when anything is wrong (the problems say what)."""
    loc = f"lines.{index}."
    if not isinstance(data, dict):
        return CheckedLine(index, {}, None, [FieldProblem(f"lines.{index}",
                                                          N_("Expected an object."))])
    problems = _unknown_fields(data, LINE_FIELDS, loc)
    values: dict[str, Any] = {}
    raw_no = data.get("line_no")
    try:
        if isinstance(raw_no, bool) or raw_no is None:
            raise ValueError
        line_no = int(str(raw_no).strip())
        if not 1 <= line_no <= MAX_LINES_PER_DECLARATION:
            problems.append(FieldProblem(loc + "line_no",
                                         N_("Line numbers run from 1 to 999.")))
        values["line_no"] = line_no
    except ValueError:
        problems.append(FieldProblem(loc + "line_no", REQUIRED if raw_no is None
                                     else N_("Line numbers run from 1 to 999.")))
    values["hs_code"] = _check_hs(data, problems, loc + "hs_code")
    for name, limit in _LINE_TEXT.items():
        values[name] = _check_text(data, name, limit, problems, loc + name,
                                   required=name == "description")
    values["quantity"] = _check_amount(data, "quantity", problems, loc + "quantity",
                                       positive=True, required=True)
    values["value"] = _check_amount(data, "value", problems, loc + "value",
                                    positive=False, required=False)
    currency = _text(data.get("currency"))
    if currency is not None and not re.fullmatch(r"[A-Za-z]{3}", currency):
        problems.append(FieldProblem(loc + "currency",
                                     N_("A three-letter currency code is required.")))
    values["currency"] = currency.upper() if currency else None
    values["origin_country"] = _check_country(data, "origin_country", problems,
                                              loc + "origin_country")
    return CheckedLine(index, data, None if problems else values, problems)


def check_declaration(data: Any, known_ports: frozenset[str] = frozenset()) -> CheckedDeclaration:
    """Check a declaration and each of its lines. A duplicate line number rejects the later line
    (the first keeps its number); a header problem rejects the declaration."""
    if not isinstance(data, dict):
        return CheckedDeclaration({}, None, [FieldProblem("declaration",
                                                          N_("Expected an object."))])
    problems = _unknown_fields(data, HEADER_FIELDS, "")
    header: dict[str, Any] = {}
    number = _text(data.get("number"))
    if number is None:
        problems.append(FieldProblem("number", REQUIRED))
    elif not NUMBER_PATTERN.fullmatch(number):
        problems.append(FieldProblem("number", N_("Use 1 to 40 letters, digits or hyphens.")))
    header["number"] = number
    direction = _text(data.get("direction"))
    if direction not in {d.value for d in Direction}:
        problems.append(FieldProblem("direction", N_("Use import or export.")))
    header["direction"] = direction
    port_code = _text(data.get("port_code"))
    if port_code is None:
        problems.append(FieldProblem("port_code", REQUIRED))
    elif port(port_code) is None and port_code not in known_ports:
        problems.append(FieldProblem("port_code", N_("Unknown port code {value}."),
                                     {"value": port_code[:40]}))
    header["port_code"] = port_code
    for name, limit in _HEADER_TEXT.items():
        header[name] = _check_text(data, name, limit, problems, name,
                                   required=name in ("trader_name", "trader_code"))
    for name in ("origin_country", "destination_country"):
        header[name] = _check_country(data, name, problems, name)
    declared = data.get("declared_on")
    try:
        if isinstance(declared, dt.datetime):
            header["declared_on"] = declared.date()
        elif isinstance(declared, dt.date):
            header["declared_on"] = declared
        else:
            header["declared_on"] = dt.date.fromisoformat(str(declared).strip()[:10])
    except ValueError:
        problems.append(FieldProblem("declared_on", REQUIRED if declared is None else
                                     N_("Not a date (YYYY-MM-DD): {value}."),
                                     {"value": str(declared)[:30]}))
    seed = data.get("seed")
    header["seed"] = None
    if seed is not None:
        if isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed < 2**63:
            header["seed"] = seed
        else:
            problems.append(FieldProblem("seed", N_("A whole number from 0 to 2^63-1.")))
    checked = CheckedDeclaration(data, None)
    raw_lines = data.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        problems.append(FieldProblem("lines", N_("A declaration needs at least one line.")))
        raw_lines = []
    elif len(raw_lines) > MAX_LINES_PER_DECLARATION:
        problems.append(FieldProblem("lines", N_("At most {max} lines per declaration."),
                                     {"max": MAX_LINES_PER_DECLARATION}))
        raw_lines = []
    seen: set[int] = set()
    for index, raw_line in enumerate(raw_lines):
        line = check_line(raw_line, index)
        if line.values is not None:
            if line.values["line_no"] in seen:
                line.problems.append(FieldProblem(
                    f"lines.{index}.line_no", N_("Line number {value} appears twice."),
                    {"value": line.values["line_no"]}))
                line.values = None
            else:
                seen.add(line.values["line_no"])
        checked.lines.append(line)
    checked.header_problems = problems
    checked.header = None if problems else header
    return checked
