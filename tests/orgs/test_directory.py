"""The partner directory: filters combine, counts follow the filters, pages are clamped."""
from app.extensions import db
from app.orgs.demo import load_demo
from app.orgs.models import Organisation
from tests.factories import make_org


def _names(response) -> list[str]:
    import re

    return re.findall(r'<h3><a href="/orgs/[^"]+">([^<]+)</a></h3>', response.get_data(as_text=True))


def test_directory_lists_everyone_without_filters(client):
    make_org("Museo A")
    make_org("Studio B", kind="technology", country="NL")
    response = client.get("/directory/")
    assert response.status_code == 200
    assert _names(response) == ["Museo A", "Studio B"]
    assert "2 organisations" in response.get_data(as_text=True)


def test_filters_by_kind_country_and_expertise_combine(client):
    make_org("AR Studio Rotterdam", kind="technology", country="NL", expertise=["ar", "vr"])
    make_org("AR Studio Milano", kind="technology", country="IT", expertise=["ar"])
    make_org("Scan Studio Milano", kind="technology", country="IT", expertise=["3d scanning"])
    make_org("Museo Milano", kind="museum", country="IT", expertise=["ar"])

    response = client.get("/directory/?kind=technology&country=IT&expertise=AR")
    assert _names(response) == ["AR Studio Milano"]
    assert "1 organisation<" in response.get_data(as_text=True).replace("\n", "").replace("  ", "")

    assert _names(client.get("/directory/?expertise=ar")) == [
        "AR Studio Milano", "AR Studio Rotterdam", "Museo Milano"]
    assert _names(client.get("/directory/?q=milano&kind=technology")) == [
        "AR Studio Milano", "Scan Studio Milano"]


def test_facet_counts_follow_the_other_filters(client):
    make_org("T1", kind="technology", country="IT")
    make_org("T2", kind="technology", country="NL")
    make_org("M1", kind="museum", country="IT")
    page = client.get("/directory/?country=IT").get_data(as_text=True)
    # kinds are counted within Italy; countries are counted over every kind
    assert "Technology partner (1)" in page
    assert "Museum (1)" in page
    assert "Netherlands (1)" in page
    assert "Italy (2)" in page


def test_unknown_filter_values_and_bad_pages_do_not_fail(client):
    make_org("Museo A")
    for query in ("?kind=spaceship", "?country=US", "?page=-4", "?page=abc", "?page=99999999999",
                  "?expertise=" + "x" * 500, "?q=%25%27"):
        assert client.get("/directory/" + query).status_code == 200, query
    assert _names(client.get("/directory/?kind=spaceship")) == ["Museo A"]


def test_directory_is_paginated(client):
    for n in range(23):
        make_org(f"Museum {n:02d}")
    first = client.get("/directory/")
    assert len(_names(first)) == 20
    assert 'rel="next"' in first.get_data(as_text=True)
    second = client.get("/directory/?page=2")
    assert _names(second) == ["Museum 20", "Museum 21", "Museum 22"]


def test_directory_takes_a_fixed_number_of_queries(client, app):
    from sqlalchemy import event

    for n in range(25):
        make_org(f"Museum {n:02d}", expertise=["ar", f"tag{n}"])
    statements = []

    def count(*args):
        statements.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get("/directory/?expertise=ar")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # count + page + expertise (selectin) + three facet queries, whatever the page size
    assert len(statements) <= 6, statements


def test_organisation_page_shows_members_expertise_and_a_safe_website_link(client, user):
    org = make_org("Museo Civico", expertise=["3d scanning"], members=[user])
    org.website = "https://museo.example.it"
    db.session.commit()
    page = client.get(f"/orgs/{org.slug}").get_data(as_text=True)
    assert "<h1>Museo Civico</h1>" in page
    assert user.name in page
    assert "3d scanning" in page
    assert 'href="https://museo.example.it" rel="nofollow noopener noreferrer"' in page


def test_unknown_organisation_is_404(client):
    assert client.get("/orgs/nobody-here").status_code == 404


def test_demo_loads_organisations_across_ten_countries_and_is_idempotent(app):
    load_demo()
    load_demo()
    orgs = db.session.execute(db.select(Organisation)).scalars().all()
    assert len(orgs) == 15
    assert len({org.country for org in orgs}) >= 10
    assert {org.kind for org in orgs} == {"museum", "technology", "creative", "research", "network"}
    from app.auth.models import User

    anna = db.session.execute(db.select(User).where(User.email == "anna@museo-demo.eu")).scalar_one()
    assert anna.name == "Anna Bianchi" and anna.organisations
    admin = db.session.execute(db.select(User).where(User.email == "admin@museum-space.eu")).scalar_one()
    assert admin.is_admin
