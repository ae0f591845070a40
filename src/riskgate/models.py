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
from riskgate.intake.models import ImportBatch, QuarantinedRow  # noqa: F401
from riskgate.outbox.models import (  # noqa: F401
    InboxMessage,
    OutboxAttempt,
    OutboxEvent,
    WebhookEndpoint,
)
from riskgate.records.models import (  # noqa: F401
    RecordEnterprise,
    RecordSequence,
    RiskRecord,
)

metadata = Base.metadata
