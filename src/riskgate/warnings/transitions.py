"""The one transition table of a warning's life cycle, and the one function that moves it.

draft ⇄ commenting → in_review → approved → published → adjusted (again and again) → lifted;
withdrawn from any state before lifting (a draft abandoned, or a warning published in error).
A review sends a warning back to draft with a reason.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.errors import InvalidTransition
from riskgate.core.i18n import N_
from riskgate.warnings.enums import WARNING_STATUS_LABELS
from riskgate.warnings.enums import WarningStatus as S
from riskgate.warnings.models import PublicWarning

OBJECT = N_("warning")
OBJECT_TYPE = "public_warning"

TRANSITIONS: dict[S, frozenset[S]] = {
    S.draft: frozenset({S.commenting, S.in_review, S.withdrawn}),
    S.commenting: frozenset({S.draft, S.in_review, S.withdrawn}),
    S.in_review: frozenset({S.draft, S.approved, S.withdrawn}),
    S.approved: frozenset({S.draft, S.published, S.withdrawn}),
    S.published: frozenset({S.adjusted, S.lifted, S.withdrawn}),
    S.adjusted: frozenset({S.adjusted, S.lifted, S.withdrawn}),
    S.lifted: frozenset(),
    S.withdrawn: frozenset(),
}


def allowed(current: S, target: S) -> bool:
    return target in TRANSITIONS[current]


def refuse(warning: PublicWarning, target: S) -> NoReturn:
    """The 409 of a move the warning's state does not allow."""
    raise InvalidTransition(object=OBJECT, current=WARNING_STATUS_LABELS[S(warning.status)],
                            target=WARNING_STATUS_LABELS[target])


def check(warning: PublicWarning, target: S) -> None:
    """Refuse now, before any other rule is checked, a move TRANSITIONS does not allow."""
    if not allowed(S(warning.status), target):
        refuse(warning, target)


def move(db: Session, actor: Actor, warning: PublicWarning, target: S, *, action: str,
         reason: str | None = None, **changes: Any) -> PublicWarning:
    """The one place that changes a warning's status: checks TRANSITIONS, sets the other
    fields that change with it, audits before and after in the same transaction."""
    check(warning, target)
    before = warning.snapshot()
    before_extra = {name: plain(getattr(warning, name)) for name in changes}
    warning.status = target
    for name, value in changes.items():
        setattr(warning, name, value)
    db.flush()
    old, new = audit.diff({**before, **before_extra},
                          {**warning.snapshot(), **{n: plain(v) for n, v in changes.items()}})
    audit.record(db, actor, action, object_type=OBJECT_TYPE, object_id=warning.id,
                 before=old, after=new, reason=reason, organisation_id=warning.organisation_id)
    return warning


def plain(value: Any) -> Any:
    """A value as audit rows and follow-up changes store it (JSON): dates and times as ISO
    strings, enum members as their values, lists element by element."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value.value if hasattr(value, "value") else value
