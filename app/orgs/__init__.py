"""Organisations and the partner directory."""
from flask import Blueprint

bp = Blueprint("orgs", __name__)

from . import member_routes, models, routes  # noqa: E402,F401


def register(app) -> None:
    from ..core.pagecache import watch_models
    from ..core.templating import HEADER_BADGE_PROVIDERS
    from .cli import orgs_cli
    from .members import memberships_of_user
    from .models import Organisation, OrganisationExpertise, OrganisationMember
    from .routes import verification_badge
    from .verification import claim_for

    app.cli.add_command(orgs_cli)
    app.jinja_env.globals["domain_claim"] = claim_for
    app.jinja_env.globals["organisation_memberships"] = memberships_of_user
    if verification_badge not in HEADER_BADGE_PROVIDERS:
        HEADER_BADGE_PROVIDERS.append(verification_badge)
    # the directory and organisation pages are cached for anonymous visitors (core/pagecache.py)
    watch_models(app, "directory", Organisation, OrganisationMember, OrganisationExpertise)
