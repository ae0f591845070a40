"""Custom import profiles: a saved column mapping turned into a `Profile` like the built-in ones.

A mapping sends source columns (CSV/xlsx headers, JSON keys, XML child elements or `@attributes`)
to fields of the unified collection standard; constants fill fields every row shares; the date
format reads `occurred_on` when the source writes dates its own way. The mapped row then goes
through `map_standard`, so custom and built-in profiles validate exactly alike. Pure: no database.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from typing import Any

from riskgate.catalog.enums import SourceChannel
from riskgate.core.errors import FieldProblem
from riskgate.core.i18n import N_
from riskgate.intake.profiles import PROFILES, Profile
from riskgate.records.normalise import clean_text
from riskgate.records.standard import STANDARD_COLUMNS, Problems, map_standard

FORMATS = ("csv", "xlsx", "json", "xml")
TARGET_FIELDS = STANDARD_COLUMNS
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{1,39}")
PATH_PATTERN = re.compile(r"[A-Za-z_][\w.-]{0,199}")
MAX_MAPPING = 200


def _hs_with_zero(value: object) -> object:
    """Put back the leading zero a number cell dropped ("901" -> "0901"), when asked to."""
    text = clean_text(value)
    if text is not None and text.isdigit() and len(text) in (1, 3, 5, 7, 9):
        return "0" + text
    return value


def _with_format(value: object, date_format: str, problems: Problems, column: str) -> object:
    text = clean_text(value)
    if text is None:
        return None
    try:
        return dt.datetime.strptime(text, date_format).date().isoformat()
    except ValueError:
        problems.add(
            column, N_("{value} does not match the date format {format}."),
            value=text, format=date_format,
        )  # fmt: skip
        return None


def build_profile(saved: dict[str, Any], *, saved_id: int | None = None) -> Profile:
    """The `Profile` of a saved mapping (the keys of `ImportProfile.settings()`)."""
    mapping: dict[str, str] = dict(saved.get("mapping") or {})
    constants: dict[str, Any] = dict(saved.get("constants") or {})
    channel = saved.get("source_channel")
    date_format = saved.get("date_format")
    restore_zeros = bool(saved.get("restore_hs_zeros"))
    column_of: dict[str, str] = {}
    for column, target in mapping.items():
        column_of.setdefault(target, column)

    def map_row(row: dict[str, Any], problems: Problems) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for column, target in mapping.items():
            value = row.get(column)
            if clean_text(value) is None and target in fields:
                continue
            if clean_text(fields.get(target)) is not None and clean_text(value) is not None:
                value = f"{fields[target]} {value}"  # two columns into one field: joined
            fields[target] = value
        for target, value in constants.items():
            if clean_text(fields.get(target)) is None:
                fields[target] = value
        if channel:
            fields["source_channel"] = channel
        if date_format and "occurred_on" in fields:
            fields["occurred_on"] = _with_format(
                fields["occurred_on"], date_format, problems, column_of.get("occurred_on", "")
            )
        if restore_zeros and "hs_code" in fields:
            fields["hs_code"] = _hs_with_zero(fields["hs_code"])
        return map_standard(fields, problems)

    kind = saved.get("format") or "csv"
    tabular = kind in ("csv", "xlsx")
    return Profile(
        name=saved["name"], kind=kind,
        channel=SourceChannel(channel) if channel else None,
        required=tuple(mapping) if tabular else (), known=tuple(mapping) if tabular else (),
        map_row=map_row,
        record_element=saved.get("record_path") if kind == "xml" else None,
        json_path=saved.get("record_path") if kind == "json" else None,
        encoding=saved.get("encoding"), saved_id=saved_id, columns_of=column_of,
    )  # fmt: skip


def check_settings(data: dict[str, Any]) -> list[FieldProblem]:
    """What is wrong with a profile's settings, as field problems (empty when all is well)."""
    problems: list[FieldProblem] = []

    def add(field_name: str, message: str, **params: Any) -> None:
        problems.append(FieldProblem(field_name, message, params))

    name = data.get("name") or ""
    if not NAME_PATTERN.fullmatch(name):
        add("name", N_("Use 2 to 40 lower-case letters, digits, _ or -, starting with a letter "
                       "or digit."))  # fmt: skip
    elif name in PROFILES:
        add("name", N_("{name} is the name of a built-in profile."), name=name)
    kind = data.get("format")
    if kind not in FORMATS:
        add("format", N_("{value} is not an allowed value."), value=str(kind))
    channel = data.get("source_channel")
    if channel and channel not in SourceChannel._value2member_map_:
        add("source_channel", N_("{value} is not an allowed value."), value=str(channel))
    mapping = data.get("mapping") or {}
    constants = data.get("constants") or {}
    if not mapping:
        add("mapping", N_("Map at least one column to a field."))
    if len(mapping) > MAX_MAPPING:
        add("mapping", N_("At most {max} columns can be mapped."), max=MAX_MAPPING)
    for column, target in mapping.items():
        if not str(column).strip() or len(str(column)) > 200:
            add("mapping", N_("A column name must have 1 to 200 characters."))
        if target not in TARGET_FIELDS:
            add("mapping", N_("{value} is not a field of the collection standard."),
                value=str(target))  # fmt: skip
    for target, value in constants.items():
        if target not in TARGET_FIELDS:
            add("constants", N_("{value} is not a field of the collection standard."),
                value=str(target))  # fmt: skip
        elif not isinstance(value, str | int) or len(str(value)) > 500:
            add("constants", N_("The constant for {field} must be text of at most 500 "
                                "characters."), field=target)  # fmt: skip
    if not channel and "source_channel" not in mapping.values() and not constants.get(
        "source_channel"
    ):
        add("source_channel", N_("Choose the source channel, or map a column to it."))
    targets = set(mapping.values()) | set(constants)
    for required in ("title", "product_name"):
        if required not in targets:
            add("mapping", N_("Map a column to the required field {field}."), field=required)
    date_format = data.get("date_format")
    if date_format:
        try:
            ok = "%" in date_format and dt.datetime.strptime(
                dt.date(2024, 3, 5).strftime(date_format), date_format
            ).date() == dt.date(2024, 3, 5)
        except ValueError:
            ok = False
        if not ok:
            add("date_format", N_("{value} is not a date format with day, month and year "
                                  "(for example %d.%m.%Y)."), value=date_format)  # fmt: skip
    encoding = data.get("encoding")
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            add("encoding", N_("Unknown encoding {value}."), value=encoding)
    path = data.get("record_path")
    if kind == "xml" and not path:
        add("record_path", N_("Name the XML element that holds one record."))
    if path and not PATH_PATTERN.fullmatch(path):
        add("record_path", N_("{value} is not an element name or a dotted path."), value=path)
    return problems
