"""Creating and editing organisations; every bad field is refused cleanly. (Joining is a request:
tests/orgs/test_membership.py; verification: test_verification.py.)"""
import pytest

from app.extensions import db
from app.orgs.models import Organisation
from tests.conftest import client_for
from tests.factories import make_org, make_user

VALID = {
    "name": "Museo della Carta", "kind": "museum", "country": "IT", "city": "Fabriano",
    "size": "small", "website": "https://carta.example.it", "description": "Paper *since* 1264.",
    "expertise": "Paper, 3D scanning, paper, ",
}


def _org_count() -> int:
    return db.session.execute(db.select(db.func.count()).select_from(Organisation)).scalar_one()


def test_a_new_organisation_waits_for_verification_with_its_creators_request(signed_in, user):
    response = signed_in.post("/orgs/new", data=VALID)
    assert response.status_code == 302
    org = db.session.execute(db.select(Organisation)).scalar_one()
    assert response.headers["Location"] == f"/orgs/{org.slug}"
    assert org.slug == "museo-della-carta"
    assert org.expertise_tags == ["3d scanning", "paper"]
    assert org.verification == "unverified" and org.created_by_id == user.id
    assert org.members == []
    assert [(m.user_id, m.status) for m in org.memberships] == [(user.id, "pending")]
    page = signed_in.get(f"/orgs/{org.slug}").get_data(as_text=True)
    assert "waits for a site administrator to verify it" in page
    assert "Edit organisation" not in page
    assert signed_in.get(f"/orgs/{org.slug}/edit").status_code == 403


def test_same_name_gets_a_distinct_slug_and_new_is_reserved(signed_in):
    signed_in.post("/orgs/new", data=VALID)
    signed_in.post("/orgs/new", data=VALID)
    signed_in.post("/orgs/new", data={**VALID, "name": "New"})
    signed_in.post("/orgs/new", data={**VALID, "name": "Verification"})
    slugs = set(db.session.execute(db.select(Organisation.slug)).scalars())
    assert slugs == {"museo-della-carta", "museo-della-carta-2", "new-2", "verification-2"}


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.post("/orgs/new", data=VALID)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert _org_count() == 0


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "This field is required."),
    ("name", "x" * 201, "200"),
    ("kind", "spaceship", "Not a valid choice"),
    ("kind", "", "This field is required."),
    ("country", "US", "Not a valid choice"),
    ("country", "", "This field is required."),
    ("city", "c" * 121, "120"),
    ("size", "", "Please give the museum&#39;s size."),
    ("size", "huge", "Not a valid choice"),
    ("website", "javascript:alert(1)", "http:// or https://"),
    ("website", "www.example.org", "http:// or https://"),
    ("website", "https://" + "a" * 300 + ".eu", "300"),
    ("description", "d" * 5001, "5000"),
    ("expertise", "x" * 41, "40 characters"),
    ("expertise", ",".join(f"tag{n}" for n in range(21)), "20 expertise tags at most"),
])
def test_bad_input_on_each_field_is_refused_next_to_the_field(signed_in, field, value, message):
    response = signed_in.post("/orgs/new", data={**VALID, field: value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message in page
    assert _org_count() == 0


def test_only_museums_have_a_size(signed_in):
    response = signed_in.post("/orgs/new", data={**VALID, "kind": "technology", "size": "small"})
    assert response.status_code == 400
    assert "Only museums have a size." in response.get_data(as_text=True)
    response = signed_in.post("/orgs/new", data={**VALID, "kind": "technology", "size": ""})
    assert response.status_code == 302
    assert db.session.execute(db.select(Organisation.size)).scalar_one() is None


def test_member_edits_the_organisation(app, user):
    org = make_org("Museo Vecchio", members=[user], expertise=["old"])
    client = client_for(app, user)
    assert client.get(f"/orgs/{org.slug}/edit").status_code == 200
    response = client.post(f"/orgs/{org.slug}/edit", data={**VALID, "name": "Museo Nuovo",
                                                           "expertise": "ar, old"})
    assert response.status_code == 302
    db.session.refresh(org)
    assert org.name == "Museo Nuovo" and org.expertise_tags == ["ar", "old"]
    assert org.slug.startswith("org-")  # links keep working after a rename


def test_non_member_may_not_edit_but_an_admin_may(app):
    org = make_org("Museo Vecchio")
    outsider = client_for(app, make_user())
    assert outsider.get(f"/orgs/{org.slug}/edit").status_code == 403
    assert outsider.post(f"/orgs/{org.slug}/edit", data=VALID).status_code == 403
    db.session.refresh(org)
    assert org.name == "Museo Vecchio"
    admin = client_for(app, make_user(admin=True))
    assert admin.post(f"/orgs/{org.slug}/edit", data=VALID).status_code == 302


def test_bad_edit_writes_nothing(app, user):
    org = make_org("Museo Vecchio", members=[user], expertise=["old"])
    client = client_for(app, user)
    response = client.post(f"/orgs/{org.slug}/edit", data={**VALID, "name": "Museo Nuovo",
                                                           "website": "ftp://x"})
    assert response.status_code == 400
    db.session.refresh(org)
    assert org.name == "Museo Vecchio" and org.expertise_tags == ["old"]


def test_join_needs_post_and_sign_in(client):
    org = make_org()
    assert client.get(f"/orgs/{org.slug}/join").status_code == 405
    response = client.post(f"/orgs/{org.slug}/join")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    db.session.refresh(org)
    assert org.members == []


def test_organisation_page_offers_to_ask_then_to_withdraw(signed_in, user):
    org = make_org()
    assert "I work here: ask to join" in signed_in.get(f"/orgs/{org.slug}").get_data(as_text=True)
    signed_in.post(f"/orgs/{org.slug}/join")
    page = signed_in.get(f"/orgs/{org.slug}").get_data(as_text=True)
    assert "Your request to join is pending" in page and "Withdraw request" in page
    assert "Edit organisation" not in page
