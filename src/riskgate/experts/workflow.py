"""The workflows of the expert committee (see core.workflow).

A review: open → decided (by the votes, or at a meeting) / closed (its assessment was
withdrawn). An expert's assignment to a review: active ⇄ withdrawn (taken off, or by a later
conflict of interest; assigned again, active). A meeting, by named steps: planned → held (hold:
minutes and attendance recorded) → minutes approved (approve_minutes); planned → cancelled
(cancel).
"""

from __future__ import annotations

from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.experts.enums import AssignmentStatus, MeetingStatus, ReviewStatus
from riskgate.experts.models import ExpertAssignment

REVIEW = N_("expert review")
MEETING = N_("committee meeting")
ASSIGNMENT = N_("expert assignment")

REVIEW_FLOW: Workflow[ReviewStatus] = Workflow(
    object_name=REVIEW,
    audit_type="expert_review",
    transitions={
        ReviewStatus.open: {ReviewStatus.decided, ReviewStatus.closed},
        ReviewStatus.decided: set(),
        ReviewStatus.closed: set(),
    },
)


def _review_organisation(assignment: ExpertAssignment) -> int | None:
    """An assignment shows in the audit trail of its review's committee."""
    return assignment.review.organisation_id


ASSIGNMENT_FLOW: Workflow[AssignmentStatus] = Workflow(
    object_name=ASSIGNMENT,
    audit_type="expert_assignment",
    transitions={
        AssignmentStatus.active: {AssignmentStatus.withdrawn},
        AssignmentStatus.withdrawn: {AssignmentStatus.active},
    },
    organisation=_review_organisation,
)

MEETING_FLOW: Workflow[MeetingStatus] = Workflow(
    object_name=MEETING,
    audit_type="committee_meeting",
    transitions={
        MeetingStatus.planned: {MeetingStatus.held, MeetingStatus.cancelled},
        MeetingStatus.held: {MeetingStatus.minutes_approved},
        MeetingStatus.minutes_approved: set(),
        MeetingStatus.cancelled: set(),
    },
    # Events are plain strings (`move` takes an enum member for a status, not for an event).
    events={
        (MeetingStatus.planned, "hold"): MeetingStatus.held,
        (MeetingStatus.planned, "cancel"): MeetingStatus.cancelled,
        (MeetingStatus.held, "approve_minutes"): MeetingStatus.minutes_approved,
    },
)
