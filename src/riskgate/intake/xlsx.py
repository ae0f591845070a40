"""Streaming reader for Excel .xlsx files, yielding the same `SourceRow`s as the CSV reader.

The content decides, not the file name: an .xlsx is a zip holding `[Content_Types].xml`; an old
.xls or a password-protected workbook is an OLE compound file and is refused with a message that
says which. The zip's directory is checked before openpyxl opens it (total uncompressed size,
compression ratio, number of rows), so a zip bomb is refused instead of filling memory. Sheets
are read with openpyxl's read-only mode: one row at a time. Pure: no database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, Any

from riskgate.core.i18n import N_
from riskgate.intake.readers import FileRefused, SourceRow, TableSource
from riskgate.records.normalise import RowProblem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
MAX_UNCOMPRESSED = 1024 * 1024 * 1024  # all members together
MAX_RATIO = 200  # uncompressed / compressed, for members above 1 MiB
MAX_ROWS = 1_048_576  # Excel's own limit
ERROR_VALUES = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)


def sniff(binary: IO[bytes]) -> str:
    """"xlsx", "ole" (old .xls or an encrypted workbook) or "other", from the first bytes."""
    head = binary.read(8)
    binary.seek(0)
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head == OLE_MAGIC:
        return "ole"
    return "other"


def _refuse_ole(binary: IO[bytes]) -> None:
    """An OLE file is either a password-protected .xlsx or an Excel 97-2003 workbook."""
    sample = binary.read(512 * 1024)
    binary.seek(0)
    if ENCRYPTED_STREAM in sample:
        raise FileRefused(
            N_("The Excel file is protected by a password; remove the password and upload it "
               "again.")
        )
    raise FileRefused(
        N_("This is an old Excel 97-2003 (.xls) file; save it as .xlsx (Excel workbook) first.")
    )


def check_workbook(binary: IO[bytes]) -> None:
    """Refuse what is not a readable, reasonably sized .xlsx before openpyxl touches it."""
    kind = sniff(binary)
    if kind == "ole":
        _refuse_ole(binary)
    if kind != "xlsx":
        if not binary.read(1):
            raise FileRefused(N_("The file is empty."))
        binary.seek(0)
        raise FileRefused(N_("The file is not an Excel workbook (.xlsx)."))
    try:
        archive = zipfile.ZipFile(binary)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        binary.seek(0)
        raise FileRefused(
            N_("The Excel file is damaged or truncated: {error}."), error=str(error)
        ) from error
    finally:
        binary.seek(0)
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise FileRefused(N_("The file is a zip archive but not an Excel workbook (.xlsx)."))
    total = sum(member.file_size for member in members)
    inflated = [
        m for m in members if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(
            m.compress_size, 1)
    ]
    if total > MAX_UNCOMPRESSED or inflated:
        raise FileRefused(
            N_(
                "The Excel file would expand to {size} MB when unpacked, more than we accept "
                "(a zip bomb or an oversized workbook)."
            ),
            size=total // (1024 * 1024),
        )


def cell_text(value: Any) -> str | None:
    """A cell's value as the text a CSV export would hold.

    Dates and times become ISO dates ("2024-03-05", or with the time when there is one); whole
    numbers lose the ".0" Excel stores them with. A number that was a code ("0901") has already
    lost its leading zero in Excel; the HS check reports that, we do not guess it back here.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def _csv_line(values: list[str | None]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


def open_xlsx(binary: IO[bytes]) -> TableSource:
    """The first worksheet: its header (first non-empty row) and a lazy iterator over the rest."""
    from openpyxl import load_workbook

    check_workbook(binary)
    try:
        workbook = load_workbook(binary, read_only=True, data_only=True, keep_links=False)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows()
        line = 0
        header: list[str | None] | None = None
        for cells in rows:
            line += 1
            values = [cell_text(getattr(c, "value", None)) for c in cells]
            if any(v is not None and v.strip() for v in values):
                header = values
                break
    except FileRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise FileRefused(
            N_("The Excel file is damaged or truncated: {error}."), error=str(error) or repr(error)
        ) from error
    if header is None:
        raise FileRefused(N_("The file is empty."))
    while header and (header[-1] is None or not header[-1].strip()):
        header.pop()
    columns = [(v or "").strip() for v in header]
    return TableSource("xlsx", columns, _xlsx_rows(workbook, rows, line, columns))


def _xlsx_rows(
    workbook: Any, rows: Iterator[Any], line: int, columns: list[str]
) -> Iterator[SourceRow]:
    try:
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                    KeyError) as error:  # fmt: skip
                problem = RowProblem(
                    "*", N_("The rest of the sheet cannot be read: {error}."),
                    {"error": str(error)},
                )  # fmt: skip
                yield SourceRow(line + 1, "", None, [problem.as_dict()])
                return
            line += 1
            if line > MAX_ROWS:
                problem = RowProblem(
                    "*", N_("The sheet has more than {max} rows; the rest is not read."),
                    {"max": MAX_ROWS},
                )
                yield SourceRow(line, "", None, [problem.as_dict()])
                return
            values: list[str | None] = []
            problems: list[dict[str, Any]] = []
            for index, cell in enumerate(cells):
                value = getattr(cell, "value", None)
                text = cell_text(value)
                if getattr(cell, "data_type", None) == "e" or (
                    isinstance(value, str) and value in ERROR_VALUES
                ):
                    name = columns[index] if index < len(columns) else f"#{index + 1}"
                    problems.append(RowProblem(
                        name, N_("The cell holds the spreadsheet error {value}."),
                        {"value": text},
                    ).as_dict())  # fmt: skip
                values.append(text)
            while len(values) > len(columns) and (values[-1] is None or not values[-1].strip()):
                values.pop()
            if not any(v is not None and v.strip() for v in values):
                continue  # blank row
            raw = _csv_line(values)
            fields = {
                name: values[i] if i < len(values) else None for i, name in enumerate(columns)
            }
            if len(values) > len(columns):
                problems.append(RowProblem(
                    "*", N_("The row has {found} cells but the header has {expected}."),
                    {"found": len(values), "expected": len(columns)},
                ).as_dict())  # fmt: skip
            yield SourceRow(line, raw, fields, problems)
    finally:
        workbook.close()
