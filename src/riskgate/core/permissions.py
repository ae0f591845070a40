"""Named permissions, the roles that grant them, and the rule that separates the three
administrator duties (三员分立, as China's MLPS 2.0 level 3 asks).

Every route declares one permission (see riskgate.core.http.require); the permission matrix test
walks the route table, so a new route cannot be added without one.
"""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class Permission(LabelledEnum):
    """What a route needs; each carries its label (the account page lists them in words)."""

    # Open to everyone, including the anonymous public.
    PUBLIC = "public", N_("Public pages")
    CATALOG_READ = "catalog.read", N_("Read the reference catalogue")
    # Any signed-in user, on their own account.
    ACCOUNT_SELF = "account.self", N_("Own account")
    INBOX_READ = "inbox.read", N_("Read own inbox")
    # Organisations and users.
    ORG_READ = "org.read", N_("Read organisations")
    ORG_MANAGE = "org.manage", N_("Manage organisations")
    USER_READ = "user.read", N_("Read users")
    USER_MANAGE = "user.manage", N_("Manage users")
    ROLE_ASSIGN = "role.assign", N_("Assign roles")
    # Audit trail.
    AUDIT_READ = "audit.read", N_("Read the audit trail")
    # Outbox, dead letters, webhooks.
    OUTBOX_READ = "outbox.read", N_("Read the outbox")
    OUTBOX_REPLAY = "outbox.replay", N_("Replay dead letters")
    WEBHOOK_MANAGE = "webhook.manage", N_("Manage webhooks")
    # Risk records (the unified collection standard) and their import.
    RECORD_READ = "record.read", N_("Read risk records")
    RECORD_WRITE = "record.write", N_("Submit risk records")
    IMPORT_READ = "import.read", N_("Read import batches")
    IMPORT_RUN = "import.run", N_("Import files and correct quarantined rows")
    # Confirming or splitting near-duplicate clusters of records (riskgate.linkage).
    RECORD_LINK = "record.link", N_("Confirm or split near-duplicate clusters")
    RECORD_EXPORT = "record.export", N_("Export risk records")
    # Reports from the public and enterprises (riskgate.reports).
    REPORT_READ = "report.read", N_("Read complaints and reports")
    REPORT_HANDLE = "report.handle", N_("Handle complaints and reports")
    WHISTLEBLOWER_IDENTITY_READ = (
        "whistleblower.identity.read", N_("See whistleblowers' identities"))
    WHISTLEBLOWER_REWARD_MANAGE = "whistleblower.reward.manage", N_("Decide whistleblower rewards")
    ENTERPRISE_REPORT_FILE = "enterprise_report.file", N_("File enterprise reports")
    # Channels (riskgate.channels): health dashboard, feed subscriptions, quarterly submissions.
    CHANNEL_READ = "channel.read", N_("Read collection channels")
    CHANNEL_MANAGE = "channel.manage", N_("Manage collection channels and feed subscriptions")
    SUBMISSION_SUBMIT = "submission.submit", N_("File quarterly submissions")
    # Expert committee (riskgate.experts): panels, referrals and meetings; experts' own votes.
    COMMITTEE_READ = "committee.read", N_("Read the expert committee's work")
    COMMITTEE_MANAGE = "committee.manage", N_("Manage the expert committee")
    EXPERT_VOTE = "expert.vote", N_("Vote as an expert")
    # Risk assessment (riskgate.assessment) and draft public warnings (riskgate.warnings).
    ASSESSMENT_READ = "assessment.read", N_("Read risk assessments")
    ASSESSMENT_WRITE = "assessment.write", N_("Carry out risk assessments")
    WARNING_READ = "warning.read", N_("Read warnings")
    # Public warnings (riskgate.warnings, W1–W3): drafting, approving and issuing (publish, adjust,
    # lift, withdraw), the issuing-authority rules, enterprises' comments and acknowledgements,
    # subscriptions (精准推送) and the tracking and performance views.
    WARNING_DRAFT = "warning.draft", N_("Write draft warnings")
    WARNING_APPROVE = "warning.approve", N_("Approve and issue warnings")
    WARNING_AUTHORITY_MANAGE = "warning.authority.manage", N_("Manage warning issuing authorities")
    WARNING_COMMENT = "warning.comment", N_("Comment on warnings open for comment")
    WARNING_ACKNOWLEDGE = "warning.acknowledge", N_("Acknowledge warnings")
    WARNING_SUBSCRIBE = "warning.subscribe", N_("Subscribe to warnings")
    WARNING_TRACKING_READ = "warning.tracking.read", N_("Read warning tracking and performance")
    # Monitoring plans, sampling and monitoring points (riskgate.monitoring, M1 and M4).
    MONITORING_READ = "monitoring.read", N_("Read monitoring plans and sampling")
    MONITORING_PLAN = "monitoring.plan", N_("Plan monitoring")
    MONITORING_APPROVE = "monitoring.approve", N_("Approve monitoring plans")
    SAMPLING_RESULT = "sampling.result", N_("Record sampling results")
    # Signals (riskgate.signals): the queue with explanations, triage, detection settings.
    SIGNAL_READ = "signal.read", N_("Read signals")
    SIGNAL_TRIAGE = "signal.triage", N_("Triage signals")
    SIGNAL_CONFIGURE = "signal.configure", N_("Configure signal detection")
    # Assessment reports (riskgate.analysis_reports): quarterly and per-category PDF / Excel.
    ANALYSIS_REPORT_READ = "analysis_report.read", N_("Read assessment reports")
    ANALYSIS_REPORT_GENERATE = "analysis_report.generate", N_("Generate assessment reports")
    # Rapid response (riskgate.response, R1 R2 G1): cases and tasks, progress reports, the
    # joint-disposal rules, supervision (督查) of overdue tasks, enterprises' lifting petitions.
    RESPONSE_READ = "response.read", N_("Read response cases and tasks")
    RESPONSE_MANAGE = "response.manage", N_("Manage response cases and tasks")
    RESPONSE_TASK_REPORT = "response.task.report", N_("Report on response tasks")
    RESPONSE_SUPERVISE = "response.supervise", N_("Supervise overdue tasks")
    DISPOSAL_RULE_MANAGE = "response.rule.manage", N_("Manage joint-disposal rules")
    PETITION_FILE = "petition.file", N_("File lifting petitions")
    PETITION_REVIEW = "petition.review", N_("Review lifting petitions")
    # Recalls (riskgate.recalls, R3).
    RECALL_READ = "recall.read", N_("Read recalls")
    RECALL_MANAGE = "recall.manage", N_("Manage recalls")
    RECALL_REPORT = "recall.report", N_("Report recall progress")
    # Border control (riskgate.border, U3): control rules, risk profiles, declarations and their
    # screening, inspection results.
    CONTROL_RULE_READ = "control_rule.read", N_("Read control rules")
    CONTROL_RULE_MANAGE = "control_rule.manage", N_("Manage control rules")
    RISK_PROFILE_MANAGE = "risk_profile.manage", N_("Manage risk profiles")
    DECLARATION_SUBMIT = "declaration.submit", N_("Submit declarations")
    DECLARATION_READ = "declaration.read", N_("Read declarations")
    INSPECTION_RECORD = "inspection.record", N_("Record inspection results")
    # Console home (any staff or enterprise user).
    CONSOLE_VIEW = "console.view", N_("Open the console")
    # Information exchange (riskgate.identity.exchange, M5): agreements between organisations
    # (proposed by one side's system administrator, accepted by the other's) and one-off shares.
    EXCHANGE_READ = "exchange.read", N_("Read exchange agreements")
    EXCHANGE_MANAGE = "exchange.manage", N_("Propose, accept and revoke exchange agreements")
    OBJECT_SHARE = "exchange.share", N_("Share an object with another organisation")


class Role(LabelledEnum):
    """A set of permissions a user holds; each carries its label."""

    RISK_OFFICER = "risk_officer", N_("Risk officer")
    APPROVER = "approver", N_("Approver")
    EXPERT = "expert", N_("Expert")
    PORT_OFFICER = "port_officer", N_("Port officer")
    SUPERVISOR = "supervisor", N_("Supervisor")
    ENTERPRISE_USER = "enterprise_user", N_("Enterprise user")
    SYSTEM_ADMIN = "system_admin", N_("System administrator")
    SECURITY_ADMIN = "security_admin", N_("Security administrator")
    AUDIT_ADMIN = "audit_admin", N_("Audit administrator")


ADMIN_DUTIES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

_PUBLIC = frozenset({Permission.PUBLIC, Permission.CATALOG_READ})
_SIGNED_IN = _PUBLIC | {Permission.ACCOUNT_SELF, Permission.INBOX_READ, Permission.CONSOLE_VIEW}
_STAFF = _SIGNED_IN | {Permission.ORG_READ}

_RECORDS_READ = {Permission.RECORD_READ}
_RECORDS_WRITE = {
    Permission.RECORD_READ,
    Permission.RECORD_WRITE,
    Permission.IMPORT_READ,
    Permission.IMPORT_RUN,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # Risk officers collect risk information: push records, run imports, fix quarantined rows.
    Role.RISK_OFFICER: _STAFF | _RECORDS_WRITE,
    Role.APPROVER: _STAFF | _RECORDS_READ,
    Role.EXPERT: _SIGNED_IN,
    Role.PORT_OFFICER: _STAFF | _RECORDS_READ,
    # Supervisors follow the work: records and the import batches with their quality.
    Role.SUPERVISOR: _STAFF
    | {Permission.USER_READ, Permission.RECORD_READ, Permission.IMPORT_READ},
    Role.ENTERPRISE_USER: _SIGNED_IN | {Permission.WEBHOOK_MANAGE},
    # System administrator: organisations, operations (outbox), integrations — not people.
    Role.SYSTEM_ADMIN: _STAFF
    | {
        Permission.ORG_MANAGE,
        Permission.USER_READ,
        Permission.OUTBOX_READ,
        Permission.OUTBOX_REPLAY,
        Permission.WEBHOOK_MANAGE,
    },
    # Security administrator: accounts, roles and security policy — not the audit trail.
    Role.SECURITY_ADMIN: _STAFF
    | {Permission.USER_READ, Permission.USER_MANAGE, Permission.ROLE_ASSIGN},
    # Audit administrator: reads the audit trail, changes nothing else.
    Role.AUDIT_ADMIN: _STAFF | {Permission.AUDIT_READ, Permission.USER_READ},
}

# Reports (riskgate.reports): officers handle complaints and whistleblower reports; approvers and
# supervisors read them. A whistleblower's identity and the reward are for supervisors only —
# the role that, like the reward office of a Chinese regulator, stands apart from the officers
# who investigate the report. Enterprise users file accident and self-inspection reports.
_REPORT_GRANTS: dict[Role, set[Permission]] = {
    Role.RISK_OFFICER: {Permission.REPORT_READ, Permission.REPORT_HANDLE},
    Role.APPROVER: {Permission.REPORT_READ},
    Role.SUPERVISOR: {
        Permission.REPORT_READ,
        Permission.WHISTLEBLOWER_IDENTITY_READ,
        Permission.WHISTLEBLOWER_REWARD_MANAGE,
    },
    Role.ENTERPRISE_USER: {Permission.ENTERPRISE_REPORT_FILE},
}
for _role, _granted in _REPORT_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted

# Exporting records (CSV / Excel) takes data out of the system: officers and supervisors only.
for _role in (Role.RISK_OFFICER, Role.SUPERVISOR):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Permission.RECORD_EXPORT}

# Near-duplicate clusters (riskgate.linkage): the officers who collect records confirm or split
# them; everyone who reads records sees the clusters within their scope.
ROLE_PERMISSIONS[Role.RISK_OFFICER] = ROLE_PERMISSIONS[Role.RISK_OFFICER] | {Permission.RECORD_LINK}


# Channels (riskgate.channels): officers run feeds, register responsible units and submit their
# unit's quarter; supervisors and approvers follow channel health and the submission matrix; the
# system administrator manages feeds and expected cadences as integrations.
_CHANNEL_GRANTS: dict[Role, set[Permission]] = {
    Role.RISK_OFFICER: {Permission.CHANNEL_READ, Permission.CHANNEL_MANAGE,
                        Permission.SUBMISSION_SUBMIT},
    Role.APPROVER: {Permission.CHANNEL_READ},
    Role.SUPERVISOR: {Permission.CHANNEL_READ},
    Role.SYSTEM_ADMIN: {Permission.CHANNEL_READ, Permission.CHANNEL_MANAGE},
}
for _role, _granted in _CHANNEL_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# Expert committee (riskgate.experts): risk officers and supervisors act as its secretary (panels,
# members, referrals, meetings); approvers follow it; experts vote on what they are assigned and
# see the panels and meetings they belong to.
_COMMITTEE_GRANTS: dict[Role, set[Permission]] = {
    Role.RISK_OFFICER: {Permission.COMMITTEE_READ, Permission.COMMITTEE_MANAGE},
    Role.SUPERVISOR: {Permission.COMMITTEE_READ, Permission.COMMITTEE_MANAGE},
    Role.APPROVER: {Permission.COMMITTEE_READ},
    Role.EXPERT: {Permission.COMMITTEE_READ, Permission.EXPERT_VOTE},
}
for _role, _granted in _COMMITTEE_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted

# Risk assessment (riskgate.assessment): officers open, compute and conclude assessments (low and
# medium risks; serious and high go to the expert committee); approvers and supervisors read them
# and the draft warnings an unsafe conclusion creates.
_ASSESSMENT_GRANTS: dict[Role, set[Permission]] = {
    Role.RISK_OFFICER: {Permission.ASSESSMENT_READ, Permission.ASSESSMENT_WRITE,
                        Permission.WARNING_READ},
    Role.APPROVER: {Permission.ASSESSMENT_READ, Permission.WARNING_READ},
    Role.SUPERVISOR: {Permission.ASSESSMENT_READ, Permission.WARNING_READ},
}
for _role, _granted in _ASSESSMENT_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# Monitoring plans (riskgate.monitoring): officers draft and revise plans, generate and assign
# sampling tasks and keep the monitoring points; approvers and supervisors approve plans; officers
# and port officers (who take the samples at the border) record results.
_MONITORING_GRANTS: dict[Role, set[Permission]] = {
    Role.RISK_OFFICER: {Permission.MONITORING_READ, Permission.MONITORING_PLAN,
                        Permission.SAMPLING_RESULT},
    Role.PORT_OFFICER: {Permission.MONITORING_READ, Permission.SAMPLING_RESULT},
    Role.APPROVER: {Permission.MONITORING_READ, Permission.MONITORING_APPROVE},
    Role.SUPERVISOR: {Permission.MONITORING_READ, Permission.MONITORING_APPROVE},
}
for _role, _granted in _MONITORING_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# Signals (riskgate.signals): risk officers triage them (and run detection now); approvers,
# supervisors and port officers follow the queue; supervisors and the system administrator tune
# the detection and threshold rules.
_SIGNAL_GRANTS: dict[Role, set[Permission]] = {
    Role.RISK_OFFICER: {Permission.SIGNAL_READ, Permission.SIGNAL_TRIAGE},
    Role.APPROVER: {Permission.SIGNAL_READ},
    Role.SUPERVISOR: {Permission.SIGNAL_READ, Permission.SIGNAL_CONFIGURE},
    Role.PORT_OFFICER: {Permission.SIGNAL_READ},
    Role.SYSTEM_ADMIN: {Permission.SIGNAL_CONFIGURE},
}
for _role, _granted in _SIGNAL_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# Assessment reports (riskgate.analysis_reports): the staff who follow assessments read and
# download them; risk officers and supervisors generate them.
_ANALYSIS_REPORT_GRANTS: dict[Role, set[Permission]] = {
    Role.RISK_OFFICER: {Permission.ANALYSIS_REPORT_READ, Permission.ANALYSIS_REPORT_GENERATE},
    Role.SUPERVISOR: {Permission.ANALYSIS_REPORT_READ, Permission.ANALYSIS_REPORT_GENERATE},
    Role.APPROVER: {Permission.ANALYSIS_REPORT_READ},
}
for _role, _granted in _ANALYSIS_REPORT_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# Public warnings (riskgate.warnings): risk officers draft them and open the comment window;
# approvers approve and issue them (publish, adjust, lift, withdraw) within their organisation
# level's authority; supervisors set that authority and follow performance. Every staff role and
# enterprise users receive warnings, acknowledge them and keep their own subscriptions; enterprise
# users comment on drafts that name their enterprise.
_WARNING_GRANTS: dict[Role, set[Permission]] = {
    Role.RISK_OFFICER: {Permission.WARNING_READ, Permission.WARNING_DRAFT,
                        Permission.WARNING_ACKNOWLEDGE, Permission.WARNING_SUBSCRIBE,
                        Permission.WARNING_TRACKING_READ},
    Role.APPROVER: {Permission.WARNING_READ, Permission.WARNING_APPROVE,
                    Permission.WARNING_ACKNOWLEDGE, Permission.WARNING_SUBSCRIBE,
                    Permission.WARNING_TRACKING_READ},
    Role.SUPERVISOR: {Permission.WARNING_READ, Permission.WARNING_AUTHORITY_MANAGE,
                      Permission.WARNING_ACKNOWLEDGE, Permission.WARNING_SUBSCRIBE,
                      Permission.WARNING_TRACKING_READ},
    Role.PORT_OFFICER: {Permission.WARNING_READ, Permission.WARNING_ACKNOWLEDGE,
                        Permission.WARNING_SUBSCRIBE},
    Role.ENTERPRISE_USER: {Permission.WARNING_READ, Permission.WARNING_COMMENT,
                           Permission.WARNING_ACKNOWLEDGE, Permission.WARNING_SUBSCRIBE},
}
for _role, _granted in _WARNING_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# Rapid response, recalls and border control (issue 6). Risk officers open and manage cases,
# recalls and control rules and review petitions with approvers; every unit that receives tasks
# (officers, port officers) reports on them; supervisors follow overdue tasks (督查), keep the
# joint-disposal rules and risk profiles; port officers screen declarations and record
# inspections; enterprise users report on their recalls and petition to lift measures. The system
# administrator may submit declarations, as the integration with the customs clearance system.
_RESPONSE_GRANTS: dict[Role, set[Permission]] = {
    Role.RISK_OFFICER: {Permission.RESPONSE_READ, Permission.RESPONSE_MANAGE,
                        Permission.RESPONSE_TASK_REPORT, Permission.PETITION_REVIEW,
                        Permission.RECALL_READ, Permission.RECALL_MANAGE,
                        Permission.CONTROL_RULE_READ, Permission.CONTROL_RULE_MANAGE,
                        Permission.DECLARATION_READ},
    Role.APPROVER: {Permission.RESPONSE_READ, Permission.PETITION_REVIEW, Permission.RECALL_READ,
                    Permission.CONTROL_RULE_READ, Permission.DECLARATION_READ},
    Role.SUPERVISOR: {Permission.RESPONSE_READ, Permission.RESPONSE_MANAGE,
                      Permission.RESPONSE_SUPERVISE, Permission.DISPOSAL_RULE_MANAGE,
                      Permission.RECALL_READ, Permission.CONTROL_RULE_READ,
                      Permission.CONTROL_RULE_MANAGE, Permission.RISK_PROFILE_MANAGE,
                      Permission.DECLARATION_READ},
    Role.PORT_OFFICER: {Permission.RESPONSE_READ, Permission.RESPONSE_TASK_REPORT,
                        Permission.RECALL_READ, Permission.CONTROL_RULE_READ,
                        Permission.DECLARATION_SUBMIT, Permission.DECLARATION_READ,
                        Permission.INSPECTION_RECORD},
    Role.ENTERPRISE_USER: {Permission.RECALL_REPORT, Permission.PETITION_FILE},
    Role.SYSTEM_ADMIN: {Permission.DISPOSAL_RULE_MANAGE, Permission.DECLARATION_SUBMIT},
}
for _role, _granted in _RESPONSE_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


def permissions_for(roles: frozenset[Role] | set[Role]) -> frozenset[Permission]:
    """The union of what the roles grant; no roles means the anonymous public."""
    granted: set[Permission] = set(_PUBLIC)
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def admin_duty_conflict(roles: set[Role] | frozenset[Role]) -> set[Role]:
    """The administrator duties that would be held together (empty when the set is allowed)."""
    held = set(roles) & ADMIN_DUTIES
    return held if len(held) > 1 else set()



# Information exchange (riskgate.identity.exchange): the system administrator of each side
# manages the agreements; the staff who work with shared data read them; officers and supervisors
# transfer or copy single objects to another organisation.
_EXCHANGE_GRANTS: dict[Role, set[Permission]] = {
    Role.SYSTEM_ADMIN: {Permission.EXCHANGE_READ, Permission.EXCHANGE_MANAGE},
    Role.RISK_OFFICER: {Permission.EXCHANGE_READ, Permission.OBJECT_SHARE},
    Role.SUPERVISOR: {Permission.EXCHANGE_READ, Permission.OBJECT_SHARE},
    Role.APPROVER: {Permission.EXCHANGE_READ},
}
for _role, _granted in _EXCHANGE_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted
