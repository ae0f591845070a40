"""Administrative divisions, district customs and ports of entry."""

from __future__ import annotations

import pytest

from riskgate.catalog.enums import PortType, RegionLevel
from riskgate.catalog.reference import (
    customs_district,
    customs_districts,
    port,
    ports,
    ports_in_province,
    ports_of_type,
    provinces,
    region,
    region_ancestors,
    region_children,
    region_province,
    region_resolve,
    regions,
)


def test_all_34_provincial_divisions() -> None:
    assert len(provinces()) == 34
    codes = {entry.code for entry in provinces()}
    assert {"110000", "310000", "440000", "460000", "650000", "710000", "810000",
            "820000"} <= codes  # fmt: skip
    assert region("710000").name_zh == "台湾省"


def test_codes_and_parent_links() -> None:
    codes = [entry.code for entry in regions()]
    assert len(codes) == len(set(codes))
    for entry in regions():
        assert len(entry.code) == 6 and entry.code.isdigit()
        assert entry.name_zh and entry.name_en
        if entry.level == RegionLevel.province:
            assert entry.parent is None and entry.code.endswith("0000")
            continue
        parent = region(entry.parent)
        assert parent is not None, entry.code
        assert entry.code[:2] == parent.code[:2]
        if entry.level == RegionLevel.prefecture:
            assert parent.level == RegionLevel.province and entry.code.endswith("00")
        if entry.level == RegionLevel.county and parent.level == RegionLevel.prefecture:
            assert entry.code[:4] == parent.code[:4]


@pytest.mark.parametrize(
    ("province", "count"),
    [("440000", 21), ("330000", 11), ("370000", 16), ("310000", 16), ("460000", 5),
     ("650000", 15)],
)  # fmt: skip
def test_demo_provinces_are_complete(province: str, count: int) -> None:
    assert len(region_children(province)) == count


def test_liaocheng_and_ancestors() -> None:
    liaocheng = region("371500")
    assert liaocheng.name_zh == "聊城市" and liaocheng.parent == "370000"
    assert liaocheng.label("en") == "Liaocheng"
    assert [entry.code for entry in region_ancestors("654004")] == ["650000", "654000", "654004"]
    assert region_province("371502").code == "370000"  # a district the catalogue lacks
    assert region_province("12") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [("广东", "440000"), ("广东省", "440000"), ("Guangdong Province", "440000"),
     ("聊城市", "371500"), ("Liaocheng", "371500"), ("新疆", "650000"), ("Horgos", "654004"),
     ("浦东新区", "310115"), ("Pudong", "310115"), ("371500", "371500")],
)  # fmt: skip
def test_region_resolve(text: str, code: str) -> None:
    assert region_resolve(text) == code


@pytest.mark.parametrize("text", [None, "", "Atlantis", "999999"])
def test_region_resolve_unknown(text: object) -> None:
    assert region_resolve(text) is None


def test_customs_districts() -> None:
    districts = customs_districts()
    assert len(districts) == 42
    assert len({entry.code for entry in districts}) == 42
    for entry in districts:
        assert region(entry.region_code).level == RegionLevel.province
        assert entry.name_zh.endswith("海关")
    assert customs_district("urumqi").name_zh == "乌鲁木齐海关"


def test_ports() -> None:
    catalogue = ports()
    assert len(catalogue) >= 30
    assert len({entry.code for entry in catalogue}) == len(catalogue)
    assert {entry.port_type for entry in catalogue} == set(PortType)
    for entry in catalogue:
        assert region(entry.region_code) is not None, entry.code
        assert customs_district(entry.customs_district) is not None, entry.code
        assert entry.name_zh and entry.name_en


@pytest.mark.parametrize(
    ("code", "name_zh"),
    [("shanghai_yangshan", "上海洋山港"), ("ningbo_zhoushan", "宁波舟山港"),
     ("shenzhen_yantian", "深圳盐田港"), ("guangzhou_nansha", "广州南沙港"), ("qingdao", "青岛港"),
     ("tianjin", "天津港"), ("xiamen", "厦门港"), ("dalian", "大连港"), ("haikou", "海口港"),
     ("horgos", "霍尔果斯公路口岸"), ("alashankou", "阿拉山口口岸"),
     ("beijing_capital_airport", "北京首都国际机场"),
     ("shanghai_pudong_airport", "上海浦东国际机场"),
     ("manzhouli", "满洲里口岸"), ("erenhot", "二连浩特口岸"),
     ("pingxiang_youyiguan", "凭祥友谊关口岸")],
)  # fmt: skip
def test_named_ports(code: str, name_zh: str) -> None:
    assert port(code).name_zh == name_zh


def test_port_queries() -> None:
    xinjiang = {entry.code for entry in ports_in_province("650000")}
    assert {"horgos", "alashankou"} <= xinjiang
    assert all(entry.customs_district == "urumqi" for entry in ports_in_province("654004"))
    assert port("alashankou").port_type == PortType.rail
    assert {entry.code for entry in ports_of_type("air")} >= {"beijing_capital_airport"}
    assert port("nope") is None
