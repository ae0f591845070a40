"""The loop's machine part, timed on the demo data (issue 13): a helper for
tests/scenarios/test_cross_agency.py and bench/bench_loop.py, not a test file.

From the first risk record stored to a subscriber notified, every step is a plain call of the
real services as the demo user who holds the authority for it (no HTTP, no human wait):

1. record stored — 上海海关's officer pushes a serious-injury record (records API service);
2. signal raised — `record.stored` raises a death/injury threshold signal at once;
3. assessment concluded — triaged to assessment (`signal.escalated` opens the assessment), the
   matrix gives a serious risk, the committee's decision "unsafe" concludes it (which drafts
   the warning through `assessment.concluded`);
4. level I published — the draft becomes a level I 公告 naming the product; submitted by the
   officer it is routed to 海关总署, whose approver approves and publishes it;
5. control rule live — the rule derived on publication is among the live rule specs;
6. first matching line red — a declaration at Yangshan with a line of that product is screened
   red, the rule among its reasons;
7. subscriber notified — 上海市市场监督管理局 subscribed (inbox) before publication; its outbox
   event is queued in the publication's transaction and delivered here by the outbox worker's
   own deliver/record steps (only that event: the demo's other pending e-mails are left alone).

Each step ends with a commit, as the request that makes it would. The times are seconds since
`started` (a `time.perf_counter()` value or a UTC time; now when not given).
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from riskgate.assessment import service as assessments
from riskgate.assessment.enums import Conclusion
from riskgate.border.declarations import service as declarations
from riskgate.border.models import ControlRule, DeclarationLine
from riskgate.border.rules import service as control_rules
from riskgate.core.db import utcnow
from riskgate.core.settings import Settings
from riskgate.demo import load_demo_data
from riskgate.identity.auth_service import actor_for
from riskgate.identity.models import User
from riskgate.outbox.channels import ClaimedEvent
from riskgate.outbox.models import InboxMessage, OutboxEvent
from riskgate.outbox.worker import Worker
from riskgate.records import service as records
from riskgate.signals import triage
from riskgate.signals.enums import SignalStatus
from riskgate.signals.models import Signal, SignalRecord
from riskgate.warnings.lifecycle import service as warnings
from riskgate.warnings.lifecycle.schemas import WarningIn
from riskgate.warnings.models import WarningDelivery
from riskgate.warnings.push import subscriptions

STEPS = ("record stored", "signal raised", "assessment concluded", "level I published",
         "control rule live", "first matching line red", "subscriber notified")
PORT = "shanghai_yangshan"
PRODUCT = {"name": "儿童电动滑板车", "hs_code": "950300", "category": "玩具",
           "brand": "Zoomi", "model": "ZM-8", "batch": "2026-11"}
ORIGIN = "VN"
TRADER = "91440101MA5CXX1234"  # an ordinary importer (no credit grade on file)
_runs = itertools.count(1)


def demo_world(db: Session, settings: Settings) -> None:
    """The demo data (organisations, users, catalogues and every domain's demo), committed."""
    load_demo_data(db, settings)
    db.commit()


def _user(db: Session, username: str) -> User:
    return db.execute(select(User).where(User.username == username)).unique().scalar_one()


def _record(run: str) -> dict[str, Any]:
    today = utcnow().date().isoformat()
    return {"source_channel": "hotline_12360", "external_reference": f"LOOP-{run}",
            "occurred_on": today, "title": f"进口儿童电动滑板车充电起火致儿童烧伤（{run}）",
            "description": "充电时电池起火，儿童手部二度烧伤，送医治疗。",
            "product_name": PRODUCT["name"], "brand": PRODUCT["brand"],
            "model": PRODUCT["model"], "hs_code": "9503008900", "hazard_type": "fire",
            "injuries_count": 1, "injury_severity": "serious", "origin_country": ORIGIN,
            "trade_direction": "import", "region_code": "310115"}


def _warning(title: str, assessment_id: int) -> WarningIn:
    return WarningIn.model_validate({
        "title": title, "title_en": "Imported children's e-scooters: battery fire",
        "summary": "进口儿童电动滑板车充电时电池起火，已致儿童烧伤。",
        "hazard": "火灾危害：电池热失控起火，可致烧伤。", "hazard_class": "physical",
        "level": "I", "warning_type": "announcement", "measures": ["suspend_sales"],
        "origin_countries": [ORIGIN], "regions": ["310000"], "ports": [],
        "consumer_instructions": "立即停止使用并停止充电，联系销售商退货。",
        "products": [PRODUCT], "assessment_id": assessment_id,
        "evidence": [{"kind": "assessment", "object_id": assessment_id}],
    })


def _declaration(trader: str) -> dict[str, Any]:
    return {"number": f"2233{time.time_ns() // 1000 % 10**14:014d}",
            "direction": "import", "port_code": PORT, "trade_mode": "0110",
            "declarant_name": "上海报关行", "declarant_code": "3122240001",
            "trader_name": "上海某进出口有限公司", "trader_code": trader,
            "origin_country": ORIGIN, "declared_on": utcnow().date().isoformat(), "seed": 1,
            "lines": [{"line_no": 1, "hs_code": "9503008900", "description": "儿童电动滑板车",
                       "brand": PRODUCT["brand"], "model": PRODUCT["model"],
                       "batch": PRODUCT["batch"], "quantity": "200", "unit": "辆",
                       "value": "9800.00", "currency": "USD", "origin_country": ORIGIN}]}


def deliver_only(db: Session, settings: Settings, event_id: int) -> bool:
    """Deliver one committed outbox event with the worker's own deliver and record steps (the
    lease is taken on that event alone); True when its inbox message exists."""
    worker = Worker(db.get_bind(), settings, worker_id="loop-timing")  # type: ignore[arg-type]
    try:
        lease_end = utcnow() + dt.timedelta(seconds=settings.worker_lease_seconds)
        db.execute(update(OutboxEvent).where(OutboxEvent.id == event_id)
                   .values(locked_by=worker.id, locked_until=lease_end))
        row = db.get(OutboxEvent, event_id)
        assert row is not None
        claimed = ClaimedEvent(id=row.id, uid=row.uid, topic=row.topic, channel=row.channel,
                               target=row.target, payload=row.payload, attempts=row.attempts,
                               created_at=row.created_at, organisation_id=row.organisation_id,
                               locked_until=lease_end)
        db.commit()
        worker.record([claimed], worker.deliver([claimed], {}))
    finally:
        worker.close()
    db.expire_all()
    return db.execute(select(InboxMessage.id).where(
        InboxMessage.event_uid == claimed.uid)).first() is not None


def _origin(started: float | dt.datetime | None) -> float:
    """`started` on the `time.perf_counter()` clock (a wall-clock time is carried over)."""
    if started is None:
        return time.perf_counter()
    if isinstance(started, dt.datetime):
        aware = started if started.tzinfo else started.replace(tzinfo=dt.UTC)
        return time.perf_counter() - (utcnow() - aware).total_seconds()
    return started


def time_the_loop(db: Session, settings: Settings, started: float | dt.datetime | None = None,
                  details: dict[str, Any] | None = None) -> dict[str, float]:
    """Run the loop once on the demo data; seconds since `started` at the end of each step, in
    loop order (see STEPS). `started` is a `time.perf_counter()` value or a UTC time (now when
    not given). `details` (when given) receives the objects made and the time the subscriber's
    event was queued."""
    begin = _origin(started)
    times: dict[str, float] = {}

    def mark(step: str) -> None:
        db.commit()
        times[step] = time.perf_counter() - begin

    run = f"{utcnow():%Y%m%d%H%M%S%f}-{next(_runs)}"
    actor = {name: actor_for(_user(db, name), "zh-CN")
             for name in ("officer", "gacc_approver", "amrofficer", "port")}
    declarations.invalidate_caches()
    # Before anything happens: 上海市市场监督管理局 subscribes to level I warnings (inbox).
    subscription = subscriptions.create_subscription(db, actor["amrofficer"], {
        "name": f"一级预警（{run}）", "channel": "inbox", "levels": ["I"]})
    db.commit()

    # 1. The record.
    [stored] = records.push_records(db, actor["officer"], [_record(run)])
    assert stored.created and stored.record_id is not None
    mark("record stored")

    # 2. The signal, raised while storing it.
    signal = db.execute(select(Signal).join(SignalRecord, SignalRecord.signal_id == Signal.id)
                        .where(SignalRecord.record_id == stored.record_id)).scalar_one()
    assert signal.status == SignalStatus.new, signal.status
    mark("signal raised")

    # 3. Triage to assessment (which opens it), the matrix, the committee's decision.
    triage.transition(db, actor["officer"], signal.id, status=SignalStatus.triage)
    triage.transition(db, actor["officer"], signal.id, status=SignalStatus.assessment)
    db.refresh(signal)
    assessment_id = signal.assessment_id
    assert assessment_id is not None
    assessed = assessments.update_assessment(db, actor["officer"], assessment_id, {
        "description": "电池热失控起火，可致儿童烧伤。",
        "scenarios": [{"hazard": "电池起火", "injury": "烧伤，可致死亡",
                       "user_group": "older_children", "severity": 4,
                       "steps": [{"description": "充电时电池热失控", "probability": 0.5},
                                 {"description": "儿童在旁未能及时避开", "probability": 0.5}]}],
        "urgency": "immediate", "impact_scope": "nationwide"})
    assert assessed.risk_level is not None and assessed.risk_level.value == "serious", \
        assessed.risk_level
    assessments.submit_to_committee(db, actor["officer"], assessment_id)
    assessments.record_committee_decision(
        db, actor["officer"], assessment_id, decision=Conclusion.unsafe,
        rationale="电池起火致儿童烧伤，风险严重，不安全。", meeting_id=None)
    [draft] = warnings.warnings_for_assessment(db, assessment_id)
    mark("assessment concluded")

    # 4. The draft becomes a level I 公告, routed to 海关总署, approved and published there.
    warnings.update_warning(db, actor["officer"], draft.id, _warning(draft.title, assessment_id))
    warnings.submit_for_review(db, actor["officer"], draft.id)
    warnings.approve(db, actor["gacc_approver"], draft.id)
    published = warnings.publish(db, actor["gacc_approver"], draft.id)
    deliveries = {d.id: d for d in db.scalars(select(WarningDelivery).where(
        WarningDelivery.warning_id == published.id,
        WarningDelivery.organisation_id == subscription.organisation_id))}
    queued = [e for e in db.scalars(select(OutboxEvent).where(
        OutboxEvent.topic == "warning.published",
        OutboxEvent.target == str(subscription.user_id),
        OutboxEvent.dedupe_key.in_([f"wpush:{i}" for i in deliveries])))]
    assert len(queued) == 1, [(e.channel, e.target, e.dedupe_key) for e in queued]
    reason = deliveries[int(str(queued[0].dedupe_key).split(":")[1])].reason
    mark("level I published")
    queued_at = times["level I published"]  # in the publication's own transaction

    # 5. The control rule derived on publication is live.
    [rule] = db.scalars(select(ControlRule).where(ControlRule.warning_id == published.id)).all()
    assert rule.id in {spec.id for spec in control_rules.live_rule_specs(db)[1]}
    mark("control rule live")

    # 6. The first matching declaration line at Yangshan goes red, the rule its reason.
    declarations.invalidate_caches()
    screened = declarations.screen_declaration(db, actor["port"],
                                               _declaration(TRADER))
    [line] = db.scalars(select(DeclarationLine).where(
        DeclarationLine.declaration_id == screened.id)).all()
    assert line.lane.value == "red", (line.lane, line.reasons)
    assert rule.number in str(line.reasons), line.reasons
    mark("first matching line red")

    # 7. The subscriber's inbox message, delivered by the outbox worker's steps.
    assert deliver_only(db, settings, queued[0].id)
    mark("subscriber notified")

    if details is not None:
        details.update(record_id=stored.record_id, signal=signal.number,
                       assessment_id=assessment_id, warning=published.number, rule=rule.number,
                       declaration=screened.number, event_id=queued[0].id,
                       delivery_reason=str(getattr(reason, "value", reason)),
                       subscriber_queued=queued_at)
    return {step: times[step] for step in STEPS}
