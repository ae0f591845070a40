"""Who may receive a warning of each type (W2): the one rule every push path asks.

- 通报 (bulletin): regulators only — never an enterprise, whether named, subscribed, reminded
  or reached through e-mail, webhook or inbox;
- 通告 (notice): regulators, and the producers and operators the warning names;
- 公告 (announcement): anyone (it is public).

A regulator is any organisation that is not an enterprise (customs, market regulators, health,
laboratories…). Pure: no database, no HTTP; an unknown warning type reaches nobody and an
unknown or missing organisation type is treated as the public (fail closed).
"""

from __future__ import annotations

from riskgate.catalog.enums import WarningType
from riskgate.identity.enums import OrgType

ENTERPRISE_TYPES = frozenset(t.value for t in OrgType if t.is_enterprise)
REGULATOR_TYPES = frozenset(t.value for t in OrgType if not t.is_enterprise)


def _code(value: object) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))


def is_regulator(org_type: OrgType | str | None) -> bool:
    """True for an organisation that is not an enterprise (unknown types are not regulators)."""
    return _code(org_type) in REGULATOR_TYPES


def may_receive(warning_type: WarningType | str | None, recipient_org_type: OrgType | str | None,
                *, named: bool = False) -> bool:
    """May an organisation of `recipient_org_type` be told of a warning of `warning_type`?
    `named`: the warning names the organisation (as producer, importer, seller…)."""
    kind = _code(warning_type)
    if kind == WarningType.announcement.value:
        return True
    if kind == WarningType.notice.value:
        return is_regulator(recipient_org_type) or (
            named and _code(recipient_org_type) in ENTERPRISE_TYPES)
    if kind == WarningType.bulletin.value:
        return is_regulator(recipient_org_type)
    return False


def may_subscribe_to(warning_type: WarningType | str, org_type: OrgType | str | None) -> bool:
    """May an organisation of `org_type` ask for warnings of `warning_type`? An enterprise may
    subscribe to notices (it receives those naming it) and announcements, never to bulletins."""
    return may_receive(warning_type, org_type, named=True)


def subscribable_types(org_type: OrgType | str | None) -> tuple[WarningType, ...]:
    """The warning types an organisation of `org_type` may subscribe to, in catalogue order."""
    return tuple(kind for kind in WarningType if may_subscribe_to(kind, org_type))
