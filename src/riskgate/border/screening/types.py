"""The screening engine's shared types: what it is given (rules, lines, policy, the ports'
ledger) and what it decides. Pure data; the parts of the engine (`match`, `lanes`) import these
and not each other."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol


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
    # The products a warning names: the line's brand, model and batch compare exactly (folded,
    # without spaces; see `normalise.norm_term`).
    brands: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    batches: tuple[str, ...] = ()

    def matched_fields(self) -> tuple[str, ...]:
        """The line fields a match of this rule was decided on (every one of them matched:
        fields combine with AND), named as the screening reason shows them."""
        given = (("hs_code", self.hs_prefixes), ("origin_country", self.countries),
                 ("trader_code", self.enterprise_codes), ("description", self.keywords),
                 ("brand", self.brands), ("model", self.models), ("batch", self.batches),
                 ("barcode", self.barcodes), ("port_code", self.ports),
                 ("direction", (self.direction,) if self.direction else ()))
        return tuple(name for name, values in given if any(v.strip() for v in values))


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
    batch: str | None = None  # the production batch or lot number declared


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


class Matcher(Protocol):
    """What lane decisions need of compiled rules (`match.CompiledRules` is one): the rules a
    line matches, and each rule by its id."""

    @property
    def by_id(self) -> Mapping[int, RuleSpec]: ...

    def match_many(self, lines: Sequence[LineInput]) -> list[list[int]]: ...
