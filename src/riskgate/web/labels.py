"""Human labels for codes shown on pages (organisation types, roles, audit actions, statuses)."""

from __future__ import annotations

from typing import Any

from riskgate.catalog.codes import code_label, code_title
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import ROLE_LABELS, Permission, Role
from riskgate.identity.enums import ORG_LEVEL_LABELS, ORG_TYPE_LABELS, OrgLevel, OrgType
from riskgate.outbox.enums import Channel, EventStatus

STATUS_LABELS: dict[EventStatus, str] = {
    EventStatus.PENDING: N_("Pending"),
    EventStatus.DELIVERED: N_("Delivered"),
    EventStatus.DEAD: N_("Dead letter"),
}

CHANNEL_LABELS: dict[Channel, str] = {
    Channel.EMAIL: N_("E-mail"),
    Channel.WEBHOOK: N_("Webhook"),
    Channel.INBOX: N_("Inbox"),
}

PERMISSION_LABELS: dict[Permission, str] = {
    Permission.PUBLIC: N_("Public pages"),
    Permission.CATALOG_READ: N_("Read the reference catalogue"),
    Permission.ACCOUNT_SELF: N_("Own account"),
    Permission.INBOX_READ: N_("Read own inbox"),
    Permission.ORG_READ: N_("Read organisations"),
    Permission.ORG_MANAGE: N_("Manage organisations"),
    Permission.USER_READ: N_("Read users"),
    Permission.USER_MANAGE: N_("Manage users"),
    Permission.ROLE_ASSIGN: N_("Assign roles"),
    Permission.AUDIT_READ: N_("Read the audit trail"),
    Permission.OUTBOX_READ: N_("Read the outbox"),
    Permission.OUTBOX_REPLAY: N_("Replay dead letters"),
    Permission.WEBHOOK_MANAGE: N_("Manage webhooks"),
    Permission.RECORD_READ: N_("Read risk records"),
    Permission.RECORD_WRITE: N_("Submit risk records"),
    Permission.IMPORT_READ: N_("Read import batches"),
    Permission.IMPORT_RUN: N_("Import files and correct quarantined rows"),
    Permission.RECORD_EXPORT: N_("Export risk records"),
    Permission.CONSOLE_VIEW: N_("Open the console"),
}

LANGUAGE_LABELS = {"zh-CN": "简体中文", "en": "English"}


def _pair(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def org_type_label(value: OrgType | str | None, lang: str) -> str:
    if value is None:
        return ""
    try:
        return _pair(ORG_TYPE_LABELS[OrgType(value)], lang)
    except ValueError:
        return str(value)


def org_level_label(value: OrgLevel | str | None, lang: str) -> str:
    if value is None:
        return ""
    try:
        return _pair(ORG_LEVEL_LABELS[OrgLevel(value)], lang)
    except ValueError:
        return str(value)


def role_label(value: Role | str, lang: str) -> str:
    try:
        return gettext(ROLE_LABELS[Role(value)], lang)
    except ValueError:
        return str(value)


def _from(table: dict[Any, str], value: Any, lang: str) -> str:
    label = table.get(value)
    return gettext(label, lang) if label else str(value)


def status_label(value: EventStatus | str, lang: str) -> str:
    return _from(STATUS_LABELS, EventStatus(value), lang)


def channel_label(value: Channel | str, lang: str) -> str:
    return _from(CHANNEL_LABELS, Channel(value), lang)


def permission_label(value: Permission | str, lang: str) -> str:
    try:
        return _from(PERMISSION_LABELS, Permission(value), lang)
    except ValueError:
        return str(value)


def language_label(value: str) -> str:
    return LANGUAGE_LABELS.get(value, value)


def object_link(object_type: str, object_id: str | int | None) -> str | None:
    """The console page of an audited object, when there is one."""
    if object_id is None or not str(object_id).isdigit():
        return None
    return {
        "organisation": f"/console/organisations/{object_id}",
        "user": f"/console/users/{object_id}",
        "outbox_event": f"/console/outbox/{object_id}",
        "risk_record": f"/console/records/{object_id}",
    }.get(object_type)


def install(environment: Any) -> None:
    environment.globals.update(
        org_type_label=org_type_label,
        org_level_label=org_level_label,
        role_label=role_label,
        status_label=status_label,
        channel_label=channel_label,
        permission_label=permission_label,
        language_label=language_label,
        object_link=object_link,
        code_label=code_label,
        code_title=code_title,
    )
