"""Who answers for a signal: the officers who may triage it, and who is told about it.

Detection (a new signal) and triage (assignment, the overdue reminder) both ask; neither owns
the question, so it lives here, below both.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.core.permissions import Permission, Role, permissions_for
from riskgate.identity.models import Organisation, User, UserRole
from riskgate.signals.models import Signal


def can_triage(db: Session, user: User) -> bool:
    """Whether the user's roles let them triage signals."""
    roles = frozenset(Role(r) for r in db.execute(
        select(UserRole.role).where(UserRole.user_id == user.id)).scalars())
    return Permission.SIGNAL_TRIAGE in permissions_for(roles)


def assignable_officers(db: Session, signal: Signal) -> list[User]:
    """Active risk officers of the owning organisation and its ancestors."""
    owner = db.get(Organisation, signal.organisation_id)
    if owner is None:
        return []
    ids = [int(p) for p in owner.path.strip("/").split("/") if p]
    return list(db.execute(
        select(User).join(UserRole, UserRole.user_id == User.id).where(
            User.organisation_id.in_(ids), User.active.is_(True),
            UserRole.role == Role.RISK_OFFICER).order_by(User.id)).scalars().unique())


def officers_for(db: Session, signal: Signal) -> list[User]:
    """Who is told about the signal: its assignee, else the nearest unit's risk officers."""
    if signal.assignee_id is not None:
        user = db.get(User, signal.assignee_id)
        if user is not None and user.active:
            return [user]
    officers = assignable_officers(db, signal)
    if not officers:
        return []
    nearest = max(o.organisation.path.count("/") for o in officers)
    return [o for o in officers if o.organisation.path.count("/") == nearest]
