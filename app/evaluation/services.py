"""The write side of evaluation, and the selection proposal.

Services take explicit arguments, ask the policy (`by=None` is the operator's command line,
which has no account to check), validate everything before writing, and commit once.
"""
from flask_babel import gettext as _

from ..calls import queries as call_queries
from ..core.errors import NotFound
from ..core.blocking import run_blocking
from ..policy import authorize
from . import queries
from .selection import propose
from .selection_model import Proposal


def propose_selection(call, *, by=None, include=None, exclude=None) -> Proposal:
    """The best selection under the call's rules (CBC runs off the green-thread hub)."""
    if by is not None:
        authorize(by, "call.manage")
    candidates = queries.selection_candidates(call)
    rules = queries.selection_rules(call)
    return run_blocking(lambda: propose(candidates, rules, include=include, exclude=exclude))


def propose_for_slug(slug: str) -> Proposal:
    """The command line's door: the call by its address, whatever its status."""
    try:
        call = call_queries.find_call(slug)
    except NotFound:
        raise NotFound(_("There is no call at the address %(slug)s.", slug=slug)) from None
    return propose_selection(call)
