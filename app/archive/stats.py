"""Archive statistics: case studies and participating organisations per country, per
application area and per year, ready for server-drawn SVG charts (no scripts, no libraries)."""
from collections import Counter
from dataclasses import dataclass

from flask_babel import get_locale

from ..core.countries import country_name
from ..core.pagecache import cached_value
from ..projects.areas import APPLICATION_AREAS, area_label
from .queries import published_facts

#: a tile-grid map of Europe: country -> (column, row); each country one square
EUROPE_TILES = {
    "IS": (0, 0), "NO": (4, 0), "SE": (5, 0), "FI": (6, 0),
    "IE": (0, 1), "GB": (1, 1), "DK": (4, 1), "EE": (6, 1),
    "NL": (2, 2), "DE": (3, 2), "PL": (4, 2), "LT": (5, 2), "LV": (6, 2),
    "BE": (2, 3), "LU": (3, 3), "CZ": (4, 3), "SK": (5, 3), "UA": (6, 3),
    "PT": (0, 4), "ES": (1, 4), "FR": (2, 4), "CH": (3, 4), "AT": (4, 4), "HU": (5, 4),
    "RO": (6, 4), "MD": (7, 4),
    "AD": (1, 5), "MC": (2, 5), "LI": (3, 5), "SI": (4, 5), "HR": (5, 5), "RS": (6, 5),
    "BG": (7, 5), "GE": (9, 5),
    "SM": (3, 6), "IT": (4, 6), "BA": (5, 6), "ME": (6, 6), "XK": (7, 6), "AM": (9, 6),
    "VA": (3, 7), "MT": (4, 7), "AL": (6, 7), "MK": (7, 7), "GR": (8, 7), "CY": (9, 7),
}
TILE, GAP = 44, 4


@dataclass
class Bar:
    key: str
    label: str
    value: int
    secondary: int = 0


@dataclass
class ArchiveStats:
    total: int
    organisations: int
    countries: list[Bar]
    areas: list[Bar]
    years: list[Bar]
    tiles: list[dict]
    map_width: int
    map_height: int
    languages: list[Bar]


def archive_stats() -> ArchiveStats:
    """The figures of the current archive in the reader's language. The counting reads every
    published case study, so it runs once per archive version; the labels once per version and
    language (the application cache; signed-in readers too)."""
    return cached_value("archive", f"stats:{get_locale()}",
                        lambda: compute_archive_stats(cached_value("archive", "counts", count)))


@dataclass
class Counts:
    per_country: Counter
    years: Counter
    areas: Counter
    languages: Counter
    orgs_per_country: dict[str, int]   # distinct organisations (lead or partner) per country
    organisations: int
    total: int


def count() -> Counts:
    per_country, years, areas, languages = Counter(), Counter(), Counter(), Counter()
    orgs_per_country: dict[str, set] = {}
    all_orgs = set()
    items = published_facts()
    for item in items:
        per_country[(item["lead_country"] or "").upper()] += 1
        if item["year"]:
            years[int(item["year"])] += 1
        languages[item["language"] or ""] += 1
        for area in item["areas"] or []:
            areas[area] += 1
        lead = {"id": item["lead_id"], "country": item["lead_country"]}
        for org in [lead, *(item["partners"] or [])]:
            if org and org.get("id") is not None:
                orgs_per_country.setdefault(org.get("country") or "", set()).add(str(org["id"]))
                all_orgs.add(str(org["id"]))
    return Counts(per_country, years, areas, languages,
                  {code: len(ids) for code, ids in orgs_per_country.items()}, len(all_orgs),
                  len(items))


def compute_archive_stats(counts: Counts) -> ArchiveStats:
    per_country, years, areas = counts.per_country, counts.years, counts.areas
    orgs_per_country = counts.orgs_per_country
    countries = sorted(
        (Bar(code, str(country_name(code)), per_country.get(code, 0), orgs)
         for code, orgs in orgs_per_country.items() if code),
        key=lambda b: (-b.value, -b.secondary, b.label))
    peak = max((b.value for b in countries), default=0)
    tiles = []
    for code, (col, row) in EUROPE_TILES.items():
        value = per_country.get(code, 0)
        level = 0 if not value else min(4, 1 + (value * 4 - 1) // max(peak, 1))
        tiles.append({"code": code, "name": str(country_name(code)), "value": value,
                      "orgs": orgs_per_country.get(code, 0), "level": level,
                      "x": col * (TILE + GAP), "y": row * (TILE + GAP)})
    width = (max(c for c, _ in EUROPE_TILES.values()) + 1) * (TILE + GAP)
    height = (max(r for _, r in EUROPE_TILES.values()) + 1) * (TILE + GAP)
    return ArchiveStats(
        total=counts.total, organisations=counts.organisations, countries=countries,
        areas=sorted((Bar(key, str(area_label(key)), areas.get(key, 0)) for key in APPLICATION_AREAS),
                     key=lambda bar: (-bar.value, bar.label)),
        years=[Bar(str(y), str(y), years[y]) for y in sorted(years)],
        tiles=tiles, map_width=width, map_height=height,
        languages=[Bar(k, k, v) for k, v in counts.languages.most_common()],
    )
