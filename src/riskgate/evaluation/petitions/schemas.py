"""Request and response bodies of lifting petitions, and the console's petition forms."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from riskgate.core.schemas import InputModel, IntIdField, OutputModel
from riskgate.evaluation.enums import PetitionStatus


class EvidenceOut(OutputModel):
    id: int
    sha256: str
    media_type: str
    size: int
    original_name: str


class PetitionOut(OutputModel):
    id: int
    organisation_id: int
    warning_id: int
    control_rule_id: int | None
    body: str
    clean_consignments: int
    status: PetitionStatus
    submitted_by: str | None
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    decision_note: str | None
    created_at: dt.datetime
    evidence: list[EvidenceOut] = []


class DecisionIn(InputModel):
    accept: bool
    note: str = Field(min_length=1, max_length=4000)


class DecisionForm(InputModel):
    """The decision form of a petition's page (the API's `accept` is a choice there)."""

    decision: Literal["accept", "reject"]
    note: str = Field(max_length=4000)


class PetitionForm(InputModel):
    """The enterprise's new-petition form (its evidence files are read beside it)."""

    warning_id: IntIdField | None = None
    control_rule_id: IntIdField | None = None
    body: str = Field(default="", max_length=8000)
    clean_consignments: int = Field(default=0, ge=0, le=9_999_999)
