"""The decision rules (pure) and conflict matching, with properties over random votes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskgate.experts import conflicts, rules
from riskgate.experts.enums import ConflictKind, DecisionRule, Vote

U, S, N = Vote.unsafe, Vote.safe, Vote.insufficient_evidence


@pytest.mark.parametrize(("assigned", "votes", "chair", "state", "decision"), [
    (3, [U], None, "pending", None),
    (3, [U, U], None, "decided", U),          # 2 of 3 cannot be overturned
    (3, [U, S], None, "pending", None),
    (3, [U, S, N], None, "deadlock", None),
    (4, [U, U, S, S], U, "decided", U),        # the chair's casting vote
    (4, [U, U, S, S], None, "deadlock", None),
    (4, [U, U, S, N], U, "deadlock", None),    # no tie at the top: no casting vote
    (1, [U], None, "deadlock", None),          # quorum 2 unreachable
])
def test_majority(assigned, votes, chair, state, decision):
    result = rules.evaluate(DecisionRule.majority, 2, assigned, votes, chair)
    assert (result.state, result.decision) == (state, decision)


def test_consensus():
    assert rules.evaluate(DecisionRule.consensus, 2, 3, [S, S]).state == "pending"
    assert rules.evaluate(DecisionRule.consensus, 2, 3, [S, S, S]).decision == S
    assert rules.evaluate(DecisionRule.consensus, 2, 3, [S, U]).state == "deadlock"


@given(st.sampled_from(list(DecisionRule)), st.integers(1, 5),
       st.lists(st.sampled_from(list(Vote)), max_size=9), st.integers(0, 4))
def test_a_decision_is_never_overturned_by_later_votes(rule, quorum, votes, extra):
    assigned = len(votes) + extra
    result = rules.evaluate(rule, quorum, assigned, votes)
    if result.state != "decided":
        return
    assert result.tally[result.decision.value] * 2 > len(votes) or rule == DecisionRule.consensus
    for later in ([v] * extra for v in Vote):
        final = rules.evaluate(rule, quorum, assigned, votes + later)
        if rule == DecisionRule.majority:
            assert final.decision == result.decision


def test_bad_arguments():
    with pytest.raises(ValueError):
        rules.evaluate(DecisionRule.majority, 0, 3, [])
    with pytest.raises(ValueError):
        rules.evaluate(DecisionRule.majority, 1, 1, [U, U])


class _C:
    def __init__(self, kind, **values):  # type: ignore[no-untyped-def]
        self.kind = kind
        for name in ("enterprise_uscc", "enterprise_name", "country", "hs_chapter",
                     "product_area"):
            setattr(self, name, values.get(name))


def test_conflict_matching():
    facts = conflicts.Facts()
    facts.add_product("9503.00", "Children's toys", "cn")
    facts.add_enterprise(None, "Müller  Spielwaren GmbH.", "DE")
    assert conflicts.why(_C(ConflictKind.country, country="CN"), facts) == "CN"
    assert conflicts.why(_C(ConflictKind.product_area, hs_chapter="95"), facts) == "95"
    assert conflicts.why(_C(ConflictKind.product_area, product_area="TOYS"), facts) == "TOYS"
    assert conflicts.why(_C(ConflictKind.enterprise, enterprise_name="müller spielwaren gmbh",
                            country="DE"), facts)
    assert conflicts.why(_C(ConflictKind.enterprise, enterprise_name="Müller Spielwaren GmbH",
                            country="AT"), facts) is None
    assert conflicts.why(_C(ConflictKind.other), facts) is None
    assert conflicts.why(_C(ConflictKind.country, country="US"), facts) is None
