"""Registering, signing in and out."""
from app.auth.models import User
from app.extensions import db


def test_register_signs_the_new_user_in(client):
    response = client.post("/auth/register", data={
        "name": "Giulia Rossi", "email": "Giulia@Museo.IT ", "password": "a-long-password",
        "confirm": "a-long-password"})
    assert response.status_code == 302
    user = db.session.execute(db.select(User)).scalar_one()
    assert user.email == "giulia@museo.it"
    assert user.password_hash.startswith("$argon2")


def test_login_and_logout(client, user, auth):
    auth.login(user)
    assert client.get("/auth/profile").status_code == 200
    auth.logout()
    assert client.get("/auth/profile").status_code == 302
