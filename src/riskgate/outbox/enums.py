from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"
    INBOX = "inbox"


class EventStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"  # gave up after the maximum number of attempts; can be replayed


# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "outbox.replayed": N_("Dead letter replayed"),
    "webhook.created": N_("Webhook created"),
    "webhook.deactivated": N_("Webhook deactivated"),
    "outbox_event": N_("Outbox event"),
    "webhook_endpoint": N_("Webhook endpoint"),
}
