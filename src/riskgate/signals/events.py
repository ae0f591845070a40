"""What the signals stage announces (see core.events): a signal sent on to risk assessment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from riskgate.core.context import Actor
from riskgate.core.events import StageEvent


@dataclass(frozen=True)
class SignalEscalated(StageEvent):
    """Triage sent a signal to assessment: what an assessment of it starts from. The assessment
    stage opens a draft and attaches it to the signal (`triage.attach_assessment`)."""

    name: ClassVar[str] = "signal.escalated"
    actor: Actor
    signal_id: int
    title: str
    organisation_id: int
    record_ids: list[int]
    hazard_class: str | None
    product_category: str | None
    hs_code: str | None
    origin_country: str | None
