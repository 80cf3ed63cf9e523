"""Demo archive: about forty published case studies (loaded from `demo_case_studies.json`
through the import service, so the demo exercises the real code path), plus a case study in
progress in a completed demo project and one waiting for the curators. Idempotent."""
import json
from pathlib import Path

from sqlalchemy import select

from ..extensions import db
from ..projects.models import Project, ProjectMember
from . import services
from .importing import import_records

DEMO_FILE = Path(__file__).with_name("demo_case_studies.json")
#: (project slug, how far its case study gets: "draft" or "submitted")
WORKSPACE_CASE_STUDIES = (("sandomierz-ethnography-online", "draft"),
                          ("brno-open-catalogue", "submitted"))

DRAFT = {
    "summary": "Two thousand ethnographic objects from the Sandomierz region catalogued, "
               "photographed and published online with IIIF deep zoom, with a small team and "
               "a technology partner from Germany.",
    "language": "en", "year": 2025, "budget_eur": 46000, "license": "CC-BY-4.0",
    "technologies": "iiif, collectiveaccess, photography",
    "areas": ["collections", "digital-presence"],
    "impact": {"reach": 18000, "time_saved_hours": 140},
    "sections": {
        "challenge": "Our ethnographic collection was documented on paper inventory cards, "
                     "some from the 1960s. Researchers had to visit to see anything.",
        "approach": "We photographed every object on a simple copy stand, catalogued in "
                    "CollectiveAccess with a shared vocabulary, and published through IIIF.",
        "results": "_To be completed after the twelve-month evaluation._",
    },
    "contact": "Marek Kowalski, digital@muzeum-sandomierz.example.pl",
}


def load_demo() -> str:
    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    report = import_records(records)
    in_progress = sum(_workspace_case_study(slug, stage) for slug, stage in
                      WORKSPACE_CASE_STUDIES)
    return (f"{report.summary()} published case studies; "
            f"{in_progress} case studies started in workspaces")


def _workspace_case_study(project_slug: str, stage: str) -> int:
    project = db.session.execute(
        select(Project).where(Project.slug == project_slug)).scalar_one_or_none()
    if project is None or project.status != "completed" or services.case_study_of(project):
        return 0
    lead = db.session.execute(
        select(ProjectMember).where(ProjectMember.project_id == project.id,
                                    ProjectMember.role == "lead").order_by(ProjectMember.id)
    ).scalars().first()
    if lead is None:
        return 0
    case_study = services.start_case_study(lead.user, project)
    data = dict(DRAFT, title=project.title, sections=dict(DRAFT["sections"]))
    if stage == "submitted":
        data["summary"] = project.summary
        data["sections"]["results"] = "The open API now serves three other museums' websites."
        data["sections"]["lessons"] = "Publishing the data model early brought useful feedback."
    merged = dict(services.template_sections(), **data["sections"])
    data["sections"] = merged if stage == "draft" else data["sections"]
    services.save_case_study(lead.user, case_study, data, case_study.current_revision_id)
    if stage == "submitted":
        services.submit_case_study(lead.user, case_study)
    return 1
