"""The outbox's channels and delivery states (labelled), and the labels of its audit entries."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class Channel(LabelledEnum):
    """How an event is delivered."""

    EMAIL = "email", N_("E-mail")
    WEBHOOK = "webhook", N_("Webhook")
    INBOX = "inbox", N_("Inbox")


class EventStatus(LabelledEnum):
    """Where an event's delivery stands."""

    PENDING = "pending", N_("Pending")
    DELIVERED = "delivered", N_("Delivered")
    # Gave up after the maximum number of attempts; can be replayed.
    DEAD = "dead", N_("Dead letter")


# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "outbox.replayed": N_("Dead letter replayed"),
    "outbox.dead": N_("Delivery given up (dead letter)"),
    "webhook.created": N_("Webhook created"),
    "webhook.deactivated": N_("Webhook deactivated"),
    "outbox_event": N_("Outbox event"),
    "webhook_endpoint": N_("Webhook endpoint"),
}
