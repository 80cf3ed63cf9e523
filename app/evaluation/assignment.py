"""Who evaluates what: the automatic assignment of evaluators to a call's applications.

A pure function over plain data. `assign(applications, evaluators, per_application,
conflicts, pinned=...)` gives every application `per_application` distinct evaluators none of
whom has a conflict with it (all it can get when fewer are free: `Assignment.short`), with the
evaluators' loads balanced (no one more than one above another whenever the conflicts allow
it) and each application's evaluators from as many countries as possible (and, other things
equal, not from the applicant's own country).

How:
1. Fill, most constrained application first: each free seat goes to the least loaded free
   evaluator, preferring a country the application does not have yet.
2. Balance: while an evaluator carries two or more above another, move one application along
   a chain of evaluators (each hands one of its applications to the next, who is free for it)
   from a most loaded one to one at least two below; every move lowers the sum of squared
   loads, so it ends, and it ends balanced whenever a balanced assignment exists (checked
   against an integer program in the tests).
3. Spread countries: replace an evaluator whose country repeats on an application by one of a
   new country, directly when their loads differ by one (they trade loads), or else by
   swapping places with that evaluator on another application (loads unchanged).
`pinned` pairs (an evaluator who already started) never move: reassignment after a conflict
declared late keeps everyone else and only refills the freed seats.
"""
from collections import Counter, deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evaluator:
    id: int
    country: str


@dataclass(frozen=True)
class Submission:
    """An application as the assignment sees it: its ref and its lead's country."""
    ref: str
    country: str


@dataclass
class Assignment:
    seats: dict[str, list[int]]                               # ref → evaluator ids
    short: dict[str, int] = field(default_factory=dict)       # ref → seats nobody could take

    def loads(self, evaluators: list[Evaluator]) -> dict[int, int]:
        counts = Counter(e for ids in self.seats.values() for e in ids)
        return {e.id: counts[e.id] for e in evaluators}


class _State:
    def __init__(self, applications, evaluators, conflicts, pinned):
        self.apps = {a.ref: a for a in applications}
        self.people = {e.id: e for e in evaluators}
        self.free = {a.ref: [e.id for e in evaluators if (e.id, a.ref) not in conflicts]
                     for a in applications}
        self.free_sets = {ref: set(ids) for ref, ids in self.free.items()}
        self.seats = {a.ref: {e for e in (pinned or {}).get(a.ref, ()) if e in
                              self.free_sets[a.ref]} for a in applications}
        self.pinned = {(e, ref) for ref, ids in self.seats.items() for e in ids}
        self.load = Counter({e.id: 0 for e in evaluators})
        for ids in self.seats.values():
            self.load.update(ids)

    def countries(self, ref: str) -> Counter:
        return Counter(self.people[e].country for e in self.seats[ref])

    def movable(self, evaluator: int, ref: str) -> bool:
        return (evaluator, ref) not in self.pinned

    def move(self, ref: str, source: int, target: int) -> None:
        self.seats[ref].remove(source)
        self.seats[ref].add(target)
        self.load[source] -= 1
        self.load[target] += 1


def assign(applications: list[Submission], evaluators: list[Evaluator], per_application: int,
           conflicts: set[tuple[int, str]], pinned: dict[str, set[int]] | None = None
           ) -> Assignment:
    """`conflicts`: (evaluator id, ref) pairs that may not meet; `pinned`: {ref: ids} kept."""
    state = _State(applications, evaluators, conflicts, pinned)
    _fill(state, per_application)
    _balance(state)
    _spread_countries(state)
    seats = {ref: sorted(ids) for ref, ids in state.seats.items()}
    short = {ref: per_application - len(ids) for ref, ids in seats.items()
             if len(ids) < per_application}
    return Assignment(seats, short)


def _fill(state: _State, per_application: int) -> None:
    order = sorted(state.apps, key=lambda ref: (len(state.free[ref]), ref))
    for ref in order:
        applicant_country = state.apps[ref].country
        while len(state.seats[ref]) < per_application:
            options = [e for e in state.free[ref] if e not in state.seats[ref]]
            if not options:
                break
            countries = state.countries(ref)
            best = min(options, key=lambda e: (
                state.load[e], countries[state.people[e].country],
                state.people[e].country == applicant_country, e))
            state.seats[ref].add(best)
            state.load[best] += 1


def _chain(state: _State, sources: set[int], targets: set[int]):
    """A shortest chain of moves [(ref, from, to), ...] from a source evaluator to a target,
    each handing one of its movable applications to the next, who is free for it."""
    holding: dict[int, list[str]] = {e: [] for e in state.people}
    for ref, ids in state.seats.items():
        for e in ids:
            if state.movable(e, ref):
                holding[e].append(ref)
    previous: dict[int, tuple[str, int] | None] = {e: None for e in sources}
    queue = deque(sorted(sources))
    while queue:
        current = queue.popleft()
        for ref in holding[current]:
            for nxt in state.free[ref]:
                if nxt in previous or nxt in state.seats[ref]:
                    continue
                previous[nxt] = (ref, current)
                if nxt in targets:
                    return _path(previous, nxt)
                queue.append(nxt)
    return None


def _path(previous, end):
    moves, node = [], end
    while previous[node] is not None:
        ref, before = previous[node]
        moves.append((ref, before, node))
        node = before
    return list(reversed(moves))


def _balance(state: _State) -> None:
    while state.load:
        high, low = max(state.load.values()), min(state.load.values())
        if high - low <= 1:
            return
        chain = (_chain(state, {e for e, n in state.load.items() if n == high},
                        {e for e, n in state.load.items() if n <= high - 2})
                 or _chain(state, {e for e, n in state.load.items() if n >= low + 2},
                           {e for e, n in state.load.items() if n == low}))
        if chain is None:
            return
        for ref, source, target in chain:
            state.move(ref, source, target)


def _spread_countries(state: _State) -> None:
    """Improve while some application gains a country and no load spread grows."""
    improved = True
    while improved:
        improved = False
        for ref in sorted(state.apps):
            if _improve(state, ref):
                improved = True


def _improve(state: _State, ref: str) -> bool:
    countries = state.countries(ref)
    repeated = [e for e in sorted(state.seats[ref])
                if countries[state.people[e].country] > 1 and state.movable(e, ref)]
    newcomers = [f for f in state.free[ref] if f not in state.seats[ref]
                 and countries[state.people[f].country] == 0]
    for e in repeated:
        for f in newcomers:
            if state.load[f] == state.load[e] - 1:
                state.move(ref, e, f)
                return True
            if _swap(state, ref, e, f):
                return True
    return False


def _swap(state: _State, ref: str, e: int, f: int) -> bool:
    """Give `ref`'s seat of e to f and one of f's applications to e, if that other
    application keeps as many countries."""
    country_e, country_f = state.people[e].country, state.people[f].country
    for other in sorted(state.apps):
        if (other == ref or f not in state.seats[other] or e in state.seats[other]
                or e not in state.free_sets[other] or not state.movable(f, other)):
            continue
        counts = state.countries(other)
        if counts[country_e] == 0 or counts[country_f] > 1 or country_e == country_f:
            state.move(ref, e, f)
            state.move(other, f, e)
            return True
    return False
