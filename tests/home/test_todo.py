"""The overview's to-do tiles (home.todo): each count equals what its link lists, only items in
the user's scope are counted, and a tile shows only with the permission of its list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from riskgate.core.db import utcnow
from riskgate.core.permissions import Role
from riskgate.home import todo
from riskgate.response import service as response
from riskgate.response.enums import TaskStatus
from riskgate.response.models import ResponseTask
from riskgate.warnings.models import WarningDelivery
from tests.factories import make_org, make_user, sign_in
from tests.home.helpers import Built, deliver_inbox, todo_world


@pytest.fixture
def built(db, settings, tmp_path) -> Built:  # type: ignore[no-untyped-def]
    settings.attachments_dir = tmp_path / "files"
    return todo_world(db, settings)


def _keys(db, world, user) -> dict[str, todo.Tile]:  # type: ignore[no-untyped-def]
    return {tile.key: tile for tile in todo.dashboard(db, world.actor(user))}


def test_complaints_to_accept_counts_the_receiving_regulators(db, built):  # type: ignore[no-untyped-def]
    world = built.world
    market_officer = world.market_officer  # type: ignore[attr-defined]
    assert todo.complaints_to_accept(db, world.actor(market_officer)) == (
        1, "/console/complaints?status=received")
    # Another organisation's complaint is not counted.
    assert todo.complaints_to_accept(db, world.actor(world.prov_officer))[0] == 0
    assert todo.whistleblower_reports_to_accept(db, world.actor(market_officer))[0] == 0


def test_signals_past_their_deadline(db, built):  # type: ignore[no-untyped-def]
    world = built.world
    officer = world.actor(world.prov_officer)
    count, url = todo.signals_past_deadline(db, officer)
    assert (count, url) == (0, "/console/signals?overdue=1")
    later = utcnow() + dt.timedelta(days=30)
    assert todo.signals_past_deadline(db, officer, now=later)[0] == len(built.signal_ids)
    stranger = make_user(db, world.settings, make_org(db), Role.RISK_OFFICER)
    assert todo.signals_past_deadline(db, world.actor(stranger), now=later)[0] == 0


def test_warnings_awaiting_approval_follow_the_issuing_authority(db, built):  # type: ignore[no-untyped-def]
    world = built.world
    queue = db.execute(todo.approval_queue_statement(db, world.actor(world.approver))
                       ).scalars().all()
    # The national approver: the national level III draft and the provincial level I draft.
    assert {w.id for w in queue} == {built.draft_national.id, built.draft_provincial.id}
    assert todo.warnings_awaiting_approval(db, world.actor(world.approver)) == (
        2, "/console/warnings?status=in_review&approvable=true")
    # The provincial approver may not approve level I, and the national draft is not its own.
    assert todo.warnings_awaiting_approval(db, world.actor(world.prov_approver))[0] == 0
    # The drafter's own draft is not in its queue (four eyes) — an officer has no tile anyway.
    assert "approvals" not in _keys(db, world, world.officer)


def test_response_tasks_due_soon_and_overdue(db, built):  # type: ignore[no-untyped-def]
    world = built.world
    tasks = response.tasks_of(db, built.case.id)
    unit = world.prov_officer
    mine = [t for t in tasks if t.organisation_id == unit.organisation_id]
    assert mine, "the level I case gave the provincial customs no task"
    now = utcnow()
    soon = [t for t in mine if t.due_at <= now + dt.timedelta(hours=24)]
    actor = world.actor(unit)
    assert todo.tasks_due_soon(db, actor, now=now) == (
        len(soon), "/console/response/tasks?due_within=24")
    assert todo.tasks_overdue(db, actor, now=now) == (0, "/console/response/tasks?overdue=true")
    later = now + dt.timedelta(days=30)
    assert todo.tasks_overdue(db, actor, now=later)[0] == len(mine)
    assert todo.tasks_due_soon(db, actor, now=later)[0] == 0
    # A task done is no longer to do.
    done = db.execute(select(ResponseTask).where(ResponseTask.id == mine[0].id)).scalar_one()
    assert done.status in (TaskStatus.pending, TaskStatus.in_progress)
    # Another unit's tasks are not counted.
    other = make_user(db, world.settings, world.other, Role.PORT_OFFICER)
    assert todo.tasks_overdue(db, world.actor(other), now=later)[0] == 0


def test_acknowledgements_nearest_deadline_first(db, built):  # type: ignore[no-untyped-def]
    world = built.world
    actor = world.actor(world.ent_user)
    open_ = db.execute(select(WarningDelivery).where(
        WarningDelivery.organisation_id == world.enterprise.id,
        WarningDelivery.acknowledged_at.is_(None))).scalars().all()
    count, url = todo.acknowledgements_open(db, actor)
    assert count == len(open_) >= 1 and url == "/console/warnings/received?open_only=true"
    items = todo.nearest_acknowledgements(db, actor)
    deadlines = [i["deadline"] for i in items if i["deadline"] is not None]
    assert deadlines == sorted(deadlines)
    assert items[0]["number"] == built.warning.number
    assert todo.acknowledgements_open(db, world.actor(world.ent2_user))[0] == 0


def test_petitions_to_review_and_the_enterprises_own(db, built):  # type: ignore[no-untyped-def]
    world = built.world
    assert todo.petitions_to_review(db, world.actor(world.approver)) == (
        1, "/console/petitions?status=submitted")
    assert todo.petitions_to_review(db, world.actor(world.prov_approver))[0] == 0
    assert todo.my_petitions_pending(db, world.actor(world.ent_user)) == (
        1, "/console/my-petitions?status=submitted")
    assert todo.my_petitions_pending(db, world.actor(world.ent2_user))[0] == 0


def test_recall_reports_due_and_own_reports(db, built):  # type: ignore[no-untyped-def]
    world = built.world
    assert todo.recall_reports_due(db, world.actor(world.ent_user)) == (
        1, "/console/my-recalls?report_due=true")
    assert todo.recall_reports_due(db, world.actor(world.ent2_user))[0] == 0
    assert todo.my_reports(db, world.actor(world.ent_user)) == (1, "/console/my-reports")
    assert todo.my_reports(db, world.actor(world.ent2_user))[0] == 0


def test_unread_messages(app, db, settings, built):  # type: ignore[no-untyped-def]
    world = built.world
    deliver_inbox(app, settings)
    count, url = todo.unread_messages(db, world.actor(world.approver))
    assert count >= 1 and url == "/console/inbox?unread=true"


def test_tiles_follow_the_permissions(db, built):  # type: ignore[no-untyped-def]
    world = built.world
    officer = set(_keys(db, world, world.prov_officer))
    assert {"complaints", "signals", "tasks_due", "tasks_overdue", "acknowledgements",
            "petitions", "inbox"} <= officer
    assert "approvals" not in officer and "recall_reports" not in officer
    approver = set(_keys(db, world, world.approver))
    assert {"approvals", "petitions", "acknowledgements", "inbox"} <= approver
    assert not approver & {"complaints", "signals", "tasks_due", "recall_reports"}
    enterprise = set(_keys(db, world, world.ent_user))
    assert enterprise == {"acknowledgements", "recall_reports", "my_petitions", "my_reports",
                          "inbox"}
    expert = make_user(db, world.settings, world.national, Role.EXPERT)
    assert set(_keys(db, world, expert)) == {"inbox"}


def _count_on(html: str, key: str) -> int | None:
    found = re.search(rf'data-tile="{key}".*?data-count="(\d+)"', html, re.S)
    return int(found.group(1)) if found else None


def test_the_overview_shows_the_tiles_and_each_link_lists_the_items(client, db, built):  # type: ignore[no-untyped-def]
    world = built.world
    sign_in(client, world.approver.username)
    page = client.get("/console?lang=zh-CN")
    assert page.status_code == 200
    html = page.text
    assert _count_on(html, "approvals") == 2 and _count_on(html, "petitions") == 1
    assert _count_on(html, "complaints") is None
    assert "待我审批的预警" in html and "暂无待办" in html
    tiles = html[html.index('class="todo"'):html.index("</section>", html.index('class="todo"'))]
    assert not re.search(r">[^<]*[A-Za-z]{3,}[^<]*<", tiles), "English in the Chinese tiles"
    listed = client.get("/console/warnings?status=in_review&approvable=true").text
    assert built.draft_national.number in listed and built.draft_provincial.number in listed
    assert client.get("/console/petitions?status=submitted").status_code == 200
    client.cookies.clear()
    sign_in(client, world.prov_approver.username)
    html = client.get("/console").text
    assert _count_on(html, "approvals") == 0
    listed = client.get("/console/warnings?status=in_review&approvable=true").text
    assert built.draft_provincial.number not in listed
