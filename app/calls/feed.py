"""The Atom feed of calls: every call that is no longer a draft, newest first by opening."""
from xml.sax.saxutils import escape

from flask import url_for

from ..core.markdown import markdown_to_text
from ..core.time import isoformat_utc, utcnow


def calls_atom(calls) -> str:
    calls = sorted(calls, key=lambda c: c.opens_at, reverse=True)[:50]
    feed_url = url_for("calls.atom", _external=True)
    updated = max((c.updated_at for c in calls if c.updated_at), default=utcnow())
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>European Museum Collaboration and Innovation Space: open calls</title>",
        f"<id>{escape(feed_url)}</id>",
        f'<link rel="self" href="{escape(feed_url)}"/>',
        f'<link href="{escape(url_for("calls.index", _external=True))}"/>',
        f"<updated>{isoformat_utc(updated)}</updated>",
    ]
    for call in calls:
        url = url_for("calls.call", slug=call.slug, _external=True)
        parts += [
            "<entry>", f"<title>{escape(call.title)}</title>",
            f"<id>{escape(url)}</id>", f'<link href="{escape(url)}"/>',
            f"<published>{isoformat_utc(call.opens_at)}</published>",
            f"<updated>{isoformat_utc(call.updated_at or call.opens_at)}</updated>",
            f'<category term="{escape(call.status)}"/>',
            f"<summary>{escape(markdown_to_text(call.text('description'))[:600])}</summary>",
            "</entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts)
