"""Who may do what: the only place access is decided.

`can(user, action, target)` answers yes or no; `authorize(...)` raises `NotFound` when the user
may not even know the target exists (private workspaces) and `PermissionDenied` otherwise.
Every page, API endpoint, socket handler and CLI command asks here; none re-implements a rule.

Project actions (target: a Project or ProjectRef, or anything with a `.project`):
    project.view        read the workspace: documents, files, discussion, chat, activity
    project.contribute  write: edit documents, upload files, post, chat (lead, member)
    project.converse    post in the discussion and chat (lead, member, mentor): a pilot's
                        mentor reads everything and talks, but edits no document or file
    project.manage      members, settings, status, pin/lock/resolve, restore deleted, case study,
                        looking for partners and answering requests to join
    mentoring.write     write in a pilot's mentoring log: its mentor and its leads
    project.ask_to_join a signed-in person who is not yet a member, while the project is
                        marked looking for partners (others get 404 as for any private project)
Membership actions (target: a workspace membership, with `.role` and `.project`):
    member.manage       change someone's role, hand them the lead or remove them: the
                        project's managers, but never a pilot's mentor, whom the programme
                        names and replaces (`pilots.mentoring`); refused with a message that
                        says so (a mentor may still leave). The operators' CLI asks too, as
                        `OPERATOR`: trusted with every other member, refused the mentor alike
Authored actions (target: anything with `.author_id` and `.project`):
    authored.edit       edit or delete your own post/message while you may converse
Site actions (target: None or the object named):
    project.create      any signed-in user (they become its lead)
    project.find_open   any signed-in user: the projects looking for partners
    organisation.create any signed-in user (it waits for verification)
    archive.curate      administrators: publish or return case studies
    account.disable     administrators: disable or enable someone's account
    call.manage         programme managers and administrators: create, edit, open, close calls
    site.admin          administrators
    site.backup         administrators: back up the installation or restore one (the `backup`
                        CLI is the operator's door and passes `as_operator`)
Organisation actions (target: an Organisation, with its `memberships` and `verification`):
    organisation.edit    verified members of a verified organisation, administrators
    organisation.act     act on its behalf (name it as a project's lead museum, apply to a call
                         for it): verified members of a verified organisation only
    organisation.manage_members  answer requests to join, name its administrators: the
                         organisation's own administrators (verified), site administrators
    organisation.verify  administrators: verify or decline a newly added organisation
Case study actions (target: a case study, anything with `.project`):
    archive.translate   add, edit or remove a translation: the lead of its project, curators
Call actions (target: a call, anything with `.status`):
    call.view           anyone, once the call is no longer a draft; drafts only to managers
Application actions (target: an application, with `.owner_id` and `.members`):
    application.view    its applicants (who started it, the co-applicants invited to it) and
                        programme managers; nobody else learns it exists (404)
    application.edit    its applicants only (the services add: while the call accepts them)
Evaluation actions:
    evaluator.act       the person invited as this evaluator (target: a call's evaluator row,
                        with `.user_id`): see their assignments, declare conflicts
    evaluation.consensus  the assignment's evaluator when the manager named them its
                        rapporteur (target: an assignment): writes the consensus; the
                        services add: no conflict
    evaluation.score    the evaluator it is assigned to (target: an assignment, with
                        `.evaluator.user_id`); the services add: no conflict, not locked.
                        Nobody else learns an assignment exists (404), managers included:
                        they read evaluations on their own table, they do not write them

Operations actions (target: what the caller shows, `app.core.metrics.ScrapeRequest`):
    metrics.read        scrape /metrics: only when METRICS_ENABLED, and then only with the
                        bearer token METRICS_TOKEN or from an address in METRICS_ALLOW_FROM;
                        nobody learns it exists while it is off (404). Accounts play no part.

The policy imports no feature. The feature that owns workspaces (`app.projects`) tells it at
start-up what a workspace is and how to find a person's role in one (`register_role_resolver`).
"""
import hmac
import ipaddress
from collections.abc import Callable
from functools import cached_property

from flask import current_app, has_request_context, request
from flask_babel import gettext as _

from .core.errors import NotFound, PermissionDenied

ROLE_RIGHTS = {
    "lead": {"project.view", "project.contribute", "project.converse", "project.manage"},
    "member": {"project.view", "project.contribute", "project.converse"},
    "mentor": {"project.view", "project.converse"},
    "observer": {"project.view"},
}
PROJECT_ACTIONS = {"project.view", "project.contribute", "project.converse", "project.manage"}
SIGNED_IN_ACTIONS = {"project.create", "project.find_open", "organisation.create"}
ADMIN_ACTIONS = {"archive.curate", "site.admin", "account.disable", "organisation.verify",
                 "site.backup"}
MANAGER_ACTIONS = {"call.manage"}

#: which objects are workspaces, and `role_of(user_id, workspace_id) -> role or None`: told by
#: the projects feature at start-up
_workspace_types: tuple[type, ...] = ()
_role_of: Callable[[int, int], str | None] | None = None


def register_role_resolver(workspace_types: tuple[type, ...],
                           role_of: Callable[[int, int], str | None]) -> None:
    """Called from `app.projects.register(app)`; the last registration wins (same each time)."""
    global _workspace_types, _role_of
    _workspace_types, _role_of = tuple(workspace_types), role_of


class _Operator:
    """Whoever runs the operators' CLI on the server (`flask projects add-member|remove-member`):
    no signed-in user, so every other action refuses it; `member.manage` trusts it, except with a
    pilot's mentor, whom only the programme's managers change (the same rule as for the pages)."""

    is_authenticated = False
    is_admin = is_manager = False
    id = None

    def __repr__(self) -> str:
        return "OPERATOR"


#: the `user` the operators' doors pass to `can`/`authorize`
OPERATOR = _Operator()


def _resolver() -> Callable[[int, int], str | None]:
    if _role_of is None:
        raise RuntimeError("No role resolver registered with the policy: the projects feature "
                           "registers one in its register(app).")
    return _role_of


def _is_signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _is_admin(user) -> bool:
    return _is_signed_in(user) and bool(getattr(user, "is_admin", False))


def _verified_membership(user, org):
    """`user`'s verified membership of `org`, if `org` itself is verified (else None)."""
    if not _is_signed_in(user) or org is None or getattr(org, "verification", None) != "verified":
        return None
    return next((m for m in org.memberships if m.user_id == user.id and m.status == "verified"),
                None)


def is_manager(user) -> bool:
    """Programme managers run open calls; site administrators are managers too."""
    return _is_admin(user) or (_is_signed_in(user) and bool(getattr(user, "is_manager", False)))


def _is_applicant(user, application) -> bool:
    """Who started the application, or a co-applicant: invited by e-mail address, known by
    account once the address had one."""
    if not _is_signed_in(user) or application is None:
        return False
    if application.owner_id == user.id:
        return True
    email = (user.email or "").lower()
    return any(m.user_id == user.id or (m.user_id is None and m.email == email)
               for m in application.members)


def _project_of(target):
    if not _workspace_types:
        _resolver()  # raises: without it a workspace would silently count as no workspace
    if isinstance(target, _workspace_types):
        return target
    return getattr(target, "project", None)


def _role_cache() -> dict:
    """Roles looked up during this request or socket event (each event is a new request)."""
    if not has_request_context():
        return {}
    if not hasattr(request, "_project_roles"):
        request._project_roles = {}
    return request._project_roles


def role_in(user, project) -> str | None:
    """The user's role in the project, or None. Cached for the current request/socket event."""
    if not _is_signed_in(user) or project is None:
        return None
    cache = _role_cache()
    key = (user.id, project.id)
    if key not in cache:
        cache[key] = _resolver()(user.id, project.id)
    return cache[key]


def remember_roles(user, roles_by_project_id: dict[int, str]) -> None:
    """Prime the cache for many projects at once (dashboards), avoiding a query per row."""
    if _is_signed_in(user):
        cache = _role_cache()
        for project_id, role in roles_by_project_id.items():
            cache[(user.id, project_id)] = role


def forget_roles() -> None:
    """Drop cached roles (after a membership change inside the same request)."""
    if has_request_context() and hasattr(request, "_project_roles"):
        del request._project_roles


def _may_scrape_metrics(scrape) -> bool:
    config = current_app.config
    if not config.get("METRICS_ENABLED") or scrape is None:
        return False
    token = config.get("METRICS_TOKEN")
    if token and scrape.token and hmac.compare_digest(scrape.token.encode(), token.encode()):
        return True
    return _address_allowed(scrape.address, config.get("METRICS_ALLOW_FROM") or [])


def _address_allowed(address: str | None, allowed: list[str]) -> bool:
    """`address` inside one of the addresses or networks (`10.0.0.0/8`) listed."""
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    for entry in allowed:
        try:
            if client in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue  # a mistyped entry admits nobody
    return False


def can(user, action: str, target=None) -> bool:
    if action == "metrics.read":
        return _may_scrape_metrics(target)
    if action in SIGNED_IN_ACTIONS:
        return _is_signed_in(user)
    if action in ADMIN_ACTIONS:
        return _is_admin(user)
    if action in MANAGER_ACTIONS:
        return is_manager(user)
    if action == "archive.translate":
        project = _project_of(target) if target is not None else None
        return _is_admin(user) or (project is not None and can(user, "project.manage", project))
    if action == "call.view":
        return target is not None and (target.status != "draft" or is_manager(user))
    if action == "application.view":
        return is_manager(user) or _is_applicant(user, target)
    if action == "application.edit":
        return _is_applicant(user, target)
    if action == "evaluator.act":
        return _is_signed_in(user) and target is not None and target.user_id == user.id
    if action == "evaluation.consensus":
        return (_is_signed_in(user) and target is not None and bool(target.rapporteur)
                and target.evaluator.user_id == user.id)
    if action == "evaluation.score":
        return (_is_signed_in(user) and target is not None
                and target.evaluator.user_id == user.id)
    if action == "organisation.edit":
        return _is_admin(user) or _verified_membership(user, target) is not None
    if action == "organisation.act":
        return _verified_membership(user, target) is not None
    if action == "organisation.manage_members":
        membership = _verified_membership(user, target)
        return _is_admin(user) or bool(membership and membership.is_admin)
    if action == "project.ask_to_join":
        project = _project_of(target)
        return (_is_signed_in(user) and project is not None
                and bool(getattr(project, "looking_for_partners", False))
                and role_in(user, project) is None)
    if action == "member.manage":
        return (target is not None and target.role != "mentor"
                and (user is OPERATOR or can(user, "project.manage", _project_of(target))))
    if action == "authored.edit":
        return (
            _is_signed_in(user)
            and getattr(target, "author_id", None) == user.id
            and can(user, "project.converse", _project_of(target))
        )
    if action == "mentoring.write":
        project = _project_of(target)
        return _is_signed_in(user) and project is not None and (
            _is_admin(user) or role_in(user, project) in ("mentor", "lead"))
    if action in PROJECT_ACTIONS:
        project = _project_of(target)
        if project is None or not _is_signed_in(user):
            return False
        if _is_admin(user):
            return True
        return action in ROLE_RIGHTS.get(role_in(user, project) or "", set())
    raise ValueError(f"Unknown action {action!r}")


def authorize(user, action: str, target=None) -> None:
    """Raise unless `user` may do `action`; hide private projects from non-members (404)."""
    if can(user, action, target):
        return
    if action == "metrics.read" and not current_app.config.get("METRICS_ENABLED"):
        raise NotFound()  # switched off: the door does not exist
    if action == "call.view":  # a draft call does not exist for those who may not see it
        raise NotFound()
    if action.startswith("application.") and not can(user, "application.view", target):
        raise NotFound()  # someone else's application does not exist for you
    if action == "evaluation.consensus" and can(user, "evaluation.score", target):
        raise PermissionDenied()  # their own assignment, but not its rapporteur
    if action in ("evaluator.act", "evaluation.score", "evaluation.consensus"):
        raise NotFound()  # nor does someone else's evaluation
    project = _project_of(target) if target is not None else None
    if project is not None and user is not OPERATOR and not can(user, "project.view", project):
        raise NotFound()
    if action == "member.manage" and target.role == "mentor":
        raise PermissionDenied(_("Mentors are named by the programme: only its managers can "
                                 "change their role or replace them."))
    raise PermissionDenied()


class Permissions:
    """What the user may do in one workspace, for templates: `perms.contribute` (may write:
    edit documents, upload files, post, chat), `perms.manage`, `perms.view`, `perms.curate`
    (the archive's curators), `perms.edit(post)` (their own post or message) and
    `perms.manage_member(membership)` (not a mentor's). Each answer is asked of `can` the first
    time a template reads it, so a page asks only what it shows.
    """

    def __init__(self, user, project=None):
        self.user, self.project = user, project

    @cached_property
    def view(self) -> bool:
        return self.project is not None and can(self.user, "project.view", self.project)

    @cached_property
    def contribute(self) -> bool:
        return self.project is not None and can(self.user, "project.contribute", self.project)

    @cached_property
    def converse(self) -> bool:
        return self.project is not None and can(self.user, "project.converse", self.project)

    @cached_property
    def manage(self) -> bool:
        return self.project is not None and can(self.user, "project.manage", self.project)

    @cached_property
    def curate(self) -> bool:
        return can(self.user, "archive.curate")

    @cached_property
    def manage_calls(self) -> bool:
        return can(self.user, "call.manage")

    def translate(self, case_study) -> bool:
        return can(self.user, "archive.translate", case_study)

    def edit(self, target) -> bool:
        return can(self.user, "authored.edit", target)

    def manage_member(self, membership) -> bool:
        return can(self.user, "member.manage", membership)


def permissions(user, project=None) -> Permissions:
    """The one permissions object a page hands its template (`perms=permissions(...)`)."""
    return Permissions(user, project)
