"""Countries: ISO codes, Chinese names, and the tolerant resolver on real notification data."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskgate.catalog.reference import (
    countries,
    country,
    country_lookup,
    country_resolve,
    eu_member_states,
    is_unknown_country,
)

ALL_COUNTRIES = countries()
ALL_CODES = {entry.code for entry in ALL_COUNTRIES}


def test_iso_table_is_complete() -> None:
    iso = [
        entry
        for entry in ALL_COUNTRIES
        if entry.kind not in {"supranational", "user_assigned", "historical"}
    ]
    assert len(iso) == 249
    assert len({entry.alpha3 for entry in ALL_COUNTRIES}) == len(ALL_COUNTRIES)
    assert len(ALL_CODES) == len(ALL_COUNTRIES)
    for entry in ALL_COUNTRIES:
        assert len(entry.code) == 2 and entry.code.isupper()
        assert len(entry.alpha3) == 3
        assert entry.numeric == "" or (len(entry.numeric) == 3 and entry.numeric.isdigit())
        assert entry.name_en and entry.name_zh, entry.code


def test_chinese_usage_for_hong_kong_macao_taiwan() -> None:
    taiwan = country("TW")
    assert taiwan.name_zh == "中国台湾"
    assert taiwan.label("zh-CN") == "中国台湾"
    assert taiwan.label("en") == "Taiwan, China"
    assert taiwan.part_of == "CN"
    assert country("HK").name_zh == "中国香港"
    assert country("MO").name_zh == "中国澳门"
    assert country("hk").part_of == "CN"
    assert country("CN").name_zh == "中国"
    assert country("US").name_zh == "美国"


def test_eu_members() -> None:
    members = {entry.code for entry in eu_member_states()}
    assert len(members) == 27
    assert {"DE", "FR", "CZ", "HR"} <= members
    assert "GB" not in members


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("China", "CN"), ("中国", "CN"), ("P.R. China", "CN"), ("People's Republic of China", "CN"),
        ("Peoples Republic of China", "CN"), ("PRC", "CN"), ("中华人民共和国", "CN"),
        ("Hong Kong SAR", "HK"), ("香港", "HK"), ("中国香港", "HK"), ("Macau", "MO"),
        ("Türkiye", "TR"), ("Turkiye", "TR"), ("Turkey", "TR"), ("土耳其", "TR"),
        ("USA", "US"), ("U.S.", "US"), ("U.S.A.", "US"), ("United States of America", "US"),
        ("United States", "US"), ("美国", "US"),
        ("UK", "GB"), ("U.K.", "GB"), ("Great Britain", "GB"), ("United Kingdom", "GB"),
        ("Northern Ireland", "GB"), ("英国", "GB"),
        ("South Korea", "KR"), ("Korea, Republic of", "KR"), ("Republic of Korea", "KR"),
        ("韩国", "KR"), ("North Korea", "KP"), ("朝鲜", "KP"),
        ("Russia", "RU"), ("Russian Federation", "RU"), ("俄罗斯", "RU"),
        ("Viet Nam", "VN"), ("Vietnam", "VN"), ("Czechia", "CZ"), ("Czech Republic", "CZ"),
        ("Taiwan", "TW"), ("中国台湾", "TW"), ("台湾", "TW"), ("Chinese Taipei", "TW"),
        ("The Netherlands", "NL"), ("Netherlands", "NL"), ("Holland", "NL"),
        ("Côte d'Ivoire", "CI"), ("Cote d’Ivoire", "CI"), ("Ivory Coast", "CI"),
        ("São Tomé and Príncipe", "ST"), ("Republic of North Macedonia", "MK"),
        ("West Bank and Gaza Strip", "PS"), ("Democratic Republic of the Congo", "CD"),
        ("Congo", "CG"), ("刚果（金）", "CD"), ("European Commission", "EU"), ("欧盟", "EU"),
        ("Kosovo", "XK"), ("Netherlands Antilles", "AN"), ("Cape Verde", "CV"),
        ("Bosnia and Herzegovina", "BA"), ("Bosnia & Herzegovina", "BA"), ("Laos", "LA"),
        ("Iran", "IR"), ("Syria", "SY"), ("Bolivia", "BO"), ("Moldova", "MD"),
    ],
)  # fmt: skip
def test_resolves_names_and_variants(text: str, code: str) -> None:
    assert country_resolve(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("CN", "CN"), ("cn", "CN"), ("CHN", "CN"), ("156", "CN"), ("4", "AF"), ("004", "AF"),
     ("NA", "NA"), ("ＵＳＡ", "US"), ("  united   STATES ", "US"), ("GERMANY", "DE"),
     ("Austria (AT)", "AT"), ("United Kingdom (GB)", "GB"), ("Canada (ski kits)", "CA"),
     ("中国（台湾）", "TW"), ("Hong-Kong", "HK")],
)  # fmt: skip
def test_resolves_codes_and_odd_formatting(text: str, code: str) -> None:
    assert country_resolve(text) == code


@pytest.mark.parametrize(
    "text",
    [None, 156, "", "   ", "unknown", "Unknown origin", "n/a", "不详", "Atlantis",
     "China and Cambodia", "ZZ", "999", "XYZ"],
)  # fmt: skip
def test_unknown_gives_none(text: object) -> None:
    assert country_resolve(text) is None
    assert country_lookup(text) is None


def test_unknown_placeholders_are_recognised() -> None:
    assert is_unknown_country("unknown origin")
    assert is_unknown_country("Unknown")
    assert is_unknown_country("n/a")
    assert not is_unknown_country("NA")  # Namibia
    assert not is_unknown_country("China")


def test_lookup_returns_the_country() -> None:
    assert country_lookup("Türkiye").name_zh == "土耳其"
    assert country_lookup("中国台湾").code == "TW"
    assert country("zz") is None
    assert country(None) is None


# --- property tests -----------------------------------------------------------------------


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


RESHAPERS = st.sampled_from(
    [str.upper, str.lower, str.swapcase, str.title, _full_width, _strip_accents,
     lambda text: f"  {text}  ", lambda text: text.replace(" ", "   "),
     lambda text: f"\t{text}\n"]
)  # fmt: skip


@given(st.sampled_from(ALL_COUNTRIES), st.lists(RESHAPERS, max_size=3))
def test_every_country_resolves_by_its_names_and_codes(entry, reshapers) -> None:
    names = [entry.name_en, entry.name_zh, entry.name_zh_full, entry.official_name_en,
             entry.code, entry.alpha3]  # fmt: skip
    for name in names:
        for reshape in reshapers:
            name = reshape(name)
        assert country_resolve(name) == entry.code, name


@given(st.text())
def test_garbage_never_raises(text: str) -> None:
    code = country_resolve(text)
    assert code is None or code in ALL_CODES


# --- real data ----------------------------------------------------------------------------


def _names_in_notifications(shared_csv) -> set[str]:
    names: set[str] = set()
    for row in shared_csv("rasff_2020_2024/*.csv"):
        names.add(row["Notification From"].strip())
        names.update(part.strip() for part in row["Country Origin"].split(";"))
    for row in shared_csv("eu_safety_gate_sample/safety_gate_alerts.csv"):
        names.add(row["country_of_origin"].strip())
    return {name for name in names if name}


def test_every_country_name_in_rasff_and_safety_gate_resolves(shared_csv) -> None:
    names = _names_in_notifications(shared_csv)
    assert len(names) > 150
    unresolved = sorted(
        name for name in names if country_resolve(name) is None and not is_unknown_country(name)
    )
    assert unresolved == []


def test_notification_spellings_resolve_to_the_expected_codes(shared_csv) -> None:
    names = _names_in_notifications(shared_csv)
    expected = {
        "Peoples Republic of China": "CN", "Türkiye": "TR", "Turkey": "TR",
        "Czech Republic (CZ)": "CZ", "Republic of Korea": "KR", "Hong Kong": "HK",
        "United States": "US", "Taiwan": "TW", "West Bank and Gaza Strip": "PS",
    }  # fmt: skip
    for name, code in expected.items():
        if name in names:
            assert country_resolve(name) == code


def test_cpsc_manufacturer_countries_resolve(shared_path) -> None:
    recalls = json.loads(shared_path("cpsc_recalls/cpsc_recalls_2023-12_2026-04.json").read_text())
    names = {
        place.get("Country", "")
        for recall in recalls
        for place in recall.get("ManufacturerCountries") or []
    }
    unresolved = sorted(
        name for name in names if name and " and " not in name and country_resolve(name) is None
    )
    assert unresolved == []
