"""A world with something to do for every tile of the overview, built through the real services.

On the response world (national customs → provincial → city, a market regulator under the
national office, two enterprises): a public complaint (received by the market regulator), a
threshold signal of the provincial customs, a level III draft in review (national) and a level I
draft in review (provincial, which only the national office may approve), a published level I
通告 naming the first enterprise with its response case, deliveries and a lifting petition, a
started recall whose report falls due tomorrow, an enterprise accident report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.settings import Settings
from riskgate.core.uploads import Upload
from riskgate.evaluation.petitions import service as petitions
from riskgate.outbox.worker import Worker
from riskgate.reports import enterprise
from riskgate.reports import service as reports
from riskgate.reports.schemas import ComplaintIn, EnterpriseReportIn
from riskgate.signals import service as signals
from riskgate.warnings.lifecycle import service as lifecycle
from tests.recalls.helpers import make_started
from tests.reports.conftest import complaint_body
from tests.response.helpers import published_case, response_world
from tests.signals.conftest import add_records
from tests.warnings.helpers import WarningWorld, make_draft, warning_input

PUBLIC = Actor.anonymous("zh-CN")
PDF = Upload("检测报告.pdf", b"%PDF-1.4 lab report\n%%EOF")


@dataclass
class Built:
    world: WarningWorld
    complaint: Any
    signal_ids: list[int]
    draft_national: Any
    draft_provincial: Any
    case: Any
    warning: Any
    petition: Any
    recall: Any
    report: Any


def todo_world(db: Session, settings: Settings) -> Built:
    world = response_world(db, settings)
    market = world.market  # type: ignore[attr-defined]  # added by response_world
    complaint = reports.submit_complaint(
        db, PUBLIC, settings, ComplaintIn.model_validate(complaint_body()),
        language="zh-CN").report
    assert complaint.organisation_id == market.id
    add_records(db, world.provincial.id, 3, day=dt.date.today(), channel="feed_rasff")
    db.flush()
    signals.run_thresholds(db, settings.timezone)
    from_signals = db.execute(signals.signals_statement(world.actor(world.prov_officer))
                              ).scalars().all()
    assert from_signals, "the threshold rule raised no signal"
    national = make_draft(world)
    lifecycle.submit_for_review(db, world.actor(world.officer), national.id)
    provincial = lifecycle.create_warning(
        db, world.actor(world.prov_officer),
        warning_input(world, level="I", warning_type="notice"))
    lifecycle.submit_for_review(db, world.actor(world.prov_officer), provincial.id)
    case = published_case(db, world, level="I")
    warning = lifecycle.get_warning(db, world.actor(world.officer), case.warning_id)
    petition = petitions.submit(
        db, world.actor(world.ent_user), warning_id=warning.id, control_rule_id=None,
        body="第三方检测合格，连续5批无不合格。", clean_consignments=5, uploads=[PDF],
        root=settings.attachments_dir, max_bytes=1_000_000, max_files=5)
    recall = make_started(world, report_every_days=1)
    report = enterprise.file_report(db, world.actor(world.ent_user), settings,
                                    EnterpriseReportIn.model_validate({
                                        "kind": "accident", "route": "market",
                                        "product_name": "毛绒玩具",
                                        "description": "一名儿童误吞玩具眼睛配件，已送医。",
                                        "injuries_count": 1, "injury_severity": "serious",
                                        "injury_age_group": "0-3",
                                        "measures_taken": "暂停销售该批次"}),
                                    language="zh-CN")
    db.commit()
    return Built(world, complaint, [s.id for s in from_signals], national, provincial, case,
                 warning, petition, recall, report)


def deliver_inbox(app: Any, settings: Settings) -> None:
    """Run the outbox worker once over what is due, so inbox messages exist."""
    worker = Worker(app.state.engine, settings)
    try:
        worker.drain()
    finally:
        worker.close()
