#!/usr/bin/env python3
"""Regenerate the catalogue data files that derive from public data in /work/shared/data.

Generated (do not edit by hand; rerun this script instead):
  hs_sections.csv     from hs_codes_en/sections.csv
  hs_codes.csv        from hs_codes_en/harmonized-system.csv
  countries.csv       from country_codes/country-codes.csv (+ the overrides below)
  country_names.csv   name variants from country_codes/*.csv
(all in src/riskgate/catalog/data/)

Every other file in that folder is written by hand (see data/README.md).

Usage:
  python scripts/build_catalog.py [--shared /work/shared/data] [--check]

--check also verifies that every hazard category and country name occurring in the RASFF and
Safety Gate files maps through the packaged catalogue, and exits non-zero if one does not.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "src" / "riskgate" / "catalog" / "data"
DEFAULT_SHARED = Path("/work/shared/data")

ROMAN_NUMERALS = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI",
    "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI",
]  # fmt: skip

EU_MEMBERS = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip

# Short English names where the ISO/UN official name is long or not the name in common use.
# Hong Kong, Macao and Taiwan follow Chinese usage.
NAME_EN_OVERRIDES = {
    "BO": "Bolivia",
    "BN": "Brunei",
    "CI": "Côte d'Ivoire",
    "FM": "Micronesia",
    "GB": "United Kingdom",
    "HK": "Hong Kong, China",
    "IR": "Iran",
    "LA": "Laos",
    "MD": "Moldova",
    "MO": "Macao, China",
    "PS": "Palestine",
    "RU": "Russia",
    "SY": "Syria",
    "TW": "Taiwan, China",
    "TZ": "Tanzania",
    "US": "United States",
    "VE": "Venezuela",
}

# Short Chinese names in common official use (the upstream names are the formal ones).
NAME_ZH_OVERRIDES = {
    "BO": "玻利维亚",
    "BN": "文莱",
    "CD": "刚果（金）",
    "CG": "刚果（布）",
    "GB": "英国",
    "HK": "中国香港",
    "IR": "伊朗",
    "KP": "朝鲜",
    "KR": "韩国",
    "LA": "老挝",
    "MD": "摩尔多瓦",
    "MO": "中国澳门",
    "NL": "荷兰",
    "PS": "巴勒斯坦",
    "RU": "俄罗斯",
    "SY": "叙利亚",
    "TW": "中国台湾",
    "TZ": "坦桑尼亚",
    "US": "美国",
    "VA": "梵蒂冈",
    "VE": "委内瑞拉",
}

# ISO 3166-1's own English name for Taiwan, in line with Chinese usage.
OFFICIAL_NAME_EN_OVERRIDES = {"TW": "Taiwan, Province of China"}

NAME_ZH_FULL_OVERRIDES = {
    "HK": "中华人民共和国香港特别行政区",
    "MO": "中华人民共和国澳门特别行政区",
    "TW": "中国台湾",
}

# Entities that occur in notifications but are not (or no longer) in ISO 3166-1 proper.
EXTRA_ENTITIES = [
    {
        "code": "EU", "alpha3": "EUE", "numeric": "", "name_en": "European Union",
        "name_zh": "欧盟", "name_zh_full": "欧洲联盟", "official_name_en": "European Union",
        "region_en": "Europe", "subregion_en": "", "part_of": "", "kind": "supranational",
        "eu_member": "",
    },
    {
        "code": "XK", "alpha3": "XKX", "numeric": "", "name_en": "Kosovo", "name_zh": "科索沃",
        "name_zh_full": "科索沃", "official_name_en": "Kosovo", "region_en": "Europe",
        "subregion_en": "Southern Europe", "part_of": "", "kind": "user_assigned",
        "eu_member": "",
    },
    {
        "code": "AN", "alpha3": "ANT", "numeric": "530", "name_en": "Netherlands Antilles",
        "name_zh": "荷属安的列斯", "name_zh_full": "荷属安的列斯",
        "official_name_en": "Netherlands Antilles", "region_en": "Americas",
        "subregion_en": "Latin America and the Caribbean", "part_of": "NL", "kind": "historical",
        "eu_member": "",
    },
]  # fmt: skip

COUNTRY_COLUMNS = [
    "code", "alpha3", "numeric", "name_en", "name_zh", "name_zh_full", "official_name_en",
    "region_en", "subregion_en", "part_of", "kind", "eu_member",
]  # fmt: skip

# Upstream columns whose values are alternative names of a country (English or Chinese).
NAME_VARIANT_COLUMNS = [
    "official_name_en", "CLDR display name", "UNTERM English Short", "UNTERM English Formal",
    "ISO4217-currency_country_name", "official_name_cn", "UNTERM Chinese Short",
    "UNTERM Chinese Formal",
]  # fmt: skip


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a CSV file (BOM tolerated) into stripped dict rows."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            {(key or "").strip(): (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> int:
    """Write rows to a UTF-8 CSV with a fixed column order; return the number of rows."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
            count += 1
    return count


def build_hs(shared: Path) -> None:
    """Write hs_sections.csv and hs_codes.csv from the HS 2022 nomenclature."""
    source = shared / "hs_codes_en"
    codes = read_csv(source / "harmonized-system.csv")
    sections = read_csv(source / "sections.csv")

    entries = []
    for row in codes:
        code, level = row["hscode"], row["level"]
        if level not in {"2", "4", "6"} or not code.isdigit() or len(code) != int(level):
            continue  # the "TOTAL" pseudo-row
        section = row["section"] if row["section"] in ROMAN_NUMERALS else ""
        parent = "" if level == "2" else row["parent"]
        entries.append(
            {"code": code, "level": level, "parent": parent, "section": section,
             "name_en": " ".join(row["description"].split())}
        )  # fmt: skip
    entries.sort(key=lambda entry: entry["code"])

    chapters_by_section: dict[str, list[str]] = {}
    for entry in entries:
        if entry["level"] == "2" and entry["section"]:
            chapters_by_section.setdefault(entry["section"], []).append(entry["code"])

    section_rows = []
    for row in sections:
        numeral = row["section"]
        chapters = chapters_by_section.get(numeral, [])
        name = " ".join(row["name"].split())
        section_rows.append(
            {"section": numeral, "number": ROMAN_NUMERALS.index(numeral) + 1,
             "name_en": name[:1].upper() + name[1:],
             "first_chapter": min(chapters), "last_chapter": max(chapters)}
        )  # fmt: skip
    section_rows.sort(key=lambda row: ROMAN_NUMERALS.index(str(row["section"])))

    n = write_csv(
        DATA_DIR / "hs_sections.csv",
        ["section", "number", "name_en", "first_chapter", "last_chapter"],
        section_rows,
    )
    print(f"hs_sections.csv: {n} sections")
    n = write_csv(
        DATA_DIR / "hs_codes.csv", ["code", "level", "parent", "section", "name_en"], entries
    )
    print(f"hs_codes.csv: {n} codes")


def _clean_un_name(name: str) -> str:
    """Drop the UN's footnote stars from a name ("巴勒斯坦国 *")."""
    return name.replace("*", "").strip()


def _part_of(status: str) -> str:
    """Turn upstream 'is_independent' text ("Part of FI", "Territory of GB") into a code."""
    words = status.split()
    last = words[-1] if words else ""
    return last if len(last) == 2 and last.isupper() else ""


def build_countries(shared: Path) -> None:
    """Write countries.csv and country_names.csv from the ISO 3166 / UN M49 tables."""
    source = shared / "country_codes"
    rows = read_csv(source / "country-codes.csv")
    unsd_en = {row["ISO-alpha2 Code"]: row for row in read_csv(source / "UNSD-en.csv")}
    unsd_zh = {row["ISO-alpha2 Code"]: row for row in read_csv(source / "UNSD-cn.csv")}

    countries = []
    variants: set[tuple[str, str]] = set()
    for row in rows:
        code = row["ISO3166-1-Alpha-2"]
        if len(code) != 2:
            continue
        official_en = OFFICIAL_NAME_EN_OVERRIDES.get(
            code, row["official_name_en"] or row["CLDR display name"]
        )
        name_zh_upstream = _clean_un_name(row["UNTERM Chinese Short"] or row["official_name_cn"])
        name_zh_full = _clean_un_name(row["UNTERM Chinese Formal"] or row["official_name_cn"])
        status = row["is_independent"]
        part_of = "CN" if code in {"HK", "MO", "TW"} else _part_of(status)
        if code in {"HK", "MO", "TW"}:
            kind = "region_of_china"
        elif status == "Yes":
            kind = "sovereign"
        else:
            kind = "territory"
        numeric = row["ISO3166-1-numeric"]
        countries.append(
            {
                "code": code,
                "alpha3": row["ISO3166-1-Alpha-3"],
                "numeric": numeric.zfill(3) if numeric else "",
                "name_en": NAME_EN_OVERRIDES.get(code, official_en),
                "name_zh": NAME_ZH_OVERRIDES.get(code, name_zh_upstream),
                "name_zh_full": NAME_ZH_FULL_OVERRIDES.get(code, name_zh_full or name_zh_upstream),
                "official_name_en": official_en,
                "region_en": row["Region Name"],
                "subregion_en": row["Sub-region Name"],
                "part_of": part_of,
                "kind": kind,
                "eu_member": "1" if code in EU_MEMBERS else "",
            }
        )
        names = [row[column] for column in NAME_VARIANT_COLUMNS]
        names += [unsd_en.get(code, {}).get("Country or Area", "")]
        names += [unsd_zh.get(code, {}).get("Country or Area", "")]
        for name in names:
            name = _clean_un_name(name)
            if name:
                variants.add((name, code))
    countries.extend(EXTRA_ENTITIES)
    countries.sort(key=lambda country: country["code"])

    n = write_csv(DATA_DIR / "countries.csv", COUNTRY_COLUMNS, countries)
    print(f"countries.csv: {n} countries and areas")
    n = write_csv(
        DATA_DIR / "country_names.csv",
        ["name", "code"],
        ({"name": name, "code": code} for name, code in sorted(variants)),
    )
    print(f"country_names.csv: {n} name variants")


def check_against_real_files(shared: Path) -> int:
    """Report values in the RASFF and Safety Gate files that the catalogue cannot map."""
    from riskgate.catalog import reference  # imported late: it reads the files just written

    reference.clear_caches()
    problems = 0
    rasff_files = sorted((shared / "rasff_2020_2024").glob("*.csv"))
    gate_file = shared / "eu_safety_gate_sample" / "safety_gate_alerts.csv"
    country_values: set[str] = set()
    hazard_values: set[str] = set()
    risk_values: set[str] = set()
    for path in rasff_files:
        for row in read_csv(path):
            country_values.add(row["Notification From"])
            country_values.update(part.strip() for part in row["Country Origin"].split(";"))
            hazard_values.update(part.strip() for part in row["Hazard Category"].split(";"))
    for row in read_csv(gate_file):
        country_values.add(row["country_of_origin"])
        risk_values.update(part.strip() for part in row["risk_type"].split(","))

    for value in sorted(v for v in country_values if v):
        if reference.country_resolve(value) is None and not reference.is_unknown_country(value):
            print(f"unresolved country name: {value!r}")
            problems += 1
    for value in sorted(v for v in hazard_values if v):
        if reference.rasff_hazard(value) is None:
            print(f"unmapped RASFF hazard category: {value!r}")
            problems += 1
    for value in sorted(v for v in risk_values if v):
        if reference.safety_gate_hazard(value) is None:
            print(f"unmapped Safety Gate risk type: {value!r}")
            problems += 1
    print(f"check: {problems} problem(s)")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="public data folder")
    parser.add_argument("--check", action="store_true", help="verify mappings against real files")
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        print(f"{args.shared} not found; nothing to build", file=sys.stderr)
        return 2
    build_hs(args.shared)
    build_countries(args.shared)
    if args.check:
        return 1 if check_against_real_files(args.shared) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
