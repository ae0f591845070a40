"""Request and response bodies of inspection results."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from riskgate.core.schemas import InputModel, OutputModel


class InspectionIn(InputModel):
    outcome: str = Field(max_length=10, description="pass or fail")
    findings: str | None = Field(default=None, max_length=4000)
    hazard_type: str | None = Field(default=None, max_length=60)


class InspectionOut(OutputModel):
    id: int
    line_id: int
    declaration_id: int
    outcome: str
    findings: str | None
    inspected_by: str
    inspected_at: dt.datetime
    record_id: int | None
    record_number: str | None = None
