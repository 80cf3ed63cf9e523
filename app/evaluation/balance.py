"""The balance dashboard's figures: applications against the selection per country (also on
a tile map of Europe), per area and per museum size, the budget used against the available,
and the share of small museums, for the solver's proposal and the manager's current choice.
Pure: candidates and proposals in, bars and tiles out, ready for server-drawn SVG."""
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _

from ..archive.stats import EUROPE_TILES, GAP, TILE
from ..core.countries import country_name
from ..projects.areas import area_label
from .selection_model import Candidate, Proposal, Rules


@dataclass
class Bar:
    key: str
    label: str
    value: int          # the manager's current choice
    secondary: int      # the solver's proposal
    applications: int   # applications at all


@dataclass
class Balance:
    countries: list[Bar]
    areas: list[Bar]
    sizes: list[Bar]
    budget: int
    used_chosen: int
    used_proposed: int
    small_chosen: float | None
    small_proposed: float | None
    min_small_share: float
    tiles: list[dict]
    map_width: int
    map_height: int


def _share(chosen: list[Candidate]) -> float | None:
    return sum(c.small for c in chosen) / len(chosen) if chosen else None


def balance(applications: list[Candidate], rules: Rules, proposed: Proposal,
            chosen: Proposal) -> Balance:
    by_ref = {a.ref: a for a in applications}
    mine = [by_ref[r] for r in chosen.selected]
    theirs = [by_ref[r] for r in proposed.selected]

    def bars(key_of, label_of, keys) -> list[Bar]:
        counts = [Counter(k for a in group for k in key_of(a))
                  for group in (applications, mine, theirs)]
        return [Bar(k, label_of(k), counts[1][k], counts[2][k], counts[0][k]) for k in keys]

    countries = sorted({a.country for a in applications},
                       key=lambda c: (-sum(a.country == c for a in mine), country_name(c)))
    areas = list(rules.areas) if rules.areas else sorted({x for a in applications
                                                          for x in a.areas})
    per_country = Counter(a.country for a in mine)
    peak = max(per_country.values(), default=0)
    tiles = [{"code": code, "name": country_name(code), "value": per_country.get(code, 0),
              "level": 0 if not per_country.get(code) else
              min(4, 1 + (per_country[code] * 4 - 1) // max(peak, 1)),
              "x": col * (TILE + GAP), "y": row * (TILE + GAP)}
             for code, (col, row) in EUROPE_TILES.items()]
    return Balance(
        countries=bars(lambda a: [a.country], country_name, countries),
        areas=bars(lambda a: a.areas, area_label, areas),
        sizes=bars(lambda a: ["small" if a.small else "other"], _size_label,
                   ["small", "other"]),
        budget=rules.budget, used_chosen=chosen.budget_used, used_proposed=proposed.budget_used,
        small_chosen=_share(mine), small_proposed=_share(theirs),
        min_small_share=rules.min_small_share, tiles=tiles,
        map_width=(max(c for c, _ in EUROPE_TILES.values()) + 1) * (TILE + GAP),
        map_height=(max(r for _, r in EUROPE_TILES.values()) + 1) * (TILE + GAP))


def _size_label(key: str) -> str:
    return _("Small museums") if key == "small" else _("Medium and large")
