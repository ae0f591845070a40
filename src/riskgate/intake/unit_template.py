"""The units' quarterly submission template as a file format: its columns (Chinese headers, the
English name, the record field, whether required, the list a drop-down offers) and how a filled
row maps to the unified standard (the built-in profile `unit_template`). `intake.template`
writes the workbook from the same columns. Pure: no database.
"""

from __future__ import annotations

import re
from typing import Any

from riskgate.catalog.reference import hazard_classes, hazard_types, source_channels
from riskgate.core.enums import LabelledEnum
from riskgate.records.enums import Confidentiality, InjurySeverity, TradeDirection
from riskgate.records.normalise import clean_text
from riskgate.records.standard import Draft, Problems, map_standard

UNIT_TEMPLATE_COLUMNS: tuple[tuple[str, str, str, bool, str | None], ...] = (
    ("source_channel", "来源渠道", "Source channel", True, "channel"),
    ("external_reference", "本单位编号", "Your reference", False, None),
    ("occurred_on", "发生日期", "Date occurred", False, None),
    ("title", "标题", "Title", True, None),
    ("description", "情况描述", "Description", False, None),
    ("product_name", "产品名称", "Product name", True, None),
    ("brand", "品牌", "Brand", False, None),
    ("model", "型号规格", "Model", False, None),
    ("batch_number", "批次号", "Batch or lot number", False, None),
    ("barcode", "条码", "Barcode (GTIN)", False, None),
    ("hs_code", "商品编码", "HS code", False, None),
    ("product_category", "产品类别", "Product category", False, None),
    ("hazard_class", "危害类别", "Hazard class", False, "hazard_class"),
    ("hazard_type", "危害类型", "Hazard type", False, "hazard_type"),
    ("hazard_substance", "危害物质", "Hazardous substance", False, None),
    ("injuries_count", "受伤人数", "Number injured", False, None),
    ("injury_severity", "伤害程度", "Injury severity", False, "injury_severity"),
    ("injury_age_group", "受伤者年龄段", "Age group of the injured", False, None),
    ("origin_country", "原产国家或地区", "Country of origin", False, "country"),
    ("notifying_country", "通报国家或地区", "Notifying country", False, "country"),
    ("trade_direction", "贸易方向", "Trade direction", False, "trade_direction"),
    ("region_code", "行政区划代码", "Region code", False, None),
    ("port_code", "口岸代码", "Port code", False, None),
    ("quantity", "涉及数量", "Quantity", False, None),
    ("measures_taken", "已采取措施", "Measures taken", False, None),
    ("confidentiality", "公开范围", "Confidentiality", False, "confidentiality"),
    ("manufacturer", "生产企业", "Manufacturer", False, None),
    ("manufacturer_country", "生产企业国家或地区", "Manufacturer's country", False, "country"),
    ("importer", "进口商", "Importer", False, None),
    ("importer_uscc", "进口商统一社会信用代码", "Importer's USCC", False, None),
    ("exporter", "出口商", "Exporter", False, None),
    ("exporter_uscc", "出口商统一社会信用代码", "Exporter's USCC", False, None),
)
UNIT_TEMPLATE_HEADERS = {zh: name for name, zh, _en, _req, _list in UNIT_TEMPLATE_COLUMNS}
# The closed lists of the record a drop-down offers by their labels (the template is Chinese).
LISTS: dict[str, type[LabelledEnum]] = {
    "trade_direction": TradeDirection,
    "injury_severity": InjurySeverity,
    "confidentiality": Confidentiality,
}
# Short words that templates handed out earlier listed for these codes: still read.
EARLIER_WORDS: dict[str, dict[str, str]] = {
    "trade_direction": {"国内": "domestic", "未知": "unknown"},
    "injury_severity": {"无": "none", "轻微": "minor", "严重": "serious"},
    "confidentiality": {"限制": "restricted"},
}  # fmt: skip


def enum_choices(kind: str) -> list[tuple[str, str, str]]:
    """(code, Chinese label, English label) of a closed list the template offers."""
    if kind == "channel":
        return [(c.code.value, c.name_zh, c.name_en) for c in source_channels()]
    if kind == "hazard_class":
        return [(h.code.value, h.label("zh-CN"), h.label("en")) for h in hazard_classes()]
    if kind == "hazard_type":
        return [(h.code.value, h.label("zh-CN"), h.label("en")) for h in hazard_types()]
    listed = LISTS.get(kind)
    if listed is None:
        return []
    return [(m.value, m.label("zh-CN"), m.label("en")) for m in listed]


def _enum_code(kind: str, value: object) -> object:
    """A code written as its code, its Chinese or English label, or "label (code)"."""
    text = clean_text(value)
    if text is None:
        return None
    match = re.fullmatch(r".*[(（]\s*([A-Za-z0-9_]+)\s*[)）]", text)
    if match:
        text = match[1]
    for code, zh, en in enum_choices(kind):
        if text in (code, zh) or text.lower() == en.lower():
            return code
    return EARLIER_WORDS.get(kind, {}).get(text, text)


def map_unit_template(row: dict[str, Any], problems: Problems) -> Draft:
    """The template's Chinese headers (or the field names) to the unified standard's fields."""
    fields: dict[str, Any] = {}
    for column, value in row.items():
        name = UNIT_TEMPLATE_HEADERS.get(str(column).strip(), str(column).strip())
        fields[name] = value
    for name, _zh, _en, _required, kind in UNIT_TEMPLATE_COLUMNS:
        if kind and kind != "country" and name in fields:
            fields[name] = _enum_code(kind, fields[name])
    return map_standard(fields, problems)
