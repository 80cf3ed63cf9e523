"""Hostile input in titles, bodies and mention names stays inert: through the renderer and
through full page renders (thread list, thread, history, notifications)."""
import re
from html.parser import HTMLParser

import pytest

from app.discussion import services
from app.discussion.markup import PostRenderer

from ..conftest import client_for
from ..factories import add_member, make_user

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "![img](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[[<script>alert(1)</script>]]",
    "[[file:<img src=x onerror=alert(1)>]]",
    "@[<script>alert(1)</script>]",
    "@[\"><img src=x onerror=alert(1)>]",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<<script>script>alert(1)<</script>/script>",
    "`<script>` and ```\n<script>alert(1)</script>\n```",
    "<style>body{display:none}</style>",
    "[a](vbscript:msgbox(1))",
]
FORBIDDEN_TAGS = {"script", "iframe", "svg", "math", "style", "object", "embed", "body", "details",
                  "form", "input", "link", "meta", "base"}


class _Elements(HTMLParser):
    """Every element and attribute of a document, as a browser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_inert(html: str, *, allowed_tags=()) -> None:
    """No executable markup: no script-like elements, no event handlers, no script URLs.

    Hostile text may still be *shown* (escaped, as text), which is what a reader should see.
    """
    assert not re.search(r"<script(?![^>]*src=\"/static/)", html, re.I), html[:300]
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.elements:
        assert tag not in FORBIDDEN_TAGS - set(allowed_tags), (tag, attrs)
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name, value)
            cleaned = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert not cleaned.startswith(("javascript:", "vbscript:", "data:")), (tag, value)


assert len(PAYLOADS) >= 20


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_renderer_neutralises_each_payload(team, payload):
    hostile = make_user(payload[:100], f"h{abs(hash(payload)) % 10**8}@x.example")
    renderer = PostRenderer(team.project, [payload], members=[hostile, team.member])
    assert_inert(renderer.render(payload))
    assert_inert(renderer.render(f"@[{hostile.name}] {payload}"))


def test_full_pages_stay_inert_with_hostile_titles_bodies_and_names(app, team):
    hostile = make_user("<img src=x onerror=alert(1)>", "hostile@x.example")
    add_member(team.project, hostile)
    thread = None
    for n, payload in enumerate(PAYLOADS):
        thread = services.create_thread(hostile, team.project, payload[:200],
                                        f"{payload}\n\n@[{hostile.name}] @[Anna Bianchi]")
        reply = services.reply(hostile, thread, None, payload + f" @[{hostile.name}]")
        services.edit_post(hostile, reply, f"edited {n} {payload}")
    client = client_for(app, team.member)
    base = f"/projects/{team.project.slug}/discussion"
    pages = [f"{base}/", f"{base}/{thread.id}", "/notifications/",
             f"{base}/{thread.id}/posts/{reply.id}/history"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        # the page's own scripts (type=module, static src), forms and body are ours, not the user's
        own = re.sub(r'<script type="module" src="/static/[0-9a-f]+/js/[a-z.]+\.js"></script>', "", html)
        assert own.count("<script") == 0
        assert_inert(own, allowed_tags={"body", "form", "input", "link", "meta"})
