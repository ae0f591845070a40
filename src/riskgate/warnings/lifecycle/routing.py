"""Authority routing (报送签发, W3): a warning submitted for approval waits at the first
organisation up the drafter's own agency chain (the drafting organisation itself included) whose
level holds the issuing authority for the warning's level and which has an approver — a customs
level I draft goes to 海关总署, a market regulator's to its national administration. Its
approvers are told, see it in their queue, and may approve and publish it; the drafting
organisation's approver whose level lacks the authority is not offered to.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from riskgate.catalog.enums import WarningLevel
from riskgate.core.context import Actor
from riskgate.core.errors import DomainError
from riskgate.core.i18n import N_
from riskgate.core.permissions import Role
from riskgate.identity.models import Organisation, User
from riskgate.identity.scope import scope_condition
from riskgate.identity.service import active_users, organisation_chain
from riskgate.warnings.enums import WarningStatus as S
from riskgate.warnings.lifecycle import authority
from riskgate.warnings.models import PublicWarning


class NoIssuingApprover(DomainError):
    """Nobody up the chain can issue the warning: the message names the missing role and the
    organisation that should hold it."""

    status = 409
    type_slug = "no-issuing-approver"
    title = N_("No approver to issue the warning")
    message = N_("A level {level} warning must be issued by {organisation}, which has no "
                 "active user with the role {role}; ask the system administrator to assign one.")


class NoIssuingOrganisation(DomainError):
    status = 409
    type_slug = "no-issuing-organisation"
    title = N_("No organisation to issue the warning")
    message = N_("No organisation above {organisation} holds the authority to issue a level "
                 "{level} warning ({role} of a {allowed} organisation).")


def route(db: Session, organisation_id: int, level: WarningLevel) -> Organisation:
    """The organisation a warning of `level` drafted in `organisation_id` waits at; refused
    (naming the missing role and organisation) when no organisation up the chain can issue it."""
    allowed = authority.rules(db)[WarningLevel(level)]
    orgs = organisation_chain(db, organisation_id)
    holders = [org for org in orgs if org.level is not None and str(
        getattr(org.level, "value", org.level)) in allowed]
    for org in holders:
        if active_users(db, org.id, Role.APPROVER):
            return org
    if holders:
        raise NoIssuingApprover(level=WarningLevel(level).value, organisation=holders[-1].name_zh,
                                role=Role.APPROVER.msgid)
    top = orgs[0].name_zh if orgs else "-"
    raise NoIssuingOrganisation(level=WarningLevel(level).value, organisation=top,
                                role=Role.APPROVER.msgid,
                                allowed=authority.level_msgid(allowed[0]) if allowed else "-")


def routed_approvers(db: Session, warning: PublicWarning) -> list[User]:
    """Whom to tell that the warning awaits them: the approvers of the organisation it waits
    at (the issuing organisation's own until it was routed)."""
    org_id = warning.routed_organisation_id or warning.organisation_id
    return active_users(db, org_id, Role.APPROVER)


def may_issue(db: Session, actor: Actor, warning: PublicWarning,
              level: WarningLevel | None = None) -> bool:
    """Whether the actor's organisation holds the authority for the warning's level (or the
    one given) — what approving, publishing and every follow-up need."""
    return authority.allows(db, actor.organisation_id, level or warning.level)


def issuer_id(warning: PublicWarning) -> int:
    """The issuing authority of a warning: the organisation it was routed to for its issue, or
    its own organisation when it was issued where it was drafted."""
    return warning.routed_organisation_id or warning.organisation_id


def waiting_at(db: Session, warning: PublicWarning) -> Organisation | None:
    """The organisation a warning in review or approved waits at, if it was routed."""
    if warning.status not in (S.in_review, S.approved) or warning.routed_organisation_id is None:
        return None
    return db.get(Organisation, warning.routed_organisation_id)


def routed_condition(actor: Actor) -> Any:
    """True (in SQL) for warnings routed to an organisation in the actor's subtree."""
    return scope_condition(actor, PublicWarning.routed_organisation_id)


def awaiting_my_approval(actor: Actor) -> Select[Any]:
    """Warnings waiting for the actor's organisation to approve or publish them: routed to it
    (or, when they were never routed, issued in its subtree). For the queue and the to-do
    dashboard."""
    stmt = select(PublicWarning).where(PublicWarning.status.in_((S.in_review, S.approved)))
    if actor.is_system:
        return stmt
    if actor.organisation_id is None:
        return stmt.where(PublicWarning.id.is_(None))
    issued = scope_condition(actor, PublicWarning.organisation_id)
    return stmt.where(or_(
        PublicWarning.routed_organisation_id == actor.organisation_id,
        and_(PublicWarning.routed_organisation_id.is_(None),
             issued if issued is not None else PublicWarning.id.is_not(None))))
