"""Demo calls: one open call closing in a month, and the closed first call modelled on the
real programme (128 proposals from 27 countries, 40 pilots in a first stage, 20 funded in a
second, grants up to EUR 30,000). Created through the service, as a manager would. Idempotent."""
from datetime import timedelta

from sqlalchemy import func, select

from ..core.time import utcnow
from ..extensions import db
from . import application_demo, services
from .queries import find_call
from .models import Call
from .validation import defaults

OPEN_CALL = {
    "slug": "digital-pilots-2027", "two_stage": False, "budget_eur": "600000",
    "max_grant_eur": "30000", "min_partners": 1,
    "areas": ["digital-presence", "collections", "3d-digitisation", "audience-experience"],
    "texts": {
        "en": {"title": "Digital pilots for small museums 2027",
               "description": "Grants of up to **EUR 30,000** for small and medium museums "
                              "that pilot a digital innovation with at least one technology "
                              "or creative partner.\n\nProjects last up to twelve months and "
                              "share what they learn as a case study in the public archive.",
               "faq": "**Can a museum lead two applications?** No, one per lead museum.\n\n"
                      "**Can partners be outside the EU?** Yes, from the associated "
                      "countries listed above."},
        "it": {"title": "Progetti pilota digitali per piccoli musei 2027",
               "description": "Contributi fino a **30.000 EUR** per musei piccoli e medi che "
                              "sperimentano un'innovazione digitale con almeno un partner "
                              "tecnologico o creativo.\n\nI progetti durano fino a dodici mesi "
                              "e condividono quanto appreso in un caso di studio pubblico.",
               "faq": "**Un museo può guidare due candidature?** No, una per museo capofila."},
    },
}
PAST_CALL = {
    "slug": "museum-innovation-pilots-2025", "two_stage": True, "budget_eur": "600000",
    "max_grant_eur": "30000", "min_partners": 1, "threshold": 3.5,
    "criteria": [("Excellence", 40), ("Impact", 35), ("Implementation", 25)],
    "max_per_country": 3, "min_small_share": 0.5,
    "areas": ["digital-presence", "collections", "3d-digitisation", "ar-vr",
              "interpretation-exhibition", "audience-experience"],
    "results": "The call received **128 proposals from 27 countries**. The evaluators selected "
               "**40 pilots** for a first stage; **20** of them were funded in the second "
               "stage, with grants of up to EUR 30,000 each.",
    "texts": {"en": {"title": "Museum innovation pilots 2025",
                     "description": "The programme's first call: two-stage pilots pairing small "
                                    "museums with technology and creative partners."},
              "it": {"title": "Progetti pilota di innovazione museale 2025",
                     "description": "Il primo bando del programma: progetti pilota in due fasi "
                                    "che uniscono piccoli musei e partner tecnologici e "
                                    "creativi."}},
}


def _exists(slug: str) -> bool:
    return bool(db.session.execute(
        select(func.count()).select_from(Call).where(Call.slug == slug)).scalar_one())


def load_demo() -> str:
    now = utcnow().replace(second=0, microsecond=0)
    made = 0
    if not _exists(OPEN_CALL["slug"]):
        call = services.create_call(defaults() | OPEN_CALL | {
            "opens": (now - timedelta(days=14)).replace(hour=8, minute=0).isoformat() + "+00:00",
            "closes": (now + timedelta(days=30)).replace(hour=15, minute=0).isoformat()
            + "+00:00"})
        services.change_status(call, "open")
        made += 1
    if not _exists(PAST_CALL["slug"]):
        call = services.create_call(defaults() | PAST_CALL | {
            "opens": "2025-01-15T09:00", "closes": "2025-03-31T17:00"})
        for status in ("open", "closed", "evaluated", "decided"):
            services.change_status(call, status)
        made += 1
    drafts = application_demo.load_drafts()
    past = application_demo.load_past_call(find_call(PAST_CALL["slug"]))
    return (f"{made} calls (one open, one decided), {drafts} draft applications, "
            f"{past} submitted applications to the past call")
