"""Request and response bodies of the unified risk record (统一风险信息采集标准)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from riskgate.catalog.enums import HazardClass, HazardType, SourceChannel
from riskgate.core.schemas import InputModel, OutputModel
from riskgate.records.enums import Confidentiality, EnterpriseRole, InjurySeverity, TradeDirection


class EnterpriseIn(InputModel):
    role: EnterpriseRole
    uscc: str | None = Field(default=None, max_length=18, description="Chinese enterprises")
    name: str | None = Field(default=None, max_length=300, description="Foreign enterprises")
    country: str | None = Field(default=None, max_length=60, description="ISO alpha-2 or name")


class RecordIn(InputModel):
    """One risk record as a source pushes it; codes are checked against the catalogue."""

    source_channel: SourceChannel
    external_reference: str | None = Field(default=None, max_length=100)
    occurred_on: dt.date | None = None
    title: str = Field(min_length=1, max_length=2000)
    description: str | None = Field(default=None, max_length=20000)
    language: str = Field(default="zh-CN", max_length=10)
    product_name: str = Field(min_length=1, max_length=500)
    brand: str | None = Field(default=None, max_length=200)
    model: str | None = Field(default=None, max_length=200)
    batch_number: str | None = Field(default=None, max_length=200)
    barcode: str | None = Field(default=None, max_length=100)
    hs_code: str | None = Field(default=None, max_length=20)
    product_category: str | None = Field(default=None, max_length=200)
    hazard_class: HazardClass | None = None
    hazard_type: HazardType | None = None
    hazard_substance: str | None = Field(default=None, max_length=2000)
    injuries_count: int | None = Field(default=None, ge=0, le=1_000_000_000)
    injury_severity: InjurySeverity | None = None
    injury_age_group: str | None = Field(default=None, max_length=50)
    origin_country: str | None = Field(default=None, max_length=60)
    notifying_country: str | None = Field(default=None, max_length=60)
    trade_direction: TradeDirection = TradeDirection.unknown
    enterprises: list[EnterpriseIn] = Field(default_factory=list, max_length=50)
    region_code: str | None = Field(default=None, max_length=12)
    port_code: str | None = Field(default=None, max_length=40)
    quantity: str | None = Field(default=None, max_length=200)
    measures_taken: str | None = Field(default=None, max_length=5000)
    confidentiality: Confidentiality = Confidentiality.internal


class RecordBatchIn(InputModel):
    items: list[RecordIn] = Field(min_length=1, max_length=500)


class EnterpriseOut(OutputModel):
    role: EnterpriseRole
    uscc: str | None
    name: str | None
    country: str | None


class RecordOut(OutputModel):
    id: int
    record_number: str
    source_channel: SourceChannel
    organisation_id: int
    import_batch_id: int | None
    external_reference: str | None
    received_at: dt.datetime
    occurred_on: dt.date | None
    title: str
    description: str | None
    language: str
    product_name: str
    brand: str | None
    model: str | None
    batch_number: str | None
    barcode: str | None
    hs_code: str | None
    product_category: str | None
    hazard_class: HazardClass | None
    hazard_type: HazardType | None
    hazard_types: list[str]
    hazard_substance: str | None
    injuries_count: int | None
    injury_severity: InjurySeverity | None
    injury_age_group: str | None
    origin_country: str | None
    notifying_country: str | None
    trade_direction: TradeDirection
    enterprises: list[EnterpriseOut]
    region_code: str | None
    port_code: str | None
    quantity: str | None
    measures_taken: str | None
    confidentiality: Confidentiality
    created_at: dt.datetime
    updated_at: dt.datetime


class RecordDetail(RecordOut):
    raw_payload: str | None


class PushResult(OutputModel):
    """What became of one pushed record: created, or already there (a duplicate no-op).

    A duplicate of a record outside the caller's data scope has no id and number (null)."""

    record_id: int | None
    record_number: str | None
    created: bool


class PushBatchOut(OutputModel):
    created: int
    duplicates: int
    items: list[PushResult]
