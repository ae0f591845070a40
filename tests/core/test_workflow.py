"""The one workflow primitive: a move the table allows sets the status and audits old and new;
any other is a 409 naming both states by their labels and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskgate.core import auditing
from riskgate.core.context import Actor
from riskgate.core.enums import LabelledEnum
from riskgate.core.errors import InvalidTransition
from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow, move


class Light(LabelledEnum):
    red = "red", N_("Red")
    green = "green", N_("Green")
    amber = "amber", N_("Amber")
    off = "off", N_("Off")


FLOW: Workflow[Light] = Workflow(
    object_name=N_("traffic light"), audit_type="light",
    transitions={Light.red: {Light.green, Light.off}, Light.green: {Light.amber, Light.off},
                 Light.amber: {Light.red, Light.off}, Light.off: set()},
    events={(Light.red, "go"): Light.green, (Light.green, "slow"): Light.amber},
    audited=("note",),
)


@dataclass
class Lamp:
    id: int = 7
    status: Light = Light.red
    note: str | None = None
    organisation_id: int = 3


class FakeSession:
    def flush(self) -> None:
        pass


class Trail:
    """An audit service that keeps what it was given."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def record(self, session: Any, actor: Actor, action: str, **values: Any) -> None:
        self.entries.append({"action": action, **values})

    def diff(self, before: dict[str, Any] | None, after: dict[str, Any] | None
             ) -> tuple[dict[str, Any], dict[str, Any]]:
        from riskgate.audit.service import diff

        return diff(before, after)


@pytest.fixture
def trail():  # type: ignore[no-untyped-def]
    previous = auditing.installed()
    fake = Trail()
    auditing.install(fake)  # type: ignore[arg-type]  # Trail has the protocol's methods
    yield fake
    auditing.install(previous)


ACTOR = Actor.system("test")


def test_an_allowed_move_sets_the_status_and_audits_old_and_new(trail) -> None:  # type: ignore[no-untyped-def]
    lamp = Lamp()
    move(FakeSession(), FLOW, lamp, Light.green, actor=ACTOR, action="light.go",  # type: ignore[arg-type]
         reason="morning", note="on time")
    assert lamp.status is Light.green and lamp.note == "on time"
    assert trail.entries == [{
        "action": "light.go", "object_type": "light", "object_id": 7, "reason": "morning",
        "before": {"status": "red", "note": None}, "after": {"status": "green", "note": "on time"},
        "organisation_id": 3}]


def test_a_named_event_leads_where_the_table_says(trail) -> None:  # type: ignore[no-untyped-def]
    lamp = Lamp()
    move(FakeSession(), FLOW, lamp, "go", actor=ACTOR, action="light.go")  # type: ignore[arg-type]
    assert lamp.status is Light.green


def test_a_refused_move_names_both_states_and_changes_nothing(trail) -> None:  # type: ignore[no-untyped-def]
    lamp = Lamp(status=Light.off)
    with pytest.raises(InvalidTransition) as refused:
        move(FakeSession(), FLOW, lamp, Light.green, actor=ACTOR, action="x",  # type: ignore[arg-type]
             note="changed")
    assert refused.value.status == 409
    assert refused.value.params == {"object": "traffic light", "current": "Off",
                                    "target": "Green"}
    assert lamp.status is Light.off and lamp.note is None and trail.entries == []


def test_an_event_from_the_wrong_state_names_where_it_leads(trail) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidTransition) as refused:
        move(FakeSession(), FLOW, Lamp(), "slow", actor=ACTOR, action="x")  # type: ignore[arg-type]
    assert refused.value.params["current"] == "Red"
    assert refused.value.params["target"] == "Amber"
    with pytest.raises(InvalidTransition) as unknown:
        move(FakeSession(), FLOW, Lamp(), "jump", actor=ACTOR, action="x")  # type: ignore[arg-type]
    assert unknown.value.params["target"] == "jump"


def test_a_stored_string_status_is_read_as_its_member() -> None:
    lamp = Lamp(status="amber")  # type: ignore[arg-type]  # as a row may hold it
    assert FLOW.state_of(lamp) is Light.amber
    assert FLOW.next_states(lamp) == {Light.red, Light.off}


@given(st.sampled_from(list(Light)), st.lists(st.sampled_from(list(Light)), max_size=12))
def test_moves_succeed_exactly_when_the_table_allows_them(start: Light,
                                                          targets: list[Light]) -> None:
    previous = auditing.installed()
    auditing.install(Trail())  # type: ignore[arg-type]
    try:
        lamp = Lamp(status=start)
        for target in targets:
            before = lamp.status
            allowed = FLOW.allows(before, target)
            try:
                move(FakeSession(), FLOW, lamp, target, actor=ACTOR, action="x")  # type: ignore[arg-type]
            except InvalidTransition:
                assert not allowed and lamp.status is before
            else:
                assert allowed and lamp.status is target
    finally:
        auditing.install(previous)
