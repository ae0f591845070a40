"""Lifting a warning closes its open tasks unfinished, with the reason, listed apart on the case
page and never counted as done; task reports take quantities typed with thousands separators
(and full-width digits) and refuse garbage beside the field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from riskgate.response import service, tasks
from riskgate.response.enums import FINISHED_TASK_STATES, TaskStatus
from riskgate.response.schemas import QuantitiesIn
from riskgate.warnings.models import PublicWarning
from tests.factories import sign_in
from tests.response.helpers import published_case, response_world, task_for
from tests.warnings.helpers import lift


@pytest.fixture
def world(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.attachments_dir = tmp_path / "files"
    built = response_world(db, settings)
    db.commit()
    return built


def test_lifting_lists_closed_tasks_apart(client, world, tmp_path):
    case = published_case(world.db, world, level="IV")
    task = task_for(world.db, case, "targeted_supervision")
    service_tasks = service.tasks_of(world.db, case.id)
    assert len(service_tasks) >= 2
    tasks.report(world.db, world.actor(world.market_officer), task.id, body="完成",
                 progress_percent=100, root=tmp_path, max_bytes=1024, max_files=1)
    lift(world, world.db.get(PublicWarning, case.warning_id))
    world.db.commit()
    closed = [t for t in service.tasks_of(world.db, case.id) if t.status == TaskStatus.closed]
    assert len(closed) == len(service_tasks) - 1
    # The completion share of the effect evaluation does not count them either.
    assert TaskStatus.closed not in FINISHED_TASK_STATES
    sign_in(client, world.officer.username)
    page = client.get(f"/console/response/cases/{case.id}?lang=en")
    assert page.status_code == 200
    assert 'data-done="1"' in page.text and f'data-closed="{len(closed)}"' in page.text
    assert 'data-waived="0"' in page.text
    assert f"{len(service_tasks)} tasks: 1 done" in page.text
    assert 'id="closed-tasks"' in page.text and "warning lifted" in page.text
    assert 'data-action="response.task.close"' in page.text
    zh = client.get(f"/console/response/cases/{case.id}?lang=zh-CN").text
    assert "预警已解除" in zh
    shown = client.get(f"/console/response/tasks/{closed[0].id}?lang=en")
    assert 'id="closed-reason"' in shown.text
    api = client.get(f"/api/v1/response/cases/{case.id}").json()
    assert api["tasks_done"] == 1 and api["tasks_closed"] == len(closed)


@pytest.mark.parametrize("typed,units", [("1,200,000", 1200000), ("１，２００", 1200),
                                         ("1200", 1200), (" 3,000 ", 3000)])
def test_quantities_take_thousands_separators(typed, units):
    parsed = QuantitiesIn.model_validate({"seized_units": typed, "value_cny": typed})
    assert parsed.seized_units == units and parsed.value_cny == Decimal(units)


@pytest.mark.parametrize("typed", ["1,20,0", "abc", "1.200.000", "12,00", "-1,000"])
def test_quantity_garbage_is_refused(typed):
    with pytest.raises(ValueError):
        QuantitiesIn.model_validate({"seized_units": typed})


def test_report_form_accepts_grouped_figures(client, world):
    case = published_case(world.db, world, level="IV")
    task = task_for(world.db, case, "targeted_supervision")
    world.db.commit()
    csrf = sign_in(client, world.market_officer.username)
    url = f"/console/response/tasks/{task.id}/report"
    bad = client.post(url, data={"csrf_token": csrf, "body": "查扣", "value_cny": "1,2,3"},
                      follow_redirects=False)
    assert bad.status_code == 422 and 'id="value_cny-error"' in bad.text
    assert 'value="1,2,3"' in bad.text  # what was typed is kept
    done = client.post(url, data={"csrf_token": csrf, "body": "查扣", "progress_percent": "50",
                                  "seized_units": "1,200,000", "value_cny": "1,200,000.50"},
                       follow_redirects=False)
    assert done.status_code == 303, done.text
    report = service.reports_of(world.db, task.id)[-1]
    assert report.quantities == {"seized_units": 1200000, "value_cny": "1200000.50"}
