"""What the warnings stage announces, and what it asks of later stages (see core.events)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

from riskgate.core.context import Actor
from riskgate.core.events import StageEvent, StageQuery
from riskgate.warnings.enums import FollowUpKind
from riskgate.warnings.models import PublicWarning, WarningFollowUp


@dataclass(frozen=True)
class WarningIssued(StageEvent):
    """A warning was published (no follow-up) — and, through the subclasses, adjusted, lifted or
    withdrawn by a numbered follow-up. Following it: the response case (R1) and the control
    rules at the border (布控). A follower of `WarningIssued` follows all four."""

    name: ClassVar[str] = "warning.issued"
    actor: Actor
    warning: PublicWarning
    follow_up: WarningFollowUp | None = None

    @property
    def kind(self) -> str:
        """"published", "adjusted", "lifted" or "withdrawn" (the part after "warning.")."""
        return "published" if self.name == "warning.issued" else self.name.split(".", 1)[1]

    @property
    def warning_id(self) -> int:
        return self.warning.id

    @property
    def reason(self) -> str | None:
        """The follow-up's reason (e.g. why the warning was lifted); None for a publication."""
        return self.follow_up.reason if self.follow_up is not None else None

    @staticmethod
    def of(actor: Actor, warning: PublicWarning,
           follow_up: WarningFollowUp | None) -> WarningIssued:
        """The event of a publication or of a follow-up of the given kind."""
        if follow_up is None:
            return WarningIssued(actor, warning)
        kind = FollowUpKind(follow_up.kind)
        event_type = {FollowUpKind.adjustment: WarningAdjusted,
                      FollowUpKind.lifting: WarningLifted,
                      FollowUpKind.withdrawal: WarningWithdrawn}[kind]
        return event_type(actor, warning, follow_up)


@dataclass(frozen=True)
class WarningAdjusted(WarningIssued):
    name: ClassVar[str] = "warning.adjusted"


@dataclass(frozen=True)
class WarningLifted(WarningIssued):
    name: ClassVar[str] = "warning.lifted"


@dataclass(frozen=True)
class WarningWithdrawn(WarningIssued):
    name: ClassVar[str] = "warning.withdrawn"


@dataclass(frozen=True)
class ResponseProgress:
    """A warning's response case as warning tracking shows it: a link to the case and, per
    measure, the units tasked, done, open and overdue."""

    case_id: int
    case_number: str
    case_status: str
    measures: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class ResponseOfWarning(StageQuery):
    """Asked by warning tracking: how the response to this warning is going."""

    name: ClassVar[str] = "warning.response"
    warning_id: int


@dataclass(frozen=True)
class Proposal:
    """What the latest effect evaluation of a warning's case proposes (R2): `recommendation`
    is "keep", "downgrade" or "lift" and `label` its msgid."""

    recommendation: str
    label: str
    case_id: int
    case_number: str
    evaluation_id: int
    evaluated_at: dt.datetime | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProposalOfWarning(StageQuery):
    """Asked by the warning page and the lifting service: the latest effect evaluation's
    proposal for this warning (answered by the evaluation stage)."""

    name: ClassVar[str] = "warning.proposal"
    warning_id: int
