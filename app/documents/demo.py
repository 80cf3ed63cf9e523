"""Demo documents for `flask seed demo`: a plan, meeting notes and technical documentation in
every project, each with several revisions by different members. Idempotent: a project that
already has a document with the same title is left alone.
"""
from datetime import timedelta

from sqlalchemy import select

from ..core.time import utcnow
from ..extensions import db
from ..policy import can
from ..projects.models import Project, ProjectMember
from . import services
from .models import Document, DocumentRevision

PLAN_TITLE = "Project plan"
NOTES_TITLE = "Meeting notes"
KICKOFF_TITLE = "Kick-off meeting"
TECH_TITLE = "Technical documentation"

# area key -> (what we build, the technical core, a method line)
FOCUS = {
    "3d-digitisation": ("3D models of 40 fragile textiles and costumes",
                        "Photogrammetry with a turntable and cross-polarised light",
                        "Structured-light scanning for the folds that photogrammetry misses"),
    "ar-vr": ("an AR trail through the galleries for families",
              "A Unity app with image targets on the gallery labels",
              "WebXR fallback so that visitors need not install anything"),
    "collections": ("an online collection with IIIF images and open data",
                    "A IIIF image server and a small Django front end",
                    "Nightly export of the catalogue to Linked Art JSON-LD"),
    "audience-experience": ("a tactile and audio-described tour",
                            "Audio descriptions recorded with visually impaired visitors",
                            "NFC tags on the replica objects start each description"),
}
DEFAULT_FOCUS = ("a digital pilot with our partners",
                 "A small web application maintained by the technology partner",
                 "Open formats and a written hand-over so the museum can run it alone")


def _focus(project: Project) -> tuple[str, str, str]:
    for key in project.area_keys:
        if key in FOCUS:
            return FOCUS[key]
    return DEFAULT_FOCUS


def _plan_versions(project, focus) -> list[tuple[str, str]]:
    goal, core, method = focus
    v1 = (f"# {project.title}: project plan\n\n"
          f"## Goal\n\nWe will produce {goal}.\n\n"
          "## Work packages\n\n1. Selection of objects\n2. Production\n3. Evaluation\n\n"
          "## Timeline\n\nTo be agreed at the kick-off.\n")
    v2 = v1.replace("To be agreed at the kick-off.",
                    "- Month 1: selection and condition checks\n"
                    "- Months 2–4: production\n- Month 5: evaluation with visitors")
    v3 = v2.replace("3. Evaluation", "3. Evaluation\n4. Publication as a case study") + (
        "\n## Budget\n\n| Item | EUR |\n|---|---:|\n| Equipment | 6 000 |\n"
        "| Partner days | 9 500 |\n| Evaluation | 2 500 |\n")
    v4 = v3.replace("| Partner days | 9 500 |", "| Partner days | 10 500 |") + (
        f"\n## Approach\n\n{core}. {method}.\n")
    return [(v1, "First draft"), (v2, "Timeline from the kick-off"),
            (v3, "Budget and publication"), (v4, "Partner days adjusted after the quote")]


def _notes_versions(project) -> list[tuple[str, str]]:
    v1 = ("# Kick-off meeting\n\n**Present:** museum team and partners\n\n"
          "## Decisions\n\n- Weekly call on Tuesdays at 10:00 CET\n")
    v2 = v1 + ("- Shared vocabulary for object names: use the inventory titles\n\n"
               "## Actions\n\n- [ ] Museum: list of candidate objects\n"
               "- [ ] Partner: equipment list and insurance question\n")
    v3 = v2.replace("- [ ] Museum: list of candidate objects",
                    "- [x] Museum: list of candidate objects (42 in the shared sheet)")
    return [(v1, "Notes taken during the call"), (v2, "Actions added"), (v3, "Action done")]


def _tech_versions(project, focus) -> list[tuple[str, str]]:
    goal, core, method = focus
    v1 = (f"# Technical documentation\n\n## Architecture\n\n{core}.\n\n"
          "## Formats\n\n- Masters: TIFF / OBJ\n- Web: JPEG / glTF (GLB)\n")
    v2 = v1 + (f"\n## Method\n\n{method}.\n\n"
               "```\ncapture -> align -> mesh -> decimate -> texture -> publish\n```\n")
    v3 = v2.replace("- Web: JPEG / glTF (GLB)",
                    "- Web: JPEG / glTF (GLB), Draco-compressed, under 15 MB") + (
        "\n## Lessons so far\n\n- Dark, shiny surfaces need a polariser.\n"
        "- Keep the colour chart in every first frame.\n")
    return [(v1, "Outline"), (v2, "Pipeline"), (v3, "Web formats and lessons learned")]


def _writers(project: Project) -> list:
    members = db.session.execute(
        select(ProjectMember).where(ProjectMember.project_id == project.id)
        .order_by(ProjectMember.role != "lead", ProjectMember.id)
    ).scalars().all()
    return [m.user for m in members if can(m.user, "project.contribute", project)]


def _write(project, writers, title, versions, *, parent=None, is_folder=False) -> Document:
    first_body, first_summary = versions[0]
    document = services.create_document(
        writers[0], project, title=title, body=first_body, summary=first_summary,
        parent_id=parent.id if parent else None, is_folder=is_folder)
    for index, (body, summary) in enumerate(versions[1:], start=1):
        services.save_document(writers[index % len(writers)], document, body=body,
                               base_revision=document.revision_number, summary=summary)
    _spread_in_time(document)
    return document


def _spread_in_time(document: Document) -> None:
    """Make the history believable: one revision every few days, ending today."""
    revisions = db.session.execute(
        select(DocumentRevision).where(DocumentRevision.document_id == document.id)
        .order_by(DocumentRevision.number)).scalars().all()
    now = utcnow()
    for revision in revisions:
        revision.created_at = now - timedelta(days=3 * (len(revisions) - revision.number),
                                              hours=revision.number)
    document.created_at = revisions[0].created_at
    document.updated_at = revisions[-1].created_at
    db.session.commit()


def load_demo() -> str:
    projects = db.session.execute(select(Project).order_by(Project.id)).scalars().all()
    created = skipped = 0
    for project in projects:
        existing = set(db.session.execute(
            select(Document.title).where(Document.project_id == project.id)).scalars())
        writers = _writers(project)
        if not writers or PLAN_TITLE in existing:
            skipped += 1
            continue
        focus = _focus(project)
        _write(project, writers, PLAN_TITLE, _plan_versions(project, focus))
        folder = _write(project, writers, NOTES_TITLE,
                        [("Minutes of our calls and workshops, newest last.\n", "Folder")],
                        is_folder=True)
        _write(project, writers, KICKOFF_TITLE, _notes_versions(project), parent=folder)
        _write(project, writers, TECH_TITLE, _tech_versions(project, focus))
        created += 4
    return f"{created} documents in {len(projects) - skipped} projects ({skipped} skipped)"
