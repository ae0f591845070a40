"""Lane decisions for screened lines (`screen`). Pure: no DB, no HTTP.

Draws. Each line has four uniform draws in [0, 1) — purposes `lane`, `random`, `sample`,
`adjust` — from SplitMix64 (`draw`): key = mix(mix(seed) ⊕ line_no·φ), value =
mix(key + (purpose + 1)·φ) >> 11 scaled by 2⁻⁵³ (φ = 0x9E3779B97F4A7C15, arithmetic mod 2⁶⁴).
`draws` computes the same numbers for a whole batch with numpy. No global random state: the
same seed, line number and ledger always give the same decision.

Rules. Each matched rule (highest priority first) selects the line when its sampling rate is 1
or the line's `sample` draw < rate (one draw per line, so rates nest: a line taken at 10 % is
also taken at 30 %); else it gives a `sampling_skip` reason. Physical inspection, sampling,
hold and refuse entry route red; a documentary check yellow. Rule selections are never held
back.

Score. With credit multiplier m (grade; 1 when unknown), country score c (origin; default 0.5)
and commodity score h (longest scored HS prefix; default 0.5), g(x) = 4^(x − 0.5) (0.5 at 0,
1 at 0.5, 2 at 1) and the port target T:

    risk_score r = m · g(c) · g(h)            (relative risk; 1 = the port's target rates)
    p_red    = min(1, T.red_rate · r)
    p_yellow = min(1, T.yellow_rate · r)
    p_blue   = min(1, T.blue_rate · g(c) · g(h) / m)   (trusted traders go to post-clearance audit)

Top-up and hold-back (ASYCUDA style), from the ledger before the line, per lane L in (red,
yellow): deficit d = T.L_rate · seen − count_L. When d > 0 a top-up adds
e = min(max_top_up, d / adjust_horizon) · min(1, r) to the lane's probability (reason
`top_up`; weighted by risk so that the riskier lines fill the deficit first); when
d < 0 a score-based or random selection into L is held back with probability
min(1, −d / adjust_horizon), drawn with the `adjust` draw (reason `hold_back`; the
selection is dropped, so the line keeps the lane its rules give, else green). Being based on
the counts, the correction acts like an integral controller: the share converges to the
target whenever score-based selection can reach it (the steady-state offset is about
adjust_horizon lines). Counts are halved once a port has seen 2 × ledger_window lines, so old
history fades. After a call the ledger holds, per port seen, `seen` and all four lane counts
(plain string keys, JSON-safe).

The lane draw u walks the intervals in order: [0, p_red) red (score), then e_red (red,
top-up), p_yellow (yellow), e_yellow (yellow, top-up), p_blue (blue); beyond: green.
A `random` draw < T.min_random_rate selects red (reason `random`) whatever the risk — even a
certified trader's line — unless held back. The final lane is the most severe of the rule,
score and random lanes; a score reason is kept only when it decides the lane or ties it. Score
reasons are named after the dominant factor (`credit`, `country` or `commodity`); a green line
gets `clear` with its risk score. Every line has at least one reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from riskgate.border.screening.normalise import no_gc, norm_code, norm_hs
from riskgate.border.screening.types import (
    LineDecision,
    LineInput,
    Matcher,
    Policy,
    PortLedger,
    Reason,
)

# Plain strings equal to border.enums.Lane values (ledger keys survive a JSON round trip).
RED, YELLOW, BLUE, GREEN = "red", "yellow", "blue", "green"
SEVERITY = {GREEN: 0, BLUE: 1, YELLOW: 2, RED: 3}
RED_ACTIONS = frozenset({"physical_inspection", "sampling", "hold", "refuse_entry"})
PURPOSES = {"lane": 0, "random": 1, "sample": 2, "adjust": 3}
_MASK = (1 << 64) - 1
_PHI = 0x9E3779B97F4A7C15
_M1, _M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_UNIT = 2.0 ** -53


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    return z ^ (z >> 31)


def draw(seed: int, line_no: int, purpose: str) -> float:
    """The line's uniform draw in [0, 1) for a purpose (lane, random, sample, adjust)."""
    key = _mix(_mix(seed & _MASK) ^ ((line_no * _PHI) & _MASK))
    return (_mix((key + (PURPOSES[purpose] + 1) * _PHI) & _MASK) >> 11) * _UNIT


def _mix_np(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_M1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_M2)
    mixed: np.ndarray = z ^ (z >> np.uint64(31))
    return mixed


def draws(lines: Sequence[LineInput]) -> list[list[float]]:
    """`draw` for every line and the four purposes at once: [lane, random, sample, adjust]."""
    if not lines:
        return [[], [], [], []]
    with np.errstate(over="ignore"):
        seeds = np.array([line.seed & _MASK for line in lines], dtype=np.uint64)
        numbers = np.array([line.line_no & _MASK for line in lines], dtype=np.uint64)
        key = _mix_np(_mix_np(seeds) ^ (numbers * np.uint64(_PHI)))
        return [((_mix_np(key + np.uint64(((k + 1) * _PHI) & _MASK)) >> np.uint64(11))
                 .astype(np.float64) * _UNIT).tolist() for k in range(4)]


def _g(score: float) -> float:
    return math.pow(4.0, min(1.0, max(0.0, score)) - 0.5)


class _Scorer:
    """Policy lookups cached per distinct grade, origin and HS code."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.commodity = {norm_hs(k): v for k, v in policy.commodity_scores.items() if norm_hs(k)}
        self.lengths = sorted({len(k) for k in self.commodity}, reverse=True)
        self.countries = {norm_code(k): v for k, v in policy.country_scores.items()}

    def hs(self, code: str) -> tuple[str | None, float, float]:
        """(scored prefix or None, commodity score, g(score)) for an HS code."""
        digits = norm_hs(code)
        prefix, score = None, self.policy.default_commodity_score
        for length in self.lengths:
            if length <= len(digits) and digits[:length] in self.commodity:
                prefix = digits[:length]
                score = self.commodity[prefix]
                break
        return (prefix, score, _g(score))

    def origin(self, country: str | None, grade: str) -> tuple[str | None, float, float, float]:
        """(country code, country score, g(score), credit multiplier)."""
        code = norm_code(country) or None
        score = self.policy.default_country_score
        if code is not None:
            score = self.countries.get(code, score)
        return (code, score, _g(score), float(self.policy.credit_multipliers.get(grade, 1.0)))


def _factor(m: float, gc: float, gh: float, lane: str) -> str:
    """The dominant factor of a score-based selection, naming its reason."""
    credit = -math.log(m) if lane == BLUE else math.log(m)
    best = max((credit, 0, "credit"), (math.log(gc), 1, "country"), (math.log(gh), 2, "commodity"))
    return best[2]


def _rule_reasons(rule_ids: list[int], compiled: Matcher, u_sample: float
                  ) -> tuple[str, list[Reason]]:
    """The lane the matched rules select (green if none does) and their reasons."""
    lane = GREEN
    reasons = []
    for rule_id in rule_ids:
        rule = compiled.by_id[rule_id]
        rule_lane = YELLOW if rule.action == "documentary_check" else RED
        params: dict[str, object] = {"rule_id": rule_id, "action": rule.action,
                                     "priority": rule.priority,
                                     "sampling_rate": rule.sampling_rate,
                                     "matched": ",".join(rule.matched_fields())}
        if rule.sampling_rate >= 1.0 or u_sample < rule.sampling_rate:
            reasons.append(Reason("rule", rule_lane, params))
            if SEVERITY[rule_lane] > SEVERITY[lane]:
                lane = rule_lane
        else:
            params["draw"] = round(u_sample, 6)
            reasons.append(Reason("sampling_skip", rule_lane, params))
    return lane, reasons


# Per (grade, origin, HS code): prefix, h, g(h), country, c, g(c), m, risk, the shared `clear`
# reasons and the blue factor g(c)·g(h)/m.
_Risk = tuple[str | None, float, float, str | None, float, float, float, float,
              tuple[Reason, ...], float]


class _Port:
    """A port's counts during one call (written back to the ledger at the end) and target."""

    __slots__ = ("blue_rate", "counts", "random_rate", "red_rate", "seen", "yellow_rate")

    def __init__(self, policy: Policy, ledger: PortLedger, port: str) -> None:
        target = policy.port_targets.get(port, policy.default_target)
        self.red_rate, self.yellow_rate = target.red_rate, target.yellow_rate
        self.blue_rate, self.random_rate = target.blue_rate, target.min_random_rate
        self.seen = int(ledger.seen.get(port, 0))
        self.counts = {lane: int(n) for lane, n in ledger.lanes.get(port, {}).items()}
        for lane in (RED, YELLOW, BLUE, GREEN):
            self.counts.setdefault(lane, 0)


def screen(lines: Sequence[LineInput], compiled: Matcher, policy: Policy,
           ledger: PortLedger | None = None) -> list[LineDecision]:
    """Decide each line's lane with its reasons, in order; `ledger` is read and updated (a
    fresh one when None). See the module docstring for the formula."""
    with no_gc():
        return _screen_lines(lines, compiled, policy, PortLedger() if ledger is None else ledger)


def _screen_lines(lines: Sequence[LineInput], compiled: Matcher, policy: Policy,
                  ledger: PortLedger) -> list[LineDecision]:
    matches = compiled.match_many(lines)
    u_lanes, u_randoms, u_samples, u_adjusts = draws(lines)
    scorer = _Scorer(policy)
    horizon = float(max(1, policy.adjust_horizon))
    cap, window = policy.max_top_up, max(1, policy.ledger_window)
    cap_deficit = cap * horizon
    ports: dict[str, _Port] = {}
    hs_cache: dict[str, tuple[str | None, float, float]] = {}
    origin_cache: dict[tuple[str, str | None], tuple[str | None, float, float, float]] = {}
    risk_cache: dict[tuple[str, str | None, str], _Risk] = {}
    out: list[LineDecision] = []
    append = out.append
    last_port: str | None = None
    port = _Port(policy, ledger, "")  # replaced at the first line
    for line, rule_ids, u, u_random, u_sample, u_adjust in zip(
            lines, matches, u_lanes, u_randoms, u_samples, u_adjusts, strict=True):
        port_code = line.port_code
        if port_code != last_port:  # the lines of a declaration share their port
            last_port = port_code
            known = ports.get(port_code)
            if known is None:
                known = ports[port_code] = _Port(policy, ledger, port_code)
            port = known
        risk_key = (line.credit_grade, line.origin_country, line.hs_code)
        by_risk = risk_cache.get(risk_key)
        if by_risk is None:
            by_hs = hs_cache.get(line.hs_code)
            if by_hs is None:
                by_hs = hs_cache[line.hs_code] = scorer.hs(line.hs_code)
            grade_origin = (line.credit_grade, line.origin_country)
            by_origin = origin_cache.get(grade_origin)
            if by_origin is None:
                by_origin = origin_cache[grade_origin] = scorer.origin(line.origin_country,
                                                                       line.credit_grade)
            prefix, h, gh = by_hs
            country, c, gc, m = by_origin
            risk = m * gc * gh
            # One shared (read-only) `clear` reason per grade, origin and HS code.
            clear: tuple[Reason, ...] = (Reason("clear", GREEN, {"risk_score": round(risk, 6),
                                                            "grade": line.credit_grade,
                                                            "country_score": c,
                                                            "commodity_score": h}),)
            if len(risk_cache) > 1_000_000:  # per call; bounds memory on huge batches
                risk_cache.clear()
            by_risk = risk_cache[risk_key] = (prefix, h, gh, country, c, gc, m, risk, clear,
                                              gc * gh / m if m > 0 else 1e9)
        prefix, h, gh, country, c, gc, m, risk, clear, blue_factor = by_risk
        counts = port.counts
        seen = port.seen
        if rule_ids:
            lane, reasons = _rule_reasons(rule_ids, compiled, u_sample)
        else:
            lane, reasons = GREEN, []
        if lane != RED:
            # --- score, with top-up / hold-back against the port's counts ------------------
            red_rate, yellow_rate = port.red_rate, port.yellow_rate
            p_red = red_rate * risk
            d_red = red_rate * seen - counts[RED]
            d_yellow = yellow_rate * seen - counts[YELLOW]
            weight = risk if risk < 1.0 else 1.0  # top-ups go to the riskier lines first
            e_red = (d_red if d_red < cap_deficit else cap_deficit) / horizon * weight \
                if d_red > 0 else 0.0
            score_lane, kind, probability = GREEN, "", 0.0
            if u < p_red:
                score_lane, kind, probability = RED, "score", p_red
            elif u < (edge := p_red + e_red):
                score_lane, kind, probability = RED, "top_up", e_red
            else:
                p_yellow = yellow_rate * risk
                e_yellow = (d_yellow if d_yellow < cap_deficit else cap_deficit) / horizon \
                    * weight if d_yellow > 0 else 0.0
                p_blue = port.blue_rate * blue_factor
                if u < (edge := edge + p_yellow):
                    score_lane, kind, probability = YELLOW, "score", p_yellow
                elif u < (edge := edge + e_yellow):
                    score_lane, kind, probability = YELLOW, "top_up", e_yellow
                elif u < edge + p_blue:
                    score_lane, kind, probability = BLUE, "score", p_blue
            if kind:
                if kind == "score" and score_lane != BLUE:
                    deficit = d_red if score_lane == RED else d_yellow
                    hold = min(1.0, -deficit / horizon) if deficit < 0 else 0.0
                    if u_adjust < hold:
                        reasons.append(Reason("hold_back", score_lane, {
                            "selection": "score", "probability": round(hold, 6),
                            "draw": round(u_adjust, 6), "surplus": round(-deficit, 3),
                        }))
                        kind = ""
                if kind and SEVERITY[score_lane] >= SEVERITY[lane]:
                    if kind == "top_up":
                        deficit = d_red if score_lane == RED else d_yellow
                        reasons.append(Reason("top_up", score_lane, {
                            "probability": round(probability, 6), "deficit": round(deficit, 3),
                            "share": round(counts[score_lane] / seen, 6) if seen else 0.0,
                            "target": red_rate if score_lane == RED else yellow_rate,
                            "draw": round(u, 6), "risk_score": round(risk, 6),
                        }))
                    else:
                        reasons.append(Reason(_factor(m, gc, gh, score_lane), score_lane, {
                            "grade": line.credit_grade, "multiplier": m,
                            "country": country, "country_score": c,
                            "hs_prefix": prefix, "commodity_score": h,
                            "risk_score": round(risk, 6),
                            "probability": round(min(1.0, probability), 6),
                            "draw": round(u, 6),
                        }))
                    lane = score_lane
            # --- minimum random rate -------------------------------------------------------
            if lane != RED and u_random < port.random_rate:
                hold = min(1.0, -d_red / horizon) if d_red < 0 else 0.0
                if u_adjust < hold:
                    reasons.append(Reason("hold_back", RED, {
                        "selection": "random", "probability": round(hold, 6),
                        "draw": round(u_adjust, 6), "surplus": round(-d_red, 3),
                    }))
                else:
                    reasons.append(Reason("random", RED, {
                        "rate": port.random_rate, "draw": round(u_random, 6),
                    }))
                    lane = RED
        if lane != GREEN:
            final = tuple(reasons)
        elif reasons:
            final = (*reasons, *clear)
        else:
            final = clear
        # --- ledger --------------------------------------------------------------------------
        seen += 1
        counts[lane] += 1
        if seen >= 2 * window:  # age: halve the counts
            seen //= 2
            for key in counts:
                counts[key] //= 2
        port.seen = seen
        append(LineDecision(lane, final, tuple(rule_ids) if rule_ids else (), risk, u))
    for port_code, port in ports.items():
        ledger.seen[port_code] = port.seen
        ledger.lanes[port_code] = dict(port.counts)
    return out
