"""Generators for call tests: `make_manager()`, `make_call(status=...)`, `call_input(...)`."""
from datetime import timedelta

from app.calls import services
from app.calls.validation import defaults
from app.core.time import utcnow
from app.extensions import db
from tests.factories import make_user

_count = iter(range(1, 10_000))


def make_manager(**kwargs):
    user = make_user(**kwargs)
    user.is_manager = True
    db.session.commit()
    return user


def call_input(**changes) -> dict:
    """A complete, valid editor input (strings, as a form sends them), with `changes`."""
    n = next(_count)
    now = utcnow()
    data = defaults() | {
        "slug": f"test-call-{n}", "opens": (now - timedelta(days=1)).isoformat(timespec="minutes"),
        "closes": (now + timedelta(days=20)).isoformat(timespec="minutes"),
        "timezone": "UTC", "budget_eur": "300000", "max_grant_eur": "30000",
        "areas": ["ar-vr", "collections"], "threshold": "3",
        "evaluators_per_application": "3", "min_partners": "1",
        "texts": {"en": {"title": f"Test call {n}", "description": "Grants for **pilots**.",
                         "faq": "**Q?** A."}},
    }
    data["criteria"] = "\n".join(f"{t} | {w}" for t, w in data["criteria"])
    data["countries"] = " ".join(data["countries"])
    data.update(changes)
    return data


def make_call(status: str = "open", **changes):
    call = services.create_call(call_input(**changes))
    for step in ("open", "closed", "evaluated", "decided"):
        if call.status == status:
            break
        services.change_status(call, step)
    return call
