"""Request and response bodies of effect evaluations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from riskgate.core.schemas import InputModel, OutputModel
from riskgate.evaluation.enums import Recommendation


class EvaluationIn(InputModel):
    note: str | None = Field(default=None, max_length=5000)
    clean_weeks: int | None = Field(default=None, ge=1, le=104)


class EvaluationOut(OutputModel):
    id: int
    case_id: int
    figures: dict[str, Any]
    recommendation: Recommendation
    reasons: list[dict[str, Any]]
    note: str | None
    created_by: str | None
    created_at: dt.datetime
