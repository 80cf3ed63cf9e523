"""Bounded, seeded fuzzing of every door: bad values in every form field, query parameter and
JSON key the views read, odd path segments, and malformed payloads to every socket event.

The promise: no 5xx answer and no logged traceback, whatever arrives. Which keys a view reads
is learnt by running it once with a recording request (`request.args`, `request.form` and
`request.get_json()` note each key asked for), so a new field or parameter is fuzzed without
editing this file; baseline values come from the forms on the pages themselves, so the bad value
reaches the service behind an otherwise valid form. A new URL variable the world below cannot
fill fails the test until it is added to `_path_values`.

`FUZZ_SEED` and `FUZZ_SAMPLES` (values per key) change the run; both are printed on failure.
"""
import json
import logging
import os
import random
import re
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import quote, urlsplit

import pytest
from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

from app.archive import services as archive_services
from app.calls import applications as application_services
from app.chat import services as chat_services
from app.discussion import services as discussion_services
from app.discussion.models import Post
from app.extensions import db, socketio
from app.files import services as files_services
from app.notifications.models import Notification
from app.notifications.services import notify
from app.projects import members as project_members
from tests.archive.factories import published
from tests.calls.application_factories import make_application
from tests.calls.factories import make_call
from tests.conftest import client_for, socket_client_for
from tests.documents.factories import make_document
from tests.factories import make_org, make_team
from tests.files import samples

SEED = int(os.environ.get("FUZZ_SEED", "20261201"))
SAMPLES = int(os.environ.get("FUZZ_SAMPLES", "3"))

#: strings for forms, query strings and JSON (each key gets the first few plus a seeded sample)
NASTY_TEXT = ["\x00", "a\x00b", "99999999999999999999", "\udc80"]
BAD_TEXT = [
    "", " ", "-1", "0", "-99999999999999999999", "1e309", "NaN", "inf", "1.5", "x" * 5000,
    "<script>alert(1)</script>", "' OR 1=1 --", "%", "%00", "../../etc/passwd", "\u202e",
    "\U0001f984", "null", "[]", "{}", "true", "2026-13-45", "0000-00-00", "@", "/", "\\",
    "\x1b[31m", "\x7f", "\r\n", "\t", "a,b,,c", "((( )))", "\"", "javascript:alert(1)",
    "//evil.example", "\ufffd", "\ud83d",
]
#: JSON values every key gets, then a sample of the rest
NASTY_JSON = [None, 10**20, float("inf"), float("nan"), [], {}]
BAD_JSON = [True, False, 0, -1, -(10**20), 1.5, -1e308, ["x"], {"a": 1}, [None], "x" * 20000,
            2**63, 2**31]
ODD_SEGMENTS = ["%00", "%ED%B2%80", "..", "%2e%2e", "x" * 300, "%0A", "%C0%AF", "a%20b", "\U0001f984"]


# --- a recording request: which keys does each view read? ------------------------------------

SEEN: dict[str, set] = {"args": set(), "form": set(), "json": set()}


class _Recording(ImmutableMultiDict):
    kind = "args"

    def _note(self, key):
        SEEN[self.kind].add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 - the MultiDict signature
        self._note(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self._note(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


class _RecordingJSON(dict):
    def get(self, key, default=None):
        SEEN["json"].add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        SEEN["json"].add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        SEEN["json"].add(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    parameter_storage_class = _Recording

    @property
    def args(self):
        args = super().args
        args.kind = "args"  # the same class holds the form; tell them apart per instance
        return args

    @property
    def form(self):
        form = super().form
        form.kind = "form"
        return form

    def get_json(self, *args, **kwargs):
        data = super().get_json(*args, **kwargs)
        return _RecordingJSON(data) if type(data) is dict else data


# --- the forms on the pages: default values and where they post ------------------------------

class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, dict]] = []
        self._current = None
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = (attrs.get("method", "get").upper(), attrs.get("action") or "", {})
            self.forms.append(self._current)
        elif self._current is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "file"):
                self._current[2].setdefault(attrs["name"], attrs.get("value") or "")
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._current[2].setdefault(self._textarea, "")
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
        elif tag == "option" and self._select and self._select not in self._current[2]:
            self._current[2][self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea and self._current is not None:
            self._current[2][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


# --- the world every door is tried against ----------------------------------------------------

def _world(app):
    project, people = make_team(status="completed")  # so a case study can be started
    admin, lead, member = people["admin"], people["lead"], people["member"]
    document = make_document(project, lead)
    thread = discussion_services.create_thread(lead, project, "Which scanner?", "Let us decide.")
    item = files_services.upload_file(project, member, BytesIO(samples.png()), "scan.png")
    org = make_org(members=[lead])
    archive_slug = published()
    case_study = archive_services.start_case_study(lead, project)
    notify([admin.id], "mention", project=project, actor=lead, subject="Hello")
    chat_services.post_message(lead, project, "hello", "7d5f2b0e-3c8a-4c1e-9a55-0f3f1c2d9e11")
    invitation, token = project_members.create_invitation(lead, project, "member")
    call = make_call("open")
    application = make_application(call, lead, org)
    attachment = application_services.add_attachment(lead, application, BytesIO(
        b"%PDF-1.4\n%%EOF\n"), "plan.pdf")
    application_services.submit(lead, application)
    return {
        "call": call, "application": application, "attachment": attachment,
        "project": project, "people": people, "document": document, "thread": thread,
        "post_id": db.session.execute(db.select(Post.id).where(Post.thread_id == thread.id))
        .scalars().first(), "file": item, "org": org, "archive_slug": archive_slug,
        "case_study": case_study, "invitation_id": invitation.id, "token": token,
        "notification_id": db.session.execute(db.select(Notification.id)).scalars().first(),
    }


def _path_values(rule, world) -> dict | None:
    """Real values for every variable of `rule` (None: the rule is not fuzzed)."""
    values = {}
    for name in rule.arguments:
        if name == "slug":
            if rule.rule.startswith("/orgs/"):
                values[name] = world["org"].slug
            elif rule.rule.startswith("/calls/") or rule.rule.startswith("/api/v1/calls"):
                values[name] = world["call"].slug
            elif rule.rule.startswith("/archive/") or rule.rule.startswith("/api/v1/case-studies"):
                values[name] = world["archive_slug"]
            else:
                values[name] = world["project"].slug
        elif name == "application_id":
            values[name] = world["application"].id
        elif name == "ref":
            values[name] = world["application"].ref
        elif name in ("assignment_id", "request_id", "instalment_id", "pilot_id"):
            values[name] = 1
        elif name == "attachment_id":
            values[name] = world["attachment"].id
        elif name == "doc_id":
            values[name] = world["document"].id
        elif name == "thread_id":
            values[name] = world["thread"].id
        elif name == "post_id":
            values[name] = world["post_id"]
        elif name == "file_id":
            values[name] = world["file"].id
        elif name == "user_id":
            values[name] = world["people"]["member"].id
        elif name in ("number",):
            values[name] = 1
        elif name == "notification_id":
            values[name] = world["notification_id"]
        elif name == "invitation_id":
            values[name] = world["invitation_id"]
        elif name == "case_study_id":
            values[name] = world["case_study"].id
        elif name == "token":
            values[name] = world["token"]
        elif name == "action":
            values[name] = "submit"
        elif name == "answer":
            values[name] = "accept" if rule.rule.startswith("/projects/") else "approve"
        elif name == "change":
            values[name] = "make-admin"
        elif name == "decision":
            values[name] = "verify"
        elif name == "session_id":
            values[name] = 1
        elif name in ("language", "lang"):
            values[name] = "it"
        elif name == "key":
            values[name] = "privacy"
        elif name == "name":
            values[name] = "archive"  # a sitemap source
        elif name == "filename":
            return None  # static files
        else:
            raise AssertionError(f"the fuzz world cannot fill <{name}> in {rule.rule}: add it")
    return values


def _doors(app, world):
    """(method, path, rule) for every route, in a stable order; sign-out is left for last."""
    doors = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        values = _path_values(rule, world)
        if values is None:
            continue
        path = rule.rule
        for name, value in values.items():
            path = re.sub(rf"<(?:[^<>]*:)?{name}>", str(value), path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            doors.append((method, path, rule))
    return doors


# --- the checks --------------------------------------------------------------------------------

class Findings:
    def __init__(self, caplog):
        self.caplog = caplog
        self.problems: list[str] = []
        self.requests = 0

    def check(self, what: str, response) -> None:
        self.requests += 1
        if response.status_code >= 500:
            self.problems.append(f"{response.status_code} {what}")
        self.tracebacks(what)

    def tracebacks(self, what: str) -> None:
        for record in self.caplog.records:
            if record.exc_info or record.levelno >= logging.ERROR:
                error = repr(record.exc_info[1]) if record.exc_info else ""
                self.problems.append(f"logged {record.levelname} {what}: {record.getMessage()} {error}")
        self.caplog.clear()

    def report(self) -> str:
        unique = list(dict.fromkeys(self.problems))
        return (f"seed {SEED}, {SAMPLES} samples/key, {self.requests} requests, "
                f"{len(unique)} problems:\n" + "\n".join(unique[:80]))


def _values(rng: random.Random, pool: list) -> list:
    return NASTY_TEXT + rng.sample(pool, min(SAMPLES, len(pool)))


def _send(client, method, path, *, query=None, form=None, body=None):
    url = path
    if query:
        url += "?" + "&".join(f"{quote(str(k), safe='')}="
                              f"{quote(str(v), safe='', errors='surrogatepass')}"
                              for k, v in query.items())
    if body is not None:
        payload = json.dumps(body)  # \udc80 travels as an escape, as a hostile client sends it
        return client.open(url, method=method, data=payload, content_type="application/json")
    if form is not None:
        encoded = "&".join(f"{quote(str(k), safe='')}="
                           f"{quote(str(v), safe='', errors='surrogatepass')}"
                           for k, v in form.items())
        return client.open(url, method=method, data=encoded,
                           content_type="application/x-www-form-urlencoded")
    return client.open(url, method=method)


def _learn(app, client, method, path, baseline):
    """The query, form and JSON keys the view behind `method path` reads."""
    for seen in SEEN.values():
        seen.clear()
    if path.startswith("/api/") and method != "GET":
        _send(client, method, path, body=dict(baseline) or {"x": 1})
    elif method == "GET":
        _send(client, method, path)
    else:
        _send(client, method, path, form=dict(baseline))
    return {kind: sorted(k for k in keys if isinstance(k, str)) for kind, keys in SEEN.items()}


def _fuzz_http(app, client, findings, rng, doors, forms):
    for method, path, _rule in doors:
        baseline = forms.get((method, path), {})
        keys = _learn(app, client, method, path, baseline)
        findings.tracebacks(f"learning {method} {path}")
        query_keys = keys["args"] or (["page", "q"] if method == "GET" else [])
        for key in query_keys:
            for value in _values(rng, BAD_TEXT):
                findings.check(f"{method} {path}?{key}={value[:40]!r}",
                               _send(client, method, path, query={key: value}))
        if method == "GET":
            continue
        if path.startswith("/api/"):
            for key in sorted(set(keys["json"]) | set(baseline)):
                for value in _values(rng, BAD_TEXT) + NASTY_JSON \
                        + rng.sample(BAD_JSON, min(SAMPLES, len(BAD_JSON))):
                    body = {**baseline, key: value}
                    findings.check(f"{method} {path} json {key}={str(value)[:40]!r}",
                                   _send(client, method, path, body=body))
            for body in ([], "x", None, 5, {"\udc80": 1}):
                findings.check(f"{method} {path} json body {body!r}",
                               _send(client, method, path, body=body))
        for key in sorted(set(keys["form"]) | set(baseline)):
            if key == "csrf_token":
                continue
            for value in _values(rng, BAD_TEXT):
                form = {**baseline, key: value}
                findings.check(f"{method} {path} form {key}={value[:40]!r}",
                               _send(client, method, path, form=form))


def _collect_forms(client, doors) -> dict:
    """(method, path) -> default field values, from the forms on every page."""
    forms = {}
    for method, path, _rule in doors:
        if method != "GET":
            continue
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _FormParser()
        parser.feed(response.get_data(as_text=True))
        for form_method, action, fields in parser.forms:
            target = urlsplit(action).path or path
            forms.setdefault((form_method, target), fields)
    return forms


@pytest.fixture
def fuzz_app(app):
    app.request_class = RecordingRequest
    app.config.update(RATELIMIT_ENABLED=False, CHAT_PRESENCE_DELAY=0)
    return app


@pytest.mark.timeout(900)  # every door × every key × samples: about 3 minutes on a quiet machine
def test_no_door_fails_on_bad_input(fuzz_app, caplog):
    caplog.set_level(logging.ERROR)
    world = _world(fuzz_app)
    rng = random.Random(SEED)
    findings = Findings(caplog)
    doors = _doors(fuzz_app, world)
    signed_in = [d for d in doors if d[1] != "/auth/logout"]
    admin = client_for(fuzz_app, world["people"]["admin"])
    _fuzz_http(fuzz_app, admin, findings, rng, signed_in, _collect_forms(admin, signed_in))
    anonymous = fuzz_app.test_client()
    public = [d for d in doors if not d[1].startswith(("/projects/", "/api/v1/projects"))]
    _fuzz_http(fuzz_app, anonymous, findings, rng, public, _collect_forms(anonymous, public))
    assert findings.requests > 1500
    assert findings.problems == [], findings.report()


def test_odd_path_segments_are_never_a_server_error(fuzz_app, caplog):
    caplog.set_level(logging.ERROR)
    world = _world(fuzz_app)
    findings = Findings(caplog)
    client = client_for(fuzz_app, world["people"]["admin"])
    for method, path, rule in _doors(fuzz_app, world):
        if method != "GET":
            continue
        for name in rule.arguments:
            value = str(_path_values(rule, world)[name])
            for odd in ODD_SEGMENTS:
                findings.check(f"GET {path} with {name}={odd!r}",
                               client.get(path.replace(value, odd, 1)))
    assert findings.problems == [], findings.report()


# --- sockets -----------------------------------------------------------------------------------

SOCKET_KEYS = ("project", "after", "before", "limit", "id", "body", "client_id")


def test_no_socket_event_fails_on_a_malformed_payload(fuzz_app, caplog):
    caplog.set_level(logging.ERROR)
    world = _world(fuzz_app)
    rng = random.Random(SEED)
    findings = Findings(caplog)
    lead = world["people"]["lead"]
    sock = socket_client_for(fuzz_app, client_for(fuzz_app, lead))
    slug = world["project"].slug
    message_id = chat_services.history(lead, world["project"], None, 1)[0].id
    handlers = sorted(name for name in socketio.server.handlers["/"]
                      if name not in ("connect", "disconnect"))
    assert {"join", "message", "history", "edit", "delete", "read", "typing", "leave"} <= set(handlers)
    valid = {"project": slug, "after": None, "before": None, "limit": 10, "id": message_id,
             "body": "fine", "client_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"}
    pool = BAD_TEXT + NASTY_JSON + BAD_JSON
    for event in handlers:
        payloads = [None, "", 1, [], {}, ["project", slug], {"project": None}, {"project": 7},
                    {"project": slug, "extra": {"\udc80": "\x00"}}]
        for key in SOCKET_KEYS:
            for value in NASTY_TEXT + rng.sample(pool, min(SAMPLES + 3, len(pool))) \
                    + [10**20, -(10**20), 2**63, 2**31]:
                payloads.append({**valid, key: value})
        for payload in payloads:
            ack = sock.emit(event, payload, callback=True)
            findings.requests += 1
            what = f"socket {event} {str(payload)[:80]!r}"
            if not isinstance(ack, dict) or "ok" not in ack:
                findings.problems.append(f"no ack for {what}: {ack!r}")
            elif ack["ok"] is False and "went wrong" in str(ack.get("error")):
                findings.problems.append(f"unexpected failure for {what}")
            findings.tracebacks(what)
            sock.get_received()
    assert findings.problems == [], findings.report()
