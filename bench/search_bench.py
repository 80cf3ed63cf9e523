"""Search benchmark: a synthetic archive of 10,000 multilingual case studies, indexed with our
Whoosh schema and queried through `search_case_studies` (the API's code path: facets, highlights,
suggestions included), against the same texts and queries in SQLite FTS5 with GROUP BY facets.

    .venv/bin/python bench/search_bench.py [--docs 10000] [--queries 300] [--publishes 20]

Prints the full reindex time of both engines (same records, same run), p50/p95/max per query
kind for both and our p95 / FTS5's p95, and the latency of queries issued right after a publish
(an index commit) while the new searcher warms in the background, as in a server (p50/p99), with
the old behaviour (the first query opens the new searcher itself) beside it; also the CPU time
of each such query's thread and of each background warm-up (the machine is shared: wall-clock
time stretches with the load, CPU time much less).

    .venv/bin/python bench/search_bench.py --workdir DIR --after-publish-only

runs the after-publish part alone on the index a previous run left in DIR.
"""
import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from bisect import bisect
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.archive.technologies import technologies, technology_name  # noqa: E402

LANGS = {  # language: (share of the archive, a few real domain words to mix into its vocabulary)
    "en": (0.30, "museum collection visitors digital archive exhibition heritage gallery "
                 "audience objects curator education learning painting sculpture textile"),
    "it": (0.18, "museo musei collezione visitatori digitale archivio mostra patrimonio "
                 "pubblico oggetti curatore educazione dipinti scultura tessuti città"),
    "fr": (0.15, "musée musées collection visiteurs numérique archives exposition patrimoine "
                 "public objets conservateur médiation peinture sculpture textiles"),
    "de": (0.15, "Museum Museen Sammlung Sammlungen Besucher digital Archiv Ausstellung "
                 "Kulturerbe Publikum Objekte Kurator Vermittlung Gemälde Skulptur Straße"),
    "es": (0.10, "museo museos colección visitantes digital archivo exposición patrimonio "
                 "público objetos conservador educación pintura escultura"),
    "pl": (0.07, "muzeum muzea kolekcja zwiedzający cyfrowy archiwum wystawa dziedzictwo "
                 "publiczność obiekty kurator edukacja Małopolska Łódź Kraków"),
    "nl": (0.05, "museum musea collectie bezoekers digitaal archief tentoonstelling erfgoed "
                 "publiek objecten conservator educatie schilderij"),
    # languages analysed by a lemmatiser (simplemma) or newer Snowball stemmers
    "cs": (0.03, "muzeum muzea sbírka sbírky návštěvníci digitální archiv výstava dědictví"),
    "el": (0.02, "μουσείο μουσεία συλλογή επισκέπτες ψηφιακό αρχείο έκθεση κληρονομιά"),
    "sk": (0.02, "múzeum múzeá zbierka zbierky návštevníci digitálny archív výstava dedičstvo"),
    "hr": (0.02, "muzej muzeji zbirka posjetitelji digitalni arhiv izložba baština"),
}
COUNTRIES = ["IT", "FR", "DE", "ES", "PL", "NL", "BE", "AT", "PT", "GR", "SE", "FI", "DK", "IE",
             "CZ", "SK", "SI", "HR", "HU", "RO", "BG", "LT", "LV", "EE", "LU", "MT", "CY", "NO"]
AREAS = ["3d-digitisation", "ar-vr", "ai-data", "accessibility", "audience-engagement",
         "collections-management", "education", "games", "online-presence", "sustainability"]
#: technology keys of the real vocabulary, plus free tags
TECHS = list(technologies())[:40] + ["ceramics", "weaving", "unity-free", "kiosk-free"]
#: a share of case studies carries a translation (into English, or Italian for English ones)
TRANSLATED_SHARE = 0.10
SYLLABLES = "ka to ri ne mu sa lo ve di pa ro gi fe lu ba te co mi na si re zo".split()


class Zipf:
    """Draw words with probability ∝ 1 / rank^s (a natural-language-like vocabulary)."""

    def __init__(self, words: list[str], rng: random.Random, s: float = 1.07):
        self.words, self.rng = words, rng
        self.cum = list(accumulate(1 / (rank ** s) for rank in range(1, len(words) + 1)))

    def draw(self, n: int) -> list[str]:
        total, cum, words, rnd = self.cum[-1], self.cum, self.words, self.rng.random
        return [words[bisect(cum, rnd() * total)] for _ in range(n)]


def make_vocabularies(rng: random.Random, size: int = 12_000) -> dict[str, Zipf]:
    shared = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size * 2)})
    rng.shuffle(shared)
    vocabularies = {}
    for lang, (_share, real) in LANGS.items():
        words = shared[:size]
        rng.shuffle(words)
        # Real words sit among the frequent ranks, as domain words do in real reports.
        for position, word in enumerate(real.split()):
            words.insert(5 + position * 7, word)
        vocabularies[lang] = Zipf(words, rng)
    return vocabularies


def sentence_text(zipf: Zipf, rng: random.Random, words: int) -> str:
    out, drawn = [], zipf.draw(words)
    while drawn:
        n = rng.randint(8, 20)
        chunk, drawn = drawn[:n], drawn[n:]
        out.append(" ".join(chunk).capitalize() + ".")
    return " ".join(out)


def make_records(n: int, rng: random.Random) -> list[dict]:
    vocabularies = make_vocabularies(rng)
    langs, weights = list(LANGS), [share for share, _ in LANGS.values()]
    start = datetime(2016, 1, 1)
    records = []
    for i in range(1, n + 1):
        lang = rng.choices(langs, weights)[0]
        zipf = vocabularies[lang]
        published = start + timedelta(minutes=rng.randint(0, 10 * 365 * 24 * 60))
        techs = rng.sample(TECHS, rng.randint(1, 4))
        # the text names its technologies in its own language, as real reports do
        named = " ".join(technology_name(key, lang) for key in techs if key in technologies())
        translations = []
        if rng.random() < TRANSLATED_SHARE:
            other = "it" if lang == "en" else "en"
            translations.append({"language": other,
                                 "title": " ".join(vocabularies[other].draw(6)).capitalize(),
                                 "summary": sentence_text(vocabularies[other], rng, 60),
                                 "body": sentence_text(vocabularies[other], rng, 900)})
        records.append({
            "id": i, "slug": f"case-{i}",
            "title": " ".join(zipf.draw(rng.randint(4, 10))).capitalize(),
            "summary": sentence_text(zipf, rng, rng.randint(40, 90)),
            "body": named + ". " + sentence_text(zipf, rng, rng.randint(500, 1400)),
            "translations": translations,
            "attachments": sentence_text(zipf, rng, rng.randint(300, 2500))
            if rng.random() < 0.3 else "",
            "language": lang, "country": rng.choice(COUNTRIES),
            "areas": rng.sample(AREAS, rng.randint(1, 3)),
            "technologies": techs,
            "lead_kind": rng.choice(["museum", "museum", "museum", "network"]),
            "lead_size": rng.choice(["small", "medium", "large", ""]),
            "year": published.year,
            "budget_range": rng.choice(["lt-10k", "10k-50k", "50k-100k", "100k-250k", "gt-250k",
                                        "unknown"]),
            "published_at": published,
        })
    return records


KINDS = ("one word", "two words", "phrase", "with facets", "synonym")
SYNONYM_LANGS = ("en", "it", "fr", "de", "es", "pl", "nl", "pt")


def make_queries(records: list[dict], n: int, rng: random.Random) -> list[tuple[str, str, dict]]:
    """(kind, query, filters): one word, two words, phrase, word + facet filter, and a
    technology named in another language (expanded to the concept)."""
    queries = []
    keys = [key for key in TECHS if key in technologies()]
    for i in range(n):
        record = rng.choice(records)
        words = [w.strip(".").lower() for w in record["body"].split()]
        at = rng.randrange(len(words) - 2)
        kind = KINDS[i % len(KINDS)]
        if kind == "synonym":
            name = technology_name(rng.choice(keys), rng.choice(SYNONYM_LANGS))
            queries.append((kind, name.split(" (")[0], {}))
            continue
        if kind == "one word":
            queries.append((kind, words[at], {}))
        elif kind == "two words":
            queries.append((kind, f"{words[at]} {rng.choice(words)}", {}))
        elif kind == "phrase":
            queries.append((kind, f'"{words[at]} {words[at + 1]}"', {}))
        else:
            facet = rng.choice(["country", "area", "language"])
            value = {"country": record["country"], "area": rng.choice(record["areas"]),
                     "language": record["language"]}[facet]
            queries.append((kind, words[at], {facet: [value]}))
    return queries


# --- SQLite FTS5 baseline -------------------------------------------------------------------

FTS_FACETS = ("country", "language", "year", "lead_kind", "lead_size", "budget_range")


def fts_load(records: list[dict], path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, attachments,
            tokenize = 'unicode61 remove_diacritics 2');
        CREATE TABLE docs (id INTEGER PRIMARY KEY, slug TEXT, country TEXT, language TEXT,
            year TEXT, lead_kind TEXT, lead_size TEXT, budget_range TEXT, published_at TEXT);
        CREATE TABLE areas (id INTEGER, value TEXT);
        CREATE TABLE techs (id INTEGER, value TEXT);
    """)
    with db:
        db.executemany("INSERT INTO fts(rowid, title, summary, body, attachments) VALUES (?,?,?,?,?)",
                       [(r["id"], r["title"], r["summary"], "\n\n".join(
                           [r["body"]] + [" ".join((t["title"], t["summary"], t["body"]))
                                          for t in r["translations"]]), r["attachments"])
                        for r in records])
        db.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?)", [
            (r["id"], r["slug"], r["country"], r["language"], str(r["year"]), r["lead_kind"],
             r["lead_size"], r["budget_range"], r["published_at"].isoformat()) for r in records])
        db.executemany("INSERT INTO areas VALUES (?,?)",
                       [(r["id"], a) for r in records for a in r["areas"]])
        db.executemany("INSERT INTO techs VALUES (?,?)",
                       [(r["id"], t) for r in records for t in r["technologies"]])
        for column in FTS_FACETS:
            db.execute(f"CREATE INDEX ix_docs_{column} ON docs({column})")
        db.execute("CREATE INDEX ix_areas ON areas(value, id)")
        db.execute("CREATE INDEX ix_techs ON techs(value, id)")
    return db


def fts_search(db: sqlite3.Connection, q: str, filters: dict, per_page: int = 20) -> int:
    where, params = ["fts MATCH ?"], [q]
    for key, values in filters.items():
        table = {"area": "areas", "technology": "techs"}.get(key)
        marks = ",".join("?" * len(values))
        if table:
            where.append(f"fts.rowid IN (SELECT id FROM {table} WHERE value IN ({marks}))")
        else:
            where.append(f"fts.rowid IN (SELECT id FROM docs WHERE {key} IN ({marks}))")
        params += values
    matched = f"SELECT fts.rowid FROM fts WHERE {' AND '.join(where)}"
    db.execute(f"""SELECT docs.slug, snippet(fts, 2, '<mark>', '</mark>', '…', 24)
                   FROM fts JOIN docs ON docs.id = fts.rowid WHERE {' AND '.join(where)}
                   ORDER BY bm25(fts, 3.0, 2.0, 1.0, 0.6) LIMIT {per_page}""", params).fetchall()
    db.execute("CREATE TEMP TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM hits")
    db.execute(f"INSERT INTO hits {matched}", params)
    total = db.execute("SELECT count(*) FROM hits").fetchone()[0]
    for column in FTS_FACETS:
        db.execute(f"SELECT {column}, count(*) FROM docs JOIN hits ON hits.id = docs.id "
                   f"GROUP BY {column}").fetchall()
    for table in ("areas", "techs"):
        db.execute(f"SELECT value, count(*) FROM {table} JOIN hits ON hits.id = {table}.id "
                   "GROUP BY value").fetchall()
    return total


def fts_query(q: str) -> str:
    """Our query syntax to FTS5's: words ANDed, quoted phrases kept."""
    if q.startswith('"'):
        return q
    return " AND ".join(f'"{word}"' for word in q.replace('"', " ").split())


# --- run ------------------------------------------------------------------------------------

def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the index writer processes)."""
    times = os.times()
    return times.children_user + times.children_system


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn, queries) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall-clock and CPU milliseconds per query, by kind. CPU time is what the query costs
    when the machine is shared (other processes stretch wall-clock time, not CPU time)."""
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for kind, q, filters in queries:
        started, started_cpu = time.perf_counter(), time.thread_time()
        fn(q, filters)
        cpu.setdefault(kind, []).append((time.thread_time() - started_cpu) * 1000)
        wall.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    for by_kind in (wall, cpu):
        by_kind["all"] = [ms for values in list(by_kind.values()) for ms in values]
    return wall, cpu


def report(title: str, ours: dict[str, list[float]], fts: dict[str, list[float]]) -> float:
    print(f"\n{title}")
    print(f"{'query kind':<14}{'n':>5}{'ours p50':>11}{'ours p95':>11}{'FTS5 p50':>11}"
          f"{'FTS5 p95':>11}")
    for kind in (*KINDS, "all"):
        w, f = ours[kind], fts[kind]
        print(f"{kind:<14}{len(w):>5}{percentile(w, 50):>9.1f}ms{percentile(w, 95):>9.1f}ms"
              f"{percentile(f, 50):>9.1f}ms{percentile(f, 95):>9.1f}ms")
    ratio = percentile(ours["all"], 95) / percentile(fts["all"], 95)
    print(f"max: ours {max(ours['all']):.1f}ms, FTS5 {max(fts['all']):.1f}ms; "
          f"mean: ours {statistics.mean(ours['all']):.1f}ms, FTS5 {statistics.mean(fts['all']):.1f}ms")
    print(f"our p95 / FTS5 p95 = {ratio:.2f}; target p95 < 50 ms: "
          f"{'met' if percentile(ours['all'], 95) < 50 else 'NOT met'}")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--publishes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", help="keep the index here and reuse it when it matches")
    parser.add_argument("--reindex-only", action="store_true",
                        help="only the full reindex of both engines (ours, then FTS5)")
    parser.add_argument("--after-publish-only", action="store_true",
                        help="only the queries right after a publish (on the --workdir index)")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    workdir = args.workdir or tempfile.mkdtemp(prefix="search-bench-")
    os.makedirs(workdir, exist_ok=True)
    os.environ["DATA_DIR"] = workdir
    os.environ.setdefault("SECRET_KEY", "bench")
    from app import create_app
    from app.search.indexer import index_records, open_index
    from app.search.services import search_case_studies

    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/b.db"})
    global _bench_app
    _bench_app = app
    started = time.perf_counter()
    records = make_records(args.docs, rng)
    words = sum(len((r["title"] + r["summary"] + r["body"] + r["attachments"]).split())
                for r in records)
    print(f"generated {len(records)} case studies, {words / len(records):.0f} words each on "
          f"average, in {time.perf_counter() - started:.1f}s")
    queries = make_queries(records, args.queries, rng)

    with app.app_context():
        from app.extensions import db

        db.create_all()  # the change log table (the index records where it starts following)
        started, started_cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
        ix = open_index()
        if args.workdir and ix is not None and ix.doc_count() == len(records):
            whoosh_index_s = float("nan")
            print("whoosh: reusing the index in", workdir)
        else:
            index_records(records)
            whoosh_index_s = time.perf_counter() - started
            print(f"whoosh: indexed in {whoosh_index_s:.1f}s, "
                  f"{time.process_time() - started_cpu:.1f}s CPU in this process and "
                  f"{_children_cpu() - children:.1f}s in its writer processes "
                  f"(SEARCH_BUILD_PROCESSES={app.config['SEARCH_BUILD_PROCESSES']})")
        if args.reindex_only:
            fts_started, fts_cpu = time.perf_counter(), time.process_time()
            fts_load(records, os.path.join(workdir, "fts-reindex.db")).close()
            print(f"fts5:   indexed in {time.perf_counter() - fts_started:.1f}s, "
                  f"{time.process_time() - fts_cpu:.1f}s CPU")
            print(f"full reindex of {len(records)}: ours {whoosh_index_s:.1f}s, FTS5 "
                  f"{time.perf_counter() - fts_started:.1f}s (same records, same run)")
            return

        def ours(q, filters):
            return search_case_studies(q, filters, 1, 20, "relevance").total

        if args.after_publish_only:
            for _kind, q, filters in queries:  # the caches a server has after a while
                ours(q, filters)
            print_after_publish(queries_after_publishes(records, queries, args.publishes, ours,
                                                        rng), with_load=True)
            return
        started = time.perf_counter()
        ours(*queries[0][1:])  # open the searcher and build the facet sets once per index version
        print(f"whoosh: first query after opening the index {1000 * (time.perf_counter() - started):.0f}ms")
        whoosh_times = timed(ours, queries)
        after_publish = queries_after_publishes(records, queries, args.publishes, ours, rng)

    started, started_cpu = time.perf_counter(), time.process_time()
    fts_path = os.path.join(workdir, "fts.db")
    if os.path.exists(fts_path):
        os.remove(fts_path)
    fts = fts_load(records, fts_path)
    fts_index_s = time.perf_counter() - started
    print(f"fts5:   indexed in {fts_index_s:.1f}s, "
          f"{time.process_time() - started_cpu:.1f}s CPU")
    fts_search(fts, "museum", {})
    fts_times = timed(lambda q, f: fts_search(fts, fts_query(q), f), queries)

    print(f"\n{args.docs} case studies, {len(queries)} queries, 20 per page, facets, highlights "
          f"and suggestions on every query; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    report("wall-clock time per query", whoosh_times[0], fts_times[0])
    report("CPU time per query", whoosh_times[1], fts_times[1])
    print_after_publish(after_publish)
    print(f"\nfull reindex of {args.docs}: ours {whoosh_index_s:.1f}s, FTS5 {fts_index_s:.1f}s "
          f"(same records, same run)")


def print_after_publish(after_publish: dict[str, list[float]], with_load: bool = False) -> None:
    load = (f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            if with_load else "")
    print(f"\nqueries right after a publish (an index commit), 5 per publish{load}:")
    for label, values in after_publish.items():
        if not values:
            continue
        print(f"  {label:<66} n={len(values):>3} p50 {percentile(values, 50):7.1f}ms "
              f"p99 {percentile(values, 99):7.1f}ms max {max(values):7.1f}ms")


def queries_after_publishes(records, queries, publishes, ours, rng) -> dict[str, list[float]]:
    """Publish (re-index one case study and commit, as applying the change log does), then
    issue queries at once. 'warmed in the background': a thread opens and warms the new
    searcher, as every server process's follower does, and queries keep the old one meanwhile;
    before each publish, five queries without one (the control: what the load alone costs).
    'opened by the first query': the behaviour before (no follower)."""
    import threading

    from app.search import indexer, searcher

    out: dict[str, list[float]] = {}
    root = indexer.index_root()
    for label, background in (("warmed in the background (follower)", True),
                              ("opened by the first query (no follower)", False)):
        searcher.keep_fresh_in_background(root, background)
        values = out.setdefault(label, [])
        cpu = out.setdefault(f"{label}, CPU per query", [])
        warm_cpu = out.setdefault(f"{label}, CPU of the warm-up", [])
        control = out.setdefault(f"{label}: control, no publish before", [])
        for _ in range(publishes):
            if background:  # the same kind of queries without a publish, at the same load
                for _kind, q, filters in rng.sample(queries, 5):
                    started = time.perf_counter()
                    ours(q, filters)
                    control.append((time.perf_counter() - started) * 1000)
            record = dict(rng.choice(records))
            record["title"] = record["title"] + " revised"
            indexer._apply(indexer.live_dir(), {record["id"]: record}, {record["id"]}, set())
            warming = (threading.Thread(target=_refresh, args=(searcher, warm_cpu))
                       if background else None)
            if warming:
                warming.start()
            for _kind, q, filters in rng.sample(queries, 5):
                started, started_cpu = time.perf_counter(), time.thread_time()
                ours(q, filters)
                values.append((time.perf_counter() - started) * 1000)
                cpu.append((time.thread_time() - started_cpu) * 1000)
            if warming:
                warming.join()
        searcher.keep_fresh_in_background(root, False)
    return out


_bench_app = None


def _refresh(searcher_module, cpu_ms: list[float]) -> None:
    started = time.thread_time()
    with _bench_app.app_context():
        searcher_module.refresh_view()
    cpu_ms.append((time.thread_time() - started) * 1000)


if __name__ == "__main__":
    main()
