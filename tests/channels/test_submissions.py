"""Quarterly unit submissions: upload, submit on time or late, the lead's matrix, reminders."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from riskgate.catalog.enums import SourceChannel
from riskgate.channels import submissions
from riskgate.channels.enums import SubmissionStatus
from riskgate.core.db import transaction, utcnow
from riskgate.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from riskgate.outbox.enums import Channel
from riskgate.outbox.models import InboxMessage, OutboxEvent
from riskgate.outbox.worker import Worker
from riskgate.records.service import push_records
from tests.factories import make_org
from tests.servers import SmtpServer

CSV = ("source_channel,external_reference,title,product_name,occurred_on\n"
       "quarterly_submission,Q-1,儿童玩具邻苯超标,儿童玩具,{day}\n"
       "quarterly_submission,Q-2,电热水壶漏电,电热水壶,{day}\n"
       "quarterly_submission,Q-3,,缺标题,{day}\n")


def _register(app, units):  # type: ignore[no-untyped-def]
    with transaction(app.state.session_factory) as db:
        submissions.set_unit(db, units.lead_actor, units.unit.id, True)


def test_unit_uploads_then_submits_on_time_and_the_lead_sees_it(app, settings, units):  # type: ignore[no-untyped-def]
    roomy = settings.model_copy(update={"quarterly_due_days": 90})
    year, quarter = submissions.quarter_of(submissions.local_today(roomy))
    day = submissions.quarter_start(year, quarter).isoformat()
    _register(app, units)
    with transaction(app.state.session_factory) as db:
        row, batch = submissions.upload(
            db, units.unit_actor, roomy, year, quarter, profile_name="riskgate_csv",
            binary=io.BytesIO(CSV.format(day=day).encode()), file_name="q.csv")
        assert batch.counts()["imported"] == 2 and batch.counts()["quarantined"] == 1
        assert row.status == SubmissionStatus.missing and row.record_count == 2
        push_records(db, units.unit_actor, [{
            "source_channel": "quarterly_submission", "external_reference": "API-1",
            "title": "电动车电池起火", "product_name": "电动车电池", "occurred_on": day}])
        row = submissions.submit(db, units.unit_actor, roomy, year, quarter, note="第一次报送")
        assert row.status == SubmissionStatus.submitted and row.record_count == 3
        assert row.batch_ids == [batch.id] and row.submitted_by == units.unit_officer.username
        with pytest.raises(InvalidTransition):
            submissions.submit(db, units.unit_actor, roomy, year, quarter)
    with app.state.session_factory() as db:
        (unit_row,) = submissions.matrix(db, units.lead_actor, roomy,
                                         submissions.recent_quarters(
                                             submissions.local_today(roomy), 2))
        assert unit_row.organisation_id == units.unit.id
        assert [c.status for c in unit_row.cells] == [SubmissionStatus.missing,
                                                      SubmissionStatus.submitted]
        # The unit sees only itself; a sibling organisation sees nothing.
        assert len(submissions.matrix(db, units.unit_actor, roomy, [(year, quarter)])) == 1
        from riskgate.core.permissions import Role
        from riskgate.identity.auth_service import actor_for
        from tests.factories import make_user

        other = make_user(db, settings, make_org(db), Role.RISK_OFFICER)
        db.commit()
        assert submissions.matrix(db, actor_for(other, "en"), roomy, [(year, quarter)]) == []


def test_late_submission_and_refusals(app, settings, units):  # type: ignore[no-untyped-def]
    tight = settings.model_copy(update={"quarterly_due_days": 0})
    today = submissions.local_today(tight)
    year, quarter = submissions.previous_quarter(*submissions.quarter_of(today))
    with transaction(app.state.session_factory) as db, pytest.raises(Conflict):
        submissions.submit(db, units.unit_actor, tight, year, quarter)  # not a unit yet
    _register(app, units)
    with transaction(app.state.session_factory) as db:
        row = submissions.submit(db, units.unit_actor, tight, year, quarter)
        assert row.status == SubmissionStatus.late
    future = submissions.quarter_of(today + dt.timedelta(days=100))
    with transaction(app.state.session_factory) as db, pytest.raises(ValidationFailed):
        submissions.submit(db, units.unit_actor, tight, *future)
    with transaction(app.state.session_factory) as db, pytest.raises(NotFound):
        # The unit cannot submit for its lead (outside its scope).
        submissions.submit(db, units.unit_actor, tight, year, quarter,
                           organisation_id=units.lead.id)


def test_overdue_cells_are_flagged(app, settings, units):  # type: ignore[no-untyped-def]
    _register(app, units)
    now = dt.datetime(2026, 10, 20, 4, tzinfo=dt.UTC)
    with app.state.session_factory() as db:
        (row,) = submissions.matrix(db, units.lead_actor, settings, [(2026, 2), (2026, 3)], now)
    assert [c.overdue for c in row.cells] == [True, True]
    assert row.cells[1].due_on == dt.date(2026, 10, 15)


def test_reminders_are_queued_once_per_kind_and_delivered_by_e_mail(app, settings, units):  # type: ignore[no-untyped-def]
    _register(app, units)
    before_due = dt.datetime(2026, 10, 10, 2, tzinfo=dt.UTC)  # Q3 2026 is due on 15 October
    with transaction(app.state.session_factory) as db:
        assert submissions.send_reminders(db, settings, before_due)["queued"] == 2  # inbox+mail
    with transaction(app.state.session_factory) as db:
        assert submissions.send_reminders(db, settings, before_due)["queued"] == 0
        too_early = dt.datetime(2026, 10, 2, tzinfo=dt.UTC)
        assert submissions.send_reminders(db, settings, too_early)["queued"] == 0
    with SmtpServer() as smtp:
        worker = Worker(app.state.engine, settings.model_copy(update={"smtp_port": smtp.port}))
        try:
            assert worker.drain().delivered >= 2  # with the new users' welcome messages
        finally:
            worker.close()
        (mail,) = [m for m in smtp.messages if "2026Q3" in str(m.message["Subject"])]
        assert mail.rcpt_tos == ["officer@unit.example.cn"]
    with transaction(app.state.session_factory) as db:
        overdue = dt.datetime(2026, 10, 20, 2, tzinfo=dt.UTC)
        assert submissions.send_reminders(db, settings, overdue)["kind"] == "overdue"
        assert submissions.send_reminders(db, settings, overdue)["queued"] == 0
    with app.state.session_factory() as db:
        inbox = db.execute(select(InboxMessage).where(
            InboxMessage.user_id == units.unit_officer.id,
            InboxMessage.topic == submissions.REMINDER_TOPIC)).scalars().all()
        assert len(inbox) == 1 and "2026-10-15" in inbox[0].body
        topics = db.execute(select(OutboxEvent.channel).where(
            OutboxEvent.topic == submissions.REMINDER_TOPIC)).scalars().all()
        assert sorted(topics) == sorted([Channel.INBOX, Channel.EMAIL] * 2)
    # A unit that submitted gets no reminder.
    with transaction(app.state.session_factory) as db:
        tight = settings.model_copy(update={"quarterly_due_days": 0})
        today = submissions.local_today(tight)
        year, quarter = submissions.previous_quarter(*submissions.quarter_of(today))
        submissions.submit(db, units.unit_actor, tight, year, quarter)
        due = submissions.due_date(year, quarter, settings.quarterly_due_days)
        later = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(4), tzinfo=dt.UTC)
        if submissions.quarter_of(later.date()) == submissions.quarter_of(today):
            assert submissions.send_reminders(db, settings, later)["queued"] == 0


def test_quarter_arithmetic():
    assert submissions.quarter_end(2026, 1) == dt.date(2026, 3, 31)
    assert submissions.quarter_end(2026, 4) == dt.date(2026, 12, 31)
    assert submissions.due_date(2026, 4, 15) == dt.date(2027, 1, 15)
    assert submissions.previous_quarter(2026, 1) == (2025, 4)
    assert submissions.recent_quarters(dt.date(2026, 2, 1), 3) == [(2025, 3), (2025, 4),
                                                                  (2026, 1)]
    assert utcnow().tzinfo is not None and SourceChannel.quarterly_submission
