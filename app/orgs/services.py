"""Organisations: the partner directory query, creating and editing organisations. Plain
functions that validate, ask `app.policy`, commit once, and raise domain errors. Joining and
leaving live in `members.py`, verification in `verification.py`; nothing here knows about
requests.
"""
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..core import signals
from ..core.countries import is_european_country
from ..core.errors import NotFound, ValidationError
from ..core.pagination import Page, paginate
from ..core.text import parse_tags, slugify
from ..extensions import db
from ..policy import authorize
from .models import MUSEUM_SIZES, ORG_KINDS, Organisation, OrganisationExpertise, OrganisationMember

DIRECTORY_PER_PAGE = 20
MAX_TAGS = 20
#: path segments under /orgs/ that are pages, not organisations
RESERVED_SLUGS = {"new", "verification"}


@dataclass
class OrganisationInput:
    """What a person may set on an organisation; `validate_organisation` cleans it."""

    name: str = ""
    kind: str = ""
    country: str = ""
    city: str = ""
    size: str | None = None
    website: str = ""
    description: str = ""
    expertise: list[str] | str = field(default_factory=list)


@dataclass
class DirectoryFilters:
    kind: str = ""
    country: str = ""
    expertise: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args) -> "DirectoryFilters":
        """Unknown values are dropped rather than refused: a stale bookmark still shows a list."""
        kind = (args.get("kind") or "").strip()
        country = (args.get("country") or "").strip().upper()
        expertise = parse_tags(args.get("expertise") or "", max_tags=1)
        return cls(
            kind=kind if kind in ORG_KINDS else "",
            country=country if is_european_country(country) else "",
            expertise=expertise[0] if expertise else "",
            q=" ".join((args.get("q") or "").split())[:100],
        )

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


@dataclass
class DirectoryResult:
    page: Page
    kind_counts: dict[str, int]
    country_counts: dict[str, int]
    top_tags: list[tuple[str, int]]


def _filtered(statement, filters: DirectoryFilters, *, skip: str = ""):
    if filters.kind and skip != "kind":
        statement = statement.where(Organisation.kind == filters.kind)
    if filters.country and skip != "country":
        statement = statement.where(Organisation.country == filters.country)
    if filters.expertise and skip != "expertise":
        statement = statement.where(Organisation.id.in_(
            select(OrganisationExpertise.organisation_id).where(
                OrganisationExpertise.tag == filters.expertise)))
    if filters.q:
        pattern = f"%{filters.q.lower()}%"
        statement = statement.where(
            func.lower(Organisation.name).like(pattern) | func.lower(Organisation.city).like(pattern)
        )
    return statement


def directory(filters: DirectoryFilters, page=1) -> DirectoryResult:
    """One page of organisations plus facet counts (each facet counted under the other filters)."""
    statement = _filtered(select(Organisation), filters).options(
        selectinload(Organisation.expertise)).order_by(Organisation.name, Organisation.id)
    result_page = paginate(statement, page, DIRECTORY_PER_PAGE, default_per_page=DIRECTORY_PER_PAGE)
    kind_counts = dict(db.session.execute(
        _filtered(select(Organisation.kind, func.count()), filters, skip="kind")
        .group_by(Organisation.kind)).all())
    country_counts = dict(db.session.execute(
        _filtered(select(Organisation.country, func.count()), filters, skip="country")
        .group_by(Organisation.country)).all())
    tag_rows = db.session.execute(
        select(OrganisationExpertise.tag, func.count().label("n"))
        .where(OrganisationExpertise.organisation_id.in_(
            _filtered(select(Organisation.id), filters, skip="expertise")))
        .group_by(OrganisationExpertise.tag)
        .order_by(func.count().desc(), OrganisationExpertise.tag).limit(30)
    ).all()
    return DirectoryResult(result_page, kind_counts, country_counts, [(t, n) for t, n in tag_rows])


def get_organisation(slug: str) -> Organisation:
    if not isinstance(slug, str) or not slug or len(slug) > 100:
        raise NotFound()
    org = db.session.execute(
        select(Organisation).where(Organisation.slug == slug)
        .options(selectinload(Organisation.memberships))
    ).scalar_one_or_none()
    if org is None:
        raise NotFound()
    return org


def validate_organisation(data: OrganisationInput) -> OrganisationInput:
    """Clean and check every field; raise ValidationError naming the first bad field."""
    name = " ".join((data.name or "").split())
    if not name:
        raise ValidationError(_("Please give the organisation's name."), field="name")
    if len(name) > 200:
        raise ValidationError(_("The name is too long (200 characters at most)."), field="name")
    if data.kind not in ORG_KINDS:
        raise ValidationError(_("Please choose what kind of organisation this is."), field="kind")
    country = (data.country or "").strip().upper()
    if not is_european_country(country):
        raise ValidationError(_("Please choose a European country from the list."), field="country")
    city = " ".join((data.city or "").split())
    if len(city) > 120:
        raise ValidationError(_("The city is too long (120 characters at most)."), field="city")
    size = data.size or None
    if data.kind == "museum":
        if size not in MUSEUM_SIZES:
            raise ValidationError(_("Please give the museum's size."), field="size")
    elif size:
        raise ValidationError(_("Only museums have a size."), field="size")
    website = (data.website or "").strip()
    if website:
        parts = urlsplit(website)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in website:
            raise ValidationError(_("The website must be an address starting with http:// or https://."),
                                  field="website")
        if len(website) > 300:
            raise ValidationError(_("The website address is too long (300 characters at most)."),
                                  field="website")
    description = (data.description or "").strip()
    if len(description) > 5000:
        raise ValidationError(_("The description is too long (5,000 characters at most)."),
                              field="description")
    raw_tags = data.expertise if isinstance(data.expertise, list) else (data.expertise or "").split(",")
    if any(len(str(tag).strip()) > 40 for tag in raw_tags):
        raise ValidationError(_("Each expertise tag may have 40 characters at most."), field="expertise")
    tags = parse_tags(raw_tags, max_tags=1000)
    if len(tags) > MAX_TAGS:
        raise ValidationError(_("Please give %(n)d expertise tags at most.", n=MAX_TAGS), field="expertise")
    return OrganisationInput(name=name, kind=data.kind, country=country, city=city, size=size,
                             website=website, description=description, expertise=tags)


def _unique_slug(name: str) -> str:
    base = slugify(name, max_length=90) or "organisation"
    taken = set(db.session.execute(
        select(Organisation.slug).where(Organisation.slug.like(f"{base}%"))).scalars())
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(org: Organisation, clean: OrganisationInput) -> None:
    org.name, org.kind, org.country, org.city = clean.name, clean.kind, clean.country, clean.city
    org.size, org.website, org.description = clean.size, clean.website, clean.description
    current = {item.tag: item for item in org.expertise}
    org.expertise = [current.get(tag) or OrganisationExpertise(tag=tag) for tag in clean.expertise]


def create_organisation(user: User, data: OrganisationInput) -> Organisation:
    """Add an organisation; it waits for a site administrator's verification, and its creator's
    membership waits with it (verifying one verifies both)."""
    authorize(user, "organisation.create")
    clean = validate_organisation(data)
    org = Organisation(slug=_unique_slug(clean.name), verification="unverified",
                       created_by_id=user.id)
    _apply(org, clean)
    org.memberships = [OrganisationMember(user_id=user.id, status="pending")]
    db.session.add(org)
    try:
        db.session.commit()
    except IntegrityError:  # two people created the same name at the same moment
        db.session.rollback()
        raise ValidationError(_("An organisation with this name was just created; please try again."),
                              field="name") from None
    signals.organisation_added.send(org, organisation=org, actor=user)
    return org


def update_organisation(user: User, org: Organisation, data: OrganisationInput) -> Organisation:
    authorize(user, "organisation.edit", org)
    clean = validate_organisation(data)
    _apply(org, clean)
    db.session.commit()
    return org


def match_or_add(data: OrganisationInput, *, by: User | None = None) -> Organisation:
    """The directory's organisation with this name (any case) in this country, or a new one
    added unverified and without members (an application's partner, an imported lead).
    Flushes, does not commit: the caller's transaction (or savepoint) decides."""
    if by is not None:
        authorize(by, "organisation.create")
    clean = validate_organisation(data)
    found = db.session.execute(
        select(Organisation).where(func.lower(Organisation.name) == clean.name.lower(),
                                   Organisation.country == clean.country)
        .order_by(Organisation.id).limit(1)).scalar_one_or_none()
    if found is not None:
        return found
    org = Organisation(slug=_unique_slug(clean.name), verification="unverified",
                       created_by_id=getattr(by, "id", None))
    _apply(org, clean)
    db.session.add(org)
    db.session.flush()
    return org
