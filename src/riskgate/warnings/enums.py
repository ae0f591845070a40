"""Vocabularies of public warnings: life-cycle states, follow-up kinds, enterprise roles,
subscription channels and delivery states."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class WarningStatus(StrEnum):
    """The life cycle (see `warnings.transitions`): a draft may go out to the enterprises it names
    for comment, then to review; an approved warning is published; follow-ups adjust it until it
    is lifted, or it is withdrawn when published in error."""

    draft = "draft"
    commenting = "commenting"
    in_review = "in_review"
    approved = "approved"
    published = "published"
    adjusted = "adjusted"
    lifted = "lifted"
    withdrawn = "withdrawn"

    @property
    def is_public_state(self) -> bool:
        """Published and still shown: in force, or lifted/withdrawn with its follow-up."""
        return self in (WarningStatus.published, WarningStatus.adjusted, WarningStatus.lifted,
                        WarningStatus.withdrawn)

    @property
    def in_force(self) -> bool:
        return self in (WarningStatus.published, WarningStatus.adjusted)


WARNING_STATUS_LABELS = {
    WarningStatus.draft: N_("Draft"),
    WarningStatus.commenting: N_("Open for comment"),
    WarningStatus.in_review: N_("In review"),
    WarningStatus.approved: N_("Approved"),
    WarningStatus.published: N_("Published (in force)"),
    WarningStatus.adjusted: N_("Adjusted"),
    WarningStatus.lifted: N_("Lifted"),
    WarningStatus.withdrawn: N_("Withdrawn"),
}

PUBLISHED_STATES = (WarningStatus.published, WarningStatus.adjusted, WarningStatus.lifted,
                    WarningStatus.withdrawn)
IN_FORCE_STATES = (WarningStatus.published, WarningStatus.adjusted)


class FollowUpKind(StrEnum):
    """A numbered follow-up of a published warning (the original stays as it was published)."""

    adjustment = "adjustment"
    lifting = "lifting"
    withdrawal = "withdrawal"


FOLLOW_UP_KIND_LABELS = {
    FollowUpKind.adjustment: N_("Adjustment"),
    FollowUpKind.lifting: N_("Lifting"),
    FollowUpKind.withdrawal: N_("Withdrawal"),
}


class EnterpriseRole(StrEnum):
    """What an enterprise named in a warning did with the product."""

    producer = "producer"
    exporter = "exporter"
    importer = "importer"
    distributor = "distributor"
    platform = "platform"


ENTERPRISE_ROLE_LABELS = {
    EnterpriseRole.producer: N_("Producer"),
    EnterpriseRole.exporter: N_("Exporter"),
    EnterpriseRole.importer: N_("Importer"),
    EnterpriseRole.distributor: N_("Distributor"),
    EnterpriseRole.platform: N_("Online platform"),
}


class EvidenceKind(StrEnum):
    """What a warning rests on: records, signals and assessments (linked by id)."""

    record = "record"
    signal = "signal"
    assessment = "assessment"


class PushChannel(StrEnum):
    """How a subscriber is told of a warning (精准推送)."""

    inbox = "inbox"
    email = "email"
    webhook = "webhook"


PUSH_CHANNEL_LABELS = {
    PushChannel.inbox: N_("In-app inbox"),
    PushChannel.email: N_("E-mail"),
    PushChannel.webhook: N_("Webhook"),
}


class DeliveryReason(StrEnum):
    """Why a recipient was told: a matching subscription, or being named in the warning."""

    subscription = "subscription"
    named_enterprise = "named_enterprise"


class DeliveryState(StrEnum):
    """Acknowledgement (签收) state of one delivery."""

    pending = "pending"
    acknowledged = "acknowledged"
    reminded = "reminded"
    escalated = "escalated"


DELIVERY_STATE_LABELS = {
    DeliveryState.pending: N_("Awaiting acknowledgement"),
    DeliveryState.acknowledged: N_("Acknowledged"),
    DeliveryState.reminded: N_("Reminded"),
    DeliveryState.escalated: N_("Escalated"),
}


# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
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
    "warning.export": N_("Warnings exported"),
    "warning.authority.update": N_("Issuing authority changed"),
    "warning.subscription.created": N_("Warning subscription created"),
    "warning.subscription.updated": N_("Warning subscription changed"),
    "warning.delivery.acknowledged": N_("Warning acknowledged"),
    "warning.delivery.reminded": N_("Acknowledgement reminder sent"),
    "warning.delivery.escalated": N_("Unacknowledged warning escalated"),
}
