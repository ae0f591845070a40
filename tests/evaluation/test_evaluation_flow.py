"""The done-when path through the real services of every part: a published level I warning
opens a case by the joint-disposal rules; its tasks are finished; a recall linked to the warning
reaches 100 %; four weeks later the effect evaluation proposes lifting."""

from __future__ import annotations

import datetime as dt

import pytest

from riskgate.evaluation.effect import service as evaluation
from riskgate.evaluation.enums import Recommendation
from riskgate.recalls.enums import RecallStatus
from riskgate.response import service, tasks
from tests.recalls.helpers import make_started, report
from tests.response.helpers import published_case, response_world


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return response_world(db, settings)


def test_recall_at_100_and_finished_tasks_propose_lifting(world):
    case = published_case(world.db, world, "I")
    officer = world.actor(world.officer)
    open_tasks = service.tasks_of(world.db, case.id)
    assert open_tasks
    for task in open_tasks:
        tasks.waive(world.db, officer, task.id, "由召回措施替代")
    recall = make_started(world, warning_id=case.warning_id, units_affected=300)
    report(world, recall, 300)
    assert recall.status == RecallStatus.completed
    published = case.opened_at if case.opened_at.tzinfo else case.opened_at.replace(
        tzinfo=dt.UTC)
    result = evaluation.evaluate_case(world.db, officer, case.id,
                                      now=published + dt.timedelta(weeks=4, days=1))
    assert result.recommendation == Recommendation.lift, result.reasons
