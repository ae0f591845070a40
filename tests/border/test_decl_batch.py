"""Batches and files: never all-or-nothing; each bad line or declaration reported and kept."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from riskgate.border.declarations import batch as decl_batch
from riskgate.border.declarations import files as decl_files
from riskgate.border.declarations.batch import BatchItem
from riskgate.border.models import Declaration, DeclarationLine, RejectedDeclarationLine
from riskgate.core.errors import Conflict
from tests.border.decl_world import build, declaration, line, safe_line


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    return db.execute(select(func.count()).select_from(model)).scalar_one()


def test_batch_of_2000_lines_with_10_bad(db, settings):
    world = build(db, settings)
    items = []
    bad_positions = set()
    for d in range(200):
        lines = [safe_line(n) if n % 3 else line(n) for n in range(1, 11)]
        if d % 20 == 0:  # 10 declarations with one bad line each
            lines[4] = safe_line(5, quantity="-2")
            bad_positions.add(d)
        items.append(BatchItem(d, declaration(lines)))
    result = decl_batch.screen_batch(db, world.actor(), items)
    batch = result.batch
    assert batch.declarations == 200
    assert batch.lines_screened == 1990 and batch.lines_rejected == 10
    assert sum(batch.lane_counts.values()) == 1990 and batch.lane_counts["red"] >= 600
    assert _count(db, DeclarationLine) == 1990
    rejected = result.rejected
    assert {r.position for r in rejected} == bad_positions
    assert all(r.line_no == 5 and r.problems[0]["loc"] == "lines.4.quantity" for r in rejected)
    assert rejected[0].raw["line"]["quantity"] == "-2"


def test_bad_header_rejects_declaration_and_duplicates_too(db, settings):
    world = build(db, settings)
    good = declaration([line(1), safe_line(2)])
    items = [BatchItem(0, good), BatchItem(1, {**declaration(), "port_code": "atlantis"}),
             BatchItem(2, {**declaration(), "number": good["number"]}),
             BatchItem(3, "not an object"), BatchItem(4, declaration([line(1, hs_code="12")]))]
    result = decl_batch.screen_batch(db, world.actor(), items)
    assert result.batch.declarations == 1
    by_position = {}
    for row in result.rejected:
        by_position.setdefault(row.position, []).append(row)
    assert set(by_position) == {1, 2, 3, 4}
    assert by_position[1][0].problems[0]["loc"] == "port_code"
    assert by_position[2][0].problems[0]["loc"] == "number"
    assert _count(db, Declaration) == 1


def test_retry_a_rejected_declaration(db, settings):
    world = build(db, settings)
    bad = {**declaration([line(1), safe_line(2)]), "port_code": "atlantis"}
    result = decl_batch.screen_batch(db, world.actor(), [BatchItem(0, bad)])
    assert len(result.rejected) == 2
    row = result.rejected[0]
    stored = decl_batch.retry_rejected(db, world.actor(), result.batch.id, row.id,
                                       {"port_code": "shanghai_yangshan"})
    assert stored.number == bad["number"]
    assert _count(db, DeclarationLine) == 2
    with pytest.raises(Conflict):
        decl_batch.retry_rejected(db, world.actor(), result.batch.id, row.id, {})
    remaining = db.execute(select(RejectedDeclarationLine).where(
        RejectedDeclarationLine.resolved_at.is_(None))).scalars().all()
    assert remaining == []


def _rows(count_bad: int = 1) -> list[list[str]]:
    header = ["报关单号", "进出口", "口岸", "收发货人", "收发货人代码", "申报日期", "项号",
              "商品编号", "商品名称", "品牌", "数量", "单位", "总价", "币制", "原产国"]
    rows = [header]
    for d in range(3):
        number = f"22330000000000{d:04d}"
        for n in range(1, 4):
            quantity = "-1" if (d == 1 and n == 2 and count_bad) else "5"
            rows.append([number, "进口", "shanghai_yangshan", "上海优信", "91310115MA1K3YJ12X",
                         "2026-11-20", str(n), "9503008900" if n == 1 else "8516500000",
                         "玩具" if n == 1 else "微波炉", "乐乐", quantity, "个", "10", "USD",
                         "越南" if n == 1 else "JP"])
    return rows


def test_csv_file(db, settings):
    world = build(db, settings)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_rows())
    binary = io.BytesIO(buffer.getvalue().encode("gb18030"))
    result = decl_files.screen_file(db, world.actor(), binary, "decl.csv")
    assert result.batch.declarations == 3 and result.batch.lines_screened == 8
    assert [(r.position, r.line_no) for r in result.rejected] == [(6, 2)]
    assert result.batch.lane_counts["red"] >= 3


def test_xlsx_file(db, settings):
    from openpyxl import Workbook

    world = build(db, settings)
    book = Workbook()
    for row in _rows(count_bad=0):
        book.active.append(row)
    binary = io.BytesIO()
    book.save(binary)
    binary.seek(0)
    result = decl_files.screen_file(db, world.actor(), binary, "decl.xlsx")
    assert result.batch.declarations == 3 and result.batch.lines_screened == 9
    assert result.rejected == []
