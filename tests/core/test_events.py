"""Stage events: followers run in the listed order, in the caller's transaction; questions get
every answer in order; nothing runs before the composition root wired the loop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest

from riskgate.composition import SUBSCRIPTIONS, wire
from riskgate.core import events
from riskgate.core.events import StageEvent, StageQuery, announce, answer, ask, follow


@dataclass(frozen=True)
class Happened(StageEvent):
    name: ClassVar[str] = "test.happened"
    what: str


@dataclass(frozen=True)
class HappenedAgain(Happened):
    name: ClassVar[str] = "test.happened_again"


@dataclass(frozen=True)
class WhatFollowed(StageQuery):
    name: ClassVar[str] = "test.what_followed"
    of: str


@pytest.fixture
def installed():  # type: ignore[no-untyped-def]
    """Tests install their own subscriptions; the real ones come back afterwards."""
    yield
    wire()


def test_followers_run_in_the_listed_order(installed) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    events.install([
        follow(Happened, lambda db, e: seen.append(f"first {e.what}")),
        follow(Happened, lambda db, e: seen.append(f"second {e.what}")),
    ])
    announce(None, Happened("x"))  # type: ignore[arg-type]  # no database needed here
    assert seen == ["first x", "second x"]


def test_a_follower_of_a_base_event_follows_its_subclasses(installed) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    events.install([
        follow(Happened, lambda db, e: seen.append(e.name)),
        follow(HappenedAgain, lambda db, e: seen.append("only again")),
    ])
    announce(None, Happened("a"))  # type: ignore[arg-type]
    announce(None, HappenedAgain("b"))  # type: ignore[arg-type]
    assert seen == ["test.happened", "test.happened_again", "only again"]


def test_an_error_in_a_follower_is_the_announcers_error(installed) -> None:  # type: ignore[no-untyped-def]
    def fails(db, event):  # type: ignore[no-untyped-def]
        raise ValueError("follower failed")

    events.install([follow(Happened, fails)])
    with pytest.raises(ValueError, match="follower failed"):
        announce(None, Happened("x"))  # type: ignore[arg-type]


def test_questions_collect_every_answer_in_order(installed) -> None:  # type: ignore[no-untyped-def]
    events.install([
        answer(WhatFollowed, lambda db, q: [f"{q.of}-1", f"{q.of}-2"]),
        answer(WhatFollowed, lambda db, q: []),
        answer(WhatFollowed, lambda db, q: [f"{q.of}-3"]),
    ])
    assert ask(None, WhatFollowed("w")) == ["w-1", "w-2", "w-3"]  # type: ignore[arg-type]


def test_nothing_runs_before_the_loop_is_wired(installed) -> None:  # type: ignore[no-untyped-def]
    events._subscriptions = None  # as in a fresh process that never called wire()
    events._by_type.clear()
    with pytest.raises(events.NotWired):
        announce(None, Happened("x"))  # type: ignore[arg-type]


def test_suspended_leaves_followers_out_and_puts_them_back(installed) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def one(db, e):  # type: ignore[no-untyped-def]
        seen.append("one")

    def two(db, e):  # type: ignore[no-untyped-def]
        seen.append("two")

    events.install([follow(Happened, one), follow(Happened, two)])
    with events.suspended(one):
        announce(None, Happened("x"))  # type: ignore[arg-type]
    announce(None, Happened("x"))  # type: ignore[arg-type]
    assert seen == ["two", "one", "two"]


def test_the_composition_root_lists_real_events_and_handlers() -> None:
    wire()
    assert events.installed() == SUBSCRIPTIONS
    for subscription in SUBSCRIPTIONS:
        assert issubclass(subscription.event, StageEvent | StageQuery)
        assert subscription.event.name and "." in subscription.event.name
        assert callable(subscription.handler)
