"""The balanced selection of a call: `propose(applications, rules)` solves the integer program
of `selection_model.py` to proven optimality and explains the result.

A pure function over plain data: the chosen refs, totals, a `Reason` per application, and when
no selection meets every rule, the `Relaxation`s that would make one possible (`relaxation.py`).
`reasons.py` turns reasons and relaxations into sentences. See docs/selection.md.
"""
from collections import Counter

import pulp

from .relaxation import RELAX_SECONDS, relaxations_for
from .selection_model import (
    EPSILON, INFEASIBLE, OPTIMAL, TIME_LIMIT_SECONDS, Candidate, Model, Proposal, Reason, Rules,
    SolverError, SolverInputError, is_candidate,
)


def propose(applications: list[Candidate], rules: Rules, *,
            include: dict[str, str] | None = None,
            exclude: dict[str, str] | None = None,
            relax_seconds: float = RELAX_SECONDS) -> Proposal:
    """The best selection under `rules`, with inclusions and exclusions by hand ({ref: reason});
    `include` may only name candidates (eligible, at or above the threshold). When there is
    none, the relaxations get `relax_seconds` between them."""
    include, exclude = dict(include or {}), dict(exclude or {})
    candidates = [a for a in applications if is_candidate(a, rules) and a.ref not in exclude]
    wrong = set(include) - {c.ref for c in candidates}
    if wrong:
        raise SolverInputError(", ".join(sorted(wrong)))
    model = Model(candidates, rules, include=frozenset(include))
    status = model.solve(pulp.lpSum(c.score * model.x[i] for i, c in enumerate(candidates)))
    if status == INFEASIBLE:
        reasons = _reasons(applications, rules, None, include, exclude)
        relaxations, settled = relaxations_for(candidates, rules, frozenset(include),
                                               relax_seconds)
        return Proposal(False, [], 0.0, 0, {}, reasons, relaxations, settled)
    if status != OPTIMAL:
        raise SolverError(f"no proven optimum within {TIME_LIMIT_SECONDS} s")
    chosen = sorted((candidates[i] for i in model.chosen()), key=lambda c: (-c.score, c.ref))
    return Proposal(
        True, [c.ref for c in chosen], round(sum(c.score for c in chosen), 6),
        sum(c.requested for c in chosen), dict(sorted(Counter(c.country for c in chosen).items())),
        _reasons(applications, rules, chosen, include, exclude))


def _reasons(applications, rules, chosen, include, exclude) -> dict[str, Reason]:
    """A reason for every application. For a candidate left out of an optimal selection the
    first of these holds, in this order (had none held, adding it would have scored more):
    its country is at the cap, the maximum number of projects is reached, it asks more than
    the budget left, it would take the share of small museums below the minimum."""
    reasons: dict[str, Reason] = {}
    chosen_refs = {c.ref for c in chosen or ()}
    per_country = Counter(c.country for c in chosen or ())
    used = sum(c.requested for c in chosen or ())
    small = sum(1 for c in chosen or () if c.small)
    for app in applications:
        if app.ref in chosen_refs:
            reason = (Reason("included", (("note", include[app.ref]),)) if app.ref in include
                      else Reason("selected"))
        elif not app.eligible:
            reason = Reason("not_eligible")
        elif app.score is None:
            reason = Reason("no_score")
        elif not is_candidate(app, rules):
            reason = Reason("below_threshold", (("score", app.score),
                                                ("threshold", rules.threshold)))
        elif app.ref in exclude:
            reason = Reason("excluded", (("note", exclude[app.ref]),))
        elif chosen is None:
            reason = Reason("infeasible")
        else:
            reason = _left_out(app, rules, chosen, per_country, used, small)
        reasons[app.ref] = reason
    return reasons


def _left_out(app, rules, chosen, per_country, used, small) -> Reason:
    count = per_country[app.country]
    if rules.max_per_country is not None and count >= rules.max_per_country:
        rivals = [c.score for c in chosen if c.country == app.country]
        code = "higher_in_country" if min(rivals, default=0) >= app.score else "country_cap"
        return Reason(code, (("country", app.country), ("count", count),
                             ("cap", rules.max_per_country)))
    if rules.max_projects is not None and len(chosen) >= rules.max_projects:
        return Reason("max_projects", (("cap", rules.max_projects),))
    left = rules.budget - used
    if app.requested > left:
        return Reason("budget", (("left", left), ("asks", app.requested)))
    if not app.small and small < rules.min_small_share * (len(chosen) + 1) - EPSILON:
        return Reason("small_share", (("share", rules.min_small_share),))
    return Reason("outscored")
