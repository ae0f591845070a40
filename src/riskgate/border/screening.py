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
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


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


@dataclass
class PortLedger:
    """Running counts per port (lines seen and per lane), so that top-up and hold-back keep the
    selection near the port's targets. The caller persists it between calls."""

    seen: dict[str, int] = field(default_factory=dict)
    lanes: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a line went to its lane. `kind`: rule, credit, country, commodity, random, top_up,
    hold_back, sampling_skip. `params` carry what a page needs to say it (rule id and action,
    grade, score, rate, draw)."""

    kind: str
    lane: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LineDecision:
    lane: str  # border.enums.Lane value
    reasons: tuple[Reason, ...]
    rule_ids: tuple[int, ...]
    risk_score: float
    draw: float


class CompiledRules:
    """An index of rules for fast matching; build with `compile_rules`."""

    version: str = ""

    def match(self, line: LineInput) -> list[int]:
        raise NotImplementedError

    def match_many(self, lines: Sequence[LineInput]) -> list[list[int]]:
        return [self.match(line) for line in lines]


def compile_rules(rules: Iterable[RuleSpec]) -> CompiledRules:
    raise NotImplementedError


def screen(lines: Sequence[LineInput], compiled: CompiledRules, policy: Policy,
           ledger: PortLedger | None = None) -> list[LineDecision]:
    raise NotImplementedError
