"""Excel and the units' template: reading, refusing bad workbooks, round trips."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from riskgate.intake.service import ImportRefused, quarantined_rows
from riskgate.intake.template import build_template
from riskgate.intake.xlsx import open_xlsx
from riskgate.records.models import RiskRecord
from tests.intake.conftest import FIXTURES, balanced, ingest


def _count(db) -> int:  # type: ignore[no-untyped-def]
    return db.execute(select(func.count()).select_from(RiskRecord)).scalar_one()


def _workbook_bytes(rows: list[list], *, text_columns: tuple[int, ...] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(tmp_path, name: str, content: bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _filled_template(rows: list[dict[str, object]]) -> bytes:
    """The downloadable template, filled in the way a unit would (openpyxl, by header)."""
    workbook = openpyxl.load_workbook(io.BytesIO(build_template()))
    sheet = workbook["填报"]
    headers = [cell.value for cell in sheet[1]]
    for offset, values in enumerate(rows, start=2):
        for header, value in values.items():
            sheet.cell(row=offset, column=headers.index(header) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TEMPLATE_ROWS = [
    {"来源渠道": "投诉举报（12315）", "本单位编号": "SH-2026Q1-001",
     "发生日期": dt.datetime(2026, 3, 5),
     "标题": "儿童玩具邻苯二甲酸酯超标", "产品名称": "塑料玩具", "商品编码": "950300",
     "危害类别": "化学危害", "原产国家或地区": "越南", "贸易方向": "进口", "受伤人数": 0},
    {"来源渠道": "hotline_12315", "本单位编号": "SH-2026Q1-002", "发生日期": "2026-03-06",
     "标题": "电暖器起火", "产品名称": "电暖器", "伤害程度": "轻微", "受伤人数": 1},
    {"来源渠道": "hotline_12315", "本单位编号": "SH-2026Q1-003", "发生日期": "2023-02-30",
     "标题": "坏日期", "产品名称": "某产品", "商品编码": "901", "原产国家或地区": "火星国"},
]  # fmt: skip


def test_template_has_chinese_headers_lists_and_instructions():
    workbook = openpyxl.load_workbook(io.BytesIO(build_template()))
    assert workbook.sheetnames[0] == "填报"
    sheet = workbook["填报"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["来源渠道", "本单位编号", "发生日期", "标题"]
    assert "English" in " ".join(c.value or "" for c in workbook["字段说明 Fields"]["B"])
    lists = {str(v.formula1) for v in sheet.data_validations.dataValidation}
    assert len(lists) >= 5 and all(f.startswith("'代码表 Lists'!") for f in lists)
    assert workbook["代码表 Lists"].sheet_state == "hidden"
    values = [c.value for c in workbook["代码表 Lists"]["A"]][1:]
    assert "hotline_12315" not in values and len(values) > 10  # Chinese labels, not codes


def test_filled_template_round_trip(db, owner, tmp_path):
    rows = [*TEMPLATE_ROWS]
    rows[0] = {**rows[0], "来源渠道": _channel_label("hotline_12315")}
    path = _write(tmp_path, "q1.xlsx", _filled_template(rows))
    batch = ingest(db, owner, "", "unit_template", path=path)
    assert (batch.rows_read, batch.imported, batch.quarantined) == (3, 2, 1) and balanced(batch)
    assert batch.encoding == "xlsx"
    toy = db.execute(
        select(RiskRecord).where(RiskRecord.external_reference == "SH-2026Q1-001")
    ).scalar_one()
    assert (toy.source_channel, toy.occurred_on, toy.hs_code) == (
        "hotline_12315", dt.date(2026, 3, 5), "950300")
    assert (toy.origin_country, toy.hazard_class, toy.trade_direction) == (
        "VN", "chemical", "import")
    assert toy.raw_payload.startswith(_channel_label("hotline_12315") + ",SH-2026Q1-001,2026-03-05")
    (bad,) = quarantined_rows(db, batch)
    assert bad.line_number == 4  # the spreadsheet's row number
    fields = {p["field"]: p for p in bad.problems}
    assert fields["发生日期"]["message"] == "{value} is not a possible date."
    assert "leading zero" in fields["商品编码"]["params"]["problem"]
    assert fields["原产国家或地区"]["message"] == "Unknown country: {value}."
    again = ingest(db, owner, "", "unit_template", path=path)
    assert (again.imported, again.duplicates) == (0, 2)


def _channel_label(code: str) -> str:
    from riskgate.catalog.reference import source_channel

    entry = source_channel(code)
    assert entry is not None
    return entry.name_zh


def test_template_headers_in_a_gbk_csv(db, owner, tmp_path):
    text = (
        "来源渠道,本单位编号,标题,产品名称,商品编码,原产国家或地区,贸易方向\n"
        "hotline_12315,CSV-1,进口奶粉标签不符,奶粉,040221,新西兰,进口\n"
    )
    path = _write(tmp_path, "q1.csv", text.encode("gbk"))
    batch = ingest(db, owner, "", "unit_template", path=path)
    assert (batch.imported, batch.encoding) == (1, "gb18030")
    record = db.execute(select(RiskRecord).where(RiskRecord.external_reference == "CSV-1")).one()
    assert record[0].origin_country == "NZ"


def test_xlsx_cells_dates_numbers_and_formula_errors(db, owner, tmp_path):
    header = ["Date of Case", "Reference", "Notification From", "Country Origin", "Product",
              "Product Category", "Hazard Substance", "Hazard Category"]  # fmt: skip
    content = _workbook_bytes([
        header,
        [dt.datetime(2024, 10, 30), 2024.8046, "Italy", "Ireland", "cheese", "milk", "x",
         "pathogenic microorganisms"],
        [45352, "2024.0001", "Italy", "Ireland", "ham", "meat", "x", "allergens"],
        ["#DIV/0!", "2024.0002", "Italy", "Ireland", "fish", "fish", "x", "allergens"],
        [],
        ["Oct 1, 2024", "2024.0003", "Italy", "Ireland", "egg", "eggs", "x", "allergens", "extra"],
    ])  # fmt: skip
    batch = ingest(db, owner, "", "rasff", path=_write(tmp_path, "r.xlsx", content))
    assert (batch.rows_read, batch.imported, batch.quarantined) == (4, 2, 2) and balanced(batch)
    serial = db.execute(
        select(RiskRecord).where(RiskRecord.external_reference == "2024.0001")
    ).scalar_one()
    assert serial.occurred_on == dt.date(2024, 3, 1)
    rows = quarantined_rows(db, batch)
    assert [r.line_number for r in rows] == [4, 6]
    assert rows[0].problems[0] == {
        "field": "Date of Case", "message": "The cell holds the spreadsheet error {value}.",
        "params": {"value": "#DIV/0!"},
    }  # fmt: skip
    assert rows[1].raw_content.endswith(",extra")


def test_truncated_xlsx_is_refused_and_nothing_stored(db, owner, tmp_path):
    content = (FIXTURES / "rasff_sample.csv").read_bytes()
    workbook = _workbook_bytes([["a", "b"], *[[i, "x" * 50] for i in range(2000)]])
    path = _write(tmp_path, "cut.xlsx", workbook[: len(workbook) // 2])
    with pytest.raises(ImportRefused) as refused:
        ingest(db, owner, "", "rasff", path=path)
    assert "damaged or truncated" in refused.value.translated("en")
    assert "损坏" in refused.value.translated("zh-CN")
    db.rollback()
    assert _count(db) == 0 and content


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "97-2003"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode(
            "utf-16-le") + b"\x00" * 100, "password"),
        (b"PK\x03\x04not really a zip", "damaged or truncated"),
    ],
)  # fmt: skip
def test_old_encrypted_and_broken_workbooks_are_refused(db, owner, tmp_path, content, expected):
    with pytest.raises(ImportRefused) as refused:
        ingest(db, owner, "", "unit_template", path=_write(tmp_path, "x.xlsx", content))
    assert expected in refused.value.translated("en")


def test_a_zip_that_is_not_a_workbook_and_a_zip_bomb_are_refused(db, owner, tmp_path):
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportRefused) as refused:
        ingest(db, owner, "", "unit_template", path=_write(tmp_path, "z.xlsx", plain.getvalue()))
    assert "not an Excel workbook" in refused.value.translated("en")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    assert len(bomb.getvalue()) < 200 * 1024
    with pytest.raises(ImportRefused) as refused:
        ingest(db, owner, "", "unit_template", path=_write(tmp_path, "b.xlsx", bomb.getvalue()))
    assert "zip bomb" in refused.value.translated("en")


def test_empty_workbooks_and_files_are_refused(db, owner, tmp_path):
    for name, content in (("empty.xlsx", b""), ("blank.xlsx", _workbook_bytes([]))):
        with pytest.raises(ImportRefused) as refused:
            ingest(db, owner, "", "unit_template", path=_write(tmp_path, name, content))
        assert refused.value.message == "The file is empty.", name


def test_xlsx_reader_reports_the_spreadsheet_row_numbers():
    content = _workbook_bytes([[], ["a", "b"], [1, 2], [], [], ["x", 3.5]])
    source = open_xlsx(io.BytesIO(content))
    rows = list(source.rows)
    assert source.columns == ["a", "b"]
    assert [(r.line_number, r.raw) for r in rows] == [(3, "1,2"), (6, "x,3.5")]
