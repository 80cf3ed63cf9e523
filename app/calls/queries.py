"""The read side of calls: the public list, one call, the feed and API views. Reads only, with
a fixed number of statements whatever the number of calls (criteria are loaded in one go)."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from ..core.errors import NotFound
from ..core.time import isoformat_utc, utcnow
from ..extensions import db
from ..policy import authorize, is_manager
from .models import Call


def list_calls(user) -> list[Call]:
    """Open calls first (closing soonest first), then drafts for managers, then past calls
    (most recently closed first)."""
    order = case((Call.status == "open", 0), (Call.status == "draft", 1), else_=2)
    query = select(Call).options(selectinload(Call.criteria)).order_by(
        order, case((Call.status == "open", Call.closes_at)).asc(), Call.closes_at.desc())
    if not is_manager(user):
        query = query.where(Call.status != "draft")
    return list(db.session.execute(query).scalars())


def sitemap_summary() -> tuple[int, datetime | None]:
    """How many calls are public (not drafts), and the newest change, in ONE statement."""
    count, newest = db.session.execute(
        select(func.count(), func.max(Call.updated_at)).where(Call.status != "draft")).one()
    return count, newest


def sitemap_rows(offset: int, limit: int) -> list[tuple[str, datetime | None]]:
    """(slug, updated_at) of public calls in a stable order, one page, ONE statement."""
    return [tuple(row) for row in db.session.execute(
        select(Call.slug, Call.updated_at).where(Call.status != "draft")
        .order_by(Call.id).offset(offset).limit(limit))]


def find_call(slug: str) -> Call:
    """The call whatever its status (the operator's command line), or NotFound."""
    call = db.session.execute(
        select(Call).options(selectinload(Call.criteria)).where(Call.slug == slug)
    ).scalar_one_or_none()
    if call is None:
        raise NotFound()
    return call


def get_call(slug: str, user) -> Call:
    """The call, if `user` may see it: a draft is a 404 for anyone but managers."""
    call = find_call(slug)
    authorize(user, "call.view", call)
    return call


def accepting(call: Call, now: datetime | None = None) -> bool:
    """Open, and between its opening and closing moments."""
    now = now or utcnow()
    return call.status == "open" and call.opens_at <= now < call.closes_at


def local_moment(call: Call, moment: datetime) -> datetime:
    """A stored (naive UTC) moment in the call's own time zone, for the page's fallback text."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(call.timezone))


def public_json(call: Call, locale: str | None = None, url: str | None = None) -> dict:
    return {
        "slug": call.slug, "status": call.status, "language": call.language,
        "title": call.text("title", locale), "description": call.text("description", locale),
        "texts": call.texts, "timezone": call.timezone,
        "opens_at": isoformat_utc(call.opens_at), "closes_at": isoformat_utc(call.closes_at),
        "budget_eur": call.budget_eur, "max_grant_eur": call.max_grant_eur,
        "eligibility": {"countries": call.countries, "lead_kinds": call.lead_kinds,
                        "museum_sizes": call.museum_sizes, "min_partners": call.min_partners,
                        "partner_kinds": call.partner_kinds},
        "areas": call.areas,
        "evaluation": {"scale": [0, call.scale_max], "threshold": call.threshold,
                       "evaluators_per_application": call.evaluators_per_application,
                       "criteria": [{"key": c.key, "title": c.title, "weight": c.weight}
                                    for c in call.criteria]},
        "selection": {"max_per_country": call.max_per_country,
                      "min_small_share": call.min_small_share},
        "applications_per_lead": call.applications_per_lead,
        "declarations": call.declarations or [],
        "two_stage": call.two_stage, "results": call.results or None, "url": url,
    }


def open_calls(limit: int = 3) -> list[Call]:
    """The calls accepting applications now, closing soonest first (the start page)."""
    return list(db.session.execute(
        select(Call).where(Call.status == "open", Call.closes_at > utcnow())
        .order_by(Call.closes_at).limit(limit)).scalars())
