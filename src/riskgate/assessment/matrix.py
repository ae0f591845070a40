"""The product-safety risk matrix (pure: no database, no HTTP).

Follows the EU risk assessment guidelines for consumer products (Commission Implementing
Decision (EU) 2019/417, Part III, continuing Decision 2010/15/EU): an assessor writes *harm
scenarios* — a hazard, the consumers exposed (possibly a vulnerable group), the steps from the
hazard to the injury, each with a probability in (0, 1], and the severity of the injury (1–4).
A scenario's probability is the product of its steps; severity × probability gives the risk
level from the guideline's matrix (serious / high / medium / low); a product with several
scenarios carries the highest of their risks. The sensitivity analysis the guidelines ask for
multiplies and divides each step probability by ten and reports which steps change the level.

`assess` also recommends the warning that follows from the risk (level I–IV, type, measures)
through a `WarningMap` (see `assessment.warning_map`), which maps risk level × urgency × scope of
impact to a warning level, documented in docs/assessment.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

from riskgate.assessment.enums import ImpactScope, RiskLevel, Urgency
from riskgate.assessment.warning_map import Recommendation, WarningMap, default_warning_map
from riskgate.core.i18n import N_

MAX_SCENARIOS = 20
MAX_STEPS = 20
MAX_TEXT = 2000

# --- Data from the guidelines ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeverityLevel:
    """A severity-of-injury level with the guideline's definition (paraphrased), zh-CN and en."""

    level: int
    name_en: str
    name_zh: str
    definition_en: str
    definition_zh: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh

    def definition(self, lang: str) -> str:
        return self.definition_en if lang == "en" else self.definition_zh


SEVERITY_LEVELS: tuple[SeverityLevel, ...] = (
    SeverityLevel(
        1, "Minor", "轻微",
        "Basic first aid, usually not by a doctor, is enough; functioning is not substantially "
        "hampered, there is no excessive pain, and the consequences are usually fully reversible.",
        "经基本处理（急救，通常无需医生）即可；身体功能不受实质影响，不造成过度疼痛，"
        "后果通常完全可逆。",
    ),
    SeverityLevel(
        2, "Moderate", "中等",
        "A visit to the emergency department may be needed but usually no hospitalisation; "
        "functioning may be affected for a limited time (up to about six months) and recovery "
        "is more or less complete.",
        "可能需要急诊，但一般无需住院；身体功能可能在有限时间内（不超过约6个月）受影响，"
        "基本可以完全恢复。",
    ),
    SeverityLevel(
        3, "Severe", "严重",
        "Usually needs hospitalisation; functioning is affected for more than six months or "
        "permanently lost.",
        "通常需要住院治疗；身体功能受影响超过6个月，或造成永久性功能丧失。",
    ),
    SeverityLevel(
        4, "Very severe or fatal", "极严重或致命",
        "Is or could be fatal (including brain death); affects reproduction or offspring; "
        "severe loss of limbs or function, leading to more than about 10% disability.",
        "可能致死（包括脑死亡）；影响生殖能力或后代；严重的肢体和/或功能丧失，"
        "导致约10%以上的残疾。",
    ),
)


@dataclass(frozen=True, slots=True)
class ProbabilityBand:
    """A row of the matrix: probabilities above `above` (the last band has above = 0)."""

    index: int
    above: Fraction
    label: str


# Rows of the matrix, most probable first: >50%, >1/10 … >1/1 000 000, ≤1/1 000 000.
PROBABILITY_BANDS: tuple[ProbabilityBand, ...] = (
    ProbabilityBand(0, Fraction(1, 2), "> 50%"),
    ProbabilityBand(1, Fraction(1, 10), "> 1/10"),
    ProbabilityBand(2, Fraction(1, 100), "> 1/100"),
    ProbabilityBand(3, Fraction(1, 1_000), "> 1/1 000"),
    ProbabilityBand(4, Fraction(1, 10_000), "> 1/10 000"),
    ProbabilityBand(5, Fraction(1, 100_000), "> 1/100 000"),
    ProbabilityBand(6, Fraction(1, 1_000_000), "> 1/1 000 000"),
    ProbabilityBand(7, Fraction(0), "≤ 1/1 000 000"),
)

_S, _H, _M, _L = RiskLevel.serious, RiskLevel.high, RiskLevel.medium, RiskLevel.low
# MATRIX[band][severity - 1]: the guideline's risk matrix.
MATRIX: tuple[tuple[RiskLevel, RiskLevel, RiskLevel, RiskLevel], ...] = (
    (_H, _S, _S, _S),  # > 50%
    (_M, _S, _S, _S),  # > 1/10
    (_M, _S, _S, _S),  # > 1/100
    (_L, _H, _S, _S),  # > 1/1 000
    (_L, _M, _H, _S),  # > 1/10 000
    (_L, _L, _M, _H),  # > 1/100 000
    (_L, _L, _L, _M),  # > 1/1 000 000
    (_L, _L, _L, _L),  # ≤ 1/1 000 000
)
LEVEL_RANK = {RiskLevel.low: 0, RiskLevel.medium: 1, RiskLevel.high: 2, RiskLevel.serious: 3}


@dataclass(frozen=True, slots=True)
class UserGroup:
    """Consumers exposed in a scenario (the guideline's table of consumer groups)."""

    code: str
    vulnerability: str  # "very_vulnerable", "vulnerable" or "other"
    name_en: str
    name_zh: str

    @property
    def vulnerable(self) -> bool:
        return self.vulnerability != "other"

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


USER_GROUPS: tuple[UserGroup, ...] = (
    UserGroup("adults", "other", "Adults", "成年人"),
    UserGroup("very_young_children", "very_vulnerable", "Very young children (0–36 months)",
              "婴幼儿（0–36个月）"),
    UserGroup("complex_disabilities", "very_vulnerable",
              "Persons with extensive and complex disabilities", "有广泛复杂残障的人"),
    UserGroup("young_children", "vulnerable", "Young children (3–8 years)", "幼儿（3–8岁）"),
    UserGroup("older_children", "vulnerable", "Older children (8–14 years)",
              "儿童（8–14岁）"),
    UserGroup("reduced_capabilities", "vulnerable",
              "Persons with reduced physical, sensory or mental capabilities",
              "身体、感官或智力能力下降的人"),
    UserGroup("elderly", "vulnerable", "Elderly people", "老年人"),
)
USER_GROUP_CODES = {group.code: group for group in USER_GROUPS}

# --- Input -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One invalid input: where (e.g. "scenarios/0/steps/2/probability"), what (a msgid)."""

    loc: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


class MatrixInputError(ValueError):
    """The scenarios cannot be assessed; `problems` says which inputs are wrong and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.loc}: {p.message}" for p in problems))


@dataclass(frozen=True)
class Step:
    description: str
    probability: float


@dataclass(frozen=True)
class Scenario:
    """A harm scenario: the hazard, who is exposed, the steps to the injury and its severity."""

    hazard: str
    injury: str
    severity: int
    steps: tuple[Step, ...]
    user_group: str = "adults"

    @property
    def probability(self) -> float:
        return math.prod(step.probability for step in self.steps)

    @property
    def vulnerable(self) -> bool:
        group = USER_GROUP_CODES.get(self.user_group)
        return bool(group and group.vulnerable)

    def to_dict(self) -> dict[str, Any]:
        return {"hazard": self.hazard, "injury": self.injury, "severity": self.severity,
                "user_group": self.user_group,
                "steps": [{"description": s.description, "probability": s.probability}
                          for s in self.steps]}


_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d[\d\s,_]*)\s*$")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


def format_probability(p: float | None) -> str:
    """1/500 rather than 0.002 (or 0.0020000000000000005) when the probability is one over a
    whole number; otherwise at most four significant digits; "—" for none."""
    if p is None:
        return "—"
    if p >= 0.01:
        return f"{p:.4g}"
    inverse = 1 / p if p > 0 else 0
    if inverse and abs(inverse - round(inverse)) < 1e-6 * inverse:
        return f"1/{round(inverse):,}".replace(",", " ")
    return f"{p:.3g}"


def severity_level(level: int | None) -> SeverityLevel | None:
    """The guideline's severity level 1–4 (None for anything else)."""
    return SEVERITY_LEVELS[level - 1] if isinstance(level, int) and 1 <= level <= 4 else None


def parse_probability(value: object) -> float | None:
    """A probability from a number, "1/500", "1/1 000", "0.002" or "20%"; None if unreadable.

    The range is not checked here (see `parse_scenarios`).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        return None
    text = value.strip().replace("，", ",").replace("／", "/").replace("％", "%")
    if match := _FRACTION.match(text):
        denominator = float(re.sub(r"[\s,_]", "", match.group(2)))
        return float(match.group(1)) / denominator if denominator else math.inf
    if match := _PERCENT.match(text):
        return float(match.group(1)) / 100
    try:
        return float(text)
    except ValueError:
        return None


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    return value.strip()[:MAX_TEXT] if isinstance(value, str) else ""


def parse_scenarios(raw: object) -> tuple[Scenario, ...]:
    """Validate scenarios given as plain data (JSON, form fields); every problem is reported.

    Probabilities must lie in (0, 1], severities in 1–4, and there must be at least one scenario
    with at least one step.
    """
    problems: list[Problem] = []
    if not isinstance(raw, list | tuple) or not raw:
        raise MatrixInputError([Problem("scenarios", N_("Describe at least one harm scenario."))])
    if len(raw) > MAX_SCENARIOS:
        raise MatrixInputError([Problem("scenarios", N_("At most {max} scenarios."),
                                        {"max": MAX_SCENARIOS})])
    scenarios: list[Scenario] = []
    for i, item in enumerate(raw):
        where = f"scenarios/{i}"
        if not isinstance(item, dict):
            problems.append(Problem(where, N_("A scenario must be an object.")))
            continue
        severity = item.get("severity")
        if isinstance(severity, str) and severity.strip().isdigit():
            severity = int(severity.strip())
        if isinstance(severity, bool) or not isinstance(severity, int) or not 1 <= severity <= 4:
            problems.append(Problem(f"{where}/severity",
                                    N_("The severity of injury must be 1, 2, 3 or 4.")))
            severity = 0
        group = item.get("user_group") or "adults"
        if group not in USER_GROUP_CODES:
            problems.append(Problem(f"{where}/user_group", N_("Unknown consumer group.")))
        raw_steps = item.get("steps")
        if not isinstance(raw_steps, list | tuple) or not raw_steps:
            problems.append(Problem(f"{where}/steps",
                                    N_("A scenario needs at least one step with a probability.")))
            raw_steps = []
        elif len(raw_steps) > MAX_STEPS:
            problems.append(Problem(f"{where}/steps", N_("At most {max} steps per scenario."),
                                    {"max": MAX_STEPS}))
            raw_steps = []
        steps: list[Step] = []
        for j, raw_step in enumerate(raw_steps):
            loc = f"{where}/steps/{j}/probability"
            if not isinstance(raw_step, dict):
                problems.append(Problem(f"{where}/steps/{j}", N_("A step must be an object.")))
                continue
            p = parse_probability(raw_step.get("probability"))
            if p is None or not math.isfinite(p) or not 0 < p <= 1:
                problems.append(Problem(loc, N_(
                    "A probability must be greater than 0 and at most 1 (e.g. 0.01 or 1/100).")))
                continue
            steps.append(Step(_text(raw_step, "description"), p))
        scenarios.append(Scenario(_text(item, "hazard"), _text(item, "injury"), severity,
                                  tuple(steps), str(group)))
    if problems:
        raise MatrixInputError(problems)
    return tuple(scenarios)


# --- The matrix ------------------------------------------------------------------------------

# Products of decimal step probabilities land a hair off the band limits (0.1 * 0.1 is
# 0.010000000000000002); within this relative distance a probability counts as on the limit.
_REL_TOL = 1e-9


def probability_band(probability: float) -> int:
    """The index of the matrix row holding `probability` (0 is "> 50%")."""
    if not 0 < probability <= 1:
        raise ValueError("probability outside (0, 1]")
    for band in PROBABILITY_BANDS[:-1]:
        if probability > float(band.above) * (1 + _REL_TOL):
            return band.index
    return PROBABILITY_BANDS[-1].index


def risk_level(severity: int, probability: float) -> RiskLevel:
    """The guideline's risk level for a severity (1–4) and an overall probability."""
    if not 1 <= severity <= 4:
        raise ValueError("severity outside 1–4")
    return MATRIX[probability_band(probability)][severity - 1]


def highest(levels: list[RiskLevel] | tuple[RiskLevel, ...]) -> RiskLevel:
    return max(levels, key=LEVEL_RANK.__getitem__)


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSensitivity:
    """What happens to the risk when one step's probability is ten times higher or lower."""

    scenario: int
    step: int
    probability: float
    up_probability: float
    down_probability: float
    level_up: RiskLevel  # the product's overall level with this step × 10
    level_down: RiskLevel  # … and ÷ 10
    decisive: bool  # the overall level changes either way


@dataclass(frozen=True)
class ScenarioResult:
    index: int
    severity: int
    probability: float
    band: int
    level: RiskLevel
    vulnerable: bool


@dataclass(frozen=True)
class MatrixResult:
    """Everything the matrix says about a set of scenarios."""

    scenarios: tuple[ScenarioResult, ...]
    level: RiskLevel
    decisive_scenario: int  # index of the scenario with the highest risk (first on ties)
    severity: int
    probability: float
    sensitivity: tuple[StepSensitivity, ...]
    decisive_steps: tuple[tuple[int, int], ...]  # (scenario, step) pairs that change the level
    stable: bool  # no single step × or ÷ 10 changes the level
    recommendation: Recommendation

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form for storage and the API."""
        data = asdict(self)
        data["decisive_steps"] = [list(pair) for pair in self.decisive_steps]
        return data


def _clamp(p: float) -> float:
    """Keep a varied probability inside (0, 1]."""
    return min(1.0, max(p, math.ulp(0.0)))


def _overall(scenarios: tuple[Scenario, ...], probabilities: list[float]) -> RiskLevel:
    return highest([risk_level(s.severity, p) for s, p in zip(scenarios, probabilities,
                                                                strict=True)])


def sensitivity(scenarios: tuple[Scenario, ...]) -> tuple[StepSensitivity, ...]:
    """Each step's probability × 10 and ÷ 10 (clamped to (0, 1]), the others unchanged."""
    base = [s.probability for s in scenarios]
    level = _overall(scenarios, base)
    rows: list[StepSensitivity] = []
    for i, scenario in enumerate(scenarios):
        for j, step in enumerate(scenario.steps):
            others = math.prod(s.probability for k, s in enumerate(scenario.steps) if k != j)
            up, down = _clamp(step.probability * 10), _clamp(step.probability / 10)
            levels = []
            for varied in (up, down):
                probabilities = list(base)
                probabilities[i] = _clamp(others * varied)
                levels.append(_overall(scenarios, probabilities))
            rows.append(StepSensitivity(
                scenario=i, step=j, probability=step.probability, up_probability=up,
                down_probability=down, level_up=levels[0], level_down=levels[1],
                decisive=levels[0] != level or levels[1] != level,
            ))  # fmt: skip
    return tuple(rows)


def assess(
    scenarios: tuple[Scenario, ...] | list[Any],
    *,
    urgency: Urgency | str | None = None,
    impact_scope: ImpactScope | str | None = None,
    warning_map: WarningMap | None = None,
) -> MatrixResult:
    """Assess scenarios (parsed ones or plain data): levels, sensitivity, recommendation.

    Urgency and scope default to the most cautious values (immediate, nationwide) when not
    known yet, so an incomplete assessment never understates the warning.
    """
    if not scenarios or not all(isinstance(s, Scenario) for s in scenarios):
        scenarios = parse_scenarios(scenarios)
    scenarios = tuple(scenarios)
    results = tuple(
        ScenarioResult(index=i, severity=s.severity, probability=s.probability,
                       band=probability_band(_clamp(s.probability)),
                       level=risk_level(s.severity, _clamp(s.probability)),
                       vulnerable=s.vulnerable)
        for i, s in enumerate(scenarios)
    )  # fmt: skip
    level = highest([r.level for r in results])
    decisive = next(r for r in results if r.level == level)
    rows = sensitivity(scenarios)
    decisive_steps = tuple((row.scenario, row.step) for row in rows if row.decisive)
    chosen = warning_map or default_warning_map()
    recommendation = chosen.recommend(
        level, Urgency(urgency) if urgency else Urgency.immediate,
        ImpactScope(impact_scope) if impact_scope else ImpactScope.nationwide,
        vulnerable=decisive.vulnerable,
    )
    return MatrixResult(
        scenarios=results, level=level, decisive_scenario=decisive.index,
        severity=decisive.severity, probability=decisive.probability, sensitivity=rows,
        decisive_steps=decisive_steps, stable=not decisive_steps, recommendation=recommendation,
    )  # fmt: skip
