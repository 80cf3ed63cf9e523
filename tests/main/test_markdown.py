"""The one Markdown renderer: the plain-line shortcut gives exactly the full renderer's output."""
import random

import pytest

from app.core import markdown
from app.core.markdown import is_plain_line, render_markdown
from app.core.markdown import render_parsed as full_render


@pytest.mark.parametrize("line", [
    "I'll be there at 10:30, ok?", "see http://example.org/x", "a -- b", "Hello  world",
    "x = y + 1", "Grazie (a domani)", "e-mail me@example.org", "P.S. what's 50%?",
    "Ça marche", "Дякую", "漢字テスト", "ok",
])
def test_plain_lines_take_the_shortcut_and_render_like_the_parser(line):
    assert is_plain_line(line)
    assert str(render_markdown(line)) == full_render(line) == f"<p>{line}</p>\n"


@pytest.mark.parametrize("source", [
    "- a list", "1. numbered", "# heading", "> quote", "*bold*", "a_b_c", "`code`", "[a](b)",
    "a & b", "<script>alert(1)</script>", "two\nlines", " leading space", "trailing ",
    "~~gone~~", "a | b", "back\\slash", "!not an image", "3) list", "\ttab", "emoji 🎉",
    "nbsp\u00a0here",
])
def test_anything_with_markdown_or_html_meaning_goes_through_the_parser(source):
    assert not is_plain_line(source)
    assert str(render_markdown(source)) == full_render(source)


def test_random_plain_lines_match_the_full_renderer():
    alphabet = "abcXYZàéüßØЖж漢字0123456789" + "".join(markdown._PLAIN_PUNCTUATION) + "   "
    rng = random.Random(20261124)
    checked = 0
    for _ in range(20000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        if is_plain_line(line):
            checked += 1
            assert str(render_markdown(line)) == full_render(line), line
    assert checked > 1000
