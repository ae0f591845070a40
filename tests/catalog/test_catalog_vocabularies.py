"""Source channels, measure types, warning levels and warning types."""

from __future__ import annotations

import re

import pytest

from riskgate.catalog.enums import (
    ChannelKind,
    MeasureScope,
    MeasureType,
    SourceChannel,
    SourceOwner,
    WarningLevel,
    WarningType,
)
from riskgate.catalog.reference import (
    channels_of_kind,
    channels_owned_by,
    measure_type,
    measure_types,
    measures_for_scope,
    source_channel,
    source_channels,
    warning_level,
    warning_levels,
    warning_type,
    warning_types,
)


def test_channels_match_the_enum() -> None:
    assert [entry.code for entry in source_channels()] == list(SourceChannel)


@pytest.mark.parametrize(
    "code",
    ["public_opinion", "foreign_notice", "export_return", "injury", "foodborne_disease",
     "single_window"],
)  # fmt: skip
def test_glossary_codes_exist(code: str) -> None:
    assert source_channel(code) is not None


@pytest.mark.parametrize(
    ("code", "owner"),
    [("inspection_supervision", "customs"), ("certification_supervision", "customs"),
     ("foreign_notice", "customs"), ("export_return", "customs"),
     ("foreign_government_notice", "customs"), ("product_accident", "market_regulator"),
     ("market_spot_check", "market_regulator"), ("producer_report", "market_regulator"),
     ("food_safety", "food_drug"), ("cosmetic_injury", "food_drug"),
     ("medical_device_adverse_event", "food_drug"), ("traffic_accident", "police"),
     ("fire_accident", "police"), ("environmental_hazard", "environment"),
     ("foodborne_disease", "health"), ("injury", "health"), ("public_opinion", "any"),
     ("lab_result", "lab"), ("enterprise_self_inspection", "enterprise"),
     ("hotline_12315", "market_regulator"), ("hotline_12360", "customs"),
     ("whistleblower", "public")],
)  # fmt: skip
def test_m2_sources_have_their_owners(code: str, owner: str) -> None:
    assert source_channel(code).owner_org == owner


def test_channel_fields() -> None:
    for entry in source_channels():
        assert entry.cadence_days > 0
        assert entry.name_zh and entry.name_en
        assert entry.requirement in {"M1", "M2", "M3", "M5"}
        assert isinstance(entry.owner_org, SourceOwner)
        if entry.parent is not None:
            assert source_channel(entry.parent) is not None
    feeds = {entry.code for entry in channels_of_kind(ChannelKind.feed)}
    assert feeds == {"feed_rasff", "feed_safety_gate", "feed_cpsc"}
    assert source_channel("feed_rasff").parent == "foreign_notice"
    assert {"hotline_12315", "hotline_12360", "hotline_12345"} <= {
        entry.code for entry in channels_of_kind("channel")
    }
    assert source_channel("hotline_12315").label("zh-CN") == "12315投诉举报"
    assert all(entry.owner_org == "police" for entry in channels_owned_by(SourceOwner.police))
    assert source_channel("nope") is None


def test_measures_match_the_enum_and_scopes() -> None:
    assert [entry.code for entry in measure_types()] == list(MeasureType)
    assert measure_type("port_control").scope == MeasureScope.border
    assert measure_type("return_shipment").applies_at_border
    assert not measure_type("return_shipment").applies_in_market
    assert measure_type("suspend_sales").scope == "market"
    assert measure_type("defect_recall").applies_in_market
    assert measure_type("seize").scope == "both"
    assert measure_type("interview").label("zh-CN") == "约谈"
    assert measure_type("credit_downgrade").label("zh-CN") == "降低信用等级"
    border = {entry.code for entry in measures_for_scope("border")}
    assert "port_control" in border and "seal" in border and "suspend_sales" not in border
    assert measure_type("nope") is None


def _relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_relative_luminance(first), _relative_luminance(second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def test_warning_levels() -> None:
    levels = warning_levels()
    assert [entry.code for entry in levels] == list(WarningLevel)
    assert [entry.name_zh for entry in levels] == ["特别严重", "严重", "较重", "一般"]
    assert [entry.colour_en for entry in levels] == ["red", "orange", "yellow", "blue"]
    for entry in levels:
        assert re.fullmatch(r"#[0-9A-F]{6}", entry.background_hex)
        assert re.fullmatch(r"#[0-9A-F]{6}", entry.text_hex)
        assert _contrast(entry.background_hex, entry.text_hex) >= 4.5, entry.code
    assert levels[0].display("zh-CN") == "I级（特别严重，红色）"
    assert levels[3].display("en") == "Level IV (general, blue)"


@pytest.mark.parametrize(
    ("text", "code"),
    [("I", "I"), ("iv", "IV"), ("Ⅱ", "II"), ("Ⅲ级", "III"), ("2", "II"), ("二级", "II"),
     ("Level III", "III"), ("orange", "II"), ("蓝色", "IV"), (" I ", "I")],
)  # fmt: skip
def test_warning_level_spellings(text: str, code: str) -> None:
    assert warning_level(text).code == code


@pytest.mark.parametrize("text", [None, "", "V", "0", "purple", "五级"])
def test_unknown_warning_levels(text: object) -> None:
    assert warning_level(text) is None


def test_warning_types() -> None:
    assert [entry.code for entry in warning_types()] == list(WarningType)
    bulletin = warning_type("bulletin")
    assert bulletin.name_zh == "风险警示通报"
    assert bulletin.audience == "regulators" and bulletin.restricted
    assert warning_type("notice").name_zh == "风险警示通告"
    assert warning_type("notice").audience == "producers_operators"
    announcement = warning_type("风险警示公告")
    assert announcement.code == "announcement" and announcement.audience == "public"
    assert not announcement.restricted
    assert warning_type("nope") is None
