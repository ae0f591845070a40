"""Closed vocabularies of the expert committee and its transition tables."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class PanelField(StrEnum):
    """The product field a panel covers (its experts' speciality)."""

    food = "food"
    chemicals = "chemicals"
    electrical_mechanical = "electrical_mechanical"
    toys_children = "toys_children"
    cosmetics = "cosmetics"
    medical_devices = "medical_devices"
    textiles = "textiles"
    vehicles = "vehicles"
    other = "other"


class DecisionRule(StrEnum):
    """majority: more than half of the assigned experts agree and at least `quorum` voted;
    consensus: every assigned expert voted, all alike."""

    majority = "majority"
    consensus = "consensus"


class MemberRole(StrEnum):
    chair = "chair"
    member = "member"


class ConflictKind(StrEnum):
    """What a declared conflict of interest is about. `other` is shown, never matched."""

    enterprise = "enterprise"
    country = "country"
    product_area = "product_area"
    other = "other"


class Vote(StrEnum):
    """An expert's vote; the values are those of assessment.enums.Conclusion."""

    unsafe = "unsafe"
    safe = "safe"
    insufficient_evidence = "insufficient_evidence"


class ReviewStatus(StrEnum):
    """A referral of one assessment to one panel: open until the panel decides (by votes or at a
    meeting), or closed when the assessment left review some other way (withdrawn)."""

    open = "open"
    decided = "decided"
    closed = "closed"


class AssignmentStatus(StrEnum):
    active = "active"
    withdrawn = "withdrawn"


class MeetingStatus(StrEnum):
    planned = "planned"
    held = "held"
    minutes_approved = "minutes_approved"
    cancelled = "cancelled"


REVIEW_TRANSITIONS: dict[tuple[ReviewStatus, str], ReviewStatus] = {
    (ReviewStatus.open, "decide"): ReviewStatus.decided,
    (ReviewStatus.open, "close"): ReviewStatus.closed,
}

MEETING_TRANSITIONS: dict[tuple[MeetingStatus, str], MeetingStatus] = {
    (MeetingStatus.planned, "hold"): MeetingStatus.held,
    (MeetingStatus.planned, "cancel"): MeetingStatus.cancelled,
    (MeetingStatus.held, "approve_minutes"): MeetingStatus.minutes_approved,
}

FIELD_LABELS = {
    PanelField.food: N_("Food and food-contact materials"),
    PanelField.chemicals: N_("Chemicals"),
    PanelField.electrical_mechanical: N_("Electrical and mechanical products"),
    PanelField.toys_children: N_("Toys and children's products"),
    PanelField.cosmetics: N_("Cosmetics"),
    PanelField.medical_devices: N_("Medical devices"),
    PanelField.textiles: N_("Textiles and clothing"),
    PanelField.vehicles: N_("Motor vehicles and parts"),
    PanelField.other: N_("Other products"),
}
RULE_LABELS = {
    DecisionRule.majority: N_("Simple majority with quorum"),
    DecisionRule.consensus: N_("Consensus of all assigned experts"),
}
ROLE_LABELS = {MemberRole.chair: N_("Chair"), MemberRole.member: N_("Member")}
CONFLICT_LABELS = {
    ConflictKind.enterprise: N_("Enterprise"),
    ConflictKind.country: N_("Country of origin"),
    ConflictKind.product_area: N_("Product area or HS chapter"),
    ConflictKind.other: N_("Other"),
}
VOTE_LABELS = {
    Vote.unsafe: N_("Agree: unsafe"),
    Vote.safe: N_("Safe"),
    Vote.insufficient_evidence: N_("Insufficient evidence"),
}
REVIEW_LABELS = {
    ReviewStatus.open: N_("Awaiting decision"),
    ReviewStatus.decided: N_("Decision made"),
    ReviewStatus.closed: N_("Review closed"),
}
MEETING_LABELS = {
    MeetingStatus.planned: N_("Not yet held"),
    MeetingStatus.held: N_("Held"),
    MeetingStatus.minutes_approved: N_("Minutes approved"),
    MeetingStatus.cancelled: N_("Cancelled"),
}
