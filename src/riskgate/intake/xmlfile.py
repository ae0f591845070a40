"""Streaming reader for XML files: each element named like the profile's record element is a row.

Parsed with defusedxml with DTDs forbidden, so an external entity (XXE), an entity expansion
bomb or any DOCTYPE refuses the file instead of reading local files or filling memory. A record's
attributes and child elements become its fields (`name` for a child's text, `@name` for an
attribute, `parent/child` for nested children; repeated children are joined with "; "). Each
record is cleared once read, so memory stays bounded. Pure: no database.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from typing import IO, Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from riskgate.core.i18n import N_
from riskgate.intake.readers import FileRefused, SourceRow
from riskgate.records.normalise import RowProblem


def _local(tag: str) -> str:
    """The tag without its namespace ("{urn:x}notice" -> "notice")."""
    return tag.rsplit("}", 1)[-1]


def element_fields(element: ElementTree.Element) -> dict[str, Any]:
    """A record element flattened to {field: text}."""
    fields: dict[str, Any] = {f"@{_local(k)}": v for k, v in element.attrib.items()}

    def walk(node: ElementTree.Element, prefix: str) -> None:
        for child in node:
            name = f"{prefix}{_local(child.tag)}"
            for key, value in child.attrib.items():
                fields[f"{name}/@{_local(key)}"] = value
            if len(child):
                walk(child, f"{name}/")
                continue
            text = (child.text or "").strip()
            if name in fields and fields[name]:
                fields[name] = f"{fields[name]}; {text}" if text else fields[name]
            else:
                fields[name] = text or None

    walk(element, "")
    own = (element.text or "").strip()
    if own and not len(element):
        fields["#text"] = own
    return fields


def read_xml(binary: IO[bytes], record_element: str) -> tuple[str, Iterator[SourceRow]]:
    """The records of an XML file, lazily; refuses an empty file, a DTD, or no record at all."""
    first = binary.read(1)
    binary.seek(0)
    if not first:
        raise FileRefused(N_("The file is empty."))
    events = iterparse(binary, events=("end",), forbid_dtd=True)
    rows = _records(events, record_element)
    try:
        head = next(rows)
    except StopIteration:
        raise FileRefused(
            N_("The XML file holds no <{element}> record."), element=record_element
        ) from None
    except _Refused as refused:
        raise refused.refused from None
    return "xml", _chain(head, rows)


class _Refused(Exception):
    def __init__(self, refused: FileRefused) -> None:
        self.refused = refused


def _chain(head: SourceRow, rows: Iterator[SourceRow]) -> Iterator[SourceRow]:
    yield head
    try:
        yield from rows
    except _Refused as refused:  # a DTD after the first record: report it as a row
        problem = RowProblem("*", refused.refused.message, refused.refused.params)
        yield SourceRow(0, "", None, [problem.as_dict()])


def _records(events: Any, record_element: str) -> Iterator[SourceRow]:
    index = 0
    try:
        for _event, element in events:
            if _local(element.tag) != record_element:
                continue
            index += 1
            raw = ElementTree.tostring(element, encoding="unicode").strip()
            yield SourceRow(index, raw, element_fields(element))
            element.clear()
    except DefusedXmlException as error:
        raise _Refused(FileRefused(
            N_("The XML file declares a DTD or entities, which are refused for safety ({kind})."),
            kind=type(error).__name__,
        )) from error  # fmt: skip
    except ElementTree.ParseError as error:
        if index == 0:
            raise _Refused(FileRefused(
                N_("The XML cannot be read: {error}."), error=str(error)
            )) from error  # fmt: skip
        problem = RowProblem(
            "*", N_("The XML is truncated or malformed from here on: {error}."),
            {"error": str(error)},
        )  # fmt: skip
        yield SourceRow(index + 1, "", None, [problem.as_dict()])
