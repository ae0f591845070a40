"""Request and response bodies of the rapid-response API."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from riskgate.catalog.enums import MeasureType, WarningLevel, WarningType
from riskgate.core.schemas import InputModel, IntIdField, OutputModel, refuse_null
from riskgate.identity.enums import OrgType
from riskgate.response.enums import CaseOrigin, CaseStatus, TaskStatus, UnitRole

Text = Annotated[str, Field(min_length=1, max_length=5000)]
Reason = Annotated[str, Field(min_length=1, max_length=2000)]
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def plain_number(value: Any) -> Any:
    """A typed quantity as plain digits: full-width digits and punctuation (１，２００) made
    ASCII, thousands separators ("1,200,000") dropped when they group by three. Anything else
    is left for the field's type to refuse."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    return text.replace(",", "") if _GROUPED.fullmatch(text) else text


Units = Annotated[int, BeforeValidator(plain_number), Field(ge=0, le=1_000_000_000)]
Amount = Annotated[Decimal, BeforeValidator(plain_number),
                   Field(ge=0, max_digits=16, decimal_places=2)]


class DisposalRuleIn(InputModel):
    """A joint-disposal rule; level, type and category left out mean "any"."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    level: WarningLevel | None = None
    warning_type: WarningType | None = None
    category: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    measure: MeasureType
    lead_org_type: OrgType
    cooperating_org_types: Annotated[list[OrgType], Field(max_length=10)] = []
    deadline_hours: Annotated[int, Field(ge=1, le=24 * 366)]
    instructions: Annotated[str, Field(max_length=5000)] | None = None
    active: bool = True


class DisposalRuleUpdate(InputModel):
    """The fields of a rule to change."""

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    level: WarningLevel | None = None
    warning_type: WarningType | None = None
    category: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    measure: MeasureType | None = None
    lead_org_type: OrgType | None = None
    cooperating_org_types: Annotated[list[OrgType], Field(max_length=10)] | None = None
    deadline_hours: Annotated[int, Field(ge=1, le=24 * 366)] | None = None
    instructions: Annotated[str, Field(max_length=5000)] | None = None
    active: bool | None = None

    _not_null = refuse_null("name", "measure", "lead_org_type", "cooperating_org_types",
                            "deadline_hours", "active")


class DisposalRuleOut(OutputModel):
    id: int
    name: str
    level: WarningLevel | None
    warning_type: WarningType | None
    category: str | None
    measure: MeasureType
    lead_org_type: str
    cooperating_org_types: list[str]
    deadline_hours: int
    instructions: str | None
    active: bool
    is_default: bool
    updated_by: str | None


class QuantitiesIn(InputModel):
    """What a unit handled: units seized, returned, destroyed, recalled; value in CNY."""

    seized_units: Units | None = None
    returned_units: Units | None = None
    destroyed_units: Units | None = None
    recalled_units: Units | None = None
    value_cny: Amount | None = None


class TaskReportIn(InputModel):
    body: Text
    progress_percent: Annotated[int, Field(ge=0, le=100)] = 0
    complete: bool = False
    quantities: QuantitiesIn = QuantitiesIn()


class OpenCaseIn(InputModel):
    warning_id: IntIdField
    measures: Annotated[list[MeasureType], Field(max_length=13)] = []


class CloseCaseIn(InputModel):
    note: Annotated[str, Field(max_length=5000)] | None = None


class ReasonIn(InputModel):
    reason: Reason


class EvidenceOut(OutputModel):
    id: int
    original_name: str
    media_type: str
    size: int


class ReportOut(OutputModel):
    id: int
    task_id: int
    author: str
    body: str
    progress_percent: int
    quantities: dict[str, Any]
    created_at: dt.datetime
    evidence: list[EvidenceOut] = []


class TaskOut(OutputModel):
    id: int
    case_id: int
    measure: MeasureType
    organisation_id: int
    unit_role: UnitRole
    disposal_rule_id: int | None
    instructions: str | None
    due_at: dt.datetime
    status: TaskStatus
    progress_percent: int
    started_at: dt.datetime | None
    completed_at: dt.datetime | None
    waived_reason: str | None
    closed_reason: str | None = None
    reminded_at: dt.datetime | None
    escalated_at: dt.datetime | None
    overdue: bool = False


class TaskDetailOut(TaskOut):
    reports: list[ReportOut] = []


class CaseOut(OutputModel):
    id: int
    number: str
    organisation_id: int
    warning_id: int | None
    title: str
    level: WarningLevel
    origin: CaseOrigin
    status: CaseStatus
    opened_at: dt.datetime
    opened_by: str | None
    closed_at: dt.datetime | None
    closed_by: str | None
    close_note: str | None
    tasks_total: int = 0
    tasks_done: int = 0
    tasks_waived: int = 0
    tasks_closed: int = 0  # closed unfinished when the warning was lifted or withdrawn
    tasks_open: int = 0
    tasks_overdue: int = 0


class CaseDetailOut(CaseOut):
    tasks: list[TaskOut] = []


class OverdueUnitOut(OutputModel):
    organisation_id: int
    name: str
    overdue: int
    oldest_due_at: dt.datetime
    hours_overdue: float


class OverdueOut(OutputModel):
    total: int
    units: list[OverdueUnitOut]
    tasks: list[TaskOut]
