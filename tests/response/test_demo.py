"""The response demo: cases of the demo's published warnings with tasks in every state."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from riskgate.demo import load_demo_data
from riskgate.response.enums import TaskStatus
from riskgate.response.models import ResponseTask, TaskReport


def test_demo_has_tasks_in_every_state(db, settings, tmp_path):
    settings.attachments_dir = tmp_path
    summary = load_demo_data(db, settings)
    assert summary["response_cases"] >= 2 and summary["response_tasks_escalated"] == 1
    states = Counter(db.execute(select(ResponseTask.status)).scalars())
    assert {TaskStatus.pending, TaskStatus.in_progress, TaskStatus.done,
            TaskStatus.waived} <= set(states)
    quantities = [r.quantities for r in db.execute(select(TaskReport)).scalars()]
    assert any(q.get("seized_units") for q in quantities)
