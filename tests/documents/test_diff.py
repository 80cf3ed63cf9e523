"""Diffs: line rows with word highlights, escaped HTML, folded unchanged runs."""
from app.documents.diff import diff_rows


def test_changed_words_are_highlighted_in_a_changed_line():
    rows, stats = diff_rows("We scan ten textiles.\n", "We scan twelve textiles.\n")
    removed = next(r for r in rows if r.kind == "removed")
    added = next(r for r in rows if r.kind == "added")
    assert str(removed.html) == "We scan <del>ten</del> textiles."
    assert str(added.html) == "We scan <ins>twelve</ins> textiles."
    assert (stats.added, stats.removed) == (1, 1)


def test_added_and_removed_lines_carry_line_numbers():
    rows, stats = diff_rows("a\nb\nc\n", "a\nc\nd\n")
    kinds = [(r.kind, r.old_number, r.new_number) for r in rows]
    assert ("removed", 2, None) in kinds
    assert ("added", None, 3) in kinds
    assert ("context", 1, 1) in kinds


def test_html_in_documents_is_escaped_in_the_diff():
    rows, _ = diff_rows("safe\n", "safe\n<script>alert(1)</script>\n")
    html = "".join(str(r.html) for r in rows)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_long_unchanged_runs_are_folded():
    old = "\n".join(f"line {n}" for n in range(100)) + "\n"
    new = old.replace("line 50\n", "line fifty\n")
    rows, _ = diff_rows(old, new)
    folds = [r for r in rows if r.kind == "fold"]
    assert len(folds) == 2
    assert len(rows) < 15


def test_identical_texts_have_no_change_rows():
    rows, stats = diff_rows("same\n", "same\n")
    assert all(r.kind in ("context", "fold") for r in rows)
    assert (stats.added, stats.removed) == (0, 0)


def test_a_rewritten_line_is_shown_whole_rather_than_word_by_word():
    rows, _ = diff_rows("To be agreed at the kick-off.\n", "- Month 1: selection and checks\n")
    removed = next(r for r in rows if r.kind == "removed")
    assert str(removed.html) == "<del>To be agreed at the kick-off.</del>"
