"""Property tests: the rule index gives exactly the naive reference matcher's answer; the batch
forms of folding and of the draws give exactly the single forms."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskgate.border.screening.lanes import PURPOSES, draw, draws
from riskgate.border.screening.match import compile_rules, naive_match
from riskgate.border.screening.normalise import fold_many
from riskgate.border.screening.types import LineInput, RuleSpec
from riskgate.search.folding import fold

HS = st.text("0123456789", min_size=2, max_size=10)
COUNTRIES = st.sampled_from(["US", "VN", "DE", "JP", "us"])
TRADERS = st.sampled_from(["T1", "T2", "t1", " T3 "])
WORDS = st.sampled_from(["玩具", "兒童", "儿童", "电池", "toy", "TOY", "ｔｏｙ", "锂电池", "塑料"])
BARCODES = st.sampled_from(["690001", "690002", "69 0003"])
PORTS = st.sampled_from(["CNSHA", "CNNGB", "CNTAO"])
DIRECTIONS = st.sampled_from(["import", "export"])
ACTIONS = st.sampled_from(["physical_inspection", "documentary_check", "hold"])


def _few(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.one_of(st.just(()), st.lists(strategy, min_size=1, max_size=3).map(tuple))


@st.composite
def rules(draw: st.DrawFn) -> list[RuleSpec]:
    count = draw(st.integers(0, 25))
    return [RuleSpec(
        id=rule_id, action=draw(ACTIONS), priority=draw(st.sampled_from([10, 50, 90])),
        hs_prefixes=draw(_few(HS)), countries=draw(_few(COUNTRIES)),
        enterprise_codes=draw(_few(TRADERS)), keywords=draw(_few(WORDS)),
        barcodes=draw(_few(BARCODES)), ports=draw(_few(PORTS)),
        direction=draw(st.one_of(st.none(), DIRECTIONS)),
    ) for rule_id in draw(st.lists(st.integers(1, 10_000), max_size=count, unique=True))]


@st.composite
def lines(draw: st.DrawFn) -> LineInput:
    words = draw(st.lists(WORDS, max_size=4))
    return LineInput(
        line_no=draw(st.integers(1, 50)), hs_code=draw(HS), description="".join(words),
        trader_code=draw(TRADERS), port_code=draw(PORTS), direction=draw(DIRECTIONS),
        credit_grade="ordinary", seed=draw(st.integers(0, 2**63 - 1)),
        brand=draw(st.one_of(st.none(), WORDS)), model=draw(st.one_of(st.none(), WORDS)),
        barcode=draw(st.one_of(st.none(), BARCODES)),
        origin_country=draw(st.one_of(st.none(), COUNTRIES)),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules(), st.lists(lines(), min_size=1, max_size=8))
def test_index_equals_naive(rule_list: list[RuleSpec], line_list: list[LineInput]) -> None:
    compiled = compile_rules(rule_list)
    expected = [naive_match(rule_list, item) for item in line_list]
    assert compiled.match_many(line_list) == expected
    assert [compiled.match(item) for item in line_list] == expected


TEXT = st.text(st.sampled_from(list("兒童玩具电池鋰電池ｔｏｙTOY abc\n\x1eÅİß")), max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, max_size=12))
def test_fold_many_equals_fold(texts: list[str]) -> None:
    assert fold_many(texts) == [fold(t) for t in texts]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(-(2**63), 2**64 - 1), st.integers(0, 10_000)),
                min_size=1, max_size=20))
def test_batch_draws_equal_single_draws(keys: list[tuple[int, int]]) -> None:
    items = [LineInput(line_no=n, hs_code="01", description="", trader_code="T",
                       port_code="P", direction="import", credit_grade="ordinary", seed=s)
             for s, n in keys]
    batch = draws(items)
    for k, purpose in enumerate(PURPOSES):
        assert batch[k] == [draw(s, n, purpose) for s, n in keys]
        assert all(0.0 <= v < 1.0 for v in batch[k])
