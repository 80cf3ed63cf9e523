"""A brute-force oracle for the selection: every subset of a small call, checked rule by rule.

Slow on purpose and written without the solver's model, so that the solver's answers (optimum,
feasibility, how far each rule must move) can be compared with an independent enumeration.
"""
import math
import random
from collections import Counter
from itertools import combinations

from app.evaluation.selection_model import Candidate, Rules, coverable_areas, is_candidate

RULES = ("budget", "country_cap", "areas", "small_share", "max_projects", "manual")
EPS = 1e-9


def random_call(rng: random.Random, size: int) -> tuple[list[Candidate], Rules]:
    countries = rng.sample(["IT", "FR", "DE", "PL", "ES", "NL"], rng.randint(2, 4))
    areas = rng.sample(["ar-vr", "collections", "operations", "3d-digitisation"],
                       rng.randint(2, 4))
    applications = [Candidate(
        ref=f"A{n:02d}", country=rng.choice(countries),
        areas=tuple(rng.sample(areas, rng.randint(1, 2))), small=rng.random() < 0.5,
        requested=rng.randrange(5_000, 30_001, 500),
        score=None if rng.random() < 0.05 else round(rng.uniform(1.5, 5.0), 2),
        eligible=rng.random() < 0.9) for n in range(size)]
    rules = Rules(
        budget=rng.randrange(20_000, 120_001, 1_000),
        max_per_country=rng.choice([None, 1, 2, 3]),
        min_small_share=rng.choice([0.0, 0.25, 0.5, 0.6, 0.75]),
        threshold=rng.choice([0.0, 2.5, 3.0]),
        areas=tuple(areas) if rng.random() < 0.5 else None,
        max_projects=rng.choice([None, None, 2, 3, 4]))
    return applications, rules


def pool(applications, rules, exclude=()) -> list[Candidate]:
    return [a for a in applications if is_candidate(a, rules) and a.ref not in exclude]


def broken_rules(chosen, candidates, rules, include=()) -> set[str]:
    """The rules `chosen` (a subset of `candidates`) breaks."""
    broken = set()
    if sum(c.requested for c in chosen) > rules.budget:
        broken.add("budget")
    counts = Counter(c.country for c in chosen)
    if rules.max_per_country is not None and max(counts.values(), default=0) > \
            rules.max_per_country:
        broken.add("country_cap")
    covered = {area for c in chosen for area in c.areas}
    if set(coverable_areas(candidates, rules)) - covered:
        broken.add("areas")
    if sum(1 for c in chosen if c.small) < rules.min_small_share * len(chosen) - EPS:
        broken.add("small_share")
    if rules.max_projects is not None and len(chosen) > rules.max_projects:
        broken.add("max_projects")
    if set(include) - {c.ref for c in chosen}:
        broken.add("manual")
    return broken


def subsets(candidates):
    for size in range(len(candidates) + 1):
        yield from combinations(candidates, size)


def best_score(candidates, rules, include=()) -> float | None:
    """The optimum by enumeration, None when no subset meets every rule."""
    scores = [sum(c.score for c in chosen) for chosen in subsets(candidates)
              if not broken_rules(chosen, candidates, rules, include)]
    return max(scores) if scores else None


def needed(rule, candidates, rules, include=()):
    """How far `rule` must move (as relaxation.py reports it), None if loosening it cannot help."""
    fits = [chosen for chosen in subsets(candidates)
            if broken_rules(chosen, candidates, rules, include) <= {rule}]
    if not fits:
        return None
    if rule == "budget":
        return min(sum(c.requested for c in chosen) for chosen in fits)
    if rule == "country_cap":
        return min(max(Counter(c.country for c in chosen).values(), default=0)
                   for chosen in fits)
    if rule == "small_share":
        best = max(sum(c.small for c in chosen) / len(chosen) if chosen else 1.0
                   for chosen in fits)
        return math.floor(best * 100 + EPS) / 100
    if rule == "areas":
        areas = set(coverable_areas(candidates, rules))
        return max(len(areas & {a for c in chosen for a in c.areas}) for chosen in fits)
    if rule == "max_projects":
        return min(len(chosen) for chosen in fits)
    return 0
