"""Labelled enums: stored and compared as their values, shown by their labels in each language."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from riskgate.core.enums import LabelledEnum, label
from riskgate.core.i18n import N_


class Colour(LabelledEnum):
    red = "red", N_("Draft")  # a msgid the catalogue translates
    unlabelled = "unlabelled"


def test_a_member_is_its_value_everywhere_it_is_stored_or_sent() -> None:
    assert Colour.red == "red" and Colour("red") is Colour.red
    assert str(Colour.red) == "red" and f"{Colour.red}" == "red"
    assert json.dumps({"c": Colour.red}) == '{"c": "red"}'

    class Body(BaseModel):
        colour: Colour

    assert Body(colour="red").colour is Colour.red  # type: ignore[arg-type]
    assert Body.model_json_schema()["$defs"]["Colour"]["enum"] == ["red", "unlabelled"]


def test_labels_in_each_language() -> None:
    assert Colour.red.label("en") == "Draft"
    assert Colour.red.label("zh-CN") == "草稿"
    assert Colour.red.msgid == "Draft"
    assert Colour.unlabelled.label("en") == "unlabelled"  # no label: the value itself
    assert Colour.choices("en") == [("red", "Draft"), ("unlabelled", "unlabelled")]


@pytest.mark.parametrize("value", [None, "", "nonsense", 3])
def test_label_of_an_unknown_value_shows_it_as_it_is(value: object) -> None:
    expected = "" if value in (None, "") else str(value)
    assert Colour.label_of(value, "en") == expected


@given(st.text(max_size=20))
def test_label_never_raises(text: str) -> None:
    assert isinstance(label(text, "zh-CN"), str)
    assert isinstance(Colour.label_of(text, "en"), str)
