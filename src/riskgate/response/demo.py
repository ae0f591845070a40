"""Demo data of rapid response: the demo's published warnings already opened their cases by
the joint-disposal rules; this moves their tasks into every state — started, reported with
quantities and an evidence file, done, waived — and makes one task overdue and escalated."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.core.db import utcnow
from riskgate.core.permissions import Permission, permissions_for
from riskgate.core.settings import Settings
from riskgate.core.uploads import Upload
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import User
from riskgate.identity.service import active_users
from riskgate.response import service, tasks
from riskgate.response.enums import OPEN_TASK_STATES, CaseStatus, TaskStatus
from riskgate.response.jobs import run_deadlines
from riskgate.response.models import ResponseCase

DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
            b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _holder(db: Session, organisation_id: int, permission: Permission) -> User | None:
    """The organisation's first active user whose roles grant `permission`."""
    for user in active_users(db, organisation_id):
        if permission in permissions_for(user.roles):
            return user
    return None


def load_response_demo(session: Session, settings: Settings) -> dict[str, int]:
    """Move the demo cases' tasks along (idempotent enough: runs once after the warnings demo)."""
    db = session
    cases = list(db.execute(select(ResponseCase).where(ResponseCase.status == CaseStatus.open)
                            .order_by(ResponseCase.id)).scalars())
    reports = waived = 0
    options: dict[str, Any] = {"root": settings.attachments_dir,
                               "max_bytes": settings.attachment_max_bytes,
                               "max_files": settings.attachment_max_files}
    for index, case in enumerate(cases):
        case_tasks = [t for t in service.tasks_of(db, case.id) if t.status == TaskStatus.pending]
        for position, task in enumerate(case_tasks):
            user = _holder(db, task.organisation_id, Permission.RESPONSE_TASK_REPORT)
            if user is None:
                continue
            actor = actor_for(user, "zh-CN")
            if position % 3 == 0:  # done, with quantities and evidence
                tasks.report(db, actor, task.id, body="已完成现场核查，涉事批次全部查扣并封存。",
                             progress_percent=100, quantities={
                                 "seized_units": 240 + 10 * index, "destroyed_units": 0,
                                 "value_cny": Decimal("18600.00")},
                             uploads=[Upload("现场检查记录.pdf", DEMO_PDF)], **options)
                reports += 1
            elif position % 3 == 1:  # under way
                tasks.report(db, actor, task.id, body="已下发通知，正在排查辖区内经营主体。",
                             progress_percent=40, quantities={"recalled_units": 35}, **options)
                reports += 1
        # One task per case waived by the owner when there are several left pending.
        pending = [t for t in service.tasks_of(db, case.id) if t.status == TaskStatus.pending]
        owner = _holder(db, case.organisation_id, Permission.RESPONSE_MANAGE)
        if len(pending) > 1 and owner is not None:
            tasks.waive(db, actor_for(owner, "zh-CN"), pending[-1].id,
                        "该批次未进入本辖区，无需处置。")
            waived += 1
    # One open task overdue and escalated (its deadline moved into the past): another agency's
    # task in a joint case when there is one, so that both the unit's supervisors and the case
    # lead's see it (督查).
    late_tasks = [(c, t) for c in cases for t in service.tasks_of(db, c.id)
                  if t.status in OPEN_TASK_STATES]
    joint = [t for c, t in late_tasks if t.organisation_id != c.organisation_id]
    candidates = joint or [t for _c, t in late_tasks]
    late = candidates[0] if candidates else None
    escalated = 0
    if late is not None:
        now = utcnow()
        late.created_at = now - dt.timedelta(hours=30)
        late.due_at = now - dt.timedelta(hours=6)
        db.flush()
        escalated = run_deadlines(db, now)["escalated"]
    db.flush()
    return {"response_cases": len(cases), "response_reports": reports,
            "response_tasks_waived": waived, "response_tasks_escalated": escalated}
