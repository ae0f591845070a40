"""Streaming readers for import files: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) and JSON.

A reader yields one `SourceRow` at a time with the row's text exactly as it was in the file, so a
bad row can be quarantined verbatim; nothing reads the whole file into memory. Pure: no database.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from riskgate.core.i18n import N_
from riskgate.records.normalise import RowProblem

SAMPLE_BYTES = 1024 * 1024
JSON_CHUNK = 64 * 1024


class FileRefused(Exception):
    """The file as a whole cannot be imported (empty, no header, missing columns)."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message.format(**params) if params else message)


class _KeepOpen(io.BufferedIOBase):
    """A view of the caller's stream that the text wrapper may close without closing the stream.

    The caller (an upload, a CLI file) owns the stream and still uses it after the rows are read.
    """

    def __init__(self, inner: IO[bytes]) -> None:
        super().__init__()
        self._inner = inner

    @property
    def name(self) -> Any:
        """The caller's stream's name, which the text wrapper shows (an upload may have none)."""
        return getattr(self._inner, "name", "")

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._inner.read(-1 if size is None else size)

    def read1(self, size: int = -1) -> bytes:
        return self._inner.read(size)


@dataclass
class SourceRow:
    """One row (CSV) or item (JSON): where it was, its verbatim text, its values or its problem."""

    line_number: int
    raw: str
    fields: dict[str, Any] | None
    problems: list[dict[str, Any]] = field(default_factory=list)


def detect_encoding(binary: IO[bytes]) -> str:
    """utf-8-sig when there is a BOM, utf-8 when the first megabyte decodes, else gb18030.

    GB18030 is a superset of GBK and GB2312, the encodings Chinese spreadsheet software writes.
    The stream is rewound.
    """
    sample = binary.read(SAMPLE_BYTES)
    binary.seek(0)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


class _LineRecorder:
    """Feeds lines to csv.reader and remembers them, to give back each row's verbatim text."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text
        self.lines: list[str] = []
        self.count = 0

    def __iter__(self) -> _LineRecorder:
        return self

    def __next__(self) -> str:
        line = self.text.readline()
        if not line:
            raise StopIteration
        self.lines.append(line)
        self.count += 1
        return line

    def take(self) -> str:
        taken = "".join(self.lines)
        self.lines = []
        return taken


@dataclass
class TableSource:
    """An open table (CSV or a worksheet): its encoding or format, header and lazy rows."""

    encoding: str
    columns: list[str]
    rows: Iterator[SourceRow]


CsvSource = TableSource


def open_csv(binary: IO[bytes], encoding: str | None = None) -> CsvSource:
    """Read the header of a CSV file and return a lazy iterator over the rest.

    `encoding` (a profile's hint) overrides the detection, except that a BOM always wins.
    """
    detected = detect_encoding(binary)
    encoding = detected if detected == "utf-8-sig" or not encoding else encoding
    text = io.TextIOWrapper(_KeepOpen(binary), encoding=encoding, newline="", errors="strict")
    recorder = _LineRecorder(text)
    reader = csv.reader(recorder)
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as error:
        raise FileRefused(
            N_("The file's header cannot be read: {error}."), error=str(error)
        ) from error
    recorder.take()
    if header is None or not any(cell.strip() for cell in header):
        raise FileRefused(N_("The file is empty."))
    columns = [cell.strip().lstrip("\ufeff") for cell in header]
    return CsvSource(encoding, columns, _csv_rows(reader, recorder, columns))


def _csv_rows(reader: Any, recorder: _LineRecorder, columns: list[str]) -> Iterator[SourceRow]:
    while True:
        line_number = recorder.count + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raw = recorder.take()
            problem = RowProblem(
                "*", N_("The row cannot be read as CSV: {error}."), {"error": str(error)}
            )
            yield SourceRow(line_number, raw, None, [problem.as_dict()])
            continue
        except UnicodeDecodeError as error:
            problem = RowProblem(
                "*",
                N_("The rest of the file is not in the encoding {encoding}."),
                {"encoding": error.encoding},
            )
            yield SourceRow(line_number, recorder.take(), None, [problem.as_dict()])
            return
        raw = recorder.take()
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line
        if len(row) != len(columns):
            problem = RowProblem(
                "*",
                N_(
                    "The row has {found} fields but the header has {expected} "
                    "(truncated row or broken quoting)."
                ),
                {"found": len(row), "expected": len(columns)},
            )
            fields = dict(zip(columns, row, strict=False))
            yield SourceRow(line_number, raw, fields, [problem.as_dict()])
            continue
        yield SourceRow(line_number, raw, dict(zip(columns, row, strict=True)))


def read_json(binary: IO[bytes]) -> tuple[str, Iterator[SourceRow]]:
    """A JSON array of objects, or JSON Lines, item by item; the line number is the item's place.

    The array is parsed incrementally (`raw_decode` on a sliding buffer), so a 100 MB file needs
    only one item in memory at a time.
    """
    encoding = detect_encoding(binary)
    text = io.TextIOWrapper(_KeepOpen(binary), encoding=encoding, errors="strict")
    start = text.read(JSON_CHUNK)
    stripped = start.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise FileRefused(N_("The file is empty."))
    if stripped[0] not in "[{":
        raise FileRefused(N_("The file is not a JSON array of objects or JSON Lines."))
    return encoding, _json_items(text, stripped)


def _json_items(text: IO[str], buffer: str) -> Iterator[SourceRow]:
    decoder = json.JSONDecoder()
    array = buffer.startswith("[")
    position = 1 if array else 0
    eof = False
    index = 0
    while True:
        while True:  # skip separators, reading more when the buffer runs out
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                position += 1
            if position < len(buffer) or eof:
                break
            more = text.read(JSON_CHUNK)
            eof = not more
            buffer, position = buffer[position:] + more, 0
        if position >= len(buffer):
            if array:
                index += 1
                problem = RowProblem(
                    "*", N_("The JSON file is truncated: the array is not closed.")
                )
                yield SourceRow(index, "", None, [problem.as_dict()])
            return
        if array and buffer[position] == "]":
            return
        try:
            item, end = decoder.raw_decode(buffer, position)
        except json.JSONDecodeError as error:
            if not eof:
                more = text.read(JSON_CHUNK)
                eof = not more
                buffer, position = buffer[position:] + more, 0
                continue
            index += 1
            problem = RowProblem(
                "*", N_("The JSON cannot be read from here on: {error}."), {"error": error.msg}
            )
            yield SourceRow(index, buffer[position:], None, [problem.as_dict()])
            return
        index += 1
        raw = buffer[position:end]
        buffer, position = buffer[end:], 0
        if not isinstance(item, dict):
            problem = RowProblem("*", N_("Item {index} is not a JSON object."), {"index": index})
            yield SourceRow(index, raw, None, [problem.as_dict()])
            continue
        yield SourceRow(index, raw, item)


MAX_JSON_PATH_BYTES = 64 * 1024 * 1024


def read_json_at(binary: IO[bytes], path: str) -> tuple[str, Iterator[SourceRow]]:
    """The array found at a dotted path ("results", "data.items") of one JSON document.

    Unlike a top-level array this needs the whole document parsed, so it is limited to
    MAX_JSON_PATH_BYTES; larger exports should be a top-level array or JSON Lines.
    """
    encoding = detect_encoding(binary)
    data = binary.read(MAX_JSON_PATH_BYTES + 1)
    if len(data) > MAX_JSON_PATH_BYTES:
        raise FileRefused(
            N_("A JSON document read at a path may be at most {size} MB; write the records "
               "as a top-level array or JSON Lines instead."),
            size=MAX_JSON_PATH_BYTES // (1024 * 1024),
        )  # fmt: skip
    text = data.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")
    if not text:
        raise FileRefused(N_("The file is empty."))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileRefused(N_("The JSON cannot be read: {error}."), error=error.msg) from error
    found: Any = document
    for key in path.split("."):
        found = found.get(key) if isinstance(found, dict) else None
    if not isinstance(found, list):
        raise FileRefused(N_("The JSON document has no array at {path}."), path=path)
    return encoding, _items_of(found)


def _items_of(items: list[Any]) -> Iterator[SourceRow]:
    for index, item in enumerate(items, start=1):
        raw = json.dumps(item, ensure_ascii=False)
        if not isinstance(item, dict):
            problem = RowProblem("*", N_("Item {index} is not a JSON object."), {"index": index})
            yield SourceRow(index, raw, None, [problem.as_dict()])
            continue
        yield SourceRow(index, raw, item)
