"""The balanced selection: the solver's optimum equals brute force on small random calls, its
output meets every rule, its reasons are true, and an impossible call says what to relax."""
import random
import re

import pytest

from app.evaluation.reasons import proposal_json, reason_text, relaxation_text
from app.evaluation.selection import propose
from app.evaluation.selection_model import Candidate, Relaxation, Rules, SolverInputError

from .selection_oracle import RULES, best_score, broken_rules, needed, pool, random_call

pytestmark = pytest.mark.one_database

CASES = 60


def applicable(rule: str, rules: Rules, include) -> bool:
    return {"country_cap": rules.max_per_country is not None,
            "small_share": rules.min_small_share > 0,
            "max_projects": rules.max_projects is not None,
            "manual": bool(include)}.get(rule, True)


def check_proposal(proposal, applications, rules, include=(), exclude=()):
    """Every rule verified on the output, the totals recomputed, a true reason for everyone."""
    candidates = pool(applications, rules, exclude)
    by_ref = {a.ref: a for a in applications}
    chosen = [by_ref[ref] for ref in proposal.selected]
    assert set(proposal.selected) <= {c.ref for c in candidates}
    assert broken_rules(chosen, candidates, rules, include) == set()
    assert proposal.budget_used == sum(c.requested for c in chosen) <= rules.budget
    assert proposal.total_score == pytest.approx(sum(c.score for c in chosen))
    assert sum(proposal.per_country.values()) == len(chosen)
    assert set(proposal.reasons) == set(by_ref)
    left = rules.budget - proposal.budget_used
    for ref, reason in proposal.reasons.items():
        app = by_ref[ref]
        assert reason.selected == (ref in proposal.selected)
        if reason.code == "country_cap" or reason.code == "higher_in_country":
            assert proposal.per_country[app.country] == rules.max_per_country
        elif reason.code == "budget":
            assert app.requested > left == reason.get("left")
        elif reason.code == "max_projects":
            assert len(chosen) == rules.max_projects
        elif reason.code == "below_threshold":
            assert app.score < rules.threshold
        elif reason.code == "not_eligible":
            assert not app.eligible
        elif reason.code == "outscored":  # never, unless it scores nothing
            assert app.score == 0


@pytest.mark.parametrize("seed", range(CASES))
def test_the_solver_finds_the_brute_force_optimum_or_explains_why_there_is_none(seed):
    rng = random.Random(seed)
    applications, rules = random_call(rng, size=rng.randint(4, 11))
    candidates = pool(applications, rules)
    include = {rng.choice(candidates).ref: "strategic"} if candidates and seed % 4 == 0 else {}
    # time enough for every relaxation to be proven on a busy machine
    proposal = propose(applications, rules, include=include, relax_seconds=600)
    optimum = best_score(candidates, rules, include)

    assert proposal.feasible == (optimum is not None)
    if proposal.feasible:
        assert proposal.total_score == pytest.approx(optimum)
        check_proposal(proposal, applications, rules, include)
        assert proposal_json(proposal)["relax"] is None
        return
    assert proposal.selected == [] and proposal_json(proposal)["relax"]
    offered = {r.rule: r for r in proposal.relaxations}
    for rule in RULES:
        if not applicable(rule, rules, include):
            assert rule not in offered
            continue
        expected = needed(rule, candidates, rules, include)
        if expected is None:
            assert rule not in offered, rule
        elif rule == "areas":
            relaxation = offered["areas"]
            assert relaxation.needed == expected
            assert len(relaxation.areas) == relaxation.current - expected
        else:
            assert offered[rule].needed == pytest.approx(expected), rule


def app_(ref, country="IT", areas=("collections",), small=True, requested=20_000, score=4.0,
        eligible=True):
    return Candidate(ref, country, tuple(areas), small, requested, score, eligible)


def test_the_country_cap_names_the_country_and_the_count():
    applications = [app_("IT-1", score=4.8), app_("IT-2", score=4.5), app_("IT-3", score=4.2),
                    app_("FR-1", country="FR", score=3.1)]
    proposal = propose(applications, Rules(budget=200_000, max_per_country=2))
    assert proposal.selected == ["IT-1", "IT-2", "FR-1"]
    assert proposal.per_country == {"FR": 1, "IT": 2}
    assert proposal_json(proposal)["reasons"]["IT-3"] == \
        "not selected: a higher score in the same country (Italy 2 of 2)"


def test_a_lower_score_chosen_for_an_area_fills_the_country_cap():
    applications = [app_("IT-1", score=4.8), app_("IT-2", score=4.5),
                     app_("IT-3", score=3.2, areas=("ar-vr",))]
    proposal = propose(applications, Rules(budget=200_000, max_per_country=2))
    assert set(proposal.selected) == {"IT-1", "IT-3"}
    assert reason_text(proposal.reasons["IT-2"]) == \
        "not selected: country cap reached (Italy 2 of 2)"


def test_the_budget_reason_says_what_is_left_and_what_was_asked():
    applications = [app_("A", requested=21_600, score=4.9), app_("B", requested=27_000, score=4.0)]
    proposal = propose(applications, Rules(budget=40_000))
    assert proposal_json(proposal) == {
        "feasible": True, "selected": ["A"], "total_score": 4.9, "budget_used": 21_600,
        "per_country": {"IT": 1},
        "reasons": {"A": "selected",
                    "B": "not selected: budget exhausted (EUR 18,400 left, asks 27,000)"},
        "relax": None}


def test_below_threshold_ineligible_and_unscored_applications_are_never_selected():
    applications = [app_("low", score=2.9), app_("out", eligible=False, score=5.0),
                    app_("new", score=None), app_("ok", score=3.0)]
    result = proposal_json(propose(applications, Rules(budget=100_000, threshold=3.0)))
    assert result["selected"] == ["ok"]
    assert result["reasons"] == {
        "low": "not selected: below the minimum score (2.9, minimum 3.0)",
        "out": "not selected: not eligible", "new": "not selected: no consensus score yet",
        "ok": "selected"}


def test_the_small_museum_share_is_kept():
    applications = [app_("big-1", small=False, score=5.0, country="FR"),
                    app_("big-2", small=False, score=4.9, country="DE"),
                    app_("small-1", score=3.5)]
    proposal = propose(applications, Rules(budget=100_000, min_small_share=0.5))
    assert set(proposal.selected) == {"big-1", "small-1"}
    assert reason_text(proposal.reasons["big-2"]) == \
        "not selected: the share of small museums would fall below 50%"


def test_exclusions_and_inclusions_by_hand_carry_their_reason():
    applications = [app_("A", score=4.9, country="FR"), app_("B", score=3.1),
                    app_("C", score=4.0, country="DE")]
    proposal = propose(applications, Rules(budget=40_000), include={"B": "only museum of its "
                       "kind"}, exclude={"A": "conflict found late"})
    assert proposal.selected == ["C", "B"]
    assert reason_text(proposal.reasons["A"]) == "not selected: excluded by hand: conflict " \
                                                 "found late"
    assert reason_text(proposal.reasons["B"]) == "selected by hand: only museum of its kind"
    with pytest.raises(SolverInputError):
        propose(applications, Rules(budget=40_000, threshold=3.5), include={"B": "x"})


def test_an_impossible_call_says_which_rule_to_relax_and_by_how_much():
    # collections only from IT-1; ar-vr from IT-2 (a second Italian), FR-1 (large) or DE-1
    # (expensive): each way to cover both areas breaks exactly one rule
    applications = [app_("IT-1", requested=20_000), app_("IT-2", areas=("ar-vr",)),
                    app_("FR-1", country="FR", areas=("ar-vr",), small=False),
                    app_("DE-1", country="DE", areas=("ar-vr",), requested=50_000)]
    rules = Rules(budget=60_000, max_per_country=1, min_small_share=0.75)
    result = proposal_json(propose(applications, rules, relax_seconds=600))
    assert not result["feasible"] and result["selected"] == []
    assert result["reasons"]["IT-1"] == "not selected: no selection meets every rule"
    assert re.fullmatch(re.escape(
        "No selection meets every rule. Relax one of them: raise the budget by EUR 10,000 "
        "(to EUR 70,000); allow 2 projects per country instead of 1; lower the share of small "
        "museums from 75% to 50%; leave 1 area uncovered (") + "(AR / VR|Collections management)"
        + re.escape(")."), result["relax"])


def test_an_empty_call_selects_nothing_and_is_feasible():
    result = proposal_json(propose([], Rules(budget=0, max_per_country=1, min_small_share=1)))
    assert result == {"feasible": True, "selected": [], "total_score": 0, "budget_used": 0,
                      "per_country": {}, "reasons": {}, "relax": None}


def test_relaxations_out_of_time_say_so_instead_of_claiming_nothing_helps():
    applications = [app_("IT-1"), app_("FR-1", country="FR", areas=("ar-vr",))]
    proposal = propose(applications, Rules(budget=30_000), relax_seconds=0)
    assert not proposal.feasible and proposal.relaxations == []
    assert proposal_json(proposal)["relax"] == ("No selection meets every rule; which rule to "
                                                "relax could not be worked out in time.")
    settled = propose(applications, Rules(budget=30_000, max_per_country=1),
                      relax_seconds=600)
    assert [r.rule for r in settled.relaxations] == ["budget", "areas"]


def test_a_change_not_proven_least_is_offered_as_enough():
    assert relaxation_text(Relaxation("budget", 40_000, 52_000, proven=False)) == (
        "raise the budget by EUR 12,000 (to EUR 52,000) (enough; whether less would do was "
        "not settled in time)")


def test_reasons_and_advice_read_in_italian(app):
    from flask_babel import force_locale

    applications = [app_("A", requested=21_600, score=4.9), app_("B", requested=27_000)]
    proposal = propose(applications, Rules(budget=40_000))
    with app.test_request_context(), force_locale("it"):
        assert proposal_json(proposal)["reasons"]["B"] == \
            "non selezionata: budget esaurito (restano EUR 18.400, ne chiede 27.000)"
        assert relaxation_text(Relaxation("small_share", 0.75, 0.5)) == \
            "ridurre la quota di piccoli musei dal 75% al 50%"
