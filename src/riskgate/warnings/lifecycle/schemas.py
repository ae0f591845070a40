"""Request and response bodies of the warnings API (life cycle).

Codes (HS, countries, regions, ports, enterprises, evidence) are only typed here; the service
checks that each exists and answers 422 with the offending field when one does not.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field

from riskgate.catalog.enums import HazardClass, MeasureType, WarningLevel, WarningType
from riskgate.core.schemas import InputModel, IntIdField, OutputModel
from riskgate.warnings.enums import (
    EnterpriseRole,
    EvidenceKind,
    FollowUpKind,
    WarningStatus,
)

Short = Annotated[str, Field(max_length=300)]
Text = Annotated[str, Field(max_length=20000)]
Code = Annotated[str, Field(min_length=1, max_length=20)]
Reason = Annotated[str, Field(min_length=1, max_length=5000)]


class ProductIn(InputModel):
    name: Annotated[str, Field(min_length=1, max_length=300)]
    hs_code: Annotated[str, Field(max_length=20)] | None = None
    category: Annotated[str, Field(max_length=100)] | None = None
    brand: Annotated[str, Field(max_length=200)] | None = None
    model: Annotated[str, Field(max_length=200)] | None = None
    batch: Annotated[str, Field(max_length=200)] | None = None
    barcode: Annotated[str, Field(max_length=64)] | None = None


class EnterpriseIn(InputModel):
    organisation_id: IntIdField
    role: EnterpriseRole = EnterpriseRole.producer


class EvidenceIn(InputModel):
    kind: EvidenceKind
    object_id: IntIdField


class WarningIn(InputModel):
    """A draft (or its full replacement when edited). Only the title, level and type are needed
    to save a draft; what publication needs is checked on submission for review."""

    title: Annotated[str, Field(min_length=1, max_length=300)]
    title_en: Short | None = None
    summary: Text | None = None
    summary_en: Text | None = None
    hazard: Text | None = None
    hazard_class: HazardClass | None = None
    level: WarningLevel
    warning_type: WarningType
    measures: Annotated[list[MeasureType], Field(max_length=20)] = []
    origin_countries: Annotated[list[Code], Field(max_length=250)] = []
    regions: Annotated[list[Code], Field(max_length=500)] = []
    ports: Annotated[list[Code], Field(max_length=500)] = []
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    consumer_instructions: Text | None = None
    enterprise_instructions: Text | None = None
    products: Annotated[list[ProductIn], Field(max_length=200)] = []
    enterprises: Annotated[list[EnterpriseIn], Field(max_length=200)] = []
    evidence: Annotated[list[EvidenceIn], Field(max_length=500)] = []
    assessment_id: IntIdField | None = None
    organisation_id: IntIdField | None = None


class AdjustmentIn(InputModel):
    """A follow-up changing a published warning: only the fields given change."""

    reason: Reason
    level: WarningLevel | None = None
    measures: Annotated[list[MeasureType], Field(max_length=20)] | None = None
    origin_countries: Annotated[list[Code], Field(max_length=250)] | None = None
    regions: Annotated[list[Code], Field(max_length=500)] | None = None
    ports: Annotated[list[Code], Field(max_length=500)] | None = None
    products: Annotated[list[ProductIn], Field(max_length=200)] | None = None
    effective_until: dt.date | None = None
    consumer_instructions: Text | None = None
    enterprise_instructions: Text | None = None


class AdjustmentRequestIn(AdjustmentIn):
    """An adjustment through the API, with the reason for acting against the effect
    evaluation's proposal when lowering the level goes against it (R2)."""

    against_reason: Text | None = None


class CommentWindowIn(InputModel):
    working_days: Annotated[int, Field(ge=1, le=30)] | None = None


class CommentIn(InputModel):
    body: Annotated[str, Field(min_length=1, max_length=10000)]


class ReasonIn(InputModel):
    reason: Reason


class ApprovalIn(InputModel):
    note: Annotated[str, Field(max_length=5000)] | None = None


class LiftIn(InputModel):
    reason: Reason
    evaluation: Reason
    # Required when lifting goes against the latest effect evaluation's proposal (R2).
    against_reason: Text | None = None


class AuthorityRuleIn(InputModel):
    org_levels: Annotated[list[Annotated[str, Field(max_length=20)]], Field(max_length=5)]


class ProductOut(OutputModel):
    name: str
    hs_code: str | None
    category: str | None
    brand: str | None
    model: str | None
    batch: str | None
    barcode: str | None


class EnterpriseOut(OutputModel):
    organisation_id: int
    role: EnterpriseRole
    name: str | None = None


class EvidenceOut(OutputModel):
    kind: EvidenceKind
    object_id: int


class FollowUpOut(OutputModel):
    id: int
    sequence: int
    kind: FollowUpKind
    reason: str
    evaluation: str | None
    changes: dict[str, Any]
    level_after: WarningLevel
    created_by: str | None
    created_at: dt.datetime


class CommentOut(OutputModel):
    id: int
    organisation_id: int
    author: str
    body: str
    created_at: dt.datetime


class WarningSummaryOut(OutputModel):
    id: int
    number: str
    organisation_id: int
    assessment_id: int | None
    title: str
    title_en: str | None
    level: WarningLevel
    warning_type: WarningType
    status: WarningStatus
    published_at: dt.datetime | None
    created_at: dt.datetime


class WarningOut(WarningSummaryOut):
    summary: str | None
    summary_en: str | None
    hazard: str | None
    hazard_class: HazardClass | None
    measures: list[str]
    origin_countries: list[str]
    regions: list[str]
    ports: list[str]
    effective_from: dt.date | None
    effective_until: dt.date | None
    consumer_instructions: str | None
    enterprise_instructions: str | None
    created_by: str | None
    comment_deadline: dt.datetime | None
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    approved_by: str | None
    published_by: str | None
    closed_at: dt.datetime | None
    follow_up_count: int
    original: dict[str, Any] | None
    products: list[ProductOut] = []
    enterprises: list[EnterpriseOut] = []
    evidence: list[EvidenceOut] = []
    follow_ups: list[FollowUpOut] = []
    comments: list[CommentOut] = []


class AuthorityRuleOut(OutputModel):
    level: WarningLevel
    org_levels: list[str]
