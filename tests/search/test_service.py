"""Search over risk records on the real database (SQLite FTS5 or PostgreSQL tsvector)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from riskgate.core.errors import ValidationFailed
from riskgate.records import service as records
from riskgate.search import backends
from riskgate.search import service as search
from riskgate.search.service import RecordFilters


def _find(db, actor, query, **filters):  # type: ignore[no-untyped-def]
    stmt, hits = search.search_statement(db, actor, query, RecordFilters(**filters))
    if hits is None:
        return [r.id for r in db.execute(stmt).scalars()]
    rows, _cursor = search.ranked_page(db, stmt, hits, limit=50, cursor=None)
    return [r.id for r in rows]


def test_new_records_are_indexed_in_the_same_transaction(db, world):
    assert backends.count(db) == 4


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("玩具 铅", 0),  # two words; "铅" is inside jieba's word "含铅量"
        ("儿童 铅中毒", 0),
        ("rattle choking", 1),
        ("RATTLE", 1),
        ("哽噎", 1),  # the hazard type's Chinese name (choking) for an English notice
        ("德国", 1),  # notifying country, in Chinese
        ("Viet Nam", 0),  # origin country, in English
        ("婴儿奶粉", 2),  # simplified query, traditional text
        ("嬰兒 奶粉", 2),  # traditional query
        ("阪崎肠杆菌", 2),
        ("abc123", 0),  # full-width brand
        ("ＡＢＣ１２３", 0),
        ("rasff-2026.0001", 1),  # external reference
        ("91350200MA2Y0X5L3F", 1),  # enterprise USCC
        ("hanoi", 0),  # enterprise name
    ],
)
def test_queries_find_their_record(db, world, query, index):
    assert _find(db, world.officer, query) == [world.ids[index]]


def test_record_number_finds_the_record(db, world):
    number = records.get_record(db, world.officer, world.ids[2]).record_number
    assert _find(db, world.officer, number) == [world.ids[2]]


def test_every_term_must_match(db, world):
    assert _find(db, world.officer, "玩具 奶粉") == []
    assert _find(db, world.officer, "rattle milk") == []


def test_other_organisations_records_are_never_returned(db, world):
    assert _find(db, world.officer, "玩具 铅") == [world.ids[0]]
    assert _find(db, world.other, "玩具 铅") == world.other_ids
    assert _find(db, world.other, "rattle") == []


def test_filters_combine_with_the_query(db, world):
    assert _find(db, world.officer, "玩具", channel="inspection_supervision") == [world.ids[0]]
    assert _find(db, world.officer, "玩具", channel="foreign_notice") == [world.ids[1]]
    assert _find(db, world.officer, "玩具", country="VN") == [world.ids[0]]
    assert _find(db, world.officer, "玩具", hazard_class="physical") == [world.ids[1]]
    assert set(_find(db, world.officer, "玩具", hs_prefix="9503")) == set(world.ids[:2])
    assert _find(db, world.officer, "玩具", hs_prefix="1901") == []
    assert _find(db, world.officer, "玩具", enterprise="hanoi") == [world.ids[0]]
    assert _find(db, world.officer, "玩具", enterprise="91350200ma2y0x5l3f") == [world.ids[1]]
    import datetime as dt

    assert _find(db, world.officer, None, occurred_from=dt.date(2026, 3, 31)) == [world.ids[2]]


def test_ranked_best_match_first(db, world):
    # Both toy records match "玩具"; the one that says it in its title and product ranks first.
    found = _find(db, world.officer, "玩具")
    assert found[0] == world.ids[0] and set(found) == set(world.ids[:2])


def test_query_without_terms_lists_everything(db, world):
    assert sorted(_find(db, world.officer, "!!! ？")) == sorted(world.ids)
    assert search.check_query("   ") is None
    with pytest.raises(ValidationFailed):
        search.check_query("x" * 201)


def test_reindex_rebuilds_the_index(db, world):
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("DELETE FROM search_document"))
    else:
        db.execute(text("DELETE FROM search_fts"))
    assert _find(db, world.officer, "玩具 铅") == []
    seen = []
    assert search.reindex_all(db, lambda done, total: seen.append((done, total))) == 4
    assert seen[-1] == (4, 4)
    assert _find(db, world.officer, "玩具 铅") == [world.ids[0]]
    search.index_records(db, world.ids[:1])  # re-indexing one record replaces its row
    assert backends.count(db) == 4
