"""Demo organisations and people for `flask seed demo`. Idempotent: matched by slug and email.

Every demo user signs in with the password `demo-password` (hashed once, the hash reused:
argon2 is deliberately slow). Later features' demo loaders find these people by email. Demo
organisations are verified; each one's first member is its administrator.
"""
from sqlalchemy import select

from ..auth.models import User
from ..auth.passwords import hash_password
from ..extensions import db
from .members import ensure_admin
from .models import Organisation, OrganisationExpertise, OrganisationMember

DEMO_PASSWORD = "demo-password"  # noqa: S105 - documented demo sign-in

# slug, name, kind, country, city, size, website, expertise, description
ORGANISATIONS = [
    ("museo-civico-di-bevagna", "Museo Civico di Bevagna", "museum", "IT", "Bevagna", "small",
     "https://www.museo-demo.eu", "archaeology, roman mosaics, local history, school programmes",
     "A small civic museum in Umbria with a collection of Roman mosaics, medieval manuscripts and "
     "a much-loved children's workshop. Five staff, many volunteers, big digital ambitions."),
    ("muzeum-regionalne-sandomierz", "Muzeum Regionalne w Sandomierzu", "museum", "PL", "Sandomierz",
     "medium", "https://muzeum-sandomierz.example.pl", "castle, ethnography, 3d scanning, digitisation",
     "A regional museum in a Gothic castle above the Vistula, digitising its ethnographic "
     "collection and looking for partners in 3D and AR."),
    ("musee-des-tisserands", "Musée des Tisserands", "museum", "FR", "Lyon", "small",
     "https://tisserands.example.fr", "textiles, silk, industrial heritage, accessibility",
     "The story of Lyon's silk weavers, told on the looms they worked. Developing tactile and "
     "audio-described tours."),
    ("stadtmuseum-graz", "Stadtmuseum Graz", "museum", "AT", "Graz", "medium",
     "https://stadtmuseum-graz.example.at", "city history, participatory exhibitions, audience research",
     "The city museum of Graz: participatory exhibitions about everyday life in the city."),
    ("maritime-museum-of-cork", "Cork Maritime Museum", "museum", "IE", "Cork", "small",
     "https://corkmaritime.example.ie", "maritime history, oral history, podcasts",
     "Ships, harbours and the people who emigrated through them. A growing oral-history archive."),
    ("moravska-galerie-brno", "Moravian Gallery of Applied Arts", "museum", "CZ", "Brno", "large",
     "https://moravska-galerie.example.cz", "design, applied arts, collection management, open data",
     "A large applied-arts collection opening its catalogue as open data."),
    ("museu-do-azulejo-aveiro", "Museu da Cerâmica de Aveiro", "museum", "PT", "Aveiro", "small",
     "https://ceramica-aveiro.example.pt", "ceramics, azulejos, photogrammetry, tourism",
     "Tiles and ceramics of the Aveiro coast; piloting photogrammetry of façades."),
    ("holo-lab", "HoloLab Studio", "technology", "NL", "Rotterdam", None,
     "https://hololab.example.nl", "ar, vr, unity, mobile apps, 3d scanning",
     "A twelve-person studio building AR and VR experiences for culture and education."),
    ("pixelwerk", "Pixelwerk GmbH", "technology", "DE", "Leipzig", None,
     "https://pixelwerk.example.de", "collection management, iiif, open data, web development",
     "Open-source collection software and IIIF image services for museums and archives."),
    ("scanlab-tallinn", "ScanLab Tallinn", "technology", "EE", "Tallinn", None,
     "https://scanlab.example.ee", "3d scanning, photogrammetry, lidar, digital twins",
     "Photogrammetry and laser scanning of objects, rooms and whole buildings."),
    ("estudio-relato", "Estudio Relato", "creative", "ES", "Valencia", None,
     "https://relato.example.es", "storytelling, game design, audio guides, ar",
     "A creative studio for interactive storytelling: games, audio walks and AR trails."),
    ("nordlys-design", "Nordlys Design", "creative", "SE", "Malmö", None,
     "https://nordlys.example.se", "service design, visitor experience, audience research, accessibility",
     "Service designers helping cultural organisations rethink the visitor journey."),
    ("univ-bologna-dh", "Digital Humanities Lab, University of Bologna", "research", "IT", "Bologna",
     None, "https://dh-lab.example.it", "digital humanities, evaluation, ai, metadata",
     "Researchers in digital humanities who evaluate museum pilots and publish the results."),
    ("ku-leuven-heritage", "Heritage Technology Group, KU Leuven", "research", "BE", "Leuven", None,
     "https://heritage-tech.example.be", "conservation science, 3d scanning, hyperspectral imaging",
     "Imaging and conservation science for fragile objects."),
    ("small-museums-network", "European Small Museums Network", "network", "SI", "Ljubljana", None,
     "https://small-museums.example.eu", "capacity building, funding, training, networking",
     "A network of 300 small museums sharing training, funding advice and partners."),
]

# email, name, organisation slugs, bio, admin
USERS = [
    ("anna@museo-demo.eu", "Anna Bianchi", ["museo-civico-di-bevagna", "small-museums-network"],
     "Director of the Museo Civico di Bevagna. Interested in 3D and AR for small collections.", False),
    ("admin@museum-space.eu", "Sofie Janssens", ["small-museums-network"],
     "Runs the collaboration space for the network.", True),
    ("marek.kowalski@muzeum-sandomierz.example.pl", "Marek Kowalski", ["muzeum-regionalne-sandomierz"],
     "Curator of ethnography.", False),
    ("claire.dubois@tisserands.example.fr", "Claire Dubois", ["musee-des-tisserands"],
     "Education and accessibility lead.", False),
    ("lukas.huber@stadtmuseum-graz.example.at", "Lukas Huber", ["stadtmuseum-graz"],
     "Head of digital.", False),
    ("siobhan.murphy@corkmaritime.example.ie", "Siobhán Murphy", ["maritime-museum-of-cork"],
     "Oral-history collector and podcast host.", False),
    ("pieter.devries@hololab.example.nl", "Pieter de Vries", ["holo-lab"],
     "AR developer and co-founder of HoloLab.", False),
    ("jana.schmidt@pixelwerk.example.de", "Jana Schmidt", ["pixelwerk"],
     "Product lead for open collection software.", False),
    ("kadri.tamm@scanlab.example.ee", "Kadri Tamm", ["scanlab-tallinn"],
     "Photogrammetry specialist.", False),
    ("lucia.fernandez@relato.example.es", "Lucía Fernández", ["estudio-relato"],
     "Narrative designer.", False),
    ("erik.lindqvist@nordlys.example.se", "Erik Lindqvist", ["nordlys-design"],
     "Service designer.", False),
    ("giulia.romano@dh-lab.example.it", "Giulia Romano", ["univ-bologna-dh", "museo-civico-di-bevagna"],
     "Researcher in digital humanities; evaluates museum pilots.", False),
    ("tomas.novak@moravska-galerie.example.cz", "Tomáš Novák", ["moravska-galerie-brno"],
     "Collections data manager.", False),
    ("ines.costa@ceramica-aveiro.example.pt", "Inês Costa", ["museu-do-azulejo-aveiro"],
     "Curator and photographer.", False),
]


def _load_organisations() -> tuple[dict[str, Organisation], int]:
    existing = {org.slug: org for org in db.session.execute(
        select(Organisation).where(Organisation.slug.in_([row[0] for row in ORGANISATIONS]))).scalars()}
    created = 0
    for slug, name, kind, country, city, size, website, tags, description in ORGANISATIONS:
        if slug in existing:
            continue
        org = Organisation(slug=slug, name=name, kind=kind, country=country, city=city, size=size,
                           website=website, description=description, verification="verified")
        org.expertise = [OrganisationExpertise(tag=tag.strip()) for tag in tags.split(",")]
        db.session.add(org)
        existing[slug] = org
        created += 1
    return existing, created


def _load_users(orgs: dict[str, Organisation]) -> int:
    existing = {user.email: user for user in db.session.execute(
        select(User).where(User.email.in_([row[0] for row in USERS]))).scalars()}
    password_hash = None
    created = 0
    for email, name, slugs, bio, admin in USERS:
        if email in existing:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        user = User(email=email, name=name, bio=bio, is_admin=admin, password_hash=password_hash)
        db.session.add(user)
        for slug in slugs:
            orgs[slug].memberships.append(OrganisationMember(user=user, status="verified"))
        created += 1
    for org in orgs.values():  # the first verified member of each becomes its administrator
        ensure_admin(org)
    return created


def load_demo() -> str:
    orgs, orgs_created = _load_organisations()
    users_created = _load_users(orgs)
    db.session.commit()
    return f"{orgs_created} organisations and {users_created} users added " \
           f"({len(ORGANISATIONS)} and {len(USERS)} in the demo)"
