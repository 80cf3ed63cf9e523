"""Demo projects for `flask seed demo`: eight workspaces in every state and area, with members in
all roles, a few status changes (one moved back, with its reason) and their activity.

Idempotent: a project whose slug exists is left alone. People and organisations come from
`app.orgs.demo` (matched by email and slug); missing ones are skipped, not invented.
"""
from datetime import date, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..core.time import utcnow
from ..extensions import db
from ..orgs.models import Organisation
from .models import (
    Activity, Project, ProjectArea, ProjectMember, ProjectPartner, ProjectStatusChange,
    ProjectTechnology, ProjectWantedArea,
)

ANNA = "anna@museo-demo.eu"

# slug, title, lead organisation slug, status, areas, technologies, started (days ago),
# duration (days), summary, {email: role}, [(partner slug, role)], status moves [(to, reason)]
PROJECTS = [
    ("bevagna-mosaics-3d", "The Roman mosaics of Bevagna in 3D", "museo-civico-di-bevagna",
     "active", ["3d-digitisation", "collections"], ["photogrammetry", "gltf", "sketchfab"], 120, 300,
     "We capture the **sea-creature mosaics** of the Roman baths with photogrammetry and publish "
     "web-friendly glTF models, so that visitors and researchers can explore floors that are "
     "usually closed to the public.",
     {ANNA: "lead", "kadri.tamm@scanlab.example.ee": "member",
      "giulia.romano@dh-lab.example.it": "member", "pieter.devries@hololab.example.nl": "observer"},
     [("scanlab-tallinn", "Photogrammetry capture and processing"),
      ("univ-bologna-dh", "Evaluation and metadata")],
     [("active", "")]),
    ("bevagna-family-ar-trail", "A family AR trail through Bevagna", "museo-civico-di-bevagna",
     "planning", ["ar-vr", "audience-experience"], ["unity", "arcore", "arkit"], 10, 240,
     "An augmented-reality trail for families that brings the museum's objects back to the "
     "streets where they were found.",
     {ANNA: "lead", "pieter.devries@hololab.example.nl": "member",
      "lucia.fernandez@relato.example.es": "member", "erik.lindqvist@nordlys.example.se": "observer"},
     [("holo-lab", "AR development"), ("estudio-relato", "Story and game design")], []),
    ("sandomierz-ethnography-online", "Sandomierz ethnography online", "muzeum-regionalne-sandomierz",
     "completed", ["collections", "digital-presence"], ["iiif", "collectiveaccess"], 400, 330,
     "Two thousand ethnographic objects catalogued, photographed and published with IIIF.",
     {"marek.kowalski@muzeum-sandomierz.example.pl": "lead",
      "jana.schmidt@pixelwerk.example.de": "member", ANNA: "observer"},
     [("pixelwerk", "Collection software and IIIF server")],
     [("active", ""), ("completed", "")]),
    ("tisserands-tactile-tours", "Tactile and audio-described tours of the looms",
     "musee-des-tisserands", "active", ["interpretation-exhibition", "audience-experience"],
     ["3d printing", "audio description"], 90, 200,
     "Tactile replicas of loom parts and audio-described tours for blind and partially sighted "
     "visitors, co-designed with them.",
     {"claire.dubois@tisserands.example.fr": "lead", "erik.lindqvist@nordlys.example.se": "member",
      ANNA: "member"},
     [("nordlys-design", "Co-design workshops"), ("ku-leuven-heritage", "3D scans of fragile parts")],
     [("active", "")]),
    ("graz-city-stories", "Graz city stories", "stadtmuseum-graz", "active",
     ["audience-experience", "marketing-visitors"], ["podcast", "web"], 200, 365,
     "Residents record the stories of their streets; the museum turns them into audio walks.",
     {"lukas.huber@stadtmuseum-graz.example.at": "lead",
      "lucia.fernandez@relato.example.es": "member", "giulia.romano@dh-lab.example.it": "observer"},
     [("estudio-relato", "Audio-walk design")],
     [("active", ""), ("completed", ""),
      ("active", "The city council funded a second season of recordings.")]),
    ("cork-emigrant-voices", "Emigrant voices from Cork harbour", "maritime-museum-of-cork",
     "planning", ["digital-presence", "marketing-visitors"], ["oral history", "podcast"], 5, 180,
     "An online archive and podcast of emigration stories told by the families who stayed.",
     {"siobhan.murphy@corkmaritime.example.ie": "lead", "lucia.fernandez@relato.example.es": "member"},
     [("estudio-relato", "Podcast production")], []),
    ("brno-open-catalogue", "An open catalogue for applied arts", "moravska-galerie-brno",
     "completed", ["collections", "business-models"], ["linked open data", "iiif", "api"], 500, 420,
     "The gallery's catalogue as open data, with an API other museums can reuse.",
     {"tomas.novak@moravska-galerie.example.cz": "lead", "jana.schmidt@pixelwerk.example.de": "lead"},
     [("pixelwerk", "Data model and API")],
     [("active", ""), ("completed", "")]),
    ("aveiro-facade-photogrammetry", "Tiled façades of Aveiro in photogrammetry",
     "museu-do-azulejo-aveiro", "active", ["3d-digitisation", "conservation-research"],
     ["photogrammetry", "lidar", "hyperspectral"], 60, 270,
     "Documenting azulejo façades before restoration: photogrammetry, LiDAR and hyperspectral "
     "imaging of tiles at risk.",
     {"ines.costa@ceramica-aveiro.example.pt": "lead", "kadri.tamm@scanlab.example.ee": "member",
      ANNA: "observer"},
     [("scanlab-tallinn", "Façade capture"), ("ku-leuven-heritage", "Hyperspectral imaging")],
     [("active", "")]),
]

#: projects of the demo that look for partners: slug -> (what they need, areas)
PARTNERS_WANTED = {
    "cork-emigrant-voices": (
        "A **web developer** who knows IIIF and can spend a few days a month on our online "
        "catalogue of folk costumes; Polish not needed.", ["digital-presence", "collections"]),
    "graz-city-stories": (
        "A **sound designer or oral-history studio** to record and edit the city's stories, "
        "and a partner who can test the app with older visitors.",
        ["audience-experience", "interpretation-exhibition"]),
}


def _create(row, orgs: dict, users: dict) -> Project | None:
    (slug, title, org_slug, status, areas, tags, started, duration, summary, people, partners,
     moves) = row
    lead_email = next((e for e, role in people.items() if role == "lead"), None)
    if lead_email not in users:
        return None
    now = utcnow()
    created = now - timedelta(days=started + 20)
    project = Project(
        slug=slug, title=title, summary=summary, status=status, created_at=created,
        lead_organisation_id=orgs[org_slug].id if org_slug in orgs else None,
        start_date=date.today() - timedelta(days=started),
        end_date=date.today() - timedelta(days=started) + timedelta(days=duration),
    )
    project.areas = [ProjectArea(area=area) for area in areas]
    project.technologies = [ProjectTechnology(tag=tag) for tag in tags]
    project.partners = [ProjectPartner(organisation_id=orgs[o].id, role=r)
                        for o, r in partners if o in orgs]
    if slug in PARTNERS_WANTED:
        needs, wanted = PARTNERS_WANTED[slug]
        project.looking_for_partners, project.partner_needs = True, needs
        project.wanted_areas = [ProjectWantedArea(area=area) for area in wanted]
    db.session.add(project)
    db.session.flush()
    lead = users[lead_email]
    lines = [Activity(project_id=project.id, actor_id=lead.id, verb="project.created",
                      summary=title, created_at=created)]
    for n, (email, role) in enumerate(people.items()):
        if email not in users:
            continue
        joined = created + timedelta(hours=n)
        db.session.add(ProjectMember(project_id=project.id, user_id=users[email].id, role=role,
                                     joined_at=joined))
        if email != lead_email:
            lines.append(Activity(project_id=project.id, actor_id=lead.id, verb="member.added",
                                  target_type="user", target_id=users[email].id,
                                  summary=users[email].name, created_at=joined))
    old = "planning"
    for n, (new, reason) in enumerate(moves, 1):
        when = created + timedelta(days=n * max(1, (started + 20) // (len(moves) + 1)))
        db.session.add(ProjectStatusChange(project_id=project.id, actor_id=lead.id,
                                           old_status=old, new_status=new, reason=reason,
                                           created_at=when))
        lines.append(Activity(project_id=project.id, actor_id=lead.id, verb="project.status",
                              summary=new.capitalize(), created_at=when))
        old = new
    db.session.add_all(lines)
    project.last_activity_at = max(line.created_at for line in lines)
    return project


def load_demo() -> str:
    slugs = [row[0] for row in PROJECTS]
    existing = set(db.session.execute(
        select(Project.slug).where(Project.slug.in_(slugs))).scalars())
    emails = {email for row in PROJECTS for email in row[9]}
    users = {u.email: u for u in db.session.execute(
        select(User).where(User.email.in_(emails))).scalars()}
    org_slugs = {row[2] for row in PROJECTS} | {p for row in PROJECTS for p, _ in row[10]}
    orgs = {o.slug: o for o in db.session.execute(
        select(Organisation).where(Organisation.slug.in_(org_slugs))).scalars()}
    created = [row[0] for row in PROJECTS
               if row[0] not in existing and _create(row, orgs, users) is not None]
    db.session.commit()
    if not created:
        return f"{len(existing)} projects already there"
    return f"{len(created)} projects created ({len(existing)} already there)"
