"""Lifting and downgrading a level I–II warning with four eyes (R2), beside the effect
evaluation's proposal: a first approver requests, a different one confirms (the same person is
refused), all audited; acting against the proposal needs a written reason; the lift is announced
as `warning.lifted` with the warning and the reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.core import events
from riskgate.core.errors import ValidationFailed
from riskgate.warnings.enums import WarningStatus
from riskgate.warnings.events import Proposal, ProposalOfWarning, WarningIssued, WarningLifted
from riskgate.warnings.lifecycle import four_eyes, lifting, service
from riskgate.warnings.lifecycle.schemas import AdjustmentIn
from tests.warnings.helpers import build_world, make_published_warning


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


def _actions(world, warning) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.action for e in world.db.execute(select(AuditEntry).where(
        AuditEntry.object_type == "public_warning",
        AuditEntry.object_id == str(warning.id)).order_by(AuditEntry.id)).scalars()]


def test_lifting_level_one_needs_a_second_approver(world):  # type: ignore[no-untyped-def]
    warning = make_published_warning(world, level="I")
    with pytest.raises(four_eyes.SecondApproverRequired):
        service.lift(world.db, world.actor(world.approver), warning.id, "消除", "完成")
    first = lifting.lift(world.db, world.actor(world.approver), warning.id, "风险已消除",
                         "召回完成率100%")
    assert first == lifting.REQUESTED and warning.status == WarningStatus.published
    with pytest.raises(four_eyes.SameApprover):
        lifting.confirm(world.db, world.actor(world.approver), warning.id)
    seen: list[Any] = []
    with _recording(seen):
        follow_up = lifting.confirm(world.db, world.actor(world.approver2), warning.id)
    assert warning.status == WarningStatus.lifted and warning.pending_change is None
    assert follow_up.reason == "风险已消除"
    (event,) = [e for e in seen if isinstance(e, WarningLifted)]
    assert (event.kind, event.warning_id, event.reason) == ("lifted", warning.id, "风险已消除")
    actions = _actions(world, warning)
    assert actions.index("warning.change.request") < actions.index("warning.change.confirm") \
        < actions.index("warning.lift")


def test_downgrading_level_two_needs_a_second_approver_raising_does_not(world):  # type: ignore[no-untyped-def]
    warning = make_published_warning(world, level="II")
    lower = AdjustmentIn.model_validate({"reason": "风险下降", "level": "III"})
    assert lifting.adjust(world.db, world.actor(world.approver), warning.id,
                          lower) == lifting.REQUESTED
    assert warning.level == "II" and warning.pending_change["level"] == "III"
    lifting.confirm(world.db, world.actor(world.approver2), warning.id)
    assert warning.level == "III" and warning.status == WarningStatus.adjusted
    # Level III: one approver lifts.
    lifting.lift(world.db, world.actor(world.approver), warning.id, "消除", "完成")
    assert warning.status == WarningStatus.lifted


def test_cancel_a_request(world):  # type: ignore[no-untyped-def]
    warning = make_published_warning(world, level="I")
    lifting.lift(world.db, world.actor(world.approver), warning.id, "风险已消除", "完成")
    lifting.cancel(world.db, world.actor(world.approver2), warning.id, "评估未完成")
    assert warning.pending_change is None
    assert "warning.change.cancel" in _actions(world, warning)


def test_acting_against_the_proposal_needs_a_reason(world):  # type: ignore[no-untyped-def]
    warning = make_published_warning(world, level="I")

    def keep(_db, query: ProposalOfWarning) -> list[Proposal]:  # type: ignore[no-untyped-def]
        return [Proposal("keep", "Keep the warning", 1, "RC-1", 1)]

    with _answering(keep):
        with pytest.raises(ValidationFailed) as refused:
            lifting.lift(world.db, world.actor(world.approver), warning.id, "消除", "完成")
        assert refused.value.fields[0].loc == "against_reason"
        assert lifting.lift(world.db, world.actor(world.approver), warning.id, "消除", "完成",
                            against_reason="召回已全部完成，评估数据滞后") == lifting.REQUESTED
    assert warning.pending_change["against_reason"] == "召回已全部完成，评估数据滞后"


def test_the_evaluation_answers_the_proposal_query(world):  # type: ignore[no-untyped-def]
    warning = make_published_warning(world, level="III")
    assert lifting.latest_proposal(world.db, warning.id) is None  # no case evaluated


@dataclass
class _recording:
    seen: list[Any]

    def __enter__(self) -> None:
        self.before = events.installed()

        def record(_db, event) -> None:  # type: ignore[no-untyped-def]
            self.seen.append(event)

        events.install((*self.before, events.follow(WarningIssued, record)))

    def __exit__(self, *exc: object) -> None:
        events.install(self.before)


@dataclass
class _answering:
    handler: Any

    def __enter__(self) -> None:
        self.before = events.installed()
        events.install((*(s for s in self.before if s.event is not ProposalOfWarning),
                        events.answer(ProposalOfWarning, self.handler)))

    def __exit__(self, *exc: object) -> None:
        events.install(self.before)
