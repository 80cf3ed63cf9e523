"""Test-only speed-ups, fenced here. First: werkzeug parses and compiles every rule per app.

The suite builds a fresh app per test (about 160 rules), and werkzeug turns each rule into Python
source and compiles it twice (`Rule._compile_builder`): about 0.45 s of CPU per app, a third of
the whole suite. The generated function depends only on the rule's text, its parsed trace, its
defaults and whether unknown arguments are appended; it reaches the rule itself through its first
argument (bound afterwards with `__get__`). So the same inputs may share one compiled function.
Parsing a rule (`Rule.compile`: the matcher's parts, the trace, the converters) is the other
third of an app's start: its result depends only on the rule's text, its subdomain or host and
the map's settings and converter classes, so it is kept too, and each new rule gets fresh
converter instances bound to its own map.
Production builds one app per process and never loads this module.
"""
import copy

from jinja2.bccache import BytecodeCache, Bucket
from werkzeug.routing.rules import Rule

_original = Rule._compile_builder


def _cached_compile_builder(self: Rule, append_unknown: bool = True):
    defaults = self.defaults or {}
    key = (
        self.rule,
        tuple(self._trace),
        tuple(sorted((name, repr(value), type(self._converters.get(name)).__name__)
                     for name, value in defaults.items())),
    )
    entry = (key, append_unknown)
    if entry not in _cache:
        _cache[entry] = _original(self, append_unknown)
    return _cache[entry]


_cache: dict = {}
_original_compile = Rule.compile


def _cached_compile(self: Rule) -> None:
    rule_map = self.map
    key = (
        self.rule, self.host if rule_map.host_matching else self.subdomain, self.merge_slashes,
        tuple(sorted((name, id(converter)) for name, converter in rule_map.converters.items())),
    )
    parsed = _parsed.get(key)
    if parsed is None:
        _original_compile(self)
        _parsed[key] = (tuple(self._parts), tuple(self._trace), dict(self._converters),
                        frozenset(self._converters))
        return
    parts, trace, converters, arguments = parsed
    self._parts, self._trace = list(parts), list(trace)
    self._converters = {}
    for name, converter in converters.items():
        fresh = copy.copy(converter)
        fresh.map = rule_map
        self._converters[name] = fresh
    self.arguments |= arguments
    self._build = self._compile_builder(False).__get__(self, None)
    self._build_unknown = self._compile_builder(True).__get__(self, None)


_parsed: dict = {}


def install_routing_cache() -> None:
    Rule._compile_builder = _cached_compile_builder
    Rule.compile = _cached_compile


class SharedTemplateCache(BytecodeCache):
    """Jinja's own bytecode cache, in memory and shared by every app of the test run.

    Each test's fresh app has a fresh Jinja environment that would compile every template again
    (a few hundred ms per page-rendering test); Jinja keys this cache by template name and source
    checksum, so an edited template is compiled anew; the key here adds the environment's
    `finalize`, the one compile-time option a test changes.
    """

    def __init__(self):
        self._store: dict[str, bytes] = {}

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        # `finalize` is compiled into the template code (a test swaps it to mark expressions)
        key = f"{self.get_cache_key(name, filename)}:{environment.finalize!r}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


templates = SharedTemplateCache()


def install_engine_sharing(url: str) -> None:
    """One SQLAlchemy engine for every app of the run on the suite's own database.

    SQLAlchemy keeps compiled statements per engine (and its dialect): a fresh app per test meant
    a fresh engine, so every statement of every test was compiled again, a sixth of the suite's
    CPU. Apps on other databases (live servers, restores) and apps with other engine options
    still get their own engine; the `app` fixture still disposes the pool after each test.
    """
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy.engine import make_url

    original = SQLAlchemy._make_engine
    wanted = make_url(url).render_as_string(hide_password=False)

    def shared_engine(self, bind_key, options, app):
        if bind_key is not None or \
                make_url(options["url"]).render_as_string(hide_password=False) != wanted:
            return original(self, bind_key, options, app)
        key = repr(sorted((name, repr(value)) for name, value in options.items() if name != "url"))
        if key not in _engines:
            _engines[key] = original(self, bind_key, options, app)
        return _engines[key]

    SQLAlchemy._make_engine = shared_engine


_engines: dict = {}
