"""Vocabularies of public warnings, each member with its label: life-cycle states, follow-up
kinds, enterprise roles, evidence kinds, push channels, delivery reasons and states, the
portal's state filter and the tracking milestones; and the labels of the domain's audit rows."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class WarningStatus(LabelledEnum):
    """The life cycle (see `warnings.lifecycle.workflow`): a draft may go out to the enterprises
    it names for comment, then to review; an approved warning is published; follow-ups adjust it
    until it is lifted, or it is withdrawn when published in error."""

    draft = "draft", N_("Draft")
    commenting = "commenting", N_("Open for comment")
    in_review = "in_review", N_("In review")
    approved = "approved", N_("Approved")
    # "Published" alone already means 是否公开 (a yes/no column) in the main catalogue.
    published = "published", N_("Published (in force)")
    adjusted = "adjusted", N_("Adjusted")
    lifted = "lifted", N_("Lifted")
    withdrawn = "withdrawn", N_("Withdrawn")

    @property
    def is_public_state(self) -> bool:
        """Published and still shown: in force, or lifted/withdrawn with its follow-up."""
        return self in PUBLISHED_STATES

    @property
    def in_force(self) -> bool:
        return self in IN_FORCE_STATES


PUBLISHED_STATES = (WarningStatus.published, WarningStatus.adjusted, WarningStatus.lifted,
                    WarningStatus.withdrawn)
IN_FORCE_STATES = (WarningStatus.published, WarningStatus.adjusted)


class FollowUpKind(LabelledEnum):
    """A numbered follow-up of a published warning (the original stays as it was published)."""

    adjustment = "adjustment", N_("Adjustment")
    lifting = "lifting", N_("Lifting")
    withdrawal = "withdrawal", N_("Withdrawal")


class EnterpriseRole(LabelledEnum):
    """What an enterprise named in a warning did with the product."""

    producer = "producer", N_("Producer")
    exporter = "exporter", N_("Exporter")
    importer = "importer", N_("Importer")
    distributor = "distributor", N_("Distributor")
    platform = "platform", N_("Online platform")


class EvidenceKind(LabelledEnum):
    """What a warning rests on: records, signals and assessments (linked by id)."""

    record = "record", N_("Risk record")
    signal = "signal", N_("Signal")
    assessment = "assessment", N_("Risk assessment")


class PushChannel(LabelledEnum):
    """How a subscriber is told of a warning (精准推送)."""

    inbox = "inbox", N_("In-app inbox")
    email = "email", N_("E-mail")
    webhook = "webhook", N_("Webhook")


class DeliveryReason(LabelledEnum):
    """Why a recipient was told: a matching subscription, or being named in the warning."""

    subscription = "subscription", N_("Subscription")
    named_enterprise = "named_enterprise", N_("Named enterprise")


class DeliveryState(LabelledEnum):
    """Acknowledgement (签收) state of one delivery (see `warnings.push.workflow`)."""

    pending = "pending", N_("Awaiting acknowledgement")
    acknowledged = "acknowledged", N_("Acknowledged")
    reminded = "reminded", N_("Reminded")
    escalated = "escalated", N_("Escalated")


class PublicState(LabelledEnum):
    """The state filter of the portal: in force (published, adjusted) or lifted."""

    in_force = "in_force", N_("In force")
    lifted = "lifted", N_("Lifted")


class Milestone(LabelledEnum):
    """The steps from the first record to publication that warning tracking times, in order."""

    first_record = "first_record", N_("First record received")
    first_signal = "first_signal", N_("First signal")
    assessment_opened = "assessment_opened", N_("Assessment opened")
    assessment_concluded = "assessment_concluded", N_("Assessment concluded")
    published = "published", N_("Warning published")


# What its audit entries' actions and object types are called on the audit pages and in the
# warning's history (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "warning.draft": N_("Drafted from an assessment"),
    "warning.create": N_("Draft created"),
    "warning.update": N_("Draft changed"),
    "warning.attachment.add": N_("Attachments added"),
    "warning.comment_window.open": N_("Opened for comment"),
    "warning.comment": N_("Enterprise replied"),
    "warning.submit": N_("Submitted for review"),
    "warning.return": N_("Returned to draft"),
    "warning.approve": N_("Approved"),
    "warning.publish": N_("Warning published"),
    "warning.adjust": N_("Adjusted"),
    "warning.lift": N_("Lifted"),
    "warning.withdraw": N_("Withdrawn"),
    "warning.discard": N_("Abandoned before publication"),
    "warning.change.request": N_("Lifting or downgrading requested"),
    "warning.change.confirm": N_("Lifting or downgrading confirmed by a second approver"),
    "warning.change.cancel": N_("Lifting or downgrading request cancelled"),
    "warning.export": N_("Warnings exported"),
    "warning.authority.update": N_("Issuing authority changed"),
    "warning.subscription.created": N_("Warning subscription created"),
    "warning.subscription.updated": N_("Warning subscription changed"),
    "warning.delivery.acknowledged": N_("Warning acknowledged"),
    "warning.delivery.reminded": N_("Acknowledgement reminder sent"),
    "warning.delivery.escalated": N_("Unacknowledged warning escalated"),
    # Object types.
    "public_warning": N_("Warning"),
    "issuing_authority_rule": N_("Issuing authority"),
    "warning_subscription": N_("Subscription"),
    "warning_delivery": N_("Warning delivery"),
}
