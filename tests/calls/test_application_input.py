"""Bad input on every field of the application form: a clear message beside the field, a 4xx,
nothing written (no new revision), and the text typed kept on the page. Then: two co-applicants
saving at the same moment lose nothing, and a submitted version cannot be changed by any door."""
import json
import threading

import pytest
from sqlalchemy import func, select

from app.calls import applications as services
from app.calls.application_models import (Application, ApplicationRevision, ApplicationVersion,
                                          ImmutableVersionError)
from app.extensions import db
from app.orgs.models import Organisation
from tests.conftest import client_for
from tests.factories import make_user

from .application_factories import form_of, make_application
from .factories import make_call

TYPED = "Text typed by the applicant 7731"
BAD_FIELDS = [
    ("title", {"title": "x" * 201}, "too long"),
    ("summary", {"summary": TYPED + "y" * 1000}, "1000"),
    ("areas", {"areas": ["underwater-basket-weaving"]}, "Unknown choice"),
    ("section_idea", {"section_idea": TYPED + "\x07"}, "control"),
    ("milestone_date_0", {"milestone_date_0": "31/02/2027", "milestone_title_0": TYPED},
     "Give a date"),
    ("milestone_title_0", {"milestone_date_0": "2027-05-01", "milestone_title_0": ""},
     "Say what"),
    ("budget_amount_0", {"budget_amount_0": "a lot", "budget_description_0": TYPED},
     "whole euros"),
    ("budget_amount_0", {"budget_amount_0": "-5", "budget_description_0": TYPED}, "whole euros"),
    ("budget_category_0", {"budget_category_0": "yachts", "budget_description_0": TYPED},
     "Choose a category"),
    ("budget_description_0", {"budget_description_0": "", "budget_amount_0": "500"},
     "Describe"),
    ("partners", {"partners": ["999999"]}, "directory"),
    ("partners", {"partners": ["abc"]}, "Unknown choice"),
    ("new_partner_country", {"new_partner_name": TYPED, "new_partner_kind": "technology",
                             "new_partner_country": "QQ"}, "European country"),
    ("new_partner_website", {"new_partner_name": TYPED, "new_partner_kind": "creative",
                             "new_partner_country": "DE", "new_partner_website": "ftp://x"},
     "http"),
    ("base_revision", {"base_revision": "99"}, "does not exist"),
    ("base_revision", {"base_revision": "-1"}, "does not exist"),
]


def _revisions(application_id) -> int:
    return db.session.execute(select(func.count()).select_from(ApplicationRevision).where(
        ApplicationRevision.application_id == application_id)).scalar_one()


@pytest.mark.parametrize("field,changes,message", [
    pytest.param(*case, id=f"{case[0]}-{n}") for n, case in enumerate(BAD_FIELDS)])
def test_bad_input_is_refused_beside_its_field_and_nothing_is_written(app, field, changes,
                                                                        message):
    call = make_call("open")
    application = make_application(call)
    before = (_revisions(application.id), dict(application.content))
    organisations = db.session.execute(select(func.count()).select_from(Organisation)
                                       ).scalar_one()
    client = client_for(app, application.owner)
    data = form_of(application.content, application.revision) | changes
    response = client.post(f"/applications/{application.id}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:500]
    assert f'id="{field}-error"' in page and message.lower() in page.lower(), page[-3000:]
    if TYPED in str(changes) and "\x07" not in str(changes):
        assert TYPED in page  # what was typed is still there
    db.session.expire_all()
    assert (_revisions(application.id), dict(db.session.get(Application, application.id)
                                             .content)) == before
    assert db.session.execute(select(func.count()).select_from(Organisation)
                              ).scalar_one() == organisations


def test_autosave_answers_bad_input_in_json(app):
    application = make_application(make_call("open"))
    client = client_for(app, application.owner)
    response = client.post(f"/applications/{application.id}", headers={
        "Accept": "application/json"}, data=form_of(application.content, application.revision)
        | {"summary": "z" * 1001})
    assert response.status_code == 400 and response.get_json()["field"] == "summary"


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "x" * 250 + "@example.org"])
def test_invitations_need_an_email_address(app, email):
    application = make_application(make_call("open"))
    response = client_for(app, application.owner).post(
        f"/applications/{application.id}/invite", data={"email": email})
    assert response.status_code == 400 and 'id="email-error"' in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.members == []


def test_starting_needs_a_lead_you_belong_to(app):
    call = make_call("open")
    user = make_user()
    client = client_for(app, user)
    for lead in ("", "abc", "99999999999", "-1"):
        assert client.post(f"/calls/{call.slug}/apply", data={"lead": lead}).status_code == 400
    assert db.session.execute(select(func.count()).select_from(Application)).scalar_one() == 0


def test_two_coapplicants_saving_at_once_lose_nothing(app):
    """Two people, two clients, two threads, the same base revision, different sections: both
    changes end up in the draft (the documents' merge); the same passage: both kept."""
    call = make_call("open")
    partner_person = make_user()
    application = make_application(call, coapplicants=[partner_person])
    base, content = application.revision, application.content
    clients = [client_for(app, application.owner), client_for(app, partner_person)]
    edits = [form_of(content, base) | {"section_idea": "The lead's new idea.\nSecond line."},
             form_of(content, base) | {"section_technology": "The partner's technology."}]
    barrier, answers = threading.Barrier(2), [None, None]

    def save(n):
        with app.app_context():
            barrier.wait()
            answers[n] = clients[n].post(f"/applications/{application.id}", data=edits[n],
                                         headers={"Accept": "application/json"})

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200, 200], [a.get_data() for a in answers]
    db.session.expire_all()
    saved = db.session.get(Application, application.id)
    assert saved.content["sections"]["idea"] == "The lead's new idea.\nSecond line."
    assert saved.content["sections"]["technology"] == "The partner's technology."
    assert saved.revision == base + 2
    # the same passage changed by both: both texts are kept, between markers
    services.save_draft(application.owner, saved, saved.content | {"summary": "Mine."},
                        saved.revision)
    outcome = services.save_draft(partner_person, saved, saved.content | {"summary": "Theirs."},
                                  saved.revision - 1)
    assert outcome.conflicts == 1
    assert "Mine." in saved.content["summary"] and "Theirs." in saved.content["summary"]


def test_budget_lines_added_and_edited_by_two_coapplicants_at_once_are_all_kept(app):
    """Lists merge too: each side's added rows stay, a row one side edited and the other kept
    takes the edit, and a row both edited is kept in both versions."""
    call = make_call("open")
    partner_person = make_user()
    application = make_application(call, coapplicants=[partner_person])
    base, content = application.revision, application.content
    scanning = content["budget"][0]
    lead_line = {"category": "personnel", "description": "Curator's time", "amount": 3000}
    partner_line = {"category": "equipment", "description": "Tablets", "amount": 2000}
    edited = scanning | {"amount": 18000}
    services.save_draft(application.owner, application,
                        content | {"budget": [scanning, lead_line]}, base)
    services.save_draft(partner_person, application,
                        content | {"budget": [edited, partner_line]}, base)
    assert application.content["budget"] == [edited, partner_line, lead_line]
    # both change the same line from the same revision: both versions are kept
    base = application.revision
    current = application.content
    services.save_draft(application.owner, application,
                        current | {"budget": [current["budget"][0] | {"amount": 17000}] +
                                   current["budget"][1:]}, base)
    services.save_draft(partner_person, application,
                        current | {"budget": [current["budget"][0] | {"amount": 16000}] +
                                   current["budget"][1:]}, base)
    amounts = sorted(row["amount"] for row in application.content["budget"])
    assert amounts == [2000, 3000, 16000, 17000]


def test_a_submitted_version_cannot_be_changed_by_any_door(app, runner, tmp_path):
    call = make_call("open")
    application = make_application(call)
    owner = application.owner
    version = services.submit(owner, application)
    frozen = (version.canonical_json, version.sha256)
    # the form edits the draft, never the version
    client = client_for(app, owner)
    assert client.post(f"/applications/{application.id}", data=form_of(
        application.content | {"title": "Edited after"}, application.revision)).status_code == 200
    # the ORM refuses to update or delete it
    version.sha256 = "0" * 64
    with pytest.raises(ImmutableVersionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(ApplicationVersion, version.id))
    with pytest.raises(ImmutableVersionError):
        db.session.commit()
    db.session.rollback()
    # an import with the same ref does not touch an application made in the space
    path = tmp_path / "takeover.json"
    path.write_text(json.dumps({"call": {"slug": call.slug}, "applications": [{
        "ref": application.ref, "title": "Taken over", "summary": "x", "areas": call.areas[:1],
        "lead": {"name": "X", "country": "IT", "kind": "museum", "size": "small"},
        "requested_eur": 1, "submitted_at": "2026-01-01T00:00:00+00:00"}]}))
    assert runner.invoke(args=["calls", "import", str(path)]).exit_code == 1
    # no route writes a version: there is none to post to
    assert client.post(f"/applications/{application.id}/versions/1").status_code == 405
    db.session.expire_all()
    stored = db.session.get(ApplicationVersion, version.id)
    assert (stored.canonical_json, stored.sha256) == frozen
