"""A small world that fills every page, written in no human language.

Every name, title and body here is made of invented words ("Velkor", "zumtra"), so that any
English the rendering test finds on a page came from the interface, never from the content.
Built through the features' own services, like a real team would.
"""
import io
import uuid
from dataclasses import dataclass, field

from flask_babel import force_locale
from sqlalchemy import select

from app.archive import services as archive
from app.archive import translations
from app.archive.models import CaseStudy
from app.calls import applications
from app.calls.application_content import empty_content
from app.calls.models import Call
from app.evaluation import services as evaluation
from app.evaluation.models import EvaluationAssignment
from app.projects import partners
from app.chat import services as chat
from app.discussion import services as discussion
from app.documents import services as documents
from app.extensions import db
from app.files import services as files
from app.orgs.models import Organisation
from app.projects import members
from tests.archive.factories import published
from tests.calls.factories import make_call
from tests.factories import make_org, make_project, make_user

NONSENSE = ("Velkor zumtra quilp. Dravo senkul: **mirtaxo** plenvo, *zaskar* trumbel ovrik.\n\n"
            "- grelm vosk\n- dalmuk frizo\n")


@dataclass
class World:
    """What the pages need: people, a project with everything in it, an archive, calls."""

    people: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    slugs: dict = field(default_factory=dict)
    token: str = ""


def _people() -> dict:
    return {
        "lead": make_user("Zofia Qwerk", "zofia@muzeo.test"),
        "member": make_user("Ilvo Brandt", "ilvo@muzeo.test"),
        "observer": make_user("Ognar Pelt", "ognar@muzeo.test"),
        "admin": make_user("Adaq Vol", "adaq@muzeo.test", admin=True),
    }


def _organisations(people: dict, world: World) -> None:
    museum = make_org("Muzeo Kvalto", city="Vrelka", expertise=["zumtra", "fotogrametria"],
                      members=[people["lead"], people["member"]], pending=[people["observer"]],
                      website="https://muzeo.test")
    make_org("Vorlaxa Drun", kind="technology", city="Plodny", verification="unverified",
             members=[people["member"]], website="https://vorlaxa.test")
    museum.description = NONSENSE
    world.slugs["org"] = museum.slug


def _workspace(people: dict, world: World) -> None:
    lead, member = people["lead"], people["member"]
    project = make_project(lead=lead, members={"member": [member], "observer": [people["observer"]]},
                           title="Velkor Dravo", slug="velkor-dravo")
    project.summary = NONSENSE
    world.slugs["project"] = project.slug
    partners.set_looking(lead, project, partners.PartnerSearch(looking=True, needs=NONSENSE))
    folder = documents.create_document(lead, project, title="Zumtra plenvo", body=NONSENSE)
    page = documents.create_document(member, project, title="Ovrik senkul", body=NONSENSE,
                                     parent_id=folder.id)
    documents.save_document(lead, page, body=NONSENSE + "\nFrizo dalmuk.\n",
                            base_revision=1, summary="grelm")
    gone = documents.create_document(lead, project, title="Trumbel vosk", body=NONSENSE)
    documents.delete_document(lead, gone)
    world.ids.update(doc=page.id, revision=2)
    item = files.upload_file(project, lead, io.BytesIO(b"velkor zumtra\n"), "velkor.txt",
                             "Zaskar mirtaxo")
    files.upload_version(project, lead, item.id, io.BytesIO(b"velkor zumtra quilp\n"),
                         "velkor.txt")
    dropped = files.upload_file(project, lead, io.BytesIO(b"vosk\n"), "vosk.txt")
    files.delete_file(project, lead, dropped.id)
    world.ids["file"] = item.id
    thread = discussion.create_thread(lead, project, "Senkul quilp", NONSENSE + "\n@[Ilvo Brandt]",
                                      category="question")
    first = discussion.opening_post(thread)
    answer = discussion.reply(member, thread, first.id, "Dravo **zumtra** @[Zofia Qwerk]")
    discussion.edit_post(member, answer, "Dravo **zumtra** plenvo @[Zofia Qwerk]")
    discussion.resolve(lead, thread, answer.id)
    world.ids.update(thread=thread.id, post=answer.id)
    for author, body in ((lead, "Salvo zumtra!"), (member, "Dravo plenvo @[Zofia Qwerk]")):
        chat.post_message(author, project, body, str(uuid.uuid4()), rate_limited=False)
    _, world.token = members.create_invitation(lead, project)


def _archive(people: dict, world: World) -> None:
    lead = people["lead"]
    done = make_project(lead=lead, members={"member": [people["member"]]}, status="completed",
                        title="Mirtaxo Plenvo", slug="mirtaxo-plenvo")
    done.summary = NONSENSE
    world.slugs["completed"] = done.slug
    case_study = archive.start_case_study(lead, done)
    archive.save_case_study(lead, case_study, {
        "title": "Mirtaxo Plenvo", "summary": "Zumtra velkor dravo senkul.", "language": "it",
        "year": 2025, "areas": ["3d-digitisation"], "technologies": "fotogrametria, IIIF",
        "budget_eur": "38000", "license": "CC-BY-4.0", "contact": "zofia@muzeo.test",
        "impact": {"visitors": "12000"},
        "sections": {key: NONSENSE for key in ("challenge", "approach", "results", "lessons")},
    }, case_study.current_revision_id)
    archive.submit_case_study(lead, case_study)
    world.ids["case_study"] = case_study.id
    world.slugs["case_study"] = published(
        slug="ovrik-grelm", title="Ovrik Grelm", summary="Velkor zumtra dravo.", language="it",
        lead={"name": "Muzeo Grelm", "city": "Vrelka", "size": "small"},
        partners=[{"name": "Zaskar Lab", "kind": "technology", "country": "IT", "role": "vosk"}],
        technologies=["fotogrametria"], sections={"challenge": NONSENSE, "results": NONSENSE},
        contact="grelm@muzeo.test")
    read_elsewhere = db.session.scalars(select(CaseStudy).filter_by(
        slug=world.slugs["case_study"])).one()
    translations.save_translation(people["admin"], read_elsewhere, "de", {
        "title": "Ovrik Grelm Dravo", "summary": "Zumtra dravo.", "sections": {
            "challenge": NONSENSE}})
    world.slugs["translation"] = "de"


def _calls(world: World) -> None:
    texts = {"en": {"title": "Plenvo Zumtra 2027", "description": NONSENSE, "faq": NONSENSE}}
    criteria = "Zumtra | 60\nVelkor | 40"
    world.slugs["call"] = make_call("open", slug="plenvo-zumtra", texts=texts,
                                    criteria=criteria).slug
    decided = make_call("decided", slug="dravo-vosk", results=NONSENSE, criteria=criteria, texts={
        "en": {"title": "Dravo Vosk 2025", "description": NONSENSE, "faq": NONSENSE}})
    world.slugs["past_call"] = decided.slug


def _application(people: dict, world: World) -> None:
    """A submitted application to the open call, with an attachment and a receipt."""
    call = db.session.scalars(select(Call).filter_by(slug=world.slugs["call"])).one()
    lead = people["lead"]
    museum = db.session.scalars(select(Organisation).filter_by(slug=world.slugs["org"])).one()
    partner = db.session.scalars(select(Organisation).filter_by(name="Vorlaxa Drun")).one()
    application = applications.start_application(lead, call, museum.id, "Zumtra Velkor")
    content = empty_content() | {
        "title": "Zumtra Velkor", "summary": "Dravo senkul plenvo.", "areas": call.areas[:1],
        "partners": [partner.id],
        "sections": {key: NONSENSE for key in empty_content()["sections"]},
        "milestones": [{"date": "2027-03-01", "title": "Grelm"}],
        "budget": [{"category": "subcontracting", "description": "Vosk", "amount": 20000}],
        "declarations": list(range(len(call.declarations or []))),
    }
    applications.save_draft(lead, application, content, application.revision)
    attachment = applications.add_attachment(lead, application, io.BytesIO(b"%PDF-1.4\n"),
                                             "zumtra.pdf")
    applications.invite_coapplicant(lead, application, "ilvo@muzeo.test")
    applications.submit(lead, application)
    world.ids.update(application=application.id, attachment=attachment.id, version=1)
    world.slugs["ref"] = application.ref


def _evaluation(people: dict, world: World) -> None:
    """The administrator evaluates the application (the evaluator's pages)."""
    call = db.session.scalars(select(Call).filter_by(slug=world.slugs["call"])).one()
    evaluator = evaluation.invite_evaluator(call, people["admin"].email, "SE")
    db.session.add(EvaluationAssignment(call_id=call.id, application_id=world.ids["application"],
                                        evaluator_id=evaluator.id))


def build_world(language: str) -> World:
    """The world, built in `language`: what services write in the writer's language (a
    document's first summary, "Created") is written in it, as it would be by that team."""
    with force_locale(language):
        return _build()


def _build() -> World:
    world = World()
    world.people = _people()
    world.people["admin"].is_manager = True
    db.session.commit()
    _organisations(world.people, world)
    _workspace(world.people, world)
    _archive(world.people, world)
    _calls(world)
    _application(world.people, world)
    _evaluation(world.people, world)
    db.session.commit()
    return world
