"""Selection benchmark: propose a balanced selection of 40 out of 2,000 applications in 30
countries with every rule on (budget, at most 2 per country, every area covered, at least 60 %
small museums, threshold 3.0, at most 40 projects), through `app.evaluation.selection.propose`
(the integer program solved by CBC, reasons for all 2,000 included). Then the same call made
impossible (a budget too small to cover every area) to time the relaxations too.

    .venv/bin/python bench/selection_bench.py [--applications 2000] [--countries 30]
                                              [--select 40] [--repeat 3] [--seed 14]

Prints the median, min and max wall time per proposal and what was selected.
"""
import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.countries import COUNTRIES  # noqa: E402
from app.evaluation.reasons import proposal_json  # noqa: E402
from app.evaluation.selection import propose  # noqa: E402
from app.evaluation.selection_model import Candidate, Rules  # noqa: E402
from app.projects.areas import APPLICATION_AREAS  # noqa: E402


def make_applications(count: int, countries: int, rng: random.Random) -> list[Candidate]:
    """A programme's worth: some countries apply far more than others, most museums are small,
    one in ten applications is ineligible, scores spread around 3.3 of 5."""
    codes = sorted(COUNTRIES)[:countries]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(codes))]
    areas = list(APPLICATION_AREAS)
    return [Candidate(
        ref=f"APP-{n:04d}", country=rng.choices(codes, weights)[0],
        areas=tuple(rng.sample(areas, rng.randint(1, 3))), small=rng.random() < 0.65,
        requested=rng.randrange(10_000, 30_001, 100),
        score=round(min(5.0, max(0.0, rng.gauss(3.3, 0.8))), 2),
        eligible=rng.random() < 0.9) for n in range(count)]


def timed(applications, rules, repeat: int) -> tuple[list[float], object]:
    times, proposal = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        proposal = propose(applications, rules)
        proposal_json(proposal)  # the sentences too, as the command prints them
        times.append(time.perf_counter() - start)
    return times, proposal


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--countries", type=int, default=30)
    parser.add_argument("--select", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)

    applications = make_applications(args.applications, args.countries, random.Random(args.seed))
    rules = Rules(budget=args.select * 25_000, max_per_country=2, min_small_share=0.6,
                  threshold=3.0, max_projects=args.select)
    times, proposal = timed(applications, rules, args.repeat)
    chosen = [a for a in applications if a.ref in set(proposal.selected)]
    report = {
        "applications": len(applications), "countries": len({a.country for a in applications}),
        "candidates": sum(1 for a in applications if a.eligible and a.score >= rules.threshold),
        "feasible": proposal.feasible, "selected": len(proposal.selected),
        "selected_countries": len(proposal.per_country),
        "areas_covered": len({area for a in chosen for area in a.areas}),
        "small_share": round(sum(a.small for a in chosen) / max(1, len(chosen)), 3),
        "budget_used": proposal.budget_used, "budget": rules.budget,
        "total_score": proposal.total_score, "seconds": times}
    impossible = Rules(budget=40_000, max_per_country=1, min_small_share=0.6, threshold=3.0,
                       max_projects=args.select)
    report["infeasible_seconds"], stuck = timed(applications, impossible, 1)
    report["relax"] = proposal_json(stuck)["relax"]

    print(f"{report['applications']} applications in {report['countries']} countries, "
          f"{report['candidates']} eligible at or above the threshold")
    print(f"selected {report['selected']} from {report['selected_countries']} countries, "
          f"{report['areas_covered']} areas covered, small museums "
          f"{report['small_share']:.0%}, EUR {report['budget_used']:,} of {rules.budget:,}, "
          f"total score {report['total_score']}")
    print(f"propose: median {statistics.median(times):.2f} s, min {min(times):.2f} s, "
          f"max {max(times):.2f} s over {len(times)} runs")
    print(f"impossible call (budget EUR 40,000, relaxations solved): "
          f"{report['infeasible_seconds'][0]:.2f} s — {report['relax']}")
    return report


if __name__ == "__main__":
    main()
