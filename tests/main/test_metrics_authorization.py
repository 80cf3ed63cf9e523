"""Who may scrape /metrics: nobody while it is off; with it on, the bearer token or an allowed
address (or network), whoever is signed in. The rule lives in app/policy.py (`metrics.read`)."""
import pytest

from tests.conftest import client_for
from tests.factories import make_user

TOKEN = "s3cret-scrape-token"
SETTINGS = {
    "off": {"METRICS_ENABLED": False, "METRICS_TOKEN": TOKEN, "METRICS_ALLOW_FROM": ["127.0.0.1"]},
    "token": {"METRICS_ENABLED": True, "METRICS_TOKEN": TOKEN, "METRICS_ALLOW_FROM": []},
    "address": {"METRICS_ENABLED": True, "METRICS_TOKEN": None,
                "METRICS_ALLOW_FROM": ["10.1.0.0/16", "not-an-address", "::1"]},
    "neither": {"METRICS_ENABLED": True, "METRICS_TOKEN": None, "METRICS_ALLOW_FROM": []},
}
CALLERS = {  # (Authorization header, client address, signed in as an administrator)
    "anonymous": (None, "203.0.113.9", False),
    "site_admin": (None, "203.0.113.9", True),
    "right_token": (f"Bearer {TOKEN}", "203.0.113.9", False),
    "wrong_token": ("Bearer guessed", "203.0.113.9", False),
    "token_as_basic": (f"Basic {TOKEN}", "203.0.113.9", False),
    "allowed_network": (None, "10.1.2.3", False),
    "allowed_ipv6": (None, "::1", False),
    "other_network": ("Bearer guessed", "10.2.0.1", False),
}
EXPECTED = {
    "off": dict.fromkeys(CALLERS, 404),
    "token": {**dict.fromkeys(CALLERS, 403), "right_token": 200},
    "address": {**dict.fromkeys(CALLERS, 403), "allowed_network": 200, "allowed_ipv6": 200},
    "neither": dict.fromkeys(CALLERS, 403),
}


@pytest.mark.parametrize("setting, caller", [
    pytest.param(setting, caller, id=f"{setting}-{caller}")
    for setting in SETTINGS for caller in CALLERS])
def test_metrics_authorization_matrix(app, setting, caller):
    app.config.update(SETTINGS[setting])
    header, address, admin = CALLERS[caller]
    client = client_for(app, make_user(admin=True)) if admin else app.test_client()
    response = client.get("/metrics", headers={"Authorization": header} if header else {},
                          environ_base={"REMOTE_ADDR": address})
    assert response.status_code == EXPECTED[setting][caller]
    if response.status_code == 200:
        assert b"museum_http_request_duration_seconds" in response.data
    else:
        assert b"museum_" not in response.data
