"""Closed vocabularies of the expert committee, each member with its label, and the labels of the
committee's audit entries. The transition tables are in `workflow.py`."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class PanelField(LabelledEnum):
    """The product field a panel covers (its experts' speciality)."""

    food = "food", N_("Food and food-contact materials")
    chemicals = "chemicals", N_("Chemicals")
    electrical_mechanical = "electrical_mechanical", N_("Electrical and mechanical products")
    toys_children = "toys_children", N_("Toys and children's products")
    cosmetics = "cosmetics", N_("Cosmetics")
    medical_devices = "medical_devices", N_("Medical devices")
    textiles = "textiles", N_("Textiles and clothing")
    vehicles = "vehicles", N_("Motor vehicles and parts")
    other = "other", N_("Other products")


class DecisionRule(LabelledEnum):
    """majority: more than half of the assigned experts agree and at least `quorum` voted;
    consensus: every assigned expert voted, all alike."""

    majority = "majority", N_("Simple majority with quorum")
    consensus = "consensus", N_("Consensus of all assigned experts")


class MemberRole(LabelledEnum):
    chair = "chair", N_("Chair")
    member = "member", N_("Member")


class ConflictKind(LabelledEnum):
    """What a declared conflict of interest is about. `other` is shown, never matched."""

    enterprise = "enterprise", N_("Enterprise")
    country = "country", N_("Country of origin")
    product_area = "product_area", N_("Product area or HS chapter")
    other = "other", N_("Other")


class Vote(LabelledEnum):
    """An expert's vote; the values are those of assessment.enums.Conclusion."""

    unsafe = "unsafe", N_("Agree: unsafe")
    safe = "safe", N_("Safe")
    insufficient_evidence = "insufficient_evidence", N_("Insufficient evidence")


class ReviewStatus(LabelledEnum):
    """A referral of one assessment to one panel: open until the panel decides (by votes or at a
    meeting), or closed when the assessment left review some other way (withdrawn)."""

    open = "open", N_("Awaiting decision")
    decided = "decided", N_("Decision made")
    closed = "closed", N_("Review closed")


class AssignmentStatus(LabelledEnum):
    """An expert's assignment to a review: active, or withdrawn (taken off, or a conflict)."""

    active = "active", N_("Active")
    withdrawn = "withdrawn", N_("Withdrawn")


class MeetingStatus(LabelledEnum):
    planned = "planned", N_("Not yet held")
    held = "held", N_("Held")
    minutes_approved = "minutes_approved", N_("Minutes approved")
    cancelled = "cancelled", N_("Cancelled")


# What the committee's audit entries are called on pages (actions and object types).
AUDIT_LABELS: dict[str, str] = {
    "experts.panel_created": N_("Expert panel created"),
    "experts.panel_updated": N_("Expert panel changed"),
    "experts.member_set": N_("Panel membership saved"),
    "experts.conflict_declared": N_("Conflict of interest declared"),
    "experts.conflict_ended": N_("Conflict of interest ended"),
    "experts.referred": N_("Assessment referred to a panel"),
    "experts.assigned": N_("Expert assigned"),
    "experts.assignment_withdrawn": N_("Expert taken off the review"),
    "experts.vote_cast": N_("Vote cast"),
    "experts.vote_revised": N_("Vote revised"),
    "experts.decided": N_("Panel decision made"),
    "experts.review_closed": N_("Expert review closed"),
    "experts.meeting_scheduled": N_("Committee meeting scheduled"),
    "experts.agenda_edited": N_("Meeting agenda changed"),
    "experts.meeting_recorded": N_("Minutes and attendance recorded"),
    "experts.meeting_hold": N_("Committee meeting held"),
    "experts.meeting_approve_minutes": N_("Meeting minutes approved"),
    "experts.meeting_cancel": N_("Committee meeting cancelled"),
    "expert_panel": N_("Expert panel"),
    "expert_conflict": N_("Conflict of interest"),
    "expert_review": N_("Expert review"),
    "expert_assignment": N_("Expert assignment"),
    "committee_meeting": N_("Committee meeting"),
}
