"""Named permissions, the roles that grant them, and the rule that separates the three
administrator duties (三员分立, as China's MLPS 2.0 level 3 asks).

Every route declares one permission (see riskgate.core.http.require); the permission matrix test
walks the route table, so a new route cannot be added without one.
"""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class Permission(StrEnum):
    # Open to everyone, including the anonymous public.
    PUBLIC = "public"
    CATALOG_READ = "catalog.read"
    # Any signed-in user, on their own account.
    ACCOUNT_SELF = "account.self"
    INBOX_READ = "inbox.read"
    # Organisations and users.
    ORG_READ = "org.read"
    ORG_MANAGE = "org.manage"
    USER_READ = "user.read"
    USER_MANAGE = "user.manage"
    ROLE_ASSIGN = "role.assign"
    # Audit trail.
    AUDIT_READ = "audit.read"
    # Outbox, dead letters, webhooks.
    OUTBOX_READ = "outbox.read"
    OUTBOX_REPLAY = "outbox.replay"
    WEBHOOK_MANAGE = "webhook.manage"
    # Risk records (the unified collection standard) and their import.
    RECORD_READ = "record.read"
    RECORD_WRITE = "record.write"
    IMPORT_READ = "import.read"
    IMPORT_RUN = "import.run"
    # Console home (any staff or enterprise user).
    CONSOLE_VIEW = "console.view"


class Role(StrEnum):
    RISK_OFFICER = "risk_officer"
    APPROVER = "approver"
    EXPERT = "expert"
    PORT_OFFICER = "port_officer"
    SUPERVISOR = "supervisor"
    ENTERPRISE_USER = "enterprise_user"
    SYSTEM_ADMIN = "system_admin"
    SECURITY_ADMIN = "security_admin"
    AUDIT_ADMIN = "audit_admin"


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


ROLE_LABELS: dict[Role, str] = {
    Role.RISK_OFFICER: N_("Risk officer"),
    Role.APPROVER: N_("Approver"),
    Role.EXPERT: N_("Expert"),
    Role.PORT_OFFICER: N_("Port officer"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.ENTERPRISE_USER: N_("Enterprise user"),
    Role.SYSTEM_ADMIN: N_("System administrator"),
    Role.SECURITY_ADMIN: N_("Security administrator"),
    Role.AUDIT_ADMIN: N_("Audit administrator"),
}
