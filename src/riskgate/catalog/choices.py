"""Reference codes offered in a select (regions, ports, countries), in the page's language."""

from __future__ import annotations

from riskgate.catalog.reference import countries, ports, regions


def region_choices(lang: str) -> list[tuple[str, str]]:
    indent = {"province": "", "prefecture": "\u3000", "county": "\u3000\u3000"}
    ordered = sorted(regions(), key=lambda r: r.code)
    return [(r.code, f"{indent.get(str(r.level.value), '')}{r.code} {r.label(lang)}")
            for r in ordered]


def port_choices(lang: str) -> list[tuple[str, str]]:
    return [(p.code, f"{p.label(lang)} ({p.code})") for p in
            sorted(ports(), key=lambda p: (p.region_code, p.code))]


def country_choices(lang: str) -> list[tuple[str, str]]:
    return [(c.code, f"{c.label(lang)} ({c.code})") for c in
            sorted(countries(), key=lambda c: c.label(lang))]
