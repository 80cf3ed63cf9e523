"""Sign-in is rate limited per address and per account; the `users create` CLI."""
import pytest

from app import create_app
from app.auth.models import User
from app.extensions import db
from tests.conftest import IsolatedClient
from tests.factories import DEFAULT_PASSWORD, make_user


@pytest.fixture
def limited_app(app):
    limited = create_app("testing", socketio_async_mode="threading", overrides={
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "LOGIN_RATE_LIMIT": "3/minute", "LOGIN_ACCOUNT_RATE_LIMIT": "2/minute"})
    limited.test_client_class = IsolatedClient
    yield limited
    with limited.app_context():
        db.engine.dispose()


def _attempt(client, email, address, password=None):
    return client.post("/auth/login", data={"email": email, "password": password or "wrong-password"},
                       environ_base={"REMOTE_ADDR": address})


def test_one_account_is_limited_even_from_many_addresses(limited_app):
    user = make_user(email="target@museum.eu")
    client = limited_app.test_client()
    assert _attempt(client, user.email, "10.0.0.1").status_code == 400
    assert _attempt(client, "TARGET@museum.eu", "10.0.0.2").status_code == 400
    # the account is now over its limit: the addresses that failed may not even try
    for address in ("10.0.0.1", "10.0.0.2"):
        response = _attempt(client, user.email, address, password=DEFAULT_PASSWORD)
        assert response.status_code == 429
        assert "Too many attempts" in response.get_data(as_text=True)
        assert response.mimetype == "text/html"
    # a fresh address gets one guess, and is refused once it has failed too
    assert _attempt(client, user.email, "10.0.0.3").status_code == 400
    assert _attempt(client, user.email, "10.0.0.3", password=DEFAULT_PASSWORD).status_code == 429
    # another account from a fresh address is unaffected
    other = make_user()
    assert _attempt(client, other.email, "10.0.0.4", password=DEFAULT_PASSWORD).status_code == 302


def test_an_attacker_cannot_lock_the_owner_out(limited_app):
    """Failing on purpose against someone's account must not keep them from signing in."""
    user = make_user(email="victim@museum.eu")
    attacker = limited_app.test_client()
    for _ in range(5):
        assert _attempt(attacker, user.email, "198.51.100.66").status_code in (400, 429)
    owner = limited_app.test_client()
    response = _attempt(owner, user.email, "192.0.2.10", password=DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/projects/"


def test_a_guess_through_the_lock_is_counted(limited_app):
    user = make_user(email="guarded@museum.eu")
    client = limited_app.test_client()
    for address in ("10.1.0.1", "10.1.0.2"):
        assert _attempt(client, user.email, address).status_code == 400
    # each new address may try once; a wrong guess marks it
    assert _attempt(client, user.email, "10.1.0.3").status_code == 400
    assert _attempt(client, user.email, "10.1.0.3").status_code == 429


def test_successful_sign_ins_do_not_use_up_the_account_limit(limited_app):
    user = make_user(email="busy@museum.eu")
    for n in range(3):  # the account limit is 2/minute; the address limit 3/minute
        client = limited_app.test_client()
        response = _attempt(client, user.email, f"10.2.0.{n}", password=DEFAULT_PASSWORD)
        assert response.status_code == 302


def test_one_address_is_limited_across_accounts(limited_app):
    client = limited_app.test_client()
    for n in range(3):
        assert _attempt(client, f"guess{n}@museum.eu", "10.0.0.9").status_code == 400
    response = _attempt(client, "guess9@museum.eu", "10.0.0.9")
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert _attempt(client, "guess9@museum.eu", "10.0.0.10").status_code == 400


def test_showing_the_sign_in_page_is_not_limited(limited_app):
    client = limited_app.test_client()
    for _ in range(6):
        assert client.get("/auth/login").status_code == 200


# --- CLI ------------------------------------------------------------------------------------

def test_cli_creates_a_user(runner):
    result = runner.invoke(args=["users", "create", "Ines.Costa@Museu.pt", "--name", "Inês Costa",
                                 "--password", "a-long-password", "--admin"])
    assert result.exit_code == 0, result.output
    assert "Created user ines.costa@museu.pt" in result.output
    user = db.session.execute(db.select(User)).scalar_one()
    assert user.is_admin and user.name == "Inês Costa"


def test_cli_refuses_a_duplicate_email(runner):
    make_user(email="taken@museum.eu")
    result = runner.invoke(args=["users", "create", "TAKEN@museum.eu", "--name", "X",
                                 "--password", "a-long-password"])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert db.session.execute(db.select(db.func.count()).select_from(User)).scalar_one() == 1


@pytest.mark.parametrize("password, message", [
    ("short", "at least 10"), ("new@museum.eu", "must not be your email"),
])
def test_cli_refuses_a_weak_password(runner, password, message):
    result = runner.invoke(args=["users", "create", "new@museum.eu", "--name", "New",
                                 "--password", password])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.execute(db.select(db.func.count()).select_from(User)).scalar_one() == 0


def test_cli_needs_a_name(runner):
    result = runner.invoke(args=["users", "create", "new@museum.eu", "--password", "a-long-password"])
    assert result.exit_code != 0 and "--name" in result.output


def test_behind_a_trusted_proxy_the_limit_counts_the_real_client_address(app):
    proxied = create_app("testing", socketio_async_mode="threading", overrides={
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "PROXY_COUNT": 1,
        "LOGIN_RATE_LIMIT": "2/minute", "LOGIN_ACCOUNT_RATE_LIMIT": "100/minute"})
    proxied.test_client_class = IsolatedClient
    client = proxied.test_client()

    def attempt(real_address):
        return client.post("/auth/login", data={"email": "x@museum.eu", "password": "wrong-password"},
                           environ_base={"REMOTE_ADDR": "127.0.0.1"},
                           headers={"X-Forwarded-For": real_address})

    try:
        assert [attempt("203.0.113.7").status_code for _ in range(3)] == [400, 400, 429]
        assert attempt("198.51.100.4").status_code == 400  # a different visitor is not locked out
    finally:
        with proxied.app_context():
            db.engine.dispose()
