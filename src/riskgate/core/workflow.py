"""The one workflow primitive: a transition table per workflow and the one `move` that uses it.

    SIGNAL_FLOW = Workflow(
        object_name=N_("signal"), audit_type="signal",
        transitions={S.new: {S.triage, S.dismissed}, S.triage: {S.assessment, S.dismissed}, ...},
        audited=("assignee", "dismiss_reason"),
    )
    move(db, SIGNAL_FLOW, signal, S.triage, actor=actor, action="signal.triage", reason=why)

`move` checks the table (a move it does not allow is `InvalidTransition`, 409, naming both
states by their labels), sets the status and the other fields that change with it, and audits
the status and those fields before and after in the same transaction. Nothing else assigns a
status (a test scans the source for it). A workflow whose steps have names of their own declares
`events` — (state, event) → target — and `move` accepts the event name instead of the target.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from riskgate.core import auditing
from riskgate.core.context import Actor
from riskgate.core.errors import InvalidTransition

S = TypeVar("S", bound=Enum)


def _label(state: Any) -> str:
    """A state as the 409 names it: the labelled enum's msgid, else its value."""
    return getattr(state, "msgid", None) or str(getattr(state, "value", state))


@dataclass(frozen=True)
class Workflow(Generic[S]):
    """One kind of object's statuses and the moves allowed between them."""

    object_name: str
    """msgid naming the object in messages ("warning", "response task")."""
    audit_type: str
    """The object type of its audit entries ("public_warning")."""
    transitions: Mapping[S, Iterable[S]]
    """Each status and the statuses it may move to (a terminal status maps to nothing)."""
    events: Mapping[tuple[S, Any], S] = field(default_factory=dict)
    """Named steps, where the workflow has them: (from, event) → to."""
    audited: tuple[str, ...] = ()
    """Fields always audited beside the status (the rest: those a move changes)."""
    status_field: str = "status"
    organisation: Callable[[Any], int | None] = lambda obj: getattr(obj, "organisation_id", None)
    """The organisation whose audit trail shows the move (default: the object's owner)."""

    def __post_init__(self) -> None:
        # Frozen sets once, so that `allows` is a set lookup and the table cannot be changed.
        object.__setattr__(self, "transitions",
                           {state: frozenset(targets) for state, targets in
                            self.transitions.items()})

    @property
    def state_type(self) -> type[S]:
        return type(next(iter(self.transitions)))

    def state_of(self, obj: Any) -> S:
        value = getattr(obj, self.status_field)
        state_type = self.state_type
        state: S = value if isinstance(value, state_type) else state_type(value)
        return state

    def allows(self, current: S, target: S) -> bool:
        return target in self.transitions.get(current, frozenset())

    def next_states(self, obj: Any) -> frozenset[S]:
        """Where the object may go from its status now (pages offer only these actions)."""
        return frozenset(self.transitions.get(self.state_of(obj), frozenset()))

    def target(self, obj: Any, step: S | Any) -> S:
        """The status a step leads to: a status itself, or an event of `events` (a string or
        a member of an enum of events)."""
        current = self.state_of(obj)
        if isinstance(step, self.state_type):
            return step
        found = self.events.get((current, step))
        if found is None and isinstance(step, Enum):
            found = self.events.get((current, step.value))
        if found is None:
            # Name where the step leads from other states ("cannot go from Submitted to
            # Submitted"), or the step itself when it leads nowhere.
            elsewhere = [to for (_from, event), to in self.events.items()
                         if event == step or event == getattr(step, "value", step)]
            raise InvalidTransition(object=self.object_name, current=_label(current),
                                    target=_label(elsewhere[0]) if elsewhere else str(step))
        return found

    def check(self, obj: Any, step: S | Any) -> S:
        """The target of `step`, or the 409 of a move the object's status does not allow."""
        current = self.state_of(obj)
        target = self.target(obj, step)
        if not self.allows(current, target):
            raise InvalidTransition(object=self.object_name, current=_label(current),
                                    target=_label(target))
        return target


def move(db: Session, workflow: Workflow[S], obj: Any, step: S | Any, *, actor: Actor,
         action: str, reason: str | None = None, organisation_id: int | None = None,
         noted: dict[str, Any] | None = None, noted_before: dict[str, Any] | None = None,
         **changes: Any) -> Any:
    """Move `obj` to the status `step` leads to, with the fields that change with it; audited.

    The one place a status is assigned. `changes` are set after the check, so a refused move
    changes nothing; the audit entry holds the status and every audited or changed field whose
    value differs, before and after, plus `noted` (after) and `noted_before`: facts the entry
    records beside the fields (the warning a delivery belongs to, the signal a merge went into,
    a revised plan's content before and after).
    """
    target = workflow.check(obj, step)
    names = (workflow.status_field, *workflow.audited, *changes)
    before = {name: getattr(obj, name) for name in names}
    setattr(obj, workflow.status_field, target)
    for name, value in changes.items():
        setattr(obj, name, value)
    db.flush()
    after = {name: getattr(obj, name) for name in names}
    audit = auditing.installed()
    old, new = audit.diff(before, after)
    old = {**old, **(noted_before or {})}
    new = {**new, **(noted or {})}
    owner = organisation_id if organisation_id is not None else workflow.organisation(obj)
    audit.record(db, actor, action, object_type=workflow.audit_type, object_id=obj.id,
                 before=old, after=new, reason=reason, organisation_id=owner)
    return obj
