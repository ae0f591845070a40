"""Console pages of the monitoring plans: the task workflow and reassignment, the results
import with its outcome, old plan versions, and editing a monitoring point — through the real
forms (session, CSRF) and services."""

from __future__ import annotations

from fastapi.testclient import TestClient

from riskgate.core.i18n import gettext
from riskgate.monitoring import points, service
from riskgate.monitoring.enums import TaskStatus
from riskgate.monitoring.models import MonitoringPoint, SamplingTask
from tests.factories import sign_in
from tests.monitoring.conftest import plan_body


def zh(message: str, **params: object) -> str:
    """The page's text: the users of these tests read Chinese."""
    return gettext(message, "zh-CN", **params)


def _tasks(db, unit):  # type: ignore[no-untyped-def]
    plan = service.create_plan(db, unit.officer_actor, {**plan_body(),
                                                        "organisation_id": unit.org.id})
    service.approve_plan(db, unit.approver_actor, plan.id, None)
    created, _kept = service.generate_tasks(db, unit.officer_actor, plan.id)
    db.commit()
    return plan, created


def _status(db, task_id):  # type: ignore[no-untyped-def]
    db.rollback()  # a new snapshot: the requests committed meanwhile
    db.expire_all()
    return db.get(SamplingTask, task_id)


def test_task_workflow_and_import(client, db, unit):  # type: ignore[no-untyped-def]
    plan, tasks = _tasks(db, unit)
    task, other = tasks[0], tasks[1]
    csrf = sign_in(client, unit.officer.username)
    page = client.get(f"/console/monitoring/tasks/{task.id}")
    assert page.status_code == 200
    assert f'action="/console/monitoring/tasks/{task.id}/transition"' in page.text
    assert f'action="/console/monitoring/tasks/{task.id}/assign"' in page.text
    assert 'action="/console/monitoring/results/import"' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    url = f"/console/monitoring/tasks/{task.id}/transition"
    missing = client.post(url, data={"event": "sample", "samples_taken": "",
                                     "csrf_token": csrf})
    assert missing.status_code == 422 and zh("Give the number of samples taken.") in missing.text
    assert client.post(url, data={"event": "sample", "samples_taken": "2"}).status_code == 403
    taken = client.post(url, data={"event": "sample", "samples_taken": "2", "csrf_token": csrf},
                        follow_redirects=False)
    assert taken.status_code == 303
    assert _status(db, task.id).status == TaskStatus.sampled
    assert _status(db, task.id).samples_taken == 2
    early = client.post(url, data={"event": "complete", "csrf_token": csrf})
    assert early.status_code == 422  # sampled, not yet tested: not a valid transition
    # Import: one good row, one bad row (line 3), then the same file again (duplicate).
    csv = (f"task,sample_code,test_item,measured_value\n{task.number},A1,铅,0.01\n"
           f"{task.number},A2,铅,abc\n").encode()
    files = {"file": ("r.csv", csv, "text/csv")}
    imported = client.post("/console/monitoring/results/import", files=files,
                           data={"task_id": str(task.id), "csrf_token": csrf})
    assert imported.status_code == 200, imported.text
    assert zh("Results imported") + "</dt><dd>1<" in imported.text
    assert '<td class="num">3</td>' in imported.text and "measured_value" in imported.text
    assert f'href="/console/monitoring/tasks/{task.id}"' in imported.text
    again = client.post("/console/monitoring/results/import", files=files,
                        data={"csrf_token": csrf})
    assert zh("Duplicates (already entered)") + "</dt><dd>1<" in again.text
    bad = client.post("/console/monitoring/results/import", data={"csrf_token": csrf},
                      files={"file": ("x.csv", b"a,b\n1,2\n", "text/csv")})
    lacking = zh("The file lacks the required columns: {columns}.",
                 columns="task, sample_code, test_item, measured_value")
    assert bad.status_code == 422 and lacking in bad.text
    assert _status(db, task.id).status == TaskStatus.tested
    done = client.post(url, data={"event": "complete", "csrf_token": csrf},
                       follow_redirects=False)
    assert done.status_code == 303 and _status(db, task.id).status == TaskStatus.done
    # Cancelling needs a reason.
    cancel = f"/console/monitoring/tasks/{other.id}/transition"
    no_reason = client.post(cancel, data={"event": "cancel", "csrf_token": csrf})
    assert no_reason.status_code == 422
    assert zh("Give the reason for cancelling the task.") in no_reason.text
    assert client.post(cancel, data={"event": "cancel", "reason": "口岸暂无进口",
                                     "csrf_token": csrf},
                       follow_redirects=False).status_code == 303
    assert _status(db, other.id).cancel_reason == "口岸暂无进口"
    assert client.post(cancel, data={"event": "bogus", "csrf_token": csrf}).status_code == 422


def test_port_officer_cannot_cancel_or_reassign(app, db, unit):  # type: ignore[no-untyped-def]
    _plan, tasks = _tasks(db, unit)
    port = TestClient(app)
    csrf = sign_in(port, unit.port.username)
    page = port.get(f"/console/monitoring/tasks/{tasks[0].id}")
    assert "/transition" in page.text and zh("Cancel the task") not in page.text
    assert "/assign" not in page.text
    refused = port.post(f"/console/monitoring/tasks/{tasks[0].id}/transition",
                        data={"event": "cancel", "reason": "x", "csrf_token": csrf})
    assert refused.status_code == 422 and _status(db, tasks[0].id).status == TaskStatus.assigned
    assert port.post(f"/console/monitoring/tasks/{tasks[0].id}/assign",
                     data={"csrf_token": csrf}).status_code == 403


def test_reassign(client, db, unit):  # type: ignore[no-untyped-def]
    _plan, tasks = _tasks(db, unit)
    task = tasks[0]
    point = points.create_point(db, unit.officer_actor, {
        "code": "PAGE-P", "name": "洋山港监测点", "point_type": "port"})
    db.commit()
    csrf = sign_in(client, unit.officer.username)
    url = f"/console/monitoring/tasks/{task.id}/assign"
    page = client.get(f"/console/monitoring/tasks/{task.id}")
    assert f'<option value="{unit.port.id}"' in page.text and "PAGE-P" in page.text
    wrong = client.post(url, data={"assignee_user_id": str(unit.approver.id),
                                   "csrf_token": csrf})
    assert wrong.status_code == 422 and zh(
        "Assign a risk officer or port officer of the unit that holds the task.") in wrong.text
    assert client.post(url, data={"assignee_user_id": "x", "csrf_token": csrf}
                       ).status_code == 422
    ok = client.post(url, data={"organisation_id": str(unit.org.id),
                                "assignee_user_id": str(unit.port.id),
                                "monitoring_point_id": str(point.id), "csrf_token": csrf},
                     follow_redirects=False)
    assert ok.status_code == 303, ok.text
    found = _status(db, task.id)
    assert found.assignee_user_id == unit.port.id and found.monitoring_point_id == point.id
    # An organisation outside the officer's scope is not found.
    assert client.post(url, data={"organisation_id": str(unit.other.id),
                                  "csrf_token": csrf}).status_code == 404


def test_old_plan_version_read_only(client, db, unit):  # type: ignore[no-untyped-def]
    plan, _tasks_ = _tasks(db, unit)
    service.revise_plan(db, unit.officer_actor, plan.id, {"title": "修订后的计划"}, "调整标题")
    db.commit()
    sign_in(client, unit.officer.username)
    detail = client.get(f"/console/monitoring/plans/{plan.id}")
    assert f'href="/console/monitoring/plans/{plan.id}/versions/1"' in detail.text
    assert f'href="/console/monitoring/plans/{plan.id}/versions/2"' in detail.text
    old = client.get(f"/console/monitoring/plans/{plan.id}/versions/1")
    assert old.status_code == 200
    assert plan_body()["title"] in old.text and "这是历史版本" in old.text
    assert 'action="/console/monitoring' not in old.text  # read-only
    current = client.get(f"/console/monitoring/plans/{plan.id}/versions/2")
    assert "修订后的计划" in current.text and "调整标题" in current.text
    assert "这是历史版本" not in current.text
    assert client.get(f"/console/monitoring/plans/{plan.id}/versions/9").status_code == 404
    assert client.get(f"/console/monitoring/plans/{plan.id}/versions/0").status_code == 422


def test_edit_point(app, client, db, unit):  # type: ignore[no-untyped-def]
    point = points.create_point(db, unit.officer_actor, {
        "code": "EDIT-P", "name": "监测点", "point_type": "port", "hs_chapters": ["04"]})
    db.commit()
    csrf = sign_in(client, unit.officer.username)
    url = f"/console/monitoring/points/{point.id}"
    page = client.get(url)
    assert f'action="{url}"' in page.text and 'value="04"' in page.text
    form = {"name": "新名称", "point_type": "market", "hs_chapters": "04, 19",
            "product_categories": "乳粉", "active": "1", "reason": "更名", "csrf_token": csrf}
    bad = client.post(url, data={**form, "hs_chapters": "77"})
    assert bad.status_code == 422 and zh("Unknown HS chapter {value}.", value="77") in bad.text
    blank = client.post(url, data={**form, "name": ""})
    assert blank.status_code == 422
    saved = client.post(url, data=form, follow_redirects=False)
    assert saved.status_code == 303
    db.rollback()  # a new snapshot: the requests committed meanwhile
    db.expire_all()
    found = db.get(MonitoringPoint, point.id)
    assert (found.name, found.point_type, found.hs_chapters, found.active) == (
        "新名称", "market", ["04", "19"], True)
    client.post(url, data={**form, "active": ""})
    db.rollback()  # a new snapshot: the requests committed meanwhile
    db.expire_all()
    assert db.get(MonitoringPoint, point.id).active is False
    stranger = TestClient(app)
    other_csrf = sign_in(stranger, _stranger(db, unit).username)
    assert stranger.post(url, data={**form, "csrf_token": other_csrf}).status_code == 404


def _stranger(db, unit):  # type: ignore[no-untyped-def]
    from riskgate.identity.models import User

    return db.get(User, unit.other_actor.user_id)
