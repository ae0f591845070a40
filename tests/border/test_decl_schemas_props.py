"""Property test of the declaration checks: any JSON-like input gives problems or clean values,
never an exception (a batch must never fail as a whole)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from riskgate.border.declarations.schemas import HEADER_FIELDS, LINE_FIELDS, check_declaration

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                     st.text(max_size=50))
_json = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)),
    max_leaves=10)
_line = st.dictionaries(st.sampled_from(sorted(LINE_FIELDS)), _json, max_size=len(LINE_FIELDS))
_declaration = st.fixed_dictionaries(
    {"lines": st.one_of(st.lists(st.one_of(_line, _json), max_size=4), _json)},
    optional={name: _json for name in sorted(HEADER_FIELDS - {"lines"})})


@settings(max_examples=300, deadline=None)
@given(st.one_of(_declaration, _json))
def test_checks_never_raise(data):
    checked = check_declaration(data)
    if checked.header is None:
        assert checked.header_problems
    for line in checked.lines:
        assert (line.values is None) == bool(line.problems)
        for problem in line.problems:
            assert problem.loc.startswith(f"lines.{line.index}")
            assert problem.translated("zh-CN")
