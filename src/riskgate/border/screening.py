"""Declaration screening (U3), a pure algorithm: no database, no HTTP.

CONTRACT (written first so that the service and the engine can be built side by side; the
bodies are filled in by the engine's owner, who may add fields with defaults but not rename):

* `compile_rules(rules)` builds an index of the live control rules once per rule-set version.
* `CompiledRules.match(line)` gives the ids of the rules a line matches, highest priority first.
  Within a rule's field the values are alternatives (OR); across the fields the rule gives, all
  must match (AND); an empty field does not constrain. HS prefixes match the start of the line's
  code; keywords match anywhere in description + brand + model, case-insensitively after NFKC and
  traditional→simplified folding; countries match the line's origin country; enterprise codes the
  trader's code; barcodes exactly; `ports` and `direction`, when given, restrict the rule.
* `screen(lines, compiled, policy, ledger)` decides each line's lane with its reasons:
  a matched rule's action routes red (physical inspection, sampling, hold, refuse entry) or yellow
  (documentary check), subject to the rule's sampling rate drawn with the line's deterministic
  draw; otherwise a risk score from credit grade, origin-country risk and commodity risk sets the
  probability of red/yellow/blue; a minimum random rate applies to every line; per-port expected
  rates are kept by topping up or holding back score-based and random selections (never rule
  selections), using and updating `ledger`. Same inputs, same seed, same ledger → same decisions.

IMPLEMENTATION: the index and its reference matcher (`naive_match`) are in `screening_match`;
the lane formula, the draws, top-up and hold-back are documented and implemented in
`screening_lanes`. Both are pure. `bench/bench_screening.py` measures them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from riskgate.border.screening_match import RuleIndex, naive_match

__all__ = [
    "CompiledRules", "LineDecision", "LineInput", "Policy", "PortLedger", "PortTarget",
    "Reason", "RuleSpec", "compile_rules", "naive_match", "screen",
]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A live control rule as the engine sees it (values already normalised: HS digits only,
    ISO alpha-2 countries upper-case, keywords folded)."""

    id: int
    action: str  # border.enums.ControlAction value
    priority: int = 50  # higher first
    sampling_rate: float = 1.0
    hs_prefixes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    enterprise_codes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    barcodes: tuple[str, ...] = ()
    ports: tuple[str, ...] = ()
    direction: str | None = None  # "import" / "export" / None for both


@dataclass(frozen=True, slots=True)
class LineInput:
    """One declaration line with what screening needs from its declaration."""

    line_no: int
    hs_code: str
    description: str
    trader_code: str
    port_code: str
    direction: str
    credit_grade: str  # border.enums.CreditGrade value
    seed: int  # the declaration's seed; the line's draws derive from (seed, line_no)
    brand: str | None = None
    model: str | None = None
    barcode: str | None = None
    origin_country: str | None = None


@dataclass(frozen=True, slots=True)
class PortTarget:
    """Expected shares of lines per lane at a port and the minimum random inspection rate."""

    red_rate: float = 0.03
    yellow_rate: float = 0.05
    blue_rate: float = 0.02
    min_random_rate: float = 0.005


@dataclass(frozen=True, slots=True)
class Policy:
    """What sets the rates: credit-grade multipliers, country and commodity risk scores in [0, 1]
    (commodity by HS prefix, longest wins), and per-port targets."""

    credit_multipliers: dict[str, float] = field(
        default_factory=lambda: {"certified": 0.2, "ordinary": 1.0, "dishonest": 3.0}
    )
    country_scores: dict[str, float] = field(default_factory=dict)
    commodity_scores: dict[str, float] = field(default_factory=dict)
    port_targets: dict[str, PortTarget] = field(default_factory=dict)
    default_target: PortTarget = field(default_factory=PortTarget)
    # Added by the engine (defaults keep the contract's callers unchanged):
    default_country_score: float = 0.5  # origin unknown or not scored: neutral
    default_commodity_score: float = 0.5  # no scored HS prefix: neutral
    adjust_horizon: int = 50  # lines over which a top-up closes a deficit / a surplus is held
    max_top_up: float = 0.5  # cap on the extra selection probability of a top-up
    ledger_window: int = 10_000  # counts are halved when a port passes twice this many lines


@dataclass
class PortLedger:
    """Running counts per port (lines seen and per lane), so that top-up and hold-back keep the
    selection near the port's targets. The caller persists it between calls."""

    seen: dict[str, int] = field(default_factory=dict)
    lanes: dict[str, dict[str, int]] = field(default_factory=dict)

    def copy(self) -> PortLedger:
        """An independent copy (to replay a screening from the same state)."""
        return PortLedger(dict(self.seen), {p: dict(c) for p, c in self.lanes.items()})

    def share(self, port: str, lane: str) -> float:
        """The port's share of lines in a lane so far (0 before any line)."""
        seen = self.seen.get(port, 0)
        return self.lanes.get(port, {}).get(lane, 0) / seen if seen else 0.0


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a line went to its lane. `kind`: rule, credit, country, commodity, random, top_up,
    hold_back, sampling_skip, clear (a green line, with its risk score). `params` carry what a
    page needs to say it (rule id and action, grade, score, rate, draw); treat them as
    read-only — lines with the same risk share one `clear` reason."""

    kind: str
    lane: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LineDecision:
    """A line's lane; `rule_ids` are all the rules it matched (selected or skipped by sampling),
    `risk_score` the relative risk r (1 = the port's target rates), `draw` its lane draw."""

    lane: str  # border.enums.Lane value
    reasons: tuple[Reason, ...]
    rule_ids: tuple[int, ...]
    risk_score: float
    draw: float


class CompiledRules:
    """An index of rules for fast matching; build with `compile_rules`.

    `version` is a digest of the rules it was built from (same rules → same version), so a
    caller can keep one compiled index per rule-set version."""

    version: str = ""

    def __init__(self, rules: Iterable[RuleSpec] = ()) -> None:
        self._index = RuleIndex(rules)
        self.rules: tuple[RuleSpec, ...] = self._index.rules  # highest priority first
        self.by_id: dict[int, RuleSpec] = {r.id: r for r in self.rules}
        digest = hashlib.blake2b(digest_size=12)
        for rule in sorted(self.rules, key=lambda r: r.id):
            digest.update(repr(rule).encode())
        self.version = digest.hexdigest()

    def __len__(self) -> int:
        return len(self.rules)

    def match(self, line: LineInput) -> list[int]:
        """Ids of the rules the line matches, highest priority first, then by id."""
        return self._index.match(line)

    def match_many(self, lines: Sequence[LineInput]) -> list[list[int]]:
        """`match` for every line (the fast path: lookups cached per distinct value)."""
        return self._index.match_many(lines)


def compile_rules(rules: Iterable[RuleSpec]) -> CompiledRules:
    """Build the index once per rule-set version (about 10 ms per 1,000 rules)."""
    return CompiledRules(rules)


def screen(lines: Sequence[LineInput], compiled: CompiledRules, policy: Policy,
           ledger: PortLedger | None = None) -> list[LineDecision]:
    """Decide each line's lane with its reasons, in order; `ledger` is read and updated (a
    fresh one when None). See the module docstring for the formula."""
    from riskgate.border.screening_lanes import screen_lines

    return screen_lines(lines, compiled, policy, PortLedger() if ledger is None else ledger)
