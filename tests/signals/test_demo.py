"""The demo data fills the signal queue: a statistical, a death and a foreign-notice signal."""

from __future__ import annotations

from sqlalchemy import select

from riskgate.demo import DEMO_PASSWORD, load_demo_data
from riskgate.signals.enums import SignalKind
from riskgate.signals.models import Signal
from tests.factories import sign_in


def test_demo_signals(client, db, settings):  # type: ignore[no-untyped-def]
    summary = load_demo_data(db, settings)
    db.commit()
    assert summary["signals"] >= 3
    kinds = set(db.execute(select(Signal.kind)).scalars())
    assert {SignalKind.statistical, SignalKind.threshold_death_injury,
            SignalKind.threshold_foreign_notices} <= kinds
    sign_in(client, "officer", DEMO_PASSWORD)
    queue = client.get("/console/signals?lang=zh-CN")
    assert queue.status_code == 200 and "越南" in queue.text  # VN, named in the page language
