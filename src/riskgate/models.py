"""Imports every domain's models so that Base.metadata knows all tables (Alembic, tests)."""

from riskgate.analysis_reports.models import AnalysisReport  # noqa: F401
from riskgate.assessment.models import (  # noqa: F401
    NumberSequence,
    RiskAssessment,
    RiskAssessmentRecord,
)
from riskgate.audit.models import AuditEntry, AuditHead  # noqa: F401
from riskgate.border.models import (  # noqa: F401
    CommodityRisk,
    ControlRule,
    CountryRisk,
    Declaration,
    DeclarationBatch,
    DeclarationLine,
    EnterpriseCredit,
    InspectionResult,
    PortLaneLedger,
    PortLaneTarget,
    RejectedDeclarationLine,
)
from riskgate.channels.models import (  # noqa: F401
    ChannelExpectation,
    ChannelSilence,
    FeedSubscription,
    QuarterlySubmission,
    SubmissionUnit,
)
from riskgate.core.db import Base
from riskgate.core.idempotency import IdempotencyRecord  # noqa: F401
from riskgate.core.schedule import ScheduledJob  # noqa: F401
from riskgate.experts.models import (  # noqa: F401
    AgendaItem,
    CommitteeMeeting,
    ExpertAssignment,
    ExpertConflict,
    ExpertPanel,
    ExpertReview,
    ExpertVote,
    MeetingAttendance,
    PanelMember,
)
from riskgate.identity.models import (  # noqa: F401
    ApiToken,
    Organisation,
    ScopeGrant,
    User,
    UserRole,
    WebSession,
)
from riskgate.intake.models import ImportBatch, QuarantinedRow  # noqa: F401
from riskgate.linkage.models import (  # noqa: F401
    RecordCluster,
    RecordClusterMember,
    RecordLinkKey,
    RecurrenceFlag,
)
from riskgate.monitoring.models import (  # noqa: F401
    MonitoringPlan,
    MonitoringPlanVersion,
    MonitoringPoint,
    MonitoringPointRecord,
    SamplingResult,
    SamplingTask,
)
from riskgate.outbox.models import (  # noqa: F401
    InboxMessage,
    OutboxAttempt,
    OutboxEvent,
    WebhookEndpoint,
)
from riskgate.recalls.models import Recall, RecallProgressReport  # noqa: F401
from riskgate.records.models import (  # noqa: F401
    RecordEnterprise,
    RecordSequence,
    RiskRecord,
)
from riskgate.reports.models import (  # noqa: F401
    EnterpriseReport,
    PublicReport,
    PublicReportNote,
    RateLimitCounter,
    RecordAttachment,
    WhistleblowerIdentity,
)
from riskgate.response.models import (  # noqa: F401
    CaseEvaluation,
    DisposalRule,
    LiftingPetition,
    PetitionEvidence,
    ResponseCase,
    ResponseTask,
    TaskEvidence,
    TaskReport,
)
from riskgate.signals.models import (  # noqa: F401
    DetectionResult,
    DetectionRun,
    Signal,
    SignalRecord,
    SignalRule,
    SignalSequence,
)
from riskgate.warnings.models import (  # noqa: F401
    IssuingAuthorityRule,
    PublicWarning,
    WarningAttachment,
    WarningComment,
    WarningDelivery,
    WarningEnterprise,
    WarningEvidence,
    WarningFacet,
    WarningFollowUp,
    WarningProduct,
    WarningSubscription,
)

metadata = Base.metadata
