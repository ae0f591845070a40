"""Bodies of the expert committee API."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from riskgate.catalog.enums import HazardClass
from riskgate.core.schemas import InputModel, IntIdField, OutputModel
from riskgate.experts.enums import (
    AssignmentStatus,
    ConflictKind,
    DecisionRule,
    MeetingStatus,
    MemberRole,
    PanelField,
    ReviewStatus,
    Vote,
)

Chapter = str  # two digits, checked by the service
Text = str


class PanelIn(InputModel):
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    field: PanelField
    description: str | None = Field(default=None, max_length=5000)
    hazard_classes: list[HazardClass] = Field(default_factory=list, max_length=20)
    hs_chapters: list[Chapter] = Field(default_factory=list, max_length=97)
    decision_rule: DecisionRule = DecisionRule.majority
    quorum: int = Field(default=2, ge=1, le=50)
    organisation_id: IntIdField | None = None


class PanelPatch(InputModel):
    name_zh: str | None = Field(default=None, min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    field: PanelField | None = None
    description: str | None = Field(default=None, max_length=5000)
    hazard_classes: list[HazardClass] | None = Field(default=None, max_length=20)
    hs_chapters: list[Chapter] | None = Field(default=None, max_length=97)
    decision_rule: DecisionRule | None = None
    quorum: int | None = Field(default=None, ge=1, le=50)
    active: bool | None = None
    reason: str | None = Field(default=None, max_length=500)


class MemberIn(InputModel):
    role: MemberRole = MemberRole.member
    term_start: dt.date
    term_end: dt.date | None = None


class MemberOut(OutputModel):
    user_id: int
    role: MemberRole
    term_start: dt.date
    term_end: dt.date | None


class PanelOut(OutputModel):
    id: int
    organisation_id: int
    name_zh: str
    name_en: str | None
    field: PanelField
    description: str | None
    hazard_classes: list[str]
    hs_chapters: list[str]
    decision_rule: DecisionRule
    quorum: int
    active: bool
    members: list[MemberOut]


class ExpertOut(OutputModel):
    id: int
    username: str
    display_name: str
    organisation_id: int


class ConflictIn(InputModel):
    kind: ConflictKind
    enterprise_uscc: str | None = Field(default=None, min_length=18, max_length=18)
    enterprise_name: str | None = Field(default=None, max_length=300)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    hs_chapter: str | None = Field(default=None, min_length=2, max_length=2)
    product_area: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    declared_on: dt.date | None = None


class ConflictOut(OutputModel):
    id: int
    user_id: int
    kind: ConflictKind
    enterprise_uscc: str | None
    enterprise_name: str | None
    country: str | None
    hs_chapter: str | None
    product_area: str | None
    description: str | None
    declared_on: dt.date
    recorded_by: str
    ended_on: dt.date | None = None
    end_reason: str | None = None


class ConflictEndIn(InputModel):
    reason: str = Field(min_length=1, max_length=2000)
    ended_on: dt.date | None = None


class ReferIn(InputModel):
    assessment_id: IntIdField
    panel_id: IntIdField
    expert_ids: list[IntIdField] = Field(default_factory=list, max_length=50)


class AssignIn(InputModel):
    user_id: IntIdField


class WithdrawIn(InputModel):
    reason: str = Field(min_length=1, max_length=2000)


class AssignmentOut(OutputModel):
    user_id: int
    status: AssignmentStatus
    withdrawn_reason: str | None


class VoteIn(InputModel):
    vote: Vote
    rationale: str = Field(min_length=1, max_length=10000)
    opinion: str | None = Field(default=None, max_length=20000)


class ReviseIn(VoteIn):
    reason: str = Field(min_length=1, max_length=2000)


class VoteOut(OutputModel):
    user_id: int
    vote: Vote
    rationale: str
    opinion: str | None
    cast_at: dt.datetime
    revisions: int


class ReviewOut(OutputModel):
    id: int
    organisation_id: int
    assessment_id: int
    panel_id: int
    status: ReviewStatus
    decision: Vote | None
    decision_rationale: str | None
    decided_at: dt.datetime | None
    decided_via: str | None
    meeting_id: int | None
    tally: dict[str, int] | None
    assignments: list[AssignmentOut]
    votes: list[VoteOut]


class AssessmentSummary(OutputModel):
    id: int
    number: str
    title: str
    description: str | None
    status: str
    hazard_class: str | None
    product_category: str | None
    hs_code: str | None
    origin_country: str | None
    severity: int | None
    probability: float | None
    risk_level: str | None
    warning_level: str | None
    urgency: str | None
    impact_scope: str | None


class RecordSummary(OutputModel):
    id: int
    record_number: str
    title: str
    product_name: str
    origin_country: str | None
    hs_code: str | None


class WorkspaceItemOut(OutputModel):
    review_id: int
    panel_id: int
    status: ReviewStatus
    assessment: AssessmentSummary
    my_vote: VoteOut | None = None


class WorkspaceDetailOut(WorkspaceItemOut):
    records: list[RecordSummary]
    votes_cast: int
    experts_assigned: int


class MeetingIn(InputModel):
    title: str = Field(min_length=1, max_length=300)
    scheduled_at: dt.datetime
    location: str | None = Field(default=None, max_length=300)
    panel_id: IntIdField | None = None
    organisation_id: IntIdField | None = None


class AgendaIn(InputModel):
    add: list[IntIdField] = Field(default_factory=list, max_length=200)
    remove: list[IntIdField] = Field(default_factory=list, max_length=200)


class RecordMeetingIn(InputModel):
    minutes: str | None = Field(default=None, max_length=100000)
    present: list[IntIdField] = Field(default_factory=list, max_length=500)


class DecisionIn(InputModel):
    decision: Vote
    rationale: str = Field(min_length=1, max_length=10000)


class AgendaItemOut(OutputModel):
    id: int
    review_id: int
    position: int
    decision: Vote | None
    rationale: str | None


class AttendanceOut(OutputModel):
    user_id: int
    present: bool


class MeetingOut(OutputModel):
    id: int
    organisation_id: int
    panel_id: int | None
    title: str
    scheduled_at: dt.datetime
    location: str | None
    status: MeetingStatus
    minutes: str | None
    held_at: dt.datetime | None
    minutes_approved_at: dt.datetime | None
    agenda: list[AgendaItemOut]
    attendance: list[AttendanceOut]


class DecisionOut(OutputModel):
    review_id: int
    assessment_id: int
    assessment_number: str
    assessment_title: str
    panel_id: int
    panel_name_zh: str
    panel_name_en: str | None
    decision: str
    decided_at: dt.datetime
    decided_via: str
    meeting_id: int | None
    tally: dict[str, int]
    votes_cast: int
    experts_assigned: int
