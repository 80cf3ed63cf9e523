"""Generators for evaluation tests: a closed call with imported applications
(`make_programme`), evaluators (`make_evaluator`)."""
from sqlalchemy import select

from app.calls import importer
from app.calls.application_models import Application
from app.evaluation import services
from app.extensions import db
from functools import cache

from app.auth.models import User
from app.auth.passwords import hash_password
from tests.factories import DEFAULT_PASSWORD

_count = iter(range(1, 10_000))


@cache
def _password_hash() -> str:
    return hash_password(DEFAULT_PASSWORD)


def make_user(*, admin: bool = False, manager: bool = False) -> User:
    """Like tests.factories.make_user, with the password hashed once per run (the matrix
    builds seven people per case)."""
    n = next(_count)
    user = User(name=f"Evaluation Person {n}", email=f"evaluation{n}@example.org",
                password_hash=_password_hash(), is_admin=admin, is_manager=manager)
    db.session.add(user)
    db.session.commit()
    return user


def make_manager() -> User:
    return make_user(manager=True)


def application(ref, country="IT", score=4.0, requested=20_000, areas=("collections",),
                size="small", lead=None, partner=None):
    return {"ref": ref, "title": f"Pilot {ref}", "summary": "A **pilot** for visitors.",
            "lead": {"name": lead or f"Museum {ref}", "country": country, "kind": "museum",
                     "size": size},
            "partners": [{"name": partner or f"Studio {ref}", "kind": "technology",
                          "country": country}],
            "areas": list(areas), "requested_eur": requested,
            "submitted_at": "2025-03-30T12:00:00+02:00", "consensus_score": score}


def make_programme(*applications, **call_changes):
    """A closed call (imported, like the programme's spreadsheets) and its applications."""
    n = next(_count)
    call = {"slug": f"programme-{n}", "title": f"Programme {n}",
            "opens": "2025-01-15T09:00:00+01:00", "closes": "2025-03-31T17:00:00+02:00",
            "budget_eur": 200_000, "max_grant_eur": 30_000,
            "areas": ["ar-vr", "collections"], "max_per_country": 2, "min_small_share": 0.5,
            "threshold": 3.0, "evaluators_per_application": 2,
            "criteria": [{"key": "excellence", "name": "Excellence", "weight": 60},
                         {"key": "impact", "name": "Impact", "weight": 40}]} | call_changes
    report = importer.import_programme({"call": call, "applications": list(applications) or [
        application("A-1", "IT"), application("A-2", "FR"), application("A-3", "DE")]})
    assert not report.refused, report.refused
    return report.call


def applications_of(call) -> dict[str, Application]:
    return {a.ref: a for a in db.session.execute(
        select(Application).where(Application.call_id == call.id)).scalars()}


def make_evaluator(call, country="PL", user=None):
    user = user or make_user()
    return services.invite_evaluator(call, user.email, country), user


__all__ = ["application", "applications_of", "make_evaluator", "make_manager",
           "make_programme", "make_user"]
