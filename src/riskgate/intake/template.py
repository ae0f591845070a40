"""The units' quarterly submission template: an .xlsx with Chinese headers, read back by the
built-in profile `unit_template`.

Sheets: 填报 (data, one row per risk item, Chinese headers with the English name as a cell note),
填报说明 Instructions (how to fill it in, in Chinese and English), 字段说明 Fields (every column:
Chinese header, English name, field, required, allowed values) and a hidden 代码表 Lists sheet
that the drop-down lists (channel, hazard class and type, country, trade direction…) point at,
all drawn from the reference catalogue.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from riskgate.catalog.reference import countries
from riskgate.intake.unit_template import UNIT_TEMPLATE_COLUMNS, enum_choices

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET = "填报"
TEMPLATE_ROWS = 2000  # rows the drop-down lists cover
INSTRUCTIONS = (
    ("填报说明", "Instructions"),
    ("每行填写一条风险信息；第一行为列名，请勿修改或删除列名。",
     "One risk item per row; the first row holds the column names: do not change or delete it."),
    ("带 * 的列为必填项：来源渠道、标题、产品名称。",
     "Columns marked * are required: source channel, title, product name."),
    ("下拉列表中的值来自系统代码表；也可填写代码（如 import、chemical、CN）。",
     "Values in drop-down lists come from the reference catalogue; codes (import, chemical, CN) "
     "are accepted too."),
    ("日期格式：YYYY-MM-DD（如 2026-03-05）。",
     "Dates as YYYY-MM-DD (for example 2026-03-05)."),
    ("商品编码请设置为文本格式，以免丢失开头的 0（如 0901）。",
     "Format the HS code column as text so that leading zeros (0901) are kept."),
    ("本单位编号用于识别重复提交：同一编号再次提交不会重复入库。",
     "Your reference identifies a resubmission: the same reference is not stored twice."),
    ("上传：控制台 › 文件导入，选择导入格式 unit_template；也可另存为 CSV（UTF-8 或 GBK）上传。",
     "Upload in the console under Imports with the profile unit_template; a CSV copy (UTF-8 or "
     "GBK) with the same headers is accepted too."),
)  # fmt: skip


def _list_values(kind: str) -> list[str]:
    if kind == "country":
        return [c.name_zh for c in countries() if c.name_zh and c.kind != "historical"]
    return [zh for _code, zh, _en in enum_choices(kind)]


def build_template() -> bytes:
    """The template workbook as bytes."""
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    lists = workbook.create_sheet("代码表 Lists")
    lists.sheet_state = "hidden"
    list_columns: dict[str, str] = {}
    for index, list_kind in enumerate(
        dict.fromkeys(k for *_rest, k in UNIT_TEMPLATE_COLUMNS if k), start=1
    ):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=list_kind)
        values = _list_values(list_kind)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=index, value=value)
        list_columns[list_kind] = f"'代码表 Lists'!${letter}$2:${letter}${len(values) + 1}"
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, (name, zh, en, required, kind) in enumerate(UNIT_TEMPLATE_COLUMNS, start=1):
        cell = data.cell(row=1, column=index, value=zh)
        cell.font = bold
        cell.comment = Comment(f"{en}{' (required)' if required else ''}\nfield: {name}",
                               "riskgate")  # fmt: skip
        if required:
            cell.fill = required_fill
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(12, len(zh) * 2 + 4)
        if name == "hs_code" or name.endswith("uscc") or name == "barcode":
            for row in range(2, TEMPLATE_ROWS + 2):
                data.cell(row=row, column=index).number_format = "@"  # text keeps zeros
        if name == "occurred_on":
            for row in range(2, TEMPLATE_ROWS + 2):
                data.cell(row=row, column=index).number_format = "yyyy-mm-dd"
        if kind:
            validation = DataValidation(
                type="list", formula1=list_columns[kind], allow_blank=True,
                showErrorMessage=kind != "country", errorTitle="无效值 Invalid value",
                error="请从下拉列表中选择。Choose a value from the list.",
            )  # fmt: skip
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            data.add_data_validation(validation)
    data.freeze_panes = "A2"
    _instructions(workbook.create_sheet("填报说明 Instructions"), bold)
    _fields(workbook.create_sheet("字段说明 Fields"), bold)
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(sheet: Worksheet, bold: Font) -> None:
    for row, (zh, en) in enumerate(INSTRUCTIONS, start=1):
        sheet.cell(row=row, column=1, value=zh).alignment = Alignment(wrap_text=True)
        sheet.cell(row=row, column=2, value=en).alignment = Alignment(wrap_text=True)
        if row == 1:
            sheet.cell(row=1, column=1).font = bold
            sheet.cell(row=1, column=2).font = bold
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 80


def _fields(sheet: Worksheet, bold: Font) -> None:
    header = ("列名", "English name", "字段 field", "必填 required", "可选值 allowed values")
    for column, text in enumerate(header, start=1):
        sheet.cell(row=1, column=column, value=text).font = bold
    for row, (name, zh, en, required, kind) in enumerate(UNIT_TEMPLATE_COLUMNS, start=2):
        allowed = ""
        if kind == "country":
            allowed = "国家或地区名称或 ISO 代码 / country name or ISO code"
        elif kind:
            allowed = "; ".join(f"{zh_label} = {code}" for code, zh_label, _en in
                                enum_choices(kind))  # fmt: skip
        for column, value in enumerate((zh, en, name, "是 yes" if required else "", allowed), 1):
            sheet.cell(row=row, column=column, value=value)
    for letter, width in zip("ABCDE", (24, 28, 22, 14, 100), strict=True):
        sheet.column_dimensions[letter].width = width
