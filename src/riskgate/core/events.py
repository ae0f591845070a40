"""Stage events: how an earlier stage of the loop lets later stages follow without knowing them.

A stage announces what happened with a typed payload (`announce(db, RecordsStored(...))`); the
later stages that follow it are *subscribers*, listed with their order in one place, the
composition root (`riskgate.composition`), so the loop reads top to bottom in one file and no
earlier stage imports a later one.

Subscribers run at once, in the order listed, inside the announcing caller's transaction: what
they write commits or rolls back with the change that caused it, and an error in a subscriber is
an error of the step (the request answers it, nothing is half done). What must happen *after*
commit, or may fail and be retried (e-mail, webhooks), stays in the outbox.

Payloads are frozen dataclasses named for what happened, with a dotted `name` (`record.stored`,
`warning.issued`); each announcing domain declares its own in its `events.py`.

The same wiring answers *stage queries*, for an earlier stage's page that shows what followed
(the warnings drafted from an assessment, the response case of a warning): the page asks
(`ask(db, WarningsOfAssessment(id))`), the later stages listed as answerers in the composition
root answer, and the page gets every answer in order — without importing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from sqlalchemy.orm import Session


class StageEvent:
    """Base of every payload; subclasses are frozen dataclasses with a class-level `name`."""

    name: ClassVar[str]


class StageQuery:
    """Base of every question an earlier stage asks later ones (a frozen dataclass too)."""

    name: ClassVar[str]


E = TypeVar("E", bound=StageEvent)
Handler = Callable[[Session, Any], Any]


@dataclass(frozen=True)
class Subscription:
    """`handler(db, event)` follows every `event` announced (and its subclasses)."""

    event: type[StageEvent] | type[StageQuery]
    handler: Handler

    @property
    def label(self) -> str:
        return f"{self.event.name} → {self.handler.__module__}.{self.handler.__qualname__}"


def follow(event: type[E], handler: Callable[[Session, E], None]) -> Subscription:
    """One line of the composition root's list: `follow(WarningIssued, response.open_case)`."""
    return Subscription(event, handler)


Q = TypeVar("Q", bound=StageQuery)


def answer(query: type[Q], handler: Callable[[Session, Q], Iterable[Any]]) -> Subscription:
    """One line of the composition root's list: `answer(WarningsOfAssessment, warnings.of)`."""
    return Subscription(query, handler)


class NotWired(RuntimeError):
    """A stage event was announced before the composition root installed the subscribers."""


_subscriptions: tuple[Subscription, ...] | None = None
_by_type: dict[type, tuple[Handler, ...]] = {}


def install(subscriptions: Iterable[Subscription]) -> None:
    """Install the subscribers (the composition root does, at start-up). Idempotent."""
    global _subscriptions
    _subscriptions = tuple(subscriptions)
    _by_type.clear()


def installed() -> tuple[Subscription, ...]:
    if _subscriptions is None:
        raise NotWired("stage events are not wired: call riskgate.composition.wire() first")
    return _subscriptions


def handlers_of(event_type: type[StageEvent] | type[StageQuery]) -> Sequence[Handler]:
    """The handlers that follow `event_type`, in the order the composition root lists them."""
    found = _by_type.get(event_type)
    if found is None:
        found = tuple(s.handler for s in installed() if issubclass(event_type, s.event))
        _by_type[event_type] = found
    return found


def announce(db: Session, event: StageEvent) -> None:
    """Run every subscriber of `event`, in order, in the caller's transaction.

    Refuses to run before the subscribers are installed: a stage whose followers silently did
    nothing would look like a working loop and be a broken one.
    """
    for handler in handlers_of(type(event)):
        handler(db, event)


def ask(db: Session, query: StageQuery) -> list[Any]:
    """Every answer of the later stages to `query`, in the order they are listed (each answerer
    gives an iterable of answers). Reads only: answerers must not write."""
    answers: list[Any] = []
    for handler in handlers_of(type(query)):
        answers.extend(handler(db, query) or ())
    return answers


@contextmanager
def suspended(*handlers: Callable[..., Any]) -> Iterator[None]:
    """Run with some followers left out, then put them back (for tests of one stage that build
    its input by hand: `with suspended(response.on_warning_issued): ...`)."""
    before = installed()
    install(s for s in before if s.handler not in handlers)
    try:
        yield
    finally:
        install(before)
