"""Sign-in sessions end for real: signing out, "sign out everywhere else", a password change and
a disabled account stop every copy of the cookie and close open sockets at once."""
from datetime import timedelta

import pytest

from app.auth import sessions
from app.auth.models import User, UserSession
from app.extensions import db
from tests.conftest import AuthActions, client_for, socket_client_for
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.querycount import count_queries

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


def _copy_of(app, client):
    """Another client holding a copy of `client`'s cookies (a stolen or copied cookie)."""
    thief = app.test_client()
    for cookie in client._cookies.values():
        thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return thief


def _signed_in(client) -> bool:
    return client.get("/auth/profile").status_code == 200


def _session_count(user) -> int:
    return db.session.query(UserSession).filter_by(user_id=user.id).count()


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(app, user):
    owner = client_for(app, user)
    thief = _copy_of(app, owner)
    assert _signed_in(thief)
    AuthActions(owner).logout()
    assert not _signed_in(owner) and not _signed_in(thief)
    assert _session_count(user) == 0


def test_a_copied_remember_me_cookie_stops_working_after_sign_out(app, user):
    owner = app.test_client()
    owner.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                    "remember": "y"})
    remember = owner.get_cookie("remember_token")
    assert remember is not None and ":" in remember.value  # names the session, not only the user
    thief = app.test_client()
    thief.set_cookie("remember_token", remember.value)
    assert _signed_in(thief)  # a fresh browser session restored from the remember cookie
    AuthActions(owner).logout()
    other_thief = app.test_client()
    other_thief.set_cookie("remember_token", remember.value)
    assert not _signed_in(other_thief)


def test_signing_out_ends_only_this_browser(app, user):
    laptop, phone = client_for(app, user), client_for(app, user)
    AuthActions(laptop).logout()
    assert _signed_in(phone)


def test_sign_out_everywhere_else_keeps_this_browser(app, user):
    laptop, phone, tablet = (client_for(app, user) for _ in range(3))
    response = laptop.post("/auth/sessions/end-others")
    assert response.status_code == 302
    assert _signed_in(laptop) and not _signed_in(phone) and not _signed_in(tablet)
    assert _session_count(user) == 1


def test_one_other_session_is_signed_out_from_the_list(app, user):
    laptop, phone = client_for(app, user), client_for(app, user)
    phone_session = db.session.query(UserSession).order_by(UserSession.id.desc()).first()
    assert laptop.post(f"/auth/sessions/{phone_session.id}/end").status_code == 302
    assert _signed_in(laptop) and not _signed_in(phone)


def test_signing_out_this_session_from_the_list_signs_out(app, user):
    laptop = client_for(app, user)
    mine = db.session.query(UserSession).filter_by(user_id=user.id).one()
    response = laptop.post(f"/auth/sessions/{mine.id}/end")
    assert response.headers["Location"] == "/"
    assert not _signed_in(laptop)


def test_nobody_ends_someone_elses_session(app, user):
    client_for(app, user)
    theirs = db.session.query(UserSession).filter_by(user_id=user.id).one()
    other = client_for(app, make_user())
    assert other.post(f"/auth/sessions/{theirs.id}/end").status_code == 404
    assert _session_count(user) == 1


def test_changing_the_password_ends_every_session_but_this_browser_goes_on(app, user):
    laptop, phone = client_for(app, user), client_for(app, user)
    copy_of_laptop = _copy_of(app, laptop)
    response = laptop.post("/auth/password", data={
        "current_password": DEFAULT_PASSWORD, "password": "a-brand-new-password",
        "confirm": "a-brand-new-password"})
    assert response.status_code == 302
    assert _signed_in(laptop)
    assert not _signed_in(phone) and not _signed_in(copy_of_laptop)
    assert _session_count(user) == 1


def test_an_administrator_disabling_an_account_ends_its_sessions(app, user):
    victim = client_for(app, user)
    admin = client_for(app, make_user(admin=True))
    assert admin.post(f"/users/{user.id}/disable").status_code == 302
    assert not _signed_in(victim)
    db.session.refresh(user)
    assert user.active is False and _session_count(user) == 0
    response = app.test_client().post("/auth/login", data={"email": user.email,
                                                           "password": DEFAULT_PASSWORD})
    assert response.status_code == 400  # cannot sign in again
    assert admin.post(f"/users/{user.id}/enable").status_code == 302
    AuthActions(app.test_client()).login(user)


def test_administrators_cannot_disable_themselves(app):
    admin = make_user(admin=True)
    client = client_for(app, admin)
    assert client.post(f"/users/{admin.id}/disable").status_code == 400
    assert _signed_in(client)


def test_sessions_page_lists_devices_and_marks_this_one(app, user):
    laptop = app.test_client()
    laptop.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD},
                headers={"User-Agent": FIREFOX})
    phone = app.test_client()
    phone.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD},
               headers={"User-Agent": IPHONE})
    page = laptop.get("/auth/sessions").get_data(as_text=True)
    assert "Firefox on Windows" in page and "Safari on iPhone" in page
    assert page.count("This device") == 1
    assert "Sign out everywhere else" in page


@pytest.mark.parametrize("agent, label", [
    (FIREFOX, "Firefox on Windows"),
    (IPHONE, "Safari on iPhone"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0 Safari/537.36 Edg/126.0", "Edge on macOS"),
    ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile "
     "Safari/537.36", "Chrome on Android"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126 "
     "Safari/537.36", "Chrome on Linux"),
    ("curl/8.5", "Unknown device"),
    ("", "Unknown device"),
])
def test_the_device_is_said_simply(app, agent, label):
    assert sessions.device_label(agent) == label


def test_requests_write_nothing_until_a_minute_has_passed(app, user, monkeypatch):
    client = client_for(app, user)
    with count_queries() as queries:
        client.get("/auth/profile")
        client.get("/directory/")
    assert not [s for s in queries.statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    later = sessions.utcnow() + timedelta(seconds=90)
    monkeypatch.setattr(sessions, "utcnow", lambda: later)
    with count_queries() as queries:
        client.get("/auth/profile")
        client.get("/directory/")
    writes = [s for s in queries.statements if s.lstrip().upper().startswith("UPDATE")]
    assert len(writes) == 1 and "user_sessions" in writes[0]
    assert db.session.query(UserSession).one().last_seen_at == later


def test_a_session_idle_for_longer_than_the_limit_has_ended(app, user, monkeypatch):
    client = client_for(app, user)
    later = sessions.utcnow() + timedelta(days=app.config["SESSION_IDLE_DAYS"] + 1)
    monkeypatch.setattr(sessions, "utcnow", lambda: later)
    assert not _signed_in(client)


def test_cookies_from_before_sessions_were_kept_do_not_sign_anyone_in(app, user):
    assert sessions.load_signed_in_user(str(user.id)) is None
    assert sessions.load_signed_in_user(f"{user.id}:not-a-token") is None
    assert sessions.load_signed_in_user("x:y") is None


# --- sockets -----------------------------------------------------------------------------------

def test_signing_out_disconnects_that_browsers_open_socket_at_once(app, user):
    laptop, phone = client_for(app, user), client_for(app, user)
    laptop_socket = socket_client_for(app, laptop)
    copied_socket = socket_client_for(app, _copy_of(app, laptop))
    phone_socket = socket_client_for(app, phone)
    assert laptop_socket.is_connected() and copied_socket.is_connected()
    AuthActions(laptop).logout()
    assert not laptop_socket.is_connected() and not copied_socket.is_connected()
    assert phone_socket.is_connected()
    assert not socket_client_for(app, _copy_of(app, laptop)).is_connected()  # nor reconnects


def test_sign_out_everywhere_else_disconnects_the_other_sockets(app, user):
    laptop, phone = client_for(app, user), client_for(app, user)
    laptop_socket, phone_socket = socket_client_for(app, laptop), socket_client_for(app, phone)
    laptop.post("/auth/sessions/end-others")
    assert laptop_socket.is_connected() and not phone_socket.is_connected()


def test_disabling_an_account_disconnects_its_sockets(app, user):
    socket = socket_client_for(app, client_for(app, user))
    admin = client_for(app, make_user(admin=True))
    admin.post(f"/users/{user.id}/disable")
    assert not socket.is_connected()


def test_a_socket_whose_session_ended_elsewhere_is_refused_and_closed_on_its_next_event(app, user):
    """Even if the disconnect never arrived (a process restarted), the next event re-checks."""
    client = client_for(app, user)
    socket = socket_client_for(app, client)
    db.session.query(UserSession).delete()  # ended behind the registry's back
    db.session.commit()
    ack = socket.emit("join", {"project": "anything", "after": None}, callback=True)
    assert ack["ok"] is False
    assert not socket.is_connected()


def test_a_socket_of_a_deactivated_account_is_closed_on_its_next_event(app, user):
    socket = socket_client_for(app, client_for(app, user))
    db.session.get(User, user.id).active = False
    db.session.commit()
    assert socket.emit("history", {"project": "x"}, callback=True)["ok"] is False
    assert not socket.is_connected()


def test_the_operators_cli_disables_an_account_and_ends_its_sessions(app, runner, user):
    client = client_for(app, user)
    socket = socket_client_for(app, client)
    result = runner.invoke(args=["users", "disable", user.email.upper()])
    assert result.exit_code == 0 and "every session ended" in result.output
    assert not _signed_in(client) and not socket.is_connected()
    assert "already disabled" in runner.invoke(args=["users", "disable", user.email]).output
    assert runner.invoke(args=["users", "enable", user.email]).exit_code == 0
    assert runner.invoke(args=["users", "disable", "nobody@example.org"]).exit_code == 1


def test_socket_events_note_last_seen_at_most_once_a_minute(app, user, monkeypatch):
    socket = socket_client_for(app, client_for(app, user))
    seen = db.session.query(UserSession).one().last_seen_at
    with count_queries() as queries:
        socket.emit("history", {"project": "x"}, callback=True)
    assert not [s for s in queries.statements if s.lstrip().upper().startswith("UPDATE")]
    later = sessions.utcnow() + timedelta(seconds=90)
    monkeypatch.setattr(sessions, "utcnow", lambda: later)
    socket.emit("history", {"project": "x"}, callback=True)
    socket.emit("history", {"project": "x"}, callback=True)
    db.session.expire_all()
    assert db.session.query(UserSession).one().last_seen_at == later != seen
    assert socket.is_connected()
