"""The operator's doors: `users create --manager`, `users grant|revoke EMAIL manager`,
`calls create SLUG ...`, `calls status SLUG ...`, and the demo calls."""
from sqlalchemy import select

from app.auth.models import User
from app.calls.models import Call
from app.extensions import db
from tests.factories import make_user


def _call(slug):
    db.session.expire_all()
    return db.session.execute(select(Call).where(Call.slug == slug)).scalar_one_or_none()


def test_users_create_manager_then_revoke_and_grant(app, runner):
    result = runner.invoke(args=["users", "create", "pm@example.org", "--name", "Paola M",
                                 "--password", "a-long-password-1", "--manager"])
    assert result.exit_code == 0, result.output
    assert "programme manager" in result.output
    user = db.session.execute(select(User).where(User.email == "pm@example.org")).scalar_one()
    assert user.is_manager and not user.is_admin
    assert runner.invoke(args=["users", "revoke", "pm@example.org", "manager"]).exit_code == 0
    db.session.refresh(user)
    assert not user.is_manager
    assert runner.invoke(args=["users", "grant", "PM@example.org", "manager"]).exit_code == 0
    db.session.refresh(user)
    assert user.is_manager


def test_granting_to_an_unknown_account_fails_clearly(app, runner):
    result = runner.invoke(args=["users", "grant", "nobody@example.org", "manager"])
    assert result.exit_code != 0 and "No account" in result.output
    make_user(email="x@example.org")
    assert runner.invoke(args=["users", "grant", "x@example.org", "king"]).exit_code != 0


def test_calls_create_makes_a_draft_in_brussels_time(app, runner):
    result = runner.invoke(args=[
        "calls", "create", "pilots-2031", "--title", "Pilots 2031",
        "--opens", "2031-01-10T09:00", "--closes", "2031-07-10T17:00",
        "--budget", "500000", "--max-grant", "30000"])
    assert result.exit_code == 0, result.output
    call = _call("pilots-2031")
    assert call.status == "draft" and call.title == "Pilots 2031"
    assert call.closes_at.hour == 15  # 17:00 CEST
    assert call.lead_kinds == ["museum"] and call.museum_sizes == ["small", "medium"]
    assert "IT" in call.countries and "NO" in call.countries
    assert runner.invoke(args=["calls", "status", "pilots-2031", "open"]).exit_code == 0
    assert _call("pilots-2031").status == "open"


def test_calls_create_refuses_bad_input_and_writes_nothing(app, runner):
    result = runner.invoke(args=[
        "calls", "create", "pilots-2031", "--title", "Pilots", "--opens", "2031-01-10T09:00",
        "--closes", "2031-07-10T17:00", "--budget", "1000", "--max-grant", "30000"])
    assert result.exit_code != 0 and "cannot exceed the total budget" in result.output
    assert _call("pilots-2031") is None


def test_demo_has_an_open_call_and_the_decided_first_call(app, runner):
    from app.calls.demo import load_demo

    load_demo()
    load_demo()  # idempotent
    calls = db.session.execute(select(Call).order_by(Call.id)).scalars().all()
    assert [c.status for c in calls] == ["open", "decided"]
    assert "128 proposals from 27 countries" in calls[1].results
    assert calls[1].two_stage and calls[1].max_grant_eur == 30000
