"""The integer program of the balanced selection and the plain data around it.

`Candidate`s (one per application) and the call's `Rules` go in; `Model` builds the program
(with PuLP, solved by the CBC it bundles) and can leave rules out (`drop`) so that
`relaxation.py` can ask how far each one must move; `selection.propose` puts it together.
The model (docs/selection.md), with x_i = 1 when candidate i is selected:
    maximise    sum score_i x_i
    subject to  sum requested_i x_i <= budget
                sum_{i in country c} x_i <= max_per_country        for every country c
                sum_{i covers area a} x_i >= 1                      for every coverable area a
                sum (small_i - min_small_share) x_i >= 0            (the share of small museums)
                sum x_i <= max_projects                             (when the call sets one)
                x_i = 1 for inclusions by hand
Candidates are the eligible applications scored at or above the threshold and not excluded by
hand; the others are never variables, which is how "every selected application above the
threshold" holds. Nothing here reads the database or knows Flask.
"""
from dataclasses import dataclass, field

import pulp

#: the solver gives up after this many seconds; a proposal it could not prove optimal is refused
TIME_LIMIT_SECONDS = 60
OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN = "optimal", "feasible", "infeasible", "unknown"
EPSILON = 1e-6


@dataclass(frozen=True)
class Candidate:
    """One application as the selection sees it."""
    ref: str
    country: str
    areas: tuple[str, ...]
    small: bool
    requested: int
    score: float | None
    eligible: bool = True


@dataclass(frozen=True)
class Rules:
    budget: int
    max_per_country: int | None = None
    min_small_share: float = 0.0          # 0 to 1
    threshold: float = 0.0
    areas: tuple[str, ...] | None = None  # the call's areas; None: every area a candidate lists
    max_projects: int | None = None


@dataclass(frozen=True)
class Reason:
    """Why an application is or is not selected: a code and the figures its sentence needs."""
    code: str
    params: tuple[tuple[str, object], ...] = ()

    def get(self, name: str, default=None):
        return dict(self.params).get(name, default)

    @property
    def selected(self) -> bool:
        return self.code in ("selected", "included")


@dataclass(frozen=True)
class Relaxation:
    """One rule loosened alone so that a selection exists: `rule` from `current` to `needed`
    (`areas`: the areas left uncovered; `manual`: the inclusions by hand dropped). `proven`:
    `needed` is the least change; False when the time ran out first (it is still enough)."""
    rule: str
    current: object
    needed: object
    areas: tuple[str, ...] = ()
    proven: bool = True


@dataclass
class Proposal:
    feasible: bool
    selected: list[str]
    total_score: float
    budget_used: int
    per_country: dict[str, int]
    reasons: dict[str, Reason]
    relaxations: list[Relaxation] = field(default_factory=list)
    #: False when the time ran out before every rule's relaxation was settled
    relax_settled: bool = True


class SolverError(RuntimeError):
    """CBC proved neither an optimum nor infeasibility in time, or failed."""


class SolverInputError(ValueError):
    """Inclusions by hand naming an application that cannot be selected."""


def is_candidate(candidate: Candidate, rules: Rules) -> bool:
    return (candidate.eligible and candidate.score is not None
            and candidate.score >= rules.threshold - EPSILON)


def coverable_areas(candidates: list[Candidate], rules: Rules) -> list[str]:
    """The areas some candidate covers (within the call's areas when it lists them)."""
    listed = sorted({area for c in candidates for area in c.areas})
    if rules.areas is None:
        return listed
    return [area for area in listed if area in set(rules.areas)]


@dataclass
class Model:
    """The integer program over `candidates`, with some rules optionally left out (`drop`) so
    that `relaxation.py` can ask how far each one must move."""
    candidates: list[Candidate]
    rules: Rules
    include: frozenset[str] = frozenset()
    drop: frozenset[str] = frozenset()
    problem: pulp.LpProblem = field(init=False)
    x: list = field(init=False)

    def __post_init__(self):
        self.problem = pulp.LpProblem("selection", pulp.LpMaximize)
        self.x = [self.problem.add_variable(f"x{i}", cat=pulp.LpBinary)
                  for i in range(len(self.candidates))]
        self._add_rules()

    def _add_rules(self) -> None:
        c, x, rules, add = self.candidates, self.x, self.rules, self.problem.addConstraint
        if "budget" not in self.drop:
            add(pulp.lpSum(c[i].requested * x[i] for i in range(len(c))) <= rules.budget,
                "budget")
        if rules.max_per_country is not None and "country_cap" not in self.drop:
            for n, members in enumerate(self.by_country().values()):
                add(pulp.lpSum(x[i] for i in members) <= rules.max_per_country, f"country{n}")
        if "areas" not in self.drop:
            for n, covering in enumerate(self.covering().values()):
                add(pulp.lpSum(x[i] for i in covering) >= 1, f"area{n}")
        if rules.min_small_share > 0 and "small_share" not in self.drop:
            self.add_small_share(rules.min_small_share)
        if rules.max_projects is not None and "max_projects" not in self.drop:
            add(pulp.lpSum(x) <= rules.max_projects, "max_projects")
        if "manual" not in self.drop:
            for i, candidate in enumerate(c):
                if candidate.ref in self.include:
                    add(x[i] == 1, f"include{i}")

    def add_small_share(self, share: float) -> None:
        self.problem.addConstraint(pulp.lpSum(
            ((1 if c.small else 0) - share) * self.x[i] for i, c in enumerate(self.candidates)
        ) >= 0, "small_share")

    def by_country(self) -> dict[str, list[int]]:
        groups: dict[str, list[int]] = {}
        for i, candidate in enumerate(self.candidates):
            groups.setdefault(candidate.country, []).append(i)
        return groups

    def covering(self) -> dict[str, list[int]]:
        """{area: the candidates covering it} for every area that must be covered."""
        return {area: [i for i, c in enumerate(self.candidates) if area in c.areas]
                for area in coverable_areas(self.candidates, self.rules)}

    def solve(self, objective, sense=pulp.LpMaximize,
              time_limit: float = TIME_LIMIT_SECONDS) -> str:
        """OPTIMAL (proven), FEASIBLE (a solution, the time ran out before the proof),
        INFEASIBLE (proven) or UNKNOWN (the time ran out with nothing found)."""
        self.problem.sense = sense
        self.problem.setObjective(objective)
        status = self.problem.solve(pulp.PULP_CBC_CMD(
            msg=False, timeLimit=max(1, round(time_limit)), gapRel=0, threads=1))
        if status == pulp.LpStatusInfeasible:
            return INFEASIBLE
        if status == pulp.LpStatusOptimal:
            return OPTIMAL if self.problem.sol_status == pulp.LpSolutionOptimal else FEASIBLE
        if status == pulp.LpStatusNotSolved:
            return UNKNOWN
        raise SolverError(f"CBC: {pulp.LpStatus[status]}")

    def chosen(self) -> list[int]:
        return [i for i, var in enumerate(self.x) if (var.value() or 0) > 0.5]


