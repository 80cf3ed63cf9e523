"""The automatic assignment, property-tested on seeded random calls: every application gets its
evaluators without conflicts, loads are balanced whenever an integer program says a balanced
assignment exists, countries are spread, and a late conflict only refills the freed seat."""
import random
from collections import Counter

import pulp
import pytest

from app.evaluation.assignment import Evaluator, Submission, assign

COUNTRIES = ["IT", "FR", "DE", "PL", "ES", "NL", "SE", "PT"]


def random_call(rng: random.Random, conflict_rate: float):
    applications = [Submission(f"A{n:02d}", rng.choice(COUNTRIES))
                    for n in range(rng.randint(1, 30))]
    evaluators = [Evaluator(n, rng.choice(COUNTRIES)) for n in range(1, rng.randint(2, 12))]
    conflicts = {(e.id, a.ref) for a in applications for e in evaluators
                 if rng.random() < conflict_rate}
    return applications, evaluators, rng.randint(1, 4), conflicts


def balanced_assignment_exists(applications, evaluators, per_application, conflicts) -> bool:
    """An integer program: every application gets all the evaluators it can, loads within one."""
    problem = pulp.LpProblem("balance", pulp.LpMinimize)
    y = {(e.id, a.ref): problem.add_variable(f"y_{e.id}_{a.ref}", cat=pulp.LpBinary)
         for a in applications for e in evaluators if (e.id, a.ref) not in conflicts}
    floor = problem.add_variable("floor", lowBound=0, cat=pulp.LpInteger)
    for a in applications:
        seats = [var for (_, ref), var in y.items() if ref == a.ref]
        problem.addConstraint(pulp.lpSum(seats) == min(per_application, len(seats)))
    for e in evaluators:
        load = pulp.lpSum(var for (eid, _), var in y.items() if eid == e.id)
        problem.addConstraint(load >= floor)
        problem.addConstraint(load <= floor + 1)
    problem.setObjective(floor)
    return problem.solve(pulp.PULP_CBC_CMD(msg=False)) == pulp.LpStatusOptimal


def check_valid(result, applications, evaluators, per_application, conflicts):
    ids = {e.id for e in evaluators}
    for a in applications:
        seats = result.seats[a.ref]
        free = sum(1 for e in evaluators if (e.id, a.ref) not in conflicts)
        assert len(seats) == len(set(seats)) == min(per_application, free)
        assert set(seats) <= ids
        assert not {(e, a.ref) for e in seats} & conflicts
        assert result.short.get(a.ref, 0) == per_application - len(seats)


@pytest.mark.parametrize("seed", range(80))
def test_every_application_gets_its_evaluators_with_balanced_loads(seed):
    rng = random.Random(seed)
    applications, evaluators, per_application, conflicts = random_call(
        rng, rng.choice([0.0, 0.1, 0.3, 0.6]))
    result = assign(applications, evaluators, per_application, conflicts)
    check_valid(result, applications, evaluators, per_application, conflicts)
    loads = result.loads(evaluators).values()
    if max(loads) - min(loads) > 1:
        assert not balanced_assignment_exists(applications, evaluators, per_application,
                                              conflicts)


@pytest.mark.parametrize("seed", range(40))
def test_without_conflicts_loads_are_balanced_and_countries_spread(seed):
    rng = random.Random(1000 + seed)
    countries = rng.sample(COUNTRIES, rng.randint(2, 5))
    per_country = rng.randint(1, 3)
    evaluators = [Evaluator(n * 10 + i, c) for n, c in enumerate(countries)
                  for i in range(per_country)]
    applications = [Submission(f"A{n:02d}", rng.choice(COUNTRIES))
                    for n in range(rng.randint(1, 40))]
    per_application = rng.randint(1, len(countries))
    result = assign(applications, evaluators, per_application, set())
    loads = result.loads(evaluators).values()
    assert max(loads) - min(loads) <= 1
    by_id = {e.id: e for e in evaluators}
    for seats in result.seats.values():
        assert len({by_id[e].country for e in seats}) == per_application


def test_the_applicants_own_country_is_avoided_when_nothing_else_differs():
    evaluators = [Evaluator(1, "IT"), Evaluator(2, "FR")]
    result = assign([Submission("A", "IT")], evaluators, 1, set())
    assert result.seats == {"A": [2]}


def test_an_application_with_too_few_free_evaluators_is_reported_short():
    evaluators = [Evaluator(1, "IT"), Evaluator(2, "FR"), Evaluator(3, "DE")]
    result = assign([Submission("A", "PL")], evaluators, 3, {(1, "A"), (2, "A")})
    assert result.seats == {"A": [3]} and result.short == {"A": 2}


@pytest.mark.parametrize("seed", range(30))
def test_a_late_conflict_only_refills_the_freed_seat(seed):
    rng = random.Random(2000 + seed)
    applications, evaluators, per_application, conflicts = random_call(rng, 0.1)
    first = assign(applications, evaluators, per_application, conflicts)
    ref = rng.choice(applications).ref
    if not first.seats[ref]:
        return
    leaving = rng.choice(first.seats[ref])
    late = conflicts | {(leaving, ref)}
    kept = {r: set(ids) - ({leaving} if r == ref else set()) for r, ids in first.seats.items()}
    second = assign(applications, evaluators, per_application, late, pinned=kept)
    check_valid(second, applications, evaluators, per_application, late)
    for r, ids in kept.items():
        assert ids <= set(second.seats[r])
    changed = Counter((r, e) for r, ids in second.seats.items() for e in ids) - \
        Counter((r, e) for r, ids in kept.items() for e in ids)
    assert sum(changed.values()) <= 1 and leaving not in second.seats[ref]
