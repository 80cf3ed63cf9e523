"""An organisation a person adds waits for a site administrator: the queue shows the person's
email domain beside the web site's, a match verifies in one click; the operators' CLI; the
migration that verifies everything that existed; the demo."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification
from app.notifications.services import notification_text
from app.orgs.domains import domains_match, email_domain, website_domain
from app.orgs.models import Organisation, OrganisationMember
from tests.conftest import client_for
from tests.factories import make_org, make_user

NEW = {"name": "Museo della Carta", "kind": "museum", "country": "IT", "city": "Fabriano",
       "size": "small", "website": "https://www.carta.example.it", "description": "",
       "expertise": ""}


def _texts(user) -> list[str]:
    return [notification_text(n) for n in db.session.execute(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.id)).scalars()]


def _added_by(app, user, **fields) -> Organisation:
    client_for(app, user).post("/orgs/new", data={**NEW, **fields})
    return db.session.execute(select(Organisation).order_by(Organisation.id.desc())).scalars().first()


def test_site_administrators_are_told_and_see_the_domains_side_by_side(app):
    admin = make_user("Ada Admin", admin=True)
    creator = make_user("Carla Creator", email="carla@carta.example.it")
    org = _added_by(app, creator)
    assert _texts(admin) == ["Carla Creator added Museo della Carta: it waits for verification"]
    queue = client_for(app, admin).get("/orgs/verification").get_data(as_text=True)
    assert "Museo della Carta" in queue and "carla@carta.example.it" in queue
    assert "<code>carta.example.it</code> · web site <code>carta.example.it</code>" in queue
    assert "Domains match" in queue
    assert f'id="checked-{org.id}"' not in queue  # nothing to confirm: one click


def test_a_matching_domain_is_verified_in_one_click(app):
    admin = make_user("Ada Admin", admin=True)
    creator = make_user("Carla Creator", email="carla@carta.example.it")
    org = _added_by(app, creator)
    response = client_for(app, admin).post(f"/orgs/{org.slug}/verify", data={"back": "queue"})
    assert response.headers["Location"] == "/orgs/verification"
    db.session.refresh(org)
    assert org.verification == "verified" and org.verified_by_id == admin.id
    membership = db.session.get(OrganisationMember, (org.id, creator.id))
    assert membership.status == "verified" and membership.is_admin
    assert _texts(creator) == ["Museo della Carta is verified: you can now act on its behalf"]
    assert client_for(app, creator).get(f"/orgs/{org.slug}/edit").status_code == 200


def test_differing_domains_need_the_administrator_to_say_they_checked(app):
    admin = make_user(admin=True)
    org = _added_by(app, make_user(email="carla@gmail.com"))
    client = client_for(app, admin)
    assert f'id="checked-{org.id}"' in client.get("/orgs/verification").get_data(as_text=True)
    response = client.post(f"/orgs/{org.slug}/verify", follow_redirects=True)
    assert "confirm that you checked" in response.get_data(as_text=True)
    db.session.refresh(org)
    assert org.verification == "unverified"
    client.post(f"/orgs/{org.slug}/verify", data={"checked": "y"})
    db.session.refresh(org)
    assert org.verification == "verified"


def test_declining_leaves_the_organisation_unverified_and_tells_its_creator(app):
    admin, creator = make_user("Ada Admin", admin=True), make_user("Carla Creator")
    org = _added_by(app, creator)
    client_for(app, admin).post(f"/orgs/{org.slug}/decline-verification")
    db.session.refresh(org)
    assert org.verification == "declined"
    assert db.session.get(OrganisationMember, (org.id, creator.id)).status == "declined"
    assert _texts(creator) == ["Museo della Carta could not be verified"]
    page = client_for(app, creator).get(f"/orgs/{org.slug}").get_data(as_text=True)
    assert "could not verify this organisation" in page
    assert "Museo della Carta" not in client_for(app, admin).get(
        "/orgs/verification").get_data(as_text=True)


def test_only_site_administrators_verify(app):
    org = _added_by(app, make_user())
    member = make_user()
    for client in (client_for(app, member), client_for(app, make_user())):
        assert client.get("/orgs/verification").status_code == 403
        assert client.post(f"/orgs/{org.slug}/verify", data={"checked": "y"}).status_code == 403
        assert client.post(f"/orgs/{org.slug}/decline-verification").status_code == 403
    assert app.test_client().get("/orgs/verification").status_code == 302
    db.session.refresh(org)
    assert org.verification == "unverified"


def test_the_header_shows_site_administrators_how_many_wait(app):
    admin = make_user(admin=True)
    _added_by(app, make_user())
    page = client_for(app, admin).get("/directory/").get_data(as_text=True)
    assert 'href="/orgs/verification"' in page and "1<span class=\"visually-hidden\">" in page
    assert 'href="/orgs/verification"' not in client_for(app, make_user()).get(
        "/directory/").get_data(as_text=True)


@pytest.mark.parametrize("email, website, match", [
    ("anna@museo-demo.eu", "https://www.museo-demo.eu", True),
    ("g@dh.unibo.it", "https://www.unibo.it/", True),
    ("g@unibo.it", "https://dh-lab.unibo.it", True),
    ("x@MUSEO-DEMO.EU", "http://museo-demo.eu:8080/about", True),
    ("x@gmail.com", "https://gmail.com", False),
    ("x@evilmuseo-demo.eu", "https://museo-demo.eu", False),
    ("x@museo-demo.eu", "", False),
    ("x@museo-demo.eu", "not a url", False),
])
def test_domains(email, website, match):
    assert domains_match(email_domain(email), website_domain(website)) is match


# --- operators' CLI -------------------------------------------------------------------------

def test_cli_verifies_an_organisation(app, runner):
    creator = make_user(email="carla@elsewhere.example.org")
    org = _added_by(app, creator)
    result = runner.invoke(args=["orgs", "verify", org.slug])
    assert result.exit_code == 0 and "Verified Museo della Carta" in result.output
    db.session.refresh(org)
    assert org.verification == "verified"
    assert db.session.get(OrganisationMember, (org.id, creator.id)).is_admin
    again = runner.invoke(args=["orgs", "verify", org.slug])
    assert again.exit_code == 0 and "already verified" in again.output
    missing = runner.invoke(args=["orgs", "verify", "no-such-org"])
    assert missing.exit_code == 1 and "No organisation with slug" in missing.output


def test_cli_approves_a_member(app, runner):
    newcomer = make_user(email="nico@museo.example.it")
    org = make_org(members=[make_user()], pending=[newcomer])
    result = runner.invoke(args=["orgs", "approve-member", org.slug, "NICO@museo.example.it"])
    assert result.exit_code == 0, result.output
    assert "nico@museo.example.it is now a member" in result.output
    assert db.session.get(OrganisationMember, (org.id, newcomer.id)).status == "verified"
    again = runner.invoke(args=["orgs", "approve-member", org.slug, newcomer.email])
    assert again.exit_code == 0 and "already a member" in again.output
    stranger = make_user()
    refused = runner.invoke(args=["orgs", "approve-member", org.slug, stranger.email])
    assert refused.exit_code == 1 and "has not asked to join" in refused.output
    unknown = runner.invoke(args=["orgs", "approve-member", org.slug, "nobody@example.org"])
    assert unknown.exit_code == 1


# --- migration and demo ---------------------------------------------------------------------

@pytest.fixture
def loggers_kept():
    """Alembic's env.py runs logging.fileConfig, which disables every logger that exists; later
    tests (caplog on app loggers) must not inherit that."""
    import logging

    loggers = [logger for logger in logging.root.manager.loggerDict.values()
               if isinstance(logger, logging.Logger)]
    states = [(logger, logger.disabled) for logger in loggers]
    yield
    for logger, disabled in states:
        logger.disabled = disabled


def test_the_migration_verifies_every_organisation_and_membership(tmp_path, monkeypatch,
                                                                   loggers_kept):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from tests.databases import temporary_database_url

    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    with temporary_database_url(tmp_path, "orgs_migration") as url:
        app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(revision="0008")
            with db.engine.begin() as connection:
                for n, email in enumerate(["a@x.eu", "b@x.eu", "c@x.eu"], 1):
                    connection.execute(text(
                        "INSERT INTO users (id, email, name, bio, password_hash, is_admin, active,"
                        " created_at) VALUES (:id, :email, :email, '', 'x', :no, :yes, :at)"),
                        {"id": n, "email": email, "no": False, "yes": True,
                         "at": f"2025-01-0{n} 10:00:00"})
                for n in (1, 2):
                    connection.execute(text(
                        "INSERT INTO organisations (id, name, slug, kind, country, city, website,"
                        " description, created_at) VALUES (:id, :name, :slug, 'museum', 'IT', '',"
                        " '', '', '2025-01-01 10:00:00')"),
                        {"id": n, "name": f"Org {n}", "slug": f"org-{n}"})
                connection.execute(text("INSERT INTO organisation_expertise (organisation_id, tag)"
                                        " VALUES (1, 'mosaics')"))
                for org_id, user_id, day in ((1, 2, 1), (1, 1, 3), (2, 3, 2)):
                    connection.execute(text(
                        "INSERT INTO organisation_members (organisation_id, user_id, created_at)"
                        " VALUES (:org, :user, :at)"),
                        {"org": org_id, "user": user_id, "at": f"2025-02-0{day} 10:00:00"})
            upgrade()
            orgs = db.session.execute(select(Organisation)).scalars().all()
            assert {o.verification for o in orgs} == {"verified"}
            assert all(o.verified_at for o in orgs)
            rows = {(m.organisation_id, m.user_id): (m.status, m.is_admin)
                    for m in db.session.execute(select(OrganisationMember)).scalars()}
            assert rows == {(1, 2): ("verified", True), (1, 1): ("verified", False),
                            (2, 3): ("verified", True)}
            # rebuilding `organisations` (SQLite) must not cascade into the tables that refer to it
            assert db.session.execute(text("SELECT tag FROM organisation_expertise")).scalars().all() \
                == ["mosaics"]
            db.session.remove()
            db.engine.dispose()


def test_demo_organisations_are_verified_and_each_has_an_administrator(app, runner):
    from app.orgs.demo import load_demo

    load_demo()
    load_demo()
    orgs = db.session.execute(select(Organisation)).scalars().all()
    assert {o.verification for o in orgs} == {"verified"}
    for org in orgs:  # every organisation with people has exactly one administrator
        verified = [m for m in org.memberships if m.status == "verified"]
        assert sum(m.is_admin for m in verified) == (1 if verified else 0), org.slug
    bevagna = next(o for o in orgs if o.slug == "museo-civico-di-bevagna")
    admin = next(m for m in bevagna.memberships if m.is_admin)
    assert admin.user.email == "anna@museo-demo.eu"
