"""Request and response bodies of control rules.

Field shapes only; the scope rules (catalogue HS codes, known countries and ports, rates, no
duplicates, a non-empty scope) are checked by `border.rules.service.validate_scope` so that the
API, the console form and the warning derivation refuse the same things with the same field
names."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from riskgate.border.enums import ControlAction, Direction, RuleOrigin, RuleStatus
from riskgate.core.schemas import InputModel, OutputModel, refuse_null

ScopeList = list[str]


class ControlRuleIn(InputModel):
    """A hand-written control rule. Within a field the values are alternatives; across the given
    fields all must match. At least one of the scope fields must be given."""

    title: str = Field(min_length=1, max_length=300)
    direction: Direction | None = None
    hs_prefixes: ScopeList = Field(default_factory=list, max_length=200)
    countries: ScopeList = Field(default_factory=list, max_length=300)
    enterprise_codes: ScopeList = Field(default_factory=list, max_length=500)
    keywords: ScopeList = Field(default_factory=list, max_length=100)
    barcodes: ScopeList = Field(default_factory=list, max_length=500)
    brands: ScopeList = Field(default_factory=list, max_length=100)
    models: ScopeList = Field(default_factory=list, max_length=200)
    batches: ScopeList = Field(default_factory=list, max_length=500)
    ports: ScopeList = Field(default_factory=list, max_length=200)
    action: ControlAction
    sampling_rate: float = 1.0
    priority: int = Field(default=50, ge=0, le=100)
    valid_from: dt.datetime | None = None  # default: now
    valid_until: dt.datetime | None = None


class ControlRuleUpdate(InputModel):
    """A change of a rule: only the fields given change; `reason` goes to the audit trail."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    direction: Direction | None = None
    hs_prefixes: ScopeList | None = Field(default=None, max_length=200)
    countries: ScopeList | None = Field(default=None, max_length=300)
    enterprise_codes: ScopeList | None = Field(default=None, max_length=500)
    keywords: ScopeList | None = Field(default=None, max_length=100)
    barcodes: ScopeList | None = Field(default=None, max_length=500)
    brands: ScopeList | None = Field(default=None, max_length=100)
    models: ScopeList | None = Field(default=None, max_length=200)
    batches: ScopeList | None = Field(default=None, max_length=500)
    ports: ScopeList | None = Field(default=None, max_length=200)
    action: ControlAction | None = None
    sampling_rate: float | None = None
    priority: int | None = Field(default=None, ge=0, le=100)
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None
    reason: str | None = Field(default=None, max_length=2000)

    _not_null = refuse_null("title", "hs_prefixes", "countries", "enterprise_codes", "keywords",
                            "barcodes", "brands", "models", "batches", "ports", "action",
                            "sampling_rate", "priority",
                            "valid_from")


class RuleReasonIn(InputModel):
    reason: str = Field(min_length=1, max_length=2000)


class OptionalReasonIn(InputModel):
    reason: str | None = Field(default=None, max_length=2000)


class ControlRuleOut(OutputModel):
    id: int
    number: str
    organisation_id: int
    warning_id: int | None
    origin: RuleOrigin
    title: str
    direction: Direction | None
    hs_prefixes: list[str]
    countries: list[str]
    enterprise_codes: list[str]
    keywords: list[str]
    barcodes: list[str]
    brands: list[str] = []
    models: list[str] = []
    batches: list[str] = []
    ports: list[str]
    action: ControlAction
    sampling_rate: float
    priority: int
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    status: RuleStatus
    version: int
    retired_at: dt.datetime | None
    retired_reason: str | None
    created_by: str | None
    updated_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


# --- the rule page's status forms (their field is `step_reason`, beside the edit form's reason)


class StepReasonIn(InputModel):
    """Suspending or resuming from the rule's page: the reason is optional."""

    step_reason: str | None = Field(default=None, max_length=2000)


class RetireStepIn(InputModel):
    """Retiring from the rule's page: the reason is required."""

    step_reason: str = Field(max_length=2000)
