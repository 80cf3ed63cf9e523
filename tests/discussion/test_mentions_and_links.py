"""Mentions resolve to members only and notify only members; [[links]] resolve in the project."""
from sqlalchemy import select

from app.discussion import services
from app.discussion.markup import PostRenderer, scan
from app.extensions import db
from app.notifications.models import Notification

from ..factories import add_member, make_project, make_user
from .conftest import start_thread


def _notifications(user):
    return db.session.execute(select(Notification).where(Notification.user_id == user.id)
                              ).scalars().all()


def test_scan_finds_both_mention_forms_and_ignores_code_and_emails():
    _titles, _files, mentions = scan(
        "Hi @[Anna Bianchi] and @oskar. Mail me at x@anna.org `@[Nobody]`\n```\n@ghost\n```")
    assert mentions == ["Anna Bianchi", "oskar"]


def test_mentions_render_as_profile_links_for_members_only(team):
    renderer = PostRenderer(team.project, ["x"], members=[team.member, team.observer])
    html = renderer.render("@[Anna Bianchi], @oskar, @[Otto Fremd] and @otto.")
    assert f'<a href="/users/{team.member.id}">@Anna Bianchi</a>' in html
    assert f'<a href="/users/{team.observer.id}">@Oskar Berg</a>' in html
    assert f"/users/{team.outsider.id}" not in html and "@[Otto Fremd]" in html


def test_an_ambiguous_first_name_does_not_resolve(team):
    other_anna = make_user("Anna Schmidt", "aschmidt@museum.example")
    add_member(team.project, other_anna)
    renderer = PostRenderer(team.project, ["@anna"])
    assert "/users/" not in renderer.render("@anna")
    assert f"/users/{other_anna.id}" in renderer.render("@aschmidt")


def test_a_mention_notifies_the_member_and_never_a_non_member(team):
    thread = start_thread(team)
    services.reply(team.lead, thread, None, "@[Anna Bianchi] @[Otto Fremd] @otto @[Oskar Berg]")
    assert [n.kind for n in _notifications(team.member)] == ["new_thread", "mention"]
    assert [n.kind for n in _notifications(team.observer)] == ["new_thread", "mention"]
    assert _notifications(team.outsider) == []
    assert _notifications(team.lead) == []  # never about your own post


def test_a_member_of_another_project_is_not_mentionable_here(team):
    elsewhere = make_user("Elsa Weit", "elsa@far.example")
    make_project(lead=elsewhere)
    thread = start_thread(team, body="cc @[Elsa Weit] @elsa")
    assert _notifications(elsewhere) == []
    html = services.load_thread_view(thread, team.lead).html
    assert f"/users/{elsewhere.id}" not in "".join(html.values())


def test_editing_in_a_new_mention_notifies_only_the_newly_mentioned(team):
    thread = start_thread(team, author=team.member, body="hi @[Lucia Rossi]")
    post = services.opening_post(thread)
    assert [n.kind for n in _notifications(team.lead)] == ["mention"]
    services.edit_post(team.member, post, "hi @[Lucia Rossi] and @oskar")
    assert [n.kind for n in _notifications(team.lead)] == ["mention"]
    assert [n.kind for n in _notifications(team.observer)] == ["new_thread", "mention"]


def test_member_search_api_answers_members_only(team, app):
    from ..conftest import client_for

    client = client_for(app, team.member)
    found = client.get("/api/v1/projects/herbarium/members/search?q=os").get_json()
    assert [m["name"] for m in found["members"]] == ["Oskar Berg"]
    assert found["members"][0]["handle"] == "@[Oskar Berg]"
    everyone = client.get("/api/v1/projects/herbarium/members/search?q=").get_json()
    assert "Otto Fremd" not in [m["name"] for m in everyone["members"]]
    assert client_for(app, team.outsider).get(
        "/api/v1/projects/herbarium/members/search?q=a").status_code == 404
    assert app.test_client().get("/api/v1/projects/herbarium/members/search").status_code == 401


def test_document_and_file_links_resolve_within_the_project_only(team):
    from app.documents.models import Document
    from app.files.models import ProjectFile

    other = make_project(lead=team.lead)
    doc = Document(project_id=team.project.id, title="Scanning plan")
    gone = Document(project_id=team.project.id, title="Old plan")
    foreign = Document(project_id=other.id, title="Secret plan")
    f = ProjectFile(project_id=team.project.id, name="specimens.csv")
    db.session.add_all([doc, gone, foreign, f])
    db.session.flush()
    from app.core.time import utcnow
    gone.deleted_at = utcnow()
    db.session.commit()
    source = ("See [[scanning plan]], [[Old plan]], [[Secret plan]], [[Nope]] "
              "and [[file:specimens.csv]].")
    html = PostRenderer(team.project, [source]).render(source)
    assert f'href="/projects/herbarium/documents/{doc.id}">scanning plan</a>' in html
    assert f'href="/projects/herbarium/files/{f.id}">specimens.csv</a>' in html
    assert "[[Old plan]]" in html and "[[Secret plan]]" in html and "[[Nope]]" in html
    assert f"documents/{foreign.id}" not in html
