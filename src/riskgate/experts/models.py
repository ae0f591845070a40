"""Expert committee tables: panels, members, declared conflicts, reviews (an assessment referred
to a panel), assignments of experts, votes, meetings with agenda and attendance."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskgate.core.db import Base, TimestampMixin, string_enum
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


class ExpertPanel(TimestampMixin, Base):
    """A panel of the expert committee of one organisation (the lead agency), by field.

    `hazard_classes` and `hs_chapters` say which assessments it is suited to (used to suggest a
    panel); `quorum` is the minimum number of votes for a decision under either rule.
    """

    __tablename__ = "expert_panel"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    field: Mapped[PanelField] = mapped_column(string_enum(PanelField, 30))
    description: Mapped[str | None] = mapped_column(Text)
    hazard_classes: Mapped[list[str]] = mapped_column(JSON, default=list)
    hs_chapters: Mapped[list[str]] = mapped_column(JSON, default=list)
    decision_rule: Mapped[DecisionRule] = mapped_column(string_enum(DecisionRule, 20))
    quorum: Mapped[int] = mapped_column(Integer, default=2)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    members: Mapped[list[PanelMember]] = relationship(
        back_populates="panel", cascade="all, delete-orphan", order_by="PanelMember.id",
        lazy="selectin",
    )  # fmt: skip

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_zh


class PanelMember(TimestampMixin, Base):
    """An expert's membership of a panel for a term; at most one member is the chair."""

    __tablename__ = "expert_panel_member"
    __table_args__ = (UniqueConstraint("panel_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("expert_panel.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    role: Mapped[MemberRole] = mapped_column(string_enum(MemberRole, 10))
    term_start: Mapped[dt.date] = mapped_column(Date)
    term_end: Mapped[dt.date | None] = mapped_column(Date)

    panel: Mapped[ExpertPanel] = relationship(back_populates="members")

    def serving_on(self, day: dt.date) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)


class ExpertConflict(Base):
    """A conflict of interest an expert declared: an enterprise (USCC, or name + country), a
    country of origin, a product area / HS chapter, or something else (free text, not matched).
    An ended conflict (`ended_on` set, with a reason) no longer blocks assignments."""

    __tablename__ = "expert_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    kind: Mapped[ConflictKind] = mapped_column(string_enum(ConflictKind, 20))
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18))
    enterprise_name: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    hs_chapter: Mapped[str | None] = mapped_column(String(2))
    product_area: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    declared_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime]
    # Ended (the interest ceased): kept for the record, no longer matched against assessments.
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    ended_by: Mapped[str | None] = mapped_column(String(100))


class CommitteeMeeting(TimestampMixin, Base):
    """A (quarterly) meeting of one panel, or of the whole committee when `panel_id` is None."""

    __tablename__ = "committee_meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    panel_id: Mapped[int | None] = mapped_column(ForeignKey("expert_panel.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    scheduled_at: Mapped[dt.datetime]
    location: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[MeetingStatus] = mapped_column(string_enum(MeetingStatus, 20))
    minutes: Mapped[str | None] = mapped_column(Text)
    held_at: Mapped[dt.datetime | None]
    minutes_approved_at: Mapped[dt.datetime | None]
    minutes_approved_by: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(100))

    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position",
        lazy="selectin",
    )  # fmt: skip
    attendance: Mapped[list[MeetingAttendance]] = relationship(
        cascade="all, delete-orphan", order_by="MeetingAttendance.id", lazy="selectin",
    )  # fmt: skip


class ExpertReview(TimestampMixin, Base):
    """One assessment referred to one panel: its experts vote, or a meeting decides."""

    __tablename__ = "expert_review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("risk_assessment.id"), index=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("expert_panel.id"), index=True)
    status: Mapped[ReviewStatus] = mapped_column(string_enum(ReviewStatus, 10), index=True)
    decision: Mapped[Vote | None] = mapped_column(string_enum(Vote, 30))
    decision_rationale: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_via: Mapped[str | None] = mapped_column(String(20))  # votes / casting_vote / meeting
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("committee_meeting.id"))
    tally: Mapped[dict[str, int] | None] = mapped_column(JSON)
    referred_by: Mapped[str] = mapped_column(String(100))

    assignments: Mapped[list[ExpertAssignment]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ExpertAssignment.id",
        lazy="selectin",
    )  # fmt: skip
    votes: Mapped[list[ExpertVote]] = relationship(
        cascade="all, delete-orphan", order_by="ExpertVote.id", lazy="selectin",
    )  # fmt: skip


class ExpertAssignment(TimestampMixin, Base):
    """An expert assigned to a review; withdrawn (with a reason) e.g. by a later conflict."""

    __tablename__ = "expert_assignment"
    __table_args__ = (UniqueConstraint("review_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("expert_review.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    status: Mapped[AssignmentStatus] = mapped_column(string_enum(AssignmentStatus, 10))
    assigned_by: Mapped[str] = mapped_column(String(100))
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    review: Mapped[ExpertReview] = relationship(back_populates="assignments")


class ExpertVote(Base):
    """One expert's vote on one review (one per expert; revised only explicitly, audited)."""

    __tablename__ = "expert_vote"
    __table_args__ = (UniqueConstraint("review_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("expert_review.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    vote: Mapped[Vote] = mapped_column(string_enum(Vote, 30))
    rationale: Mapped[str] = mapped_column(Text)
    opinion: Mapped[str | None] = mapped_column(Text)
    cast_at: Mapped[dt.datetime]
    revisions: Mapped[int] = mapped_column(Integer, default=0)
    revised_at: Mapped[dt.datetime | None]


class AgendaItem(Base):
    """A review on a meeting's agenda, and what the meeting decided about it."""

    __tablename__ = "meeting_agenda_item"
    __table_args__ = (UniqueConstraint("meeting_id", "review_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("committee_meeting.id", ondelete="CASCADE"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("expert_review.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[Vote | None] = mapped_column(string_enum(Vote, 30))
    rationale: Mapped[str | None] = mapped_column(Text)

    meeting: Mapped[CommitteeMeeting] = relationship(back_populates="agenda")


class MeetingAttendance(Base):
    """Whether an invited member attended a meeting."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("committee_meeting.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    present: Mapped[bool] = mapped_column(Boolean, default=False)
