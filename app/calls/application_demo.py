"""Demo applications: a few drafts (with co-applicants) to the open call, made through the
services as people would, and about 120 submitted applications to the past call, modelled on
the real programme (27 countries, every area, mostly small and medium museums, a consensus
score each), written with bulk inserts so that `make run` stays quick. Idempotent."""
import random
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import func, insert, select

from ..auth.models import User
from ..core.text import slugify
from ..core.time import isoformat_utc
from ..extensions import db
from ..orgs.models import Organisation
from . import applications as services
from . import eligibility
from .application_content import canonical_json, empty_content, sha256_of
from .application_models import Application, ApplicationPartner, ApplicationVersion
from .models import Call

PAST_COUNT = 120
#: lead countries of the past call: 25 eligible ones, and two that are not (flagged)
PAST_COUNTRIES = ["IT", "ES", "PL", "FR", "DE", "PT", "GR", "RO", "HU", "CZ", "SK", "SI", "HR",
                  "BG", "AT", "BE", "NL", "IE", "LT", "LV", "EE", "FI", "SE", "DK", "CY", "NO",
                  "UA", "CH", "GB"]
KINDS_OF_MUSEUM = ["Civic Museum", "Ethnographic Museum", "Maritime Museum", "Open-Air Museum",
                   "Museum of Crafts", "Archaeological Museum", "Mining Museum", "Toy Museum",
                   "Textile Museum", "House Museum", "Railway Museum", "Museum of the Sea"]
TOWNS = ["Riverside", "Hilltop", "Old Harbour", "Valley", "Lakeside", "Market Town", "Castle Hill",
         "Forest Edge", "Salt Marsh", "Vineyard"]
PROJECTS = ["3D scans of {thing} for schools", "An AR trail through {place}",
            "Audio stories of {thing}", "A digital twin of {place}", "Online catalogue of {thing}",
            "Tactile replicas of {thing}", "A game about {place}", "Volunteer digitisation of {thing}"]
THINGS = ["the textile collection", "fishing boats", "mining lamps", "Roman coins", "toy trains",
          "folk costumes", "ceramics", "letters from emigrants", "wooden tools", "glass plates"]
PARTNERS = [("Pixel Harbour", "technology"), ("Storyforge", "creative"), ("Scan & Co", "technology"),
            ("Lumen Lab", "technology"), ("Atelier Nord", "creative"), ("Heritage Data Lab", "research"),
            ("Sound Walks", "creative"), ("Mesh Studio", "technology")]
SIZES = ["small"] * 11 + ["medium"] * 7 + ["large"] * 2


def load_drafts() -> int:
    """Two drafts to the open call, each with a co-applicant (skipped when they exist)."""
    call = db.session.execute(select(Call).where(Call.slug == "digital-pilots-2027")
                              ).scalar_one_or_none()
    if call is None or db.session.execute(select(func.count()).select_from(Application).where(
            Application.call_id == call.id)).scalar_one():
        return 0
    made = 0
    for owner, lead, coapplicant, partner, title in (
            ("marek.kowalski@muzeum-sandomierz.example.pl", "muzeum-regionalne-sandomierz",
             "kadri.tamm@scanlab.example.ee", "scanlab-tallinn",
             "The castle in your pocket: 3D ethnography for visitors"),
            ("claire.dubois@tisserands.example.fr", "musee-des-tisserands",
             "lucia.fernandez@relato.example.es", "estudio-relato",
             "Looms that speak: audio-described silk weaving")):
        user = db.session.execute(select(User).where(User.email == owner)).scalar_one_or_none()
        org = db.session.execute(select(Organisation).where(Organisation.slug == lead)
                                 ).scalar_one_or_none()
        helper = db.session.execute(select(Organisation).where(Organisation.slug == partner)
                                    ).scalar_one_or_none()
        if user is None or org is None or helper is None:
            continue
        application = services.start_application(user, call, org.id, title)
        services.save_draft(user, application, empty_content() | {
            "title": title, "areas": call.areas[:2], "partners": [helper.id],
            "summary": "A first sketch of the idea, to be completed with our partner.",
            "sections": {"challenge": "Visitors see a fraction of what we keep.",
                         "idea": "Let visitors explore the collection from home and in the rooms."},
            "milestones": [{"date": "2027-03-01", "title": "Kick-off"}],
            "budget": [{"category": "subcontracting", "description": "Partner's work",
                        "amount": 18000}]}, application.revision)
        services.invite_coapplicant(user, application, coapplicant)
        made += 1
    return made


def _museums(rng: random.Random, count: int) -> list[dict]:
    rows = []
    for n in range(count):
        country = PAST_COUNTRIES[n % len(PAST_COUNTRIES)]
        name = f"{rng.choice(KINDS_OF_MUSEUM)} of {rng.choice(TOWNS)} {n + 1}"
        rows.append({"name": name, "slug": f"demo-pilot-{n + 1}-{slugify(name)[:60]}",
                     "kind": "museum", "country": country, "city": "", "size": rng.choice(SIZES),
                     "website": "", "description": "", "verification": "verified",
                     "created_at": datetime(2025, 1, 10)})
    return rows


def load_past_call(call: Call) -> int:
    """~120 submitted applications to the past call, in a handful of bulk statements."""
    if db.session.execute(select(func.count()).select_from(Application).where(
            Application.call_id == call.id)).scalar_one():
        return 0
    rng = random.Random(2025)
    partner_rows = [{"name": name, "slug": f"demo-partner-{slugify(name)}", "kind": kind,
                     "country": rng.choice(PAST_COUNTRIES[:20]), "city": "", "size": None,
                     "website": "", "description": "", "verification": "verified",
                     "created_at": datetime(2025, 1, 10)} for name, kind in PARTNERS]
    db.session.execute(insert(Organisation), _museums(rng, PAST_COUNT) + partner_rows)
    orgs = {o.slug: o for o in db.session.execute(select(Organisation).where(
        Organisation.slug.like("demo-p%"))).scalars()}
    museums = sorted((o for o in orgs.values() if o.kind == "museum"), key=lambda o: o.id)
    partners = [o for o in orgs.values() if o.kind != "museum"]
    apps, links = [], []
    for n, lead in enumerate(museums):
        chosen = rng.sample(partners, rng.choice([1, 1, 2, 2, 3]))
        areas = [call.areas[n % len(call.areas)]] + rng.sample(call.areas, 1)
        template = rng.choice(PROJECTS)
        title = template.format(thing=rng.choice(THINGS), place=f"{lead.name.split(' of ')[-1]}")
        content = empty_content() | {"title": title, "areas": list(dict.fromkeys(areas)),
                                     "summary": f"{lead.name} and {chosen[0].name}: {title}."}
        requested = rng.choice([15000, 18000, 20000, 24000, 25000, 28000, 30000, 30000, 32000])
        items = eligibility.check(call, content, SimpleNamespace(
            name=lead.name, country=lead.country, kind=lead.kind, size=lead.size),
            chosen, imported=True, requested=requested)
        apps.append({"call_id": call.id, "ref": f"MIP25-{n + 1:03d}", "status": "submitted",
                     "lead_organisation_id": lead.id, "title": title, "areas": content["areas"],
                     "requested_eur": requested, "content": content, "revision": 0,
                     "submitted_at": datetime(2025, 3, 31, 15, 0) - timedelta(
                         minutes=rng.randrange(60 * 24 * 40)), "submitted_version": 1,
                     "eligible": eligibility.is_eligible(items),
                     "eligibility": [i.as_dict() for i in items], "override_reason": "",
                     "consensus_score": round(rng.triangular(1.5, 4.9, 3.6), 2),
                     "created_at": datetime(2025, 3, 1), "updated_at": datetime(2025, 3, 31)})
        links.append(chosen)
    db.session.execute(insert(Application), apps)
    ids = dict(db.session.execute(select(Application.ref, Application.id).where(
        Application.call_id == call.id)).all())
    db.session.execute(insert(ApplicationPartner), [
        {"application_id": ids[a["ref"]], "organisation_id": p.id, "position": i}
        for a, chosen in zip(apps, links, strict=True) for i, p in enumerate(chosen)])
    versions = []
    for a, chosen in zip(apps, links, strict=True):
        lead = next(m for m in museums if m.id == a["lead_organisation_id"])
        text = canonical_json({
            "call": call.slug, "ref": a["ref"], "version": 1,
            "submitted_at": isoformat_utc(a["submitted_at"]),
            "lead": {"name": lead.name, "country": lead.country, "kind": lead.kind,
                     "size": lead.size, "website": ""},
            "partners": [{"name": p.name, "country": p.country, "kind": p.kind, "size": None,
                          "website": ""} for p in chosen],
            **{k: a["content"][k] for k in ("title", "summary", "areas", "sections",
                                             "milestones", "budget")},
            "requested_eur": a["requested_eur"], "declarations": [], "attachments": []})
        versions.append({"application_id": ids[a["ref"]], "number": 1, "canonical_json": text,
                         "sha256": sha256_of(text), "submitted_at": a["submitted_at"]})
    db.session.execute(insert(ApplicationVersion), versions)
    db.session.commit()
    return len(apps)
