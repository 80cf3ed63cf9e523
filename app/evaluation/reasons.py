"""The selection's reasons and relaxations as sentences, in the reader's language.

`selection.py` returns codes with figures (`Reason("budget", left=18400, asks=27000)`); here
they become "not selected: budget exhausted (EUR 18,400 left, asks 27,000)". Works outside a
request too (the command line gets English).
"""
from babel import numbers
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from ..core.countries import country_name
from ..projects.areas import area_label
from .selection_model import Proposal, Reason, Relaxation


def _locale() -> str:
    return str(get_locale() or "en")


def amount(value) -> str:
    """18400 → "18,400" (English), "18.400" (Italian)."""
    return numbers.format_decimal(value, locale=_locale())


def score(value) -> str:
    return numbers.format_decimal(value, format="0.0#", locale=_locale())


def percent(share: float) -> str:
    return numbers.format_percent(share, locale=_locale())


def reason_text(reason: Reason) -> str:
    get, code = reason.get, reason.code
    if code == "selected":
        return _("selected")
    if code == "included":
        return _("selected by hand: %(note)s", note=get("note"))
    if code == "not_eligible":
        return _("not selected: not eligible")
    if code == "no_score":
        return _("not selected: no consensus score yet")
    if code == "below_threshold":
        return _("not selected: below the minimum score (%(score)s, minimum %(threshold)s)",
                 score=score(get("score")), threshold=score(get("threshold")))
    if code == "excluded":
        return _("not selected: excluded by hand: %(note)s", note=get("note"))
    if code == "infeasible":
        return _("not selected: no selection meets every rule")
    if code in ("country_cap", "higher_in_country"):
        figures = {"country": country_name(get("country")), "count": get("count"),
                   "cap": get("cap")}
        if code == "country_cap":
            return _("not selected: country cap reached (%(country)s %(count)d of %(cap)d)",
                     **figures)
        return _("not selected: a higher score in the same country "
                 "(%(country)s %(count)d of %(cap)d)", **figures)
    if code == "max_projects":
        return _("not selected: the maximum of %(cap)d projects is reached", cap=get("cap"))
    if code == "budget":
        return _("not selected: budget exhausted (EUR %(left)s left, asks %(asks)s)",
                 left=amount(get("left")), asks=amount(get("asks")))
    if code == "small_share":
        return _("not selected: the share of small museums would fall below %(share)s",
                 share=percent(get("share")))
    return _("not selected: other applications together score higher")


def relaxation_text(relaxation: Relaxation) -> str:
    text = _change_text(relaxation)
    if not relaxation.proven:
        return _("%(change)s (enough; whether less would do was not settled in time)",
                 change=text)
    return text


def _change_text(relaxation: Relaxation) -> str:
    current, needed = relaxation.current, relaxation.needed
    if relaxation.rule == "budget":
        return _("raise the budget by EUR %(more)s (to EUR %(needed)s)",
                 more=amount(needed - current), needed=amount(needed))
    if relaxation.rule == "country_cap":
        return _("allow %(needed)d projects per country instead of %(current)d",
                 needed=needed, current=current)
    if relaxation.rule == "small_share":
        return _("lower the share of small museums from %(current)s to %(needed)s",
                 current=percent(current), needed=percent(needed))
    if relaxation.rule == "areas":
        return ngettext("leave %(num)d area uncovered (%(areas)s)",
                        "leave %(num)d areas uncovered (%(areas)s)", len(relaxation.areas),
                        areas=", ".join(area_label(a) for a in relaxation.areas))
    if relaxation.rule == "max_projects":
        return _("allow %(needed)d projects instead of %(current)d",
                 needed=needed, current=current)
    return _("drop the inclusions by hand")


def relax_text(proposal: Proposal) -> str | None:
    """None when the proposal is feasible; else which rule to relax, and by how much."""
    if proposal.feasible:
        return None
    if not proposal.relaxations and not proposal.relax_settled:
        return _("No selection meets every rule; which rule to relax could not be worked out "
                 "in time.")
    if not proposal.relaxations:
        return _("No selection meets every rule, and no single rule relaxed alone makes one "
                 "possible.")
    return _("No selection meets every rule. Relax one of them: %(options)s.",
             options="; ".join(relaxation_text(r) for r in proposal.relaxations))


def proposal_json(proposal: Proposal) -> dict:
    """The shape of `flask calls propose SLUG --json` (issue 14)."""
    return {
        "feasible": proposal.feasible, "selected": proposal.selected,
        "total_score": proposal.total_score, "budget_used": proposal.budget_used,
        "per_country": proposal.per_country,
        "reasons": {ref: reason_text(reason) for ref, reason in proposal.reasons.items()},
        "relax": relax_text(proposal),
    }
