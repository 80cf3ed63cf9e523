"""When no selection meets every rule: how far each rule, loosened alone, must move.

Each rule is dropped from the integer program in turn and the smallest change that makes a
selection exist is solved for (another integer program, or a bisection on whole percentages
for the share of small museums):
    budget        the least money a selection meeting the other rules needs
    country_cap   the smallest per-country cap
    small_share   the largest whole percentage of small museums still reachable
    areas         the fewest areas to leave uncovered (and one such set)
    max_projects  the fewest projects that meet the other rules
    manual        whether dropping the inclusions by hand is enough
A rule that cannot help alone is not listed. Proving that a rule cannot help can take CBC long
on large impossible calls, so all of this shares `RELAX_SECONDS`: a change found but not
proven least in time is still reported (it is enough) with `proven=False`; a question left
unanswered is left out. See docs/selection.md.
"""
import math
import time

import pulp

from .selection_model import (
    FEASIBLE, INFEASIBLE, OPTIMAL, UNKNOWN, Candidate, Model, Relaxation, Rules,
)

#: the time all relaxations of one proposal share
RELAX_SECONDS = 10


class _Clock:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()


#: a question the time did not suffice to answer
UNSETTLED = "unsettled"


def relaxations_for(candidates: list[Candidate], rules: Rules, include: frozenset[str],
                    seconds: float = RELAX_SECONDS) -> tuple[list[Relaxation], bool]:
    """The relaxations found, and whether every question was settled."""
    clock = _Clock(seconds)
    answers = []
    for question in (_budget, _country_cap, _small_share, _areas, _max_projects, _manual):
        answers.append(question(candidates, rules, include, clock) if clock.left() >= 1
                       else UNSETTLED)
    return ([a for a in answers if isinstance(a, Relaxation)],
            UNSETTLED not in answers)


def _solve(model: Model, objective, sense, clock: _Clock) -> str:
    return model.solve(objective, sense, time_limit=clock.left())


def _unanswered(status: str):
    """None when the rule cannot help (proven), UNSETTLED when the time ran out."""
    return UNSETTLED if status == UNKNOWN else None


def _budget(candidates, rules, include, clock) -> Relaxation | str | None:
    model = Model(candidates, rules, include, frozenset({"budget"}))
    cost = pulp.lpSum(c.requested * model.x[i] for i, c in enumerate(candidates))
    status = _solve(model, cost, pulp.LpMinimize, clock)
    if status not in (OPTIMAL, FEASIBLE):
        return _unanswered(status)
    return Relaxation("budget", rules.budget, sum(candidates[i].requested
                                                  for i in model.chosen()),
                      proven=status == OPTIMAL)


def _country_cap(candidates, rules, include, clock) -> Relaxation | str | None:
    if rules.max_per_country is None:
        return None
    model = Model(candidates, rules, include, frozenset({"country_cap"}))
    cap = model.problem.add_variable("cap", lowBound=0, cat=pulp.LpInteger)
    for n, members in enumerate(model.by_country().values()):
        model.problem.addConstraint(pulp.lpSum(model.x[i] for i in members) <= cap, f"cap{n}")
    status = _solve(model, cap, pulp.LpMinimize, clock)
    if status not in (OPTIMAL, FEASIBLE):
        return _unanswered(status)
    return Relaxation("country_cap", rules.max_per_country, round(cap.value()),
                      proven=status == OPTIMAL)


def _feasible(candidates, rules, include, drop, clock, share=None) -> bool | None:
    """Whether a selection exists with `drop` left out; None: not known in time."""
    model = Model(candidates, rules, include, frozenset(drop))
    if share:
        model.add_small_share(share)
    status = _solve(model, pulp.lpSum(model.x), pulp.LpMaximize, clock)
    return None if status == UNKNOWN else status != INFEASIBLE


def _small_share(candidates, rules, include, clock) -> Relaxation | str | None:
    """The largest whole percentage below the call's that a selection can reach."""
    if rules.min_small_share <= 0:
        return None
    drop = {"small_share"}
    answer = _feasible(candidates, rules, include, drop, clock)
    if not answer:
        return UNSETTLED if answer is None else None
    low, high = 0, math.ceil(rules.min_small_share * 100 - 1e-9) - 1  # feasible(low) holds
    proven = True
    while low < high:
        if clock.left() < 1:
            return Relaxation("small_share", rules.min_small_share, low / 100, proven=False)
        middle = (low + high + 1) // 2
        answer = _feasible(candidates, rules, include, drop, clock, middle / 100)
        if answer:
            low = middle
        else:
            proven = proven and answer is False
            high = middle - 1
    return Relaxation("small_share", rules.min_small_share, low / 100, proven=proven)


def _areas(candidates, rules, include, clock) -> Relaxation | str | None:
    model = Model(candidates, rules, include, frozenset({"areas"}))
    covering = model.covering()
    covered = {area: model.problem.add_variable(f"covered{n}", cat=pulp.LpBinary)
               for n, area in enumerate(covering)}
    for n, (area, members) in enumerate(covering.items()):
        model.problem.addConstraint(
            covered[area] <= pulp.lpSum(model.x[i] for i in members), f"covers{n}")
    status = _solve(model, pulp.lpSum(covered.values()), pulp.LpMaximize, clock)
    if status not in (OPTIMAL, FEASIBLE):
        return _unanswered(status)
    left = tuple(area for area, var in covered.items() if (var.value() or 0) < 0.5)
    return Relaxation("areas", len(covering), len(covering) - len(left), areas=left,
                      proven=status == OPTIMAL)


def _max_projects(candidates, rules, include, clock) -> Relaxation | str | None:
    if rules.max_projects is None:
        return None
    model = Model(candidates, rules, include, frozenset({"max_projects"}))
    status = _solve(model, pulp.lpSum(model.x), pulp.LpMinimize, clock)
    if status not in (OPTIMAL, FEASIBLE):
        return _unanswered(status)
    return Relaxation("max_projects", rules.max_projects, len(model.chosen()),
                      proven=status == OPTIMAL)


def _manual(candidates, rules, include, clock) -> Relaxation | str | None:
    if not include:
        return None
    answer = _feasible(candidates, rules, include, {"manual"}, clock)
    if not answer:
        return UNSETTLED if answer is None else None
    return Relaxation("manual", len(include), 0)
