"""The one Markdown renderer for the whole app: CommonMark (markdown-it-py) then nh3 sanitizing.

Every feature renders user text through `render_markdown`; features that add syntax
(`@mentions`, `[[Document links]]`) pre-process the source into plain Markdown links first and
then call this, so the sanitizer always has the last word.
"""
from urllib.parse import urlparse

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable("table").enable("strikethrough")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul", "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "span": {"class"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def _is_external(url: str) -> bool:
    parsed = urlparse(url)
    return bool(parsed.scheme in ("http", "https") and parsed.netloc)


def _link_attributes(element: str, attribute: str, value: str) -> str | None:
    if element == "a" and attribute == "href":
        return value
    if element == "img" and attribute == "src":
        # Images only from this site: no tracking pixels from other origins.
        return value if not urlparse(value).netloc and not value.startswith("//") else None
    return value


def sanitize_html(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel=None,
        attribute_filter=_link_attributes,
    )
    # Only links need the re-walk; most chat lines and many paragraphs have none.
    return _add_rel_to_external_links(cleaned) if "<a " in cleaned else cleaned


def _add_rel_to_external_links(html: str) -> str:
    """nh3 sets one rel for every link; we want it on external links only, so re-walk."""
    from html.parser import HTMLParser

    out: list[str] = []

    class Rewriter(HTMLParser):
        def handle_starttag(self, tag, attrs):
            out.append(self._tag(tag, attrs, closing=False))

        def handle_startendtag(self, tag, attrs):
            out.append(self._tag(tag, attrs, closing=True))

        def _tag(self, tag, attrs, closing):
            attrs = [(k, v) for k, v in attrs if k != "rel"]
            if tag == "a" and any(k == "href" and v and _is_external(v) for k, v in attrs):
                attrs.append(("rel", "nofollow ugc noopener"))
            rendered = "".join(
                f' {k}="{_escape_attr(v)}"' if v is not None else f" {k}" for k, v in attrs
            )
            return f"<{tag}{rendered}{' /' if closing else ''}>"

        def handle_endtag(self, tag):
            out.append(f"</{tag}>")

        def handle_data(self, data):
            out.append(_escape_text(data))

        def handle_entityref(self, name):
            out.append(f"&{name};")

        def handle_charref(self, name):
            out.append(f"&#{name};")

    parser = Rewriter(convert_charrefs=False)
    parser.feed(html)
    parser.close()
    return "".join(out)


def _escape_attr(value: str) -> str:
    return (value.replace("&", "&amp;").replace('"', "&quot;")
            .replace("<", "&lt;").replace(">", "&gt;"))


def _escape_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


#: punctuation with no meaning to CommonMark inside a one-line paragraph that starts with a letter
_PLAIN_PUNCTUATION = frozenset(" ,.;:!?'()%/@+=-")


def is_plain_line(source: str) -> bool:
    """True for a one-line text that CommonMark renders as a bare paragraph of itself.

    It must start with a letter (no list, heading or quote marker), have no surrounding space
    and use only letters, digits, spaces and `_PLAIN_PUNCTUATION` (no emphasis, code, links,
    entities, escapes, tables or HTML). Most chat messages are such lines. A test checks that
    the shortcut gives exactly what the full renderer gives.
    """
    return bool(source) and source[0].isalpha() and source[-1] != " " and all(
        char.isalnum() or char in _PLAIN_PUNCTUATION for char in source)


def render_markdown(source: str | None) -> Markup:
    """Render user Markdown to safe HTML. Raw HTML in the source is shown as text."""
    if not source:
        return Markup("")
    if is_plain_line(source):  # same output as the parser's without parsing: nothing to escape
        return Markup(f"<p>{source}</p>\n")  # noqa: S704 - only letters, digits, safe punctuation
    return Markup(render_parsed(source))  # noqa: S704 - sanitized there


def render_parsed(source: str) -> str:
    """The full path: CommonMark, then the sanitizer (what `render_markdown` shortcuts)."""
    return sanitize_html(_md.render(source))


def markdown_to_text(source: str | None) -> str:
    """Plain text of a Markdown source, for snippets, search and notifications."""
    if not source:
        return ""
    html = sanitize_html(_md.render(source))
    return nh3.clean(html, tags=set()).replace("&amp;", "&").replace("&lt;", "<").replace(
        "&gt;", ">").replace("&quot;", '"').strip()
