"""Eligibility of an application, item by item: country, kind and size of the lead
organisation, partners, budget, and the required fields.

`check(call, content, lead, partners, imported=False)` returns `EligibilityItem`s; the
application is eligible when every item is. An imported application is judged on the fields the
import carries (title, summary, areas), one made in the space on the whole form. Plain
functions: the services store the verdict, the pages show the items.
"""
from dataclasses import asdict, dataclass

from flask_babel import gettext as _

from ..core.countries import country_name
from ..orgs.models import MUSEUM_SIZES, ORG_KINDS
from .application_content import SECTIONS, budget_total


@dataclass
class EligibilityItem:
    key: str
    ok: bool
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


def _lead_items(call, lead) -> list[EligibilityItem]:
    if lead is None:
        return [EligibilityItem("lead", False, _("Choose the lead organisation."))]
    where = {"org": lead.name, "country": country_name(lead.country)}
    kind = {"kind": str(ORG_KINDS.get(lead.kind, lead.kind)).lower()}
    country_ok, kind_ok = lead.country in call.countries, lead.kind in call.lead_kinds
    items = [
        EligibilityItem("country", country_ok, _(
            "%(org)s is in %(country)s, which this call accepts.", **where) if country_ok
            else _("%(org)s is in %(country)s, which this call does not accept.", **where)),
        EligibilityItem("kind", kind_ok, _(
            "The lead organisation is a %(kind)s: accepted.", **kind) if kind_ok
            else _("The lead organisation is a %(kind)s: this call accepts other kinds.",
                   **kind)),
    ]
    if lead.kind == "museum":
        size_ok = lead.size in call.museum_sizes
        size = {"size": str(MUSEUM_SIZES.get(lead.size, _("not given"))).lower()}
        items.append(EligibilityItem("size", size_ok, _(
            "Museum size: %(size)s, accepted.", **size) if size_ok
            else _("Museum size: %(size)s, not among the sizes this call accepts.", **size)))
    return items


def _partner_item(call, partners) -> EligibilityItem:
    counting = [p for p in partners if not call.partner_kinds or p.kind in call.partner_kinds]
    ok = len(counting) >= (call.min_partners or 0)
    kinds = ", ".join(str(ORG_KINDS.get(k, k)).lower() for k in call.partner_kinds) or "-"
    return EligibilityItem("partners", ok, _(
        "%(n)s partner(s) of the kinds that count (%(kinds)s); at least %(min)s needed.",
        n=len(counting), kinds=kinds, min=call.min_partners or 0))


def _budget_item(call, requested: int) -> EligibilityItem:
    ok = 0 < requested <= call.max_grant_eur
    if requested <= 0:
        detail = _("No amount is requested yet.")
    elif ok:
        detail = _("EUR %(amount)s requested, within the maximum of EUR %(max)s.",
                   amount=f"{requested:,}", max=f"{call.max_grant_eur:,}")
    else:
        detail = _("EUR %(amount)s requested: more than the maximum grant of EUR %(max)s.",
                   amount=f"{requested:,}", max=f"{call.max_grant_eur:,}")
    return EligibilityItem("budget", ok, detail)


def _missing(call, content: dict, imported: bool) -> list[str]:
    missing = []
    if not content.get("title"):
        missing.append(_("title"))
    if not content.get("summary"):
        missing.append(_("summary"))
    if not content.get("areas"):
        missing.append(_("application areas"))
    if imported:
        return missing
    missing += [str(label).lower() for key, label in SECTIONS.items()
                if not (content.get("sections") or {}).get(key)]
    if not content.get("milestones"):
        missing.append(_("milestones"))
    if not content.get("budget"):
        missing.append(_("budget"))
    if len(content.get("declarations") or []) < len(call.declarations or []):
        missing.append(_("declarations"))
    return missing


def check(call, content: dict, lead, partners, *, imported: bool = False,
          requested: int | None = None) -> list[EligibilityItem]:
    requested = budget_total(content) if requested is None else requested
    outside = [a for a in content.get("areas") or [] if a not in call.areas]
    missing = _missing(call, content, imported)
    return _lead_items(call, lead) + [
        _partner_item(call, partners),
        _budget_item(call, requested),
        EligibilityItem("areas", not outside, _("The areas are among the call's.")
                        if not outside else _("Areas this call does not cover: %(areas)s.",
                                              areas=", ".join(outside))),
        EligibilityItem("required", not missing, _("Every required field is filled in.")
                        if not missing else _("Still missing: %(fields)s.",
                                              fields=", ".join(str(m) for m in missing))),
    ]


def is_eligible(items: list[EligibilityItem]) -> bool:
    return all(item.ok for item in items)
