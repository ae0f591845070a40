"""Imports every domain's models so that Base.metadata knows all tables (Alembic, tests)."""

from riskgate.audit.models import AuditEntry, AuditHead  # noqa: F401
from riskgate.core.db import Base
from riskgate.core.idempotency import IdempotencyRecord  # noqa: F401
from riskgate.identity.models import (  # noqa: F401
    ApiToken,
    Organisation,
    ScopeGrant,
    User,
    UserRole,
    WebSession,
)
from riskgate.outbox.models import (  # noqa: F401
    InboxMessage,
    OutboxAttempt,
    OutboxEvent,
    WebhookEndpoint,
)

metadata = Base.metadata
