"""The three-way merge: non-overlapping edits combine, overlapping ones keep both sides."""
from app.documents.merge import merge_texts

BASE = "# Plan\n\nIntro paragraph.\n\nScope: textiles.\n\nBudget: 10k.\n"


def test_changes_in_different_paragraphs_merge_cleanly():
    theirs = BASE.replace("Intro paragraph.", "Intro paragraph, revised by Anna.")
    mine = BASE.replace("Budget: 10k.", "Budget: 12k.")
    result = merge_texts(BASE, theirs, mine)
    assert result.clean
    assert "revised by Anna" in result.text and "Budget: 12k." in result.text


def test_adjacent_line_changes_merge_cleanly():
    result = merge_texts("a\nb\nc\n", "a\nB\nc\n", "a\nb\nC\n")
    assert result.clean and result.text == "a\nB\nC\n"


def test_both_appending_at_the_end_conflicts_and_keeps_both():
    result = merge_texts("a\n", "a\ntheirs\n", "a\nmine\n")
    assert not result.clean
    assert "theirs" in result.text and "mine" in result.text


def test_same_line_changed_differently_is_a_conflict_with_markers():
    theirs = BASE.replace("Scope: textiles.", "Scope: textiles and ceramics.")
    mine = BASE.replace("Scope: textiles.", "Scope: textiles, 3D scans only.")
    result = merge_texts(BASE, theirs, mine, their_label="them", my_label="me")
    assert result.conflicts == 1
    assert result.regions == [(["Scope: textiles and ceramics."], ["Scope: textiles, 3D scans only."])]
    assert ("<<<<<<< them\nScope: textiles and ceramics.\n=======\n"
            "Scope: textiles, 3D scans only.\n>>>>>>> me") in result.text
    assert "Intro paragraph." in result.text and "Budget: 10k." in result.text


def test_identical_changes_on_both_sides_are_taken_once():
    changed = BASE.replace("10k", "15k")
    result = merge_texts(BASE, changed, changed)
    assert result.clean and result.text == changed


def test_one_side_unchanged_takes_the_other():
    changed = BASE + "\nNew section.\n"
    assert merge_texts(BASE, BASE, changed).text == changed
    assert merge_texts(BASE, changed, BASE).text == changed


def test_deletion_against_edit_of_the_same_line_conflicts():
    result = merge_texts("a\nb\nc\n", "a\nc\n", "a\nB!\nc\n")
    assert not result.clean
    assert "B!" in result.text


def test_windows_newlines_do_not_create_conflicts():
    theirs = "a\nB\nc\n"
    mine = "a\r\nb\r\nC\r\n"
    result = merge_texts("a\nb\nc\n", theirs, mine)
    assert result.clean and result.text == "a\nB\nC\n"


def test_several_regions_some_clean_some_conflicting():
    base = "\n".join(f"line {n}" for n in range(1, 11))
    theirs = base.replace("line 2", "line two").replace("line 8", "line eight (theirs)")
    mine = base.replace("line 5", "line five").replace("line 8", "line eight (mine)")
    result = merge_texts(base, theirs, mine)
    assert result.conflicts == 1
    assert "line two" in result.text and "line five" in result.text
    assert "line eight (theirs)" in result.text and "line eight (mine)" in result.text
