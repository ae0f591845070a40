"""Declaration files (CSV in UTF-8 or GB18030, or .xlsx): one row per declaration line, the
declaration's fields repeated on each of its rows; headers in Chinese (报关单号, 商品编号…) or
as the API's field names. Rows are grouped by declaration number, in the order first seen, and
go through the same path as a JSON batch (`declarations.batch.screen_batch`); a rejected row is
reported with its line in the file."""

from __future__ import annotations

from typing import IO, Any

from sqlalchemy.orm import Session

from riskgate.border.declarations.batch import (
    MAX_BATCH_LINES,
    BatchItem,
    BatchResult,
    screen_batch,
)
from riskgate.border.declarations.schemas import HEADER_FIELDS, LINE_FIELDS
from riskgate.border.enums import DeclarationSource
from riskgate.core.context import Actor
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.intake.readers import FileRefused, open_csv
from riskgate.intake.xlsx import open_xlsx, sniff

# Header (as written in files) → field. Header fields first, then line fields.
HEADER_COLUMNS = {
    "报关单号": "number", "报关单编号": "number", "进出口": "direction", "进出口标志": "direction",
    "口岸": "port_code", "口岸代码": "port_code", "贸易方式": "trade_mode",
    "申报单位": "declarant_name", "申报单位名称": "declarant_name",
    "申报单位代码": "declarant_code", "收发货人": "trader_name", "境内收发货人": "trader_name",
    "收发货人代码": "trader_code", "企业代码": "trader_code", "启运国": "origin_country",
    "起运国": "origin_country", "启运国(地区)": "origin_country", "运抵国": "destination_country",
    "运抵国(地区)": "destination_country", "申报日期": "declared_on",
}  # fmt: skip
LINE_COLUMNS = {
    "项号": "line_no", "商品序号": "line_no", "商品编号": "hs_code", "商品编码": "hs_code",
    "HS编码": "hs_code", "商品名称": "description", "商品描述": "description", "品牌": "brand",
    "型号": "model", "规格型号": "model", "条码": "barcode", "批次": "batch", "批号": "batch",
    "数量": "quantity",
    "单位": "unit", "计量单位": "unit", "总价": "value", "货值": "value", "币制": "currency",
    "币种": "currency", "原产国": "origin_country", "原产国(地区)": "origin_country",
}  # fmt: skip
DIRECTIONS = {"进口": "import", "出口": "export", "i": "import", "e": "export",
              "import": "import", "export": "export"}
REQUIRED_COLUMNS = ("number", "hs_code")


def _column_map(columns: list[str]) -> list[tuple[str, str] | None]:
    """Each column's (part, field): part "header" or "line"; None for a column we ignore."""
    mapped: list[tuple[str, str] | None] = []
    for raw in columns:
        name = raw.strip().replace("（", "(").replace("）", ")")
        if name in HEADER_COLUMNS:
            mapped.append(("header", HEADER_COLUMNS[name]))
        elif name in LINE_COLUMNS:
            mapped.append(("line", LINE_COLUMNS[name]))
        elif name == "line_origin_country":
            mapped.append(("line", "origin_country"))
        elif name in HEADER_FIELDS and name != "lines":
            mapped.append(("header", name))
        elif name in LINE_FIELDS:
            mapped.append(("line", name))
        else:
            mapped.append(None)
    return mapped


def read_declarations(binary: IO[bytes]) -> list[BatchItem]:
    """The file's rows grouped into declarations (BatchItems with each row's file line)."""
    try:
        source = open_xlsx(binary) if sniff(binary) == "xlsx" else open_csv(binary)
    except FileRefused as refused:
        raise ValidationFailed(refused.message, **refused.params) from refused
    mapped = _column_map(source.columns)
    fields = {m[1] for m in mapped if m is not None}
    missing = [c for c in REQUIRED_COLUMNS if c not in fields]
    if missing:
        raise ValidationFailed(N_("The file lacks the required columns: {columns}."),
                               columns=", ".join(missing))
    by_number: dict[str, BatchItem] = {}
    items: list[BatchItem] = []
    count = 0
    for row in source.rows:
        count += 1
        if count > MAX_BATCH_LINES:
            raise ValidationFailed(fields=[FieldProblem(
                "file", N_("At most {max} lines per batch."), {"max": MAX_BATCH_LINES})])
        header: dict[str, Any] = {}
        line: dict[str, Any] = {}
        values = row.fields or {}
        for column, target in zip(source.columns, mapped, strict=True):
            value = values.get(column)
            if target is None or value is None or not str(value).strip():
                continue
            (header if target[0] == "header" else line)[target[1]] = str(value).strip()
        if "direction" in header:
            header["direction"] = DIRECTIONS.get(header["direction"].lower(),
                                                 header["direction"])
        if row.problems or row.fields is None:
            problems = [FieldProblem(str(p.get("field") or "*"), p["message"],
                                     p.get("params") or {}) for p in row.problems]
            items.append(BatchItem(row.line_number, {**header, "lines": [line]}, [row.line_number],
                                   problems=problems))
            continue
        number = header.get("number") or f"#row{row.line_number}"
        item = by_number.get(number)
        if item is None:
            item = BatchItem(row.line_number, {**header, "lines": []}, [])
            by_number[number] = item
            items.append(item)
        item.data["lines"].append(line)
        assert item.line_positions is not None
        item.line_positions.append(row.line_number)
    return items


def screen_file(db: Session, actor: Actor, binary: IO[bytes], filename: str) -> BatchResult:
    items = read_declarations(binary)
    if not items:
        raise ValidationFailed(N_("The file is empty."))
    return screen_batch(db, actor, items, source=DeclarationSource.file,
                        filename=filename[:255])
