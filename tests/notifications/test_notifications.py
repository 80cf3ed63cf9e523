"""Notifications: who is told what, preferences, unread counts, marking read, live delivery."""
from sqlalchemy import select

from app.core import signals
from app.discussion import services as discussion
from app.extensions import db
from app.notifications import services
from app.notifications.models import Notification

from ..conftest import client_for, socket_client_for
from ..discussion.conftest import start_thread
from ..factories import make_user


def kinds_of(user):
    return [(n.kind, n.verb) for n in db.session.execute(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ).scalars()]


def test_the_author_of_a_post_hears_about_replies_to_it(team):
    thread = start_thread(team, author=team.member)
    post = discussion.reply(team.member, thread, None, "my idea")
    discussion.reply(team.lead, thread, post.id, "good idea")
    assert kinds_of(team.member)[-1] == ("reply", "reply_to_post")


def test_followers_hear_about_new_replies_and_muting_silences_them(team):
    thread = start_thread(team)  # the lead starts it and so follows it
    first = discussion.reply(team.member, thread, None, "first")
    assert kinds_of(team.lead)[-1] == ("reply", "reply_to_post")  # the opening post is theirs
    discussion.reply(team.lead, thread, first.id, "noted")
    discussion.reply(team.member, thread, first.id, "thanks")  # a reply to her own post
    assert kinds_of(team.lead)[-1] == ("reply", "reply_in_thread")
    discussion.set_subscription(team.observer, thread, "subscribed")
    discussion.set_subscription(team.lead, thread, "muted")
    before = len(kinds_of(team.lead))
    discussion.reply(team.member, thread, None, "second")
    assert len(kinds_of(team.lead)) == before
    assert kinds_of(team.observer)[-1] == ("reply", "reply_in_thread")


def test_a_muted_thread_stays_muted_when_you_reply(team):
    thread = start_thread(team)
    discussion.set_subscription(team.member, thread, "muted")
    discussion.reply(team.member, thread, None, "I still reply")
    discussion.reply(team.lead, thread, None, "sure")
    assert ("reply", "reply_in_thread") not in kinds_of(team.member)


def test_new_threads_are_announced_to_members_who_want_them(team):
    services.save_preferences(team.observer, ["mention", "reply"], True)
    start_thread(team)
    assert kinds_of(team.member) == [("new_thread", "")]
    assert kinds_of(team.observer) == []
    assert kinds_of(team.outsider) == [] and kinds_of(team.admin) == []


def test_removed_members_no_longer_hear_about_followed_threads(team):
    from app.projects.models import ProjectMember

    thread = start_thread(team)
    discussion.reply(team.member, thread, None, "I follow now")
    db.session.execute(ProjectMember.__table__.delete().where(
        ProjectMember.user_id == team.member.id))
    db.session.commit()
    before = kinds_of(team.member)
    discussion.reply(team.lead, thread, None, "after removal")
    assert kinds_of(team.member) == before


def test_unread_count_mark_one_and_mark_all(team, app):
    thread = start_thread(team)
    discussion.reply(team.lead, thread, None, "@[Anna Bianchi] look")
    assert services.unread_count_for(team.member) == 2
    client = client_for(app, team.member)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Lucia Rossi mentioned you in “Which scanner?”" in page
    assert 'data-notification-count="2"' in page
    first = db.session.execute(select(Notification).where(
        Notification.user_id == team.member.id)).scalars().first()
    assert client.post(f"/notifications/{first.id}/read").status_code == 302
    assert services.unread_count_for(team.member) == 1
    assert client.post("/notifications/read-all").status_code == 302
    assert services.unread_count_for(team.member) == 0
    assert client_for(app, team.lead).post(f"/notifications/{first.id}/read").status_code == 404


def test_following_a_notification_marks_it_read_and_lands_on_the_post(team, app):
    thread = start_thread(team)
    post = discussion.reply(team.lead, thread, None, "@anna here")
    mention = db.session.execute(select(Notification).where(
        Notification.user_id == team.member.id, Notification.kind == "mention")).scalar_one()
    client = client_for(app, team.member)
    response = client.get(f"/notifications/{mention.id}/open")
    target = f"/projects/herbarium/discussion/{thread.id}/posts/{post.id}"
    assert response.headers["Location"] == target
    assert client.get(target).headers["Location"].endswith(f"#post-{post.id}")
    assert db.session.get(Notification, mention.id).read_at is not None


def test_preferences_page_saves_kinds_and_digest_choice(team, app):
    client = client_for(app, team.member)
    assert client.get("/notifications/preferences").status_code == 200
    response = client.post("/notifications/preferences", data={"kinds": ["mention"]})
    assert response.status_code == 302
    prefs = services.preferences_for(team.member)
    assert "reply" in prefs.disabled_kinds and "mention" not in prefs.disabled_kinds
    assert prefs.email_digest is False
    assert client.post("/notifications/preferences",
                       data={"kinds": ["gossip"]}).status_code == 400


def test_project_signals_become_notifications(team):
    newcomer = make_user("Nina Neu", "nina@new.example")
    signals.invitation_created.send(None, project=team.project, actor=team.lead, invitee=newcomer)
    signals.member_added.send(None, project=team.project, actor=team.lead, user=newcomer,
                              role="member")
    signals.member_role_changed.send(None, project=team.project, actor=team.lead,
                                     user=team.member, old_role="member", new_role="lead")
    signals.project_status_changed.send(None, project=team.project, actor=team.lead,
                                        old_status="active", new_status="completed", reason="")
    assert kinds_of(newcomer) == [("invitation", "invited"), ("invitation", "added")]
    assert kinds_of(team.member) == [("role_change", ""), ("status_change", "")]
    assert kinds_of(team.lead) == []  # the actor is not told about their own change

    texts = [services.notification_text(n) for n in db.session.execute(
        select(Notification).where(Notification.user_id == team.member.id)).scalars()]
    assert texts == ["Lucia Rossi changed your role in Digital herbarium to Lead",
                     "The project Digital herbarium is now Completed"]


def test_a_notification_arrives_live_for_its_recipient_only(team, app):
    member_socket = socket_client_for(app, client_for(app, team.member))
    outsider_socket = socket_client_for(app, client_for(app, team.outsider))
    observer_socket = socket_client_for(app, client_for(app, team.observer))
    services.save_preferences(team.observer, ["mention"], True)
    member_socket.get_received(), outsider_socket.get_received(), observer_socket.get_received()
    thread = start_thread(team)
    post = discussion.reply(team.lead, thread, None, "@[Anna Bianchi] please check")
    received = [e for e in member_socket.get_received() if e["name"] == "notification"]
    assert [e["args"][0]["kind"] for e in received] == ["new_thread", "mention"]
    payload = received[-1]["args"][0]
    assert payload["unread"] == 2 and payload["url"].endswith(f"/posts/{post.id}")
    assert payload["text"] == "Lucia Rossi mentioned you in “Which scanner?”"
    assert set(payload) == {"id", "kind", "text", "url", "created_at", "unread"}
    assert not [e for e in outsider_socket.get_received() if e["name"] == "notification"]
    assert not [e for e in observer_socket.get_received() if e["name"] == "notification"]


def test_inviting_a_registered_user_through_the_projects_feature_tells_them_once(team, app):
    from app.projects.members import change_role, invite_by_email

    newcomer = make_user("Nina Neu", "nina@new.example")
    socket = socket_client_for(app, client_for(app, newcomer))
    socket.get_received()
    invite_by_email(team.lead, team.project, "nina@new.example", "observer")
    assert kinds_of(newcomer) == [("invitation", "added")]
    change_role(team.lead, team.project, newcomer.id, "member")
    assert kinds_of(newcomer) == [("invitation", "added"), ("role_change", "")]
    texts = [e["args"][0]["text"] for e in socket.get_received() if e["name"] == "notification"]
    assert texts == ["Lucia Rossi added you to the project Digital herbarium as Observer",
                     "Lucia Rossi changed your role in Digital herbarium to Member"]


def _add(user, project, day_offset: int, read: bool = False):
    from datetime import timedelta

    from app.core.time import utcnow

    created = utcnow().replace(hour=12) - timedelta(days=day_offset)
    notification = Notification(user_id=user.id, kind="status_change", project_id=getattr(
        project, "id", None), subject="S", detail="active", created_at=created,
        read_at=created if read else None)
    db.session.add(notification)
    db.session.commit()
    return notification


def test_the_page_groups_by_day_and_project_and_marks_one_group_read(team, app):
    from tests.factories import make_project

    other = make_project(lead=team.member, title="Second project")
    today_a, today_b = _add(team.member, team.project, 0), _add(team.member, other, 0)
    yesterday_a, no_project = _add(team.member, team.project, 1), _add(team.member, None, 1)
    client = client_for(app, team.member)
    page = client.get("/notifications/").get_data(as_text=True)
    assert page.count('class="notification-day"') == 2
    assert page.count('class="notification-group"') == 4
    assert page.index(f"notification-{today_b.id}") < page.index(f"notification-{yesterday_a.id}")
    day = today_a.created_at.date().isoformat()
    response = client.post("/notifications/read-group",
                           data={"project": str(team.project.id), "day": day})
    assert response.status_code == 302
    read = {n.id for n in db.session.execute(select(Notification).where(
        Notification.read_at.is_not(None))).scalars()}
    assert read == {today_a.id}
    client.post("/notifications/read-group",
                data={"project": "", "day": no_project.created_at.date().isoformat()})
    assert db.session.get(Notification, no_project.id).read_at is not None
    assert db.session.get(Notification, yesterday_a.id).read_at is None


def test_another_persons_group_is_left_alone_and_bad_groups_are_refused(team, app):
    theirs = _add(team.lead, team.project, 0)
    client = client_for(app, team.member)
    day = theirs.created_at.date().isoformat()
    client.post("/notifications/read-group", data={"project": str(team.project.id), "day": day})
    assert db.session.get(Notification, theirs.id).read_at is None
    for bad in ({"project": "x", "day": day}, {"project": "1", "day": "yesterday"},
                {"project": str(2**40), "day": day}, {}):
        assert client.post("/notifications/read-group", data=bad).status_code == 400
