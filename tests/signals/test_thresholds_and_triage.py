"""Threshold rules, deduplication and snooze, triage transitions with audit, overdue reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from riskgate.audit.models import AuditEntry
from riskgate.core.db import utcnow
from riskgate.core.errors import InvalidTransition, NotFound, ValidationFailed
from riskgate.outbox.models import OutboxEvent
from riskgate.signals import service, triage
from riskgate.signals.enums import Severity, SignalKind, SignalStatus
from riskgate.signals.models import Signal, SignalRecord
from tests.signals.conftest import add_records

TZ = "Asia/Shanghai"


def _signals(db, kind=None):  # type: ignore[no-untyped-def]
    stmt = select(Signal).order_by(Signal.id)
    if kind is not None:
        stmt = stmt.where(Signal.kind == kind)
    return list(db.execute(stmt).scalars())


def test_death_raises_a_critical_signal_at_once_and_injuries_join_it(db, tree):  # type: ignore[no-untyped-def]
    today = dt.date.today()
    (first,) = add_records(db, tree.unit_a.id, 1, day=today, injury_severity="fatal",
                           channel="product_accident")
    db.commit()
    (signal,) = _signals(db, SignalKind.threshold_death_injury)  # no job needed: immediate
    assert signal.severity == Severity.critical and signal.status == SignalStatus.new
    assert signal.deadline_at - signal.first_fired_at == dt.timedelta(hours=24)
    assert set(db.execute(select(SignalRecord.record_id)).scalars()) == {first}
    # The owning unit's officer is told at once (inbox + e-mail).
    topics = db.execute(select(OutboxEvent.topic, OutboxEvent.target)).all()
    assert ("signal.opened", str(tree.a_officer.id)) in topics
    add_records(db, tree.unit_a.id, 1, day=today, injury_severity="serious",
                channel="product_accident")
    add_records(db, tree.unit_a.id, 1, day=today, injury_severity="minor",
                channel="product_accident")
    db.commit()
    (signal,) = _signals(db, SignalKind.threshold_death_injury)
    assert signal.record_count == 2 and signal.fire_count == 2
    # An old accident (an archive import) raises nothing.
    add_records(db, tree.unit_a.id, 1, day=today - dt.timedelta(days=400),
                injury_severity="fatal", channel="product_accident", hs_code="8516")
    db.commit()
    assert len(_signals(db, SignalKind.threshold_death_injury)) == 1
    # The safety-net job finds nothing new.
    summary = service.run_thresholds(db, TZ)
    assert not any(k.startswith("death_") and k != "death_unchanged" for k in summary), summary


def test_foreign_notices_threshold(db, tree):  # type: ignore[no-untyped-def]
    today = dt.date.today()
    add_records(db, tree.unit_a.id, 2, day=today - dt.timedelta(days=3), channel="feed_rasff")
    db.commit()
    assert service.run_thresholds(db, TZ).get("foreign_opened") is None
    add_records(db, tree.unit_b.id, 1, day=today - dt.timedelta(days=40), channel="feed_rasff")
    add_records(db, tree.unit_b.id, 1, day=today, channel="foreign_notice")
    add_records(db, tree.unit_b.id, 1, day=today, channel="hotline_12315")  # not foreign
    db.commit()
    summary = service.run_thresholds(db, TZ)
    assert summary.get("foreign_opened") == 1, summary
    (signal,) = _signals(db, SignalKind.threshold_foreign_notices)
    assert signal.record_count == 3 and signal.organisation_id == tree.root.id
    assert "3" in signal.explanation["rule_params"].values().__repr__()
    again = service.run_thresholds(db, TZ)
    assert again.get("foreign_opened") is None and again.get("foreign_joined") is None


def test_brand_and_model_notices(db, tree):  # type: ignore[no-untyped-def]
    today = dt.date.today()
    for hazard, hs in (("chemical", "9503"), ("physical", "9503"), ("physical", "8516")):
        add_records(db, tree.unit_a.id, 1, day=today, channel="feed_safety_gate",
                    hazard_class=hazard, hs_code=hs, brand="ACME", model="X-1")
    db.commit()
    service.run_thresholds(db, TZ)
    keys = [s.series_key for s in _signals(db, SignalKind.threshold_foreign_notices)]
    assert keys == ["foreign|bm=acme/x-1"]


def _open_signal(db, tree):  # type: ignore[no-untyped-def]
    add_records(db, tree.unit_a.id, 3, day=dt.date.today(), channel="feed_rasff")
    db.commit()
    service.run_thresholds(db, TZ)
    db.commit()
    (signal,) = _signals(db, SignalKind.threshold_foreign_notices)
    return signal


def test_triage_transitions_are_audited_and_checked(db, tree):  # type: ignore[no-untyped-def]
    signal = _open_signal(db, tree)
    officer = tree.actor(tree.a_officer)
    with pytest.raises(InvalidTransition):
        triage.transition(db, officer, signal.id, status=SignalStatus.assessment)
    triage.transition(db, officer, signal.id, status=SignalStatus.triage)
    with pytest.raises(ValidationFailed):
        triage.transition(db, officer, signal.id, status=SignalStatus.dismissed, reason=" ")
    with pytest.raises(NotFound):  # another organisation's officer: outside scope
        triage.transition(db, tree.actor(tree.other_officer), signal.id,
                          status=SignalStatus.dismissed, reason="x")
    triage.transition(db, officer, signal.id, status=SignalStatus.dismissed,
                      reason="Known, already handled", snooze_days=30)
    db.commit()
    entries = db.execute(select(AuditEntry).where(AuditEntry.action == "signal.transition",
                                                  AuditEntry.object_id == str(signal.id))
                         .order_by(AuditEntry.id)).scalars().all()
    assert [e.after["status"] for e in entries] == ["triage", "dismissed"]
    assert entries[0].before["status"] == "new"
    assert entries[1].reason == "Known, already handled"
    assert signal.snoozed_until is not None and signal.decided_at is not None


def test_snooze_suppresses_the_key_until_a_more_severe_hit(db, tree):  # type: ignore[no-untyped-def]
    signal = _open_signal(db, tree)
    officer = tree.actor(tree.a_officer)
    triage.transition(db, officer, signal.id, status=SignalStatus.dismissed, reason="noise",
                      snooze_days=10)
    db.commit()
    add_records(db, tree.unit_a.id, 1, day=dt.date.today(), channel="feed_rasff")
    db.commit()
    summary = service.run_thresholds(db, TZ)
    assert summary.get("foreign_snoozed") == 1, summary
    assert len(_signals(db, SignalKind.threshold_foreign_notices)) == 1
    # The snooze over, the new record opens a new signal.
    signal.snoozed_until = utcnow() - dt.timedelta(minutes=1)
    db.commit()
    assert service.run_thresholds(db, TZ).get("foreign_opened") == 1
    second = _signals(db, SignalKind.threshold_foreign_notices)[-1]
    assert second.id != signal.id and second.severity == Severity.medium
    triage.transition(db, officer, second.id, status=SignalStatus.dismissed, reason="noise",
                      snooze_days=10)
    db.commit()
    # Three more notices make the count twice the threshold: a more severe hit opens anyway.
    add_records(db, tree.unit_a.id, 3, day=dt.date.today(), channel="feed_rasff")
    db.commit()
    summary = service.run_thresholds(db, TZ)
    assert summary.get("foreign_opened") == 1, summary
    third = _signals(db, SignalKind.threshold_foreign_notices)[-1]
    assert third.severity == Severity.high and third.id not in (signal.id, second.id)


def test_merge_moves_records_and_later_hits_join_the_target(db, tree):  # type: ignore[no-untyped-def]
    source = _open_signal(db, tree)
    (death,) = add_records(db, tree.unit_a.id, 1, day=dt.date.today(), injury_severity="fatal",
                           channel="product_accident")
    db.commit()
    (target,) = _signals(db, SignalKind.threshold_death_injury)
    officer = tree.actor(tree.root_officer)
    with pytest.raises(ValidationFailed):
        triage.transition(db, officer, source.id, status=SignalStatus.merged,
                          merge_into=source.id)
    triage.transition(db, officer, source.id, status=SignalStatus.merged,
                      merge_into=target.number)
    db.commit()
    assert source.record_count == 0 and source.merged_into_id == target.id
    assert target.record_count == 4
    add_records(db, tree.unit_a.id, 1, day=dt.date.today(), channel="feed_rasff")
    db.commit()
    assert service.run_thresholds(db, TZ).get("foreign_joined") == 1
    db.refresh(target)
    assert target.record_count == 5 and death in triage.record_ids(db, target.id)


def test_assessment_transition_opens_a_draft_assessment(db, tree):  # type: ignore[no-untyped-def]
    from riskgate.assessment.models import RiskAssessment

    signal = _open_signal(db, tree)
    officer = tree.actor(tree.a_officer)
    triage.transition(db, officer, signal.id, status=SignalStatus.triage)
    triage.transition(db, officer, signal.id, status=SignalStatus.assessment)
    db.commit()
    assessment = db.get(RiskAssessment, signal.assessment_id)
    assert assessment is not None and assessment.signal_id == signal.id
    assert assessment.organisation_id == signal.organisation_id


def test_assignment_and_overdue_reminder_once(db, tree):  # type: ignore[no-untyped-def]
    signal = _open_signal(db, tree)
    root = tree.actor(tree.root_officer)
    with pytest.raises(ValidationFailed):  # an approver cannot triage
        triage.assign(db, root, signal.id, tree.approver.id)
    with pytest.raises(ValidationFailed):  # another tree's officer does not see it
        triage.assign(db, root, signal.id, tree.other_officer.id)
    triage.assign(db, root, signal.id, tree.a_officer.id)
    db.commit()
    assert signal.assignee_id == tree.a_officer.id
    later = signal.deadline_at + dt.timedelta(hours=1)
    assert triage.remind_overdue(db, signal.deadline_at - dt.timedelta(hours=1))["overdue"] == 0
    summary = triage.remind_overdue(db, later)
    db.commit()
    assert summary == {"overdue": 1, "notified": 1}
    reminders = db.execute(select(OutboxEvent).where(OutboxEvent.topic == "signal.overdue")
                           ).scalars().all()
    assert {e.channel.value for e in reminders} == {"inbox", "email"}
    assert all(e.target in (str(tree.a_officer.id), "a.officer@example.cn") for e in reminders)
    assert triage.remind_overdue(db, later + dt.timedelta(hours=2))["overdue"] == 0
    assert db.execute(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "signal.overdue")).scalar_one() == 1


def test_signals_in_period(db, tree):  # type: ignore[no-untyped-def]
    signal = _open_signal(db, tree)
    today = dt.date.today()
    found = service.signals_in_period(db, tree.actor(tree.approver), today - dt.timedelta(days=1),
                                      today + dt.timedelta(days=1))
    assert [s.id for s in found] == [signal.id]
    assert service.signals_in_period(db, tree.actor(tree.other_officer), today, today) == []
