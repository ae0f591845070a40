"""Request and response bodies of the risk profiles (风险参数): credit grades, country and
commodity risk scores, port lane targets, and the CSV upload's report. Field shapes only; the
values are checked by `border.profiles.service`."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from riskgate.border.enums import CreditGrade
from riskgate.core.schemas import InputModel, OutputModel


class CreditGradeIn(InputModel):
    enterprise_code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=300)
    grade: CreditGrade


class CreditGradeOut(OutputModel):
    id: int
    enterprise_code: str
    organisation_id: int | None
    name: str
    grade: CreditGrade
    updated_by: str | None
    updated_at: dt.datetime


class CountryRiskIn(InputModel):
    country: str = Field(min_length=2, max_length=60)
    score: float
    note: str | None = Field(default=None, max_length=2000)


class CountryRiskOut(OutputModel):
    country: str
    score: float
    note: str | None
    updated_by: str | None
    updated_at: dt.datetime


class CommodityRiskIn(InputModel):
    hs_prefix: str = Field(min_length=1, max_length=20)
    score: float
    note: str | None = Field(default=None, max_length=2000)


class CommodityRiskOut(OutputModel):
    hs_prefix: str
    score: float
    note: str | None
    updated_by: str | None
    updated_at: dt.datetime


class PortTargetIn(InputModel):
    port_code: str = Field(min_length=1, max_length=40)
    red_rate: float
    yellow_rate: float
    blue_rate: float
    min_random_rate: float


class PortTargetOut(OutputModel):
    port_code: str
    red_rate: float
    yellow_rate: float
    blue_rate: float
    min_random_rate: float
    updated_by: str | None
    updated_at: dt.datetime


class CsvRowProblem(OutputModel):
    line: int
    field: str
    message: str


class CsvUploadOut(OutputModel):
    applied: int
    problems: list[CsvRowProblem]
