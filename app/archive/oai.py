"""OAI-PMH 2.0 for the archive: arguments and protocol errors, resumption tokens, and each
verb's answer as plain data. `oai_xml.py` writes the answers as XML; `oai_routes.py` is the door.

Records are `OaiRecord` rows: published case studies and, as deleted records, withdrawn ones.
Metadata always comes from the published snapshot (`queries.load_public_by_ids`), so nothing
unpublished can leak. A list page reads a fixed number of statements: the list's size, the page
of records, their sets, and (ListRecords) their snapshots and translations.

Resumption tokens carry the query itself (verb, format, set, from, and an `until` frozen at the
first page), a cursor on (datestamp, id) and the count so far, signed with the secret key: they
stay valid however many case studies are published or withdrawn in between, and expire never.
"""
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import and_, func, or_, select

from ..core.countries import COUNTRIES
from ..core.text import text_problem
from ..core.time import utcnow
from ..extensions import db
from ..projects.areas import APPLICATION_AREAS
from .models import OaiRecord, OaiRecordSet
from .queries import PublicCaseStudy, load_public_by_ids
from .vocabulary import LANGUAGES

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
CASE_STUDY_PREFIX = "emc_case_study"
CASE_STUDY_NAMESPACE = "https://museum-space.eu/ns/case-study/1.0/"
FORMATS = {  # prefix -> (schema, namespace); the schema of our own is served from static/
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
               "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    CASE_STUDY_PREFIX: ("schemas/case-study-1.0.xsd", CASE_STUDY_NAMESPACE),
}
LIST_ARGUMENTS = ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"})
VERBS = {  # verb -> (required arguments, optional arguments)
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": LIST_ARGUMENTS,
    "ListRecords": LIST_ARGUMENTS,
}
SET_GROUPS = {"area": "Application areas", "country": "Countries", "language": "Languages"}
_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
_PREFIX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
_DAY, _SECONDS = "%Y-%m-%d", "%Y-%m-%dT%H:%M:%SZ"


class OaiError(Exception):
    """A protocol error: `code` is one of the specification's error codes."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class Entry:
    """One record of an answer: its header, and the published case study unless deleted."""

    identifier: str
    datestamp: datetime
    specs: list[str]
    deleted: bool
    item: PublicCaseStudy | None = None


@dataclass
class Answer:
    """What the door writes: the verb, the request's echo, and the payload or the errors."""

    verb: str | None
    echo: dict[str, str] = field(default_factory=dict)
    errors: list[OaiError] = field(default_factory=list)
    payload: object = None
    prefix: str | None = None
    token: dict | None = None  # {"value", "cursor", "size"} on lists that are or were split


def format_datestamp(moment: datetime) -> str:
    return moment.strftime(_SECONDS)


def identifier_of(slug: str) -> str:
    return f"oai:{current_app.config['OAI_REPOSITORY_IDENTIFIER']}:case-study/{slug}"


def _slug_of(identifier: str) -> str | None:
    start = f"oai:{current_app.config['OAI_REPOSITORY_IDENTIFIER']}:case-study/"
    slug = identifier[len(start):] if identifier.startswith(start) else ""
    return slug if slug and len(slug) <= 120 else None


# ---------------------------------------------------------------- the request

def answer(values) -> Answer:
    """Answer one request (a MultiDict of GET or POST arguments); protocol errors included."""
    try:
        verb, args = _parse(values)
    except OaiError as error:
        return Answer(verb=None, errors=[error])
    result = Answer(verb=verb, echo={"verb": verb, **args})
    try:
        if verb == "Identify":
            result.payload = identify()
        elif verb == "ListMetadataFormats":
            result.payload = metadata_formats(args.get("identifier"))
        elif verb == "ListSets":
            if "resumptionToken" in args:
                raise OaiError("badResumptionToken", "ListSets is never split.")
            result.payload = list_sets()
        elif verb == "GetRecord":
            result.prefix = _format(args["metadataPrefix"])
            result.payload = get_record(args["identifier"], result.prefix)
        else:
            query = _list_query(verb, args)
            result.prefix = query["p"]
            result.payload, result.token = list_page(query)
    except OaiError as error:
        result.errors = [error]
    return result


def _parse(values) -> tuple[str, dict[str, str]]:
    verbs = values.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError("badVerb", "Missing, repeated or unknown verb." if len(verbs) != 1
                       else f"Unknown verb: {verbs[0][:40]}")
    verb = verbs[0]
    required, optional = VERBS[verb]
    args = {}
    for key in values.keys():
        items = values.getlist(key)
        if key == "verb":
            continue
        if key not in required | optional:
            raise OaiError("badArgument", f"{key[:40]} is not an argument of {verb}.")
        if len(items) > 1:
            raise OaiError("badArgument", f"{key} is repeated.")
        if text_problem(items[0]) or len(items[0]) > 2000:
            raise OaiError("badArgument", f"{key} is not valid text.")
        args[key] = items[0]
    if "resumptionToken" in args and len(args) > 1:
        raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
    missing = sorted(required - set(args)) if "resumptionToken" not in args else []
    if missing:
        raise OaiError("badArgument", f"{verb} needs {', '.join(missing)}.")
    if "metadataPrefix" in args and not _PREFIX.fullmatch(args["metadataPrefix"]):
        raise OaiError("badArgument", "metadataPrefix is not a valid prefix.")
    if "set" in args and not _SPEC.fullmatch(args["set"]):
        raise OaiError("badArgument", "set is not a valid set spec.")
    if "identifier" in args and not re.fullmatch(r"\S+", args["identifier"]):
        raise OaiError("badArgument", "identifier is not a valid identifier.")
    return verb, args


def _format(prefix: str) -> str:
    if prefix not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"{prefix} is not a format of this archive.")
    return prefix


def _moment(text: str, *, end: bool) -> tuple[datetime, str]:
    for pattern, granularity in ((r"\d{4}-\d{2}-\d{2}", _DAY),
                                 (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", _SECONDS)):
        if re.fullmatch(pattern, text):
            try:
                moment = datetime.strptime(text, granularity)
            except ValueError:
                break
            if granularity == _DAY and end:
                moment += timedelta(days=1, seconds=-1)
            return moment, granularity
    raise OaiError("badArgument", f"{text[:40]} is not a UTC date (YYYY-MM-DD) or "
                                  f"datestamp (YYYY-MM-DDThh:mm:ssZ).")


def _list_query(verb: str, args: dict) -> dict:
    if "resumptionToken" in args:
        return _read_token(verb, args["resumptionToken"])
    prefix = _format(args["metadataPrefix"])
    start = end = None
    if "from" in args:
        start, from_granularity = _moment(args["from"], end=False)
    if "until" in args:
        end, until_granularity = _moment(args["until"], end=True)
        if start is not None and from_granularity != until_granularity:
            raise OaiError("badArgument", "from and until have different granularities.")
        if start is not None and start > end:
            raise OaiError("badArgument", "from is later than until.")
    end = end or utcnow().replace(microsecond=0)
    return {"v": verb, "p": prefix, "s": args.get("set"),
            "f": format_datestamp(start) if start else None, "u": format_datestamp(end),
            "a": None, "c": 0}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="oai-pmh-resumption")


def _read_token(verb: str, token: str) -> dict:
    try:
        query = _serializer().loads(token)
        valid = isinstance(query, dict) and query.get("v") == verb and \
            query.get("p") in FORMATS and isinstance(query.get("c"), int) and \
            isinstance(query.get("a"), list) and len(query["a"]) == 2
        if valid:
            datetime.strptime(query["u"], _SECONDS)
            datetime.strptime(query["a"][0], _SECONDS)
            valid = isinstance(query["a"][1], int)
    except (BadData, TypeError, ValueError, KeyError):
        valid = False
    if not valid:
        raise OaiError("badResumptionToken", "The resumption token is not valid.")
    return query


# ---------------------------------------------------------------- the verbs

def identify() -> dict:
    earliest = db.session.execute(select(func.min(OaiRecord.datestamp))).scalar()
    return {"earliest": format_datestamp(earliest or utcnow()),
            "admin_email": current_app.config["OAI_ADMIN_EMAIL"],
            "sample": identifier_of("a-case-study")}


def metadata_formats(identifier: str | None) -> list[tuple[str, str, str]]:
    if identifier is not None:
        _record(identifier)
    return [(prefix, schema, namespace) for prefix, (schema, namespace) in FORMATS.items()]


def list_sets() -> list[tuple[str, str]]:
    """Every set, from the vocabularies (named in English: the protocol has no locale)."""
    with force_locale("en"):
        sets = [(group, name) for group, name in SET_GROUPS.items()]
        sets += [(f"area:{key}", str(label)) for key, label in APPLICATION_AREAS.items()]
        sets += [(f"country:{code}", str(name)) for code, name in sorted(COUNTRIES.items())]
        sets += [(f"language:{code}", str(name)) for code, name in LANGUAGES.items()]
    return sets


def _record(identifier: str) -> OaiRecord:
    slug = _slug_of(identifier)
    record = db.session.execute(select(OaiRecord).where(OaiRecord.slug == slug)) \
        .scalar_one_or_none() if slug else None
    if record is None:
        raise OaiError("idDoesNotExist", f"No record {identifier[:200]}.")
    return record


def get_record(identifier: str, prefix: str) -> Entry:
    return _entries([_record(identifier)], with_metadata=True)[0]


def _entries(records: list[OaiRecord], *, with_metadata: bool) -> list[Entry]:
    items = load_public_by_ids([r.case_study_id for r in records if not r.deleted]) \
        if with_metadata else {}
    entries = []
    for record in records:
        item = items.get(record.case_study_id)
        # a record whose case study is no longer public is told as deleted, never shown
        deleted = record.deleted or (with_metadata and item is None)
        entries.append(Entry(identifier=identifier_of(record.slug), datestamp=record.datestamp,
                             specs=[s.spec for s in record.sets], deleted=deleted,
                             item=None if deleted else item))
    return entries


def _filtered(statement, query: dict):
    statement = statement.where(OaiRecord.datestamp <= datetime.strptime(query["u"], _SECONDS))
    if query["f"]:
        statement = statement.where(
            OaiRecord.datestamp >= datetime.strptime(query["f"], _SECONDS))
    spec = query["s"]
    if spec:
        member = OaiRecordSet.spec.startswith(f"{spec}:", autoescape=True) \
            if spec in SET_GROUPS else OaiRecordSet.spec == spec
        statement = statement.where(select(OaiRecordSet.case_study_id).where(
            OaiRecordSet.case_study_id == OaiRecord.case_study_id, member).exists())
    return statement


def list_page(query: dict) -> tuple[list[Entry], dict | None]:
    """One page of ListIdentifiers / ListRecords after the token's cursor, and the next token
    (OAI_PAGE_SIZE records a page, 100 unless set)."""
    size = db.session.execute(_filtered(select(func.count()).select_from(OaiRecord), query)) \
        .scalar()
    statement = _filtered(select(OaiRecord), query)
    if query["a"]:
        after, after_id = datetime.strptime(query["a"][0], _SECONDS), query["a"][1]
        statement = statement.where(or_(OaiRecord.datestamp > after, and_(
            OaiRecord.datestamp == after, OaiRecord.case_study_id > after_id)))
    page_size = current_app.config["OAI_PAGE_SIZE"]
    records = list(db.session.execute(statement.order_by(
        OaiRecord.datestamp, OaiRecord.case_study_id).limit(page_size + 1)).scalars())
    if not records:
        raise OaiError("noRecordsMatch", "No records match the request.")
    more, records = len(records) > page_size, records[:page_size]
    entries = _entries(records, with_metadata=query["v"] == "ListRecords")
    if not more and not query["a"]:
        return entries, None  # the whole list in one answer: no token
    token = {"value": "", "cursor": query["c"], "size": max(size, query["c"] + len(records))}
    if more:
        last = records[-1]
        token["value"] = _serializer().dumps(dict(
            query, a=[format_datestamp(last.datestamp), last.case_study_id],
            c=query["c"] + len(records)))
    return entries, token
