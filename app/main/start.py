"""The start page a newcomer lands on after registering ("First steps"): their organisations,
projects that welcome partners, open calls. Read side only: it asks the features' own queries.
"""
from dataclasses import dataclass, field

from ..calls.queries import open_calls
from ..orgs.members import memberships_of_user
from ..projects.partners import open_projects, pending_request_ids

OPEN_PROJECTS_SHOWN = 3


@dataclass
class StartPage:
    memberships: list = field(default_factory=list)
    open_projects: list = field(default_factory=list)
    open_project_total: int = 0
    asked: set = field(default_factory=set)
    calls: list = field(default_factory=list)


def start_page_for(user) -> StartPage:
    page = open_projects(user, 1, "")
    shown = page.items[:OPEN_PROJECTS_SHOWN]
    return StartPage(memberships=memberships_of_user(user), open_projects=shown,
                     open_project_total=page.total,
                     asked=pending_request_ids(user, [p.id for p in shown]), calls=open_calls())
