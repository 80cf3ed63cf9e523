"""Account rules: unique emails whatever the case, password rules, and bad input on every field
of every account form is refused next to the field with status 400 and nothing written."""
import pytest

from app.auth.models import User
from app.auth.passwords import verify_password
from app.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_user

GOOD = {"name": "Giulia Rossi", "email": "giulia@museo.it", "password": "a-long-password",
        "confirm": "a-long-password"}


def _users() -> list[User]:
    return list(db.session.execute(db.select(User)).scalars())


def test_duplicate_email_in_another_case_is_refused_with_a_field_error(client):
    assert client.post("/auth/register", data=GOOD).status_code == 302
    client.post("/auth/logout")
    response = client.post("/auth/register", data={**GOOD, "email": "  GIULIA@Museo.IT"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="email-error"' in page and "An account with this email already exists." in page
    assert len(_users()) == 1


def test_sign_in_ignores_the_case_of_the_email(client):
    make_user(email="marek@muzeum.pl")
    response = client.post("/auth/login", data={"email": "Marek@MUZEUM.pl", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "This field is required."),
    ("name", "   ", "This field is required."),
    ("name", "n" * 121, "120"),
    ("email", "", "This field is required."),
    ("email", "not-an-email", "Invalid email address."),
    ("email", "a" * 250 + "@x.eu", "254"),
    ("password", "", "This field is required."),
    ("password", "short", "at least 10"),
    ("password", "giulia@museo.it", "must not be your email address"),
    ("password", "GIULIA@museo.it", "must not be your email address"),
    ("password", "p" * 257, "256"),
    ("confirm", "", "This field is required."),
    ("confirm", "another-long-password", "The two passwords do not match."),
])
def test_bad_registration_input_is_refused(client, field, value, message):
    data = {**GOOD, field: value}
    if field == "password" and value:
        data["confirm"] = value
    response = client.post("/auth/register", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert 'aria-invalid="true"' in page
    assert _users() == []


@pytest.mark.parametrize("data, field", [
    ({"email": "", "password": "whatever-long"}, "email"),
    ({"email": "x@y.eu", "password": ""}, "password"),
    ({"email": "nobody@y.eu", "password": "whatever-long"}, "password"),
    ({"email": "e" * 300, "password": "whatever-long"}, "email"),
])
def test_bad_sign_in_is_refused_without_saying_which_part_was_wrong(client, data, field):
    make_user(email="x@y.eu")
    response = client.post("/auth/login", data=data)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert client.get("/auth/profile").status_code == 302  # still signed out


def test_wrong_password_gives_the_same_message_as_an_unknown_email(client, user):
    wrong = client.post("/auth/login", data={"email": user.email, "password": "wrong-password"})
    unknown = client.post("/auth/login", data={"email": "who@x.eu", "password": "wrong-password"})
    assert "The email or password is not correct." in wrong.get_data(as_text=True)
    assert "The email or password is not correct." in unknown.get_data(as_text=True)


def test_change_password(signed_in, user):
    response = signed_in.post("/auth/password", data={
        "current_password": DEFAULT_PASSWORD, "password": "a-new-long-password",
        "confirm": "a-new-long-password"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, "a-new-long-password")


@pytest.mark.parametrize("changes, field, message", [
    ({"current_password": "not-my-password"}, "current_password", "The current password is not correct."),
    ({"current_password": ""}, "current_password", "This field is required."),
    ({"password": "short", "confirm": "short"}, "password", "10"),
    ({"password": "", "confirm": ""}, "password", "This field is required."),
    ({"confirm": "something-else"}, "confirm", "The two passwords do not match."),
    ({"password": "p" * 257, "confirm": "p" * 257}, "password", "256"),
])
def test_bad_password_change_is_refused(signed_in, user, changes, field, message):
    before = user.password_hash
    data = {"current_password": DEFAULT_PASSWORD, "password": "a-new-long-password",
            "confirm": "a-new-long-password", **changes}
    response = signed_in.post("/auth/password", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    db.session.refresh(user)
    assert user.password_hash == before


def test_new_password_equal_to_the_email_is_refused(app):
    from tests.conftest import client_for

    user = make_user(email="long.name@museum.eu")
    client = client_for(app, user)
    response = client.post("/auth/password", data={
        "current_password": DEFAULT_PASSWORD, "password": "long.name@museum.eu",
        "confirm": "long.name@museum.eu"})
    assert response.status_code == 400
    assert "must not be your email address" in response.get_data(as_text=True)


def test_edit_profile(signed_in, user):
    response = signed_in.post("/auth/profile", data={"name": "Anna  Bianchi ", "bio": "Curator.",
                                                     "locale": "it"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.bio, user.locale) == ("Anna Bianchi", "Curator.", "it")
    page = signed_in.get(f"/users/{user.id}").get_data(as_text=True)
    assert "Anna Bianchi" in page and "AB</span>" in page


@pytest.mark.parametrize("changes, field, message", [
    ({"name": ""}, "name", "This field is required."),
    ({"name": "n" * 121}, "name", "120"),
    ({"bio": "b" * 1001}, "bio", "1000"),
    ({"locale": "xx"}, "locale", "Not a valid choice"),
])
def test_bad_profile_input_is_refused(signed_in, user, changes, field, message):
    before = (user.name, user.bio, user.locale)
    response = signed_in.post("/auth/profile", data={"name": "New Name", "bio": "New bio", "locale": "",
                                                    **changes})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    db.session.refresh(user)
    assert (user.name, user.bio, user.locale) == before


def test_profile_pages_need_sign_in_and_unknown_users_are_404(client, signed_in, user):
    assert signed_in.get("/users/999999").status_code == 404
    signed_in.post("/auth/logout")
    assert client.get(f"/users/{user.id}").status_code == 302


def test_open_redirects_are_refused_after_sign_in(client, user):
    for target in ("https://evil.example", "//evil.example", "/\\evil.example"):
        response = client.post(f"/auth/login?next={target}",
                               data={"email": user.email, "password": DEFAULT_PASSWORD})
        assert response.headers["Location"] == "/projects/", target
        client.post("/auth/logout")


def test_sign_out_needs_post(signed_in):
    assert signed_in.get("/auth/logout").status_code == 405
    assert signed_in.get("/auth/profile").status_code == 200
