"""Two editors from the same base (the form without JavaScript): separate changes merge,
overlapping ones keep both versions, never a conflict page (the save is an edit of the shared
co-editing state: app/documents/coedit/)."""
from app.extensions import db

from ..conftest import client_for
from ..factories import make_project, make_user
from .factories import edit, make_document

PLAN = ("# Digitisation plan\n\n"
        "Scope: 40 textiles from the lace collection.\n\n"
        "Method: photogrammetry.\n\n"
        "Budget: 18 000 EUR.\n")


def _two_editors(app):
    anna, jonas = make_user("Anna Rossi"), make_user("Jonas Berg")
    project = make_project(lead=anna, members={"member": [jonas]})
    document = make_document(project, anna, title="Plan", body=PLAN)
    return project, document, client_for(app, anna), client_for(app, jonas)


def _save(client, project, document, body, base, title="Plan"):
    return client.post(f"/projects/{project.slug}/documents/{document.id}/edit", data={
        "title": title, "body": body, "base_revision": str(base), "summary": ""})


def test_non_overlapping_edits_from_the_same_base_are_merged(app):
    project, document, anna, jonas = _two_editors(app)
    assert _save(anna, project, document, PLAN.replace("40 textiles", "45 textiles"), 1
                 ).status_code == 302
    response = _save(jonas, project, document, PLAN.replace("photogrammetry", "structured light"),
                     1)
    assert response.status_code == 302
    db.session.refresh(document)
    assert document.revision_number == 3
    assert "45 textiles" in document.body and "structured light" in document.body
    assert document.current_revision.summary == "Merged with revision 2"
    page = jonas.get(response.headers["Location"]).get_data(as_text=True)
    assert "both were merged into revision 3" in page


def test_overlapping_edits_keep_both_versions_without_a_conflict_page(app):
    project, document, anna, jonas = _two_editors(app)
    _save(anna, project, document, PLAN.replace("18 000 EUR", "20 000 EUR"), 1)
    mine = PLAN.replace("18 000 EUR", "16 500 EUR (after the grant cut)") + "\nMy long notes.\n"
    response = _save(jonas, project, document, mine, 1)
    assert response.status_code == 302
    db.session.refresh(document)
    assert document.revision_number == 3
    body = document.body
    assert "20 000 EUR" in body                                    # theirs
    assert "16 500 EUR (after the grant cut)" in body              # mine: nothing lost
    assert "My long notes." in body and "<<<<<<<" not in body
    assert body.index("20 000 EUR") < body.index("16 500 EUR")


def test_the_later_of_two_renames_wins(app):
    project, document, anna, jonas = _two_editors(app)
    _save(anna, project, document, PLAN, 1, title="Plan 2026")
    response = _save(jonas, project, document, PLAN, 1, title="Plan (draft)")
    assert response.status_code == 302
    db.session.refresh(document)
    assert document.title == "Plan (draft)" and document.revision_number == 3


def test_a_rename_and_a_text_edit_from_the_same_base_merge(app):
    project, document, anna, jonas = _two_editors(app)
    _save(anna, project, document, PLAN, 1, title="Plan 2026")
    _save(jonas, project, document, PLAN + "\nExtra.\n", 1, title="Plan")
    db.session.refresh(document)
    assert document.title == "Plan 2026" and "Extra." in document.body


def test_the_same_change_by_both_is_saved_once(app):
    project, document, anna, jonas = _two_editors(app)
    changed = PLAN.replace("40", "41")
    _save(anna, project, document, changed, 1)
    response = _save(jonas, project, document, changed, 1)
    assert response.status_code == 302
    db.session.refresh(document)
    assert document.revision_number == 2


def test_a_base_revision_from_the_future_is_refused(app):
    project, document, anna, _ = _two_editors(app)
    response = _save(anna, project, document, "x", 7)
    assert response.status_code == 400
    assert "x" in response.get_data(as_text=True)


def test_service_level_overlap_keeps_both(app):
    project, document, _, _ = _two_editors(app)
    lead = document.project.members[0].user
    edit(document, lead, "theirs\n", base=1)
    outcome = edit(document, lead, "mine\n", base=1)
    assert outcome.merged and outcome.revision.body == "theirs\nmine\n"


def test_a_save_racing_another_for_the_same_revision_number_merges_instead_of_failing(app):
    """Another process commits revision 2 after we read revision 1 as current: our insert of
    number 2 hits the unique constraint, and the revision is cut again as number 3 (the text
    is the shared state's, which the other process's revision never entered)."""
    from sqlalchemy import text

    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead, body=PLAN)
    session = db.session()
    session.expire_on_commit = False
    try:
        assert document.current_revision.number == 1
        session.commit()  # our view of the document (current = 1) is now stale but kept
        theirs = PLAN.replace("40 textiles", "45 textiles")
        with db.engine.begin() as other:
            other.execute(text(
                "INSERT INTO document_revisions (document_id, number, title, body, html, summary, "
                "author_id, created_at) VALUES (:d, 2, 'Plan', :b, '', 'theirs', :a, :t)"),
                {"d": document.id, "b": theirs, "a": lead.id, "t": document.created_at})
            other.execute(text(
                "UPDATE documents SET current_revision_id = (SELECT id FROM document_revisions "
                "WHERE document_id = :d AND number = 2) WHERE id = :d"), {"d": document.id})
        outcome = edit(document, lead, PLAN.replace("photogrammetry", "structured light"), base=1)
    finally:
        session.expire_on_commit = True
    assert outcome.revision.number == 3
    assert "structured light" in outcome.revision.body

