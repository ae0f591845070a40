"""The panels' decision rules, pure: given the votes cast so far, is the matter decided?

- **majority** (simple majority with quorum): decided for a choice as soon as at least `quorum`
  experts voted and that choice holds more than half of the *assigned* experts' votes — no vote
  still to come can overturn it. When everyone assigned has voted and the top two choices are
  tied, the chair's vote (if the chair is among them and voted for one of the tied choices) is
  the casting vote. Otherwise, once everyone voted, it is deadlocked: the meeting decides.
- **consensus**: decided when every assigned expert (at least `quorum`) voted and all votes are
  alike; deadlocked as soon as two votes differ (unless a vote is revised).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from riskgate.experts.enums import DecisionRule, Vote

PENDING = "pending"
DECIDED = "decided"
DEADLOCK = "deadlock"


@dataclass(frozen=True)
class Outcome:
    state: str  # pending, decided or deadlock
    decision: Vote | None = None
    tally: dict[str, int] = field(default_factory=dict)
    casting_vote: bool = False


def tally_of(votes: Sequence[Vote]) -> dict[str, int]:
    counts = Counter(Vote(v).value for v in votes)
    return {v.value: counts.get(v.value, 0) for v in Vote}


def evaluate(rule: DecisionRule, quorum: int, assigned: int, votes: Sequence[Vote],
             chair_vote: Vote | None = None) -> Outcome:
    """The state of one review under `rule`, with `assigned` experts and `votes` cast."""
    if quorum < 1 or assigned < 0 or len(votes) > assigned:
        raise ValueError("quorum must be >= 1 and votes cannot outnumber assigned experts")
    tally = tally_of(votes)
    cast = len(votes)
    everyone = cast == assigned and assigned > 0
    ranked = sorted(((count, choice) for choice, count in tally.items() if count), reverse=True)
    if rule == DecisionRule.consensus:
        if len(ranked) > 1:
            return Outcome(DEADLOCK, tally=tally)
        if everyone:
            if cast >= quorum:
                return Outcome(DECIDED, Vote(ranked[0][1]), tally)
            return Outcome(DEADLOCK, tally=tally)
        return Outcome(PENDING, tally=tally)
    if ranked and cast >= quorum and 2 * ranked[0][0] > assigned:
        return Outcome(DECIDED, Vote(ranked[0][1]), tally)
    if not everyone:
        return Outcome(PENDING, tally=tally)
    if cast >= quorum and len(ranked) >= 2 and ranked[0][0] == ranked[1][0]:
        top = ranked[0][0]
        tied = {choice for count, choice in ranked if count == top}
        if chair_vote is not None and Vote(chair_vote).value in tied and len(tied) == 2:
            return Outcome(DECIDED, Vote(chair_vote), tally, casting_vote=True)
    return Outcome(DEADLOCK, tally=tally)
