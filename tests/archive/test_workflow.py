"""Drafting, submitting, publishing, returning, updating and withdrawing a case study."""
import pytest

from app.archive import services
from app.archive.models import CaseStudy, CaseStudyRevision
from app.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.extensions import db
from tests.conftest import client_for
from tests.factories import make_project

from .conftest import fill, submitted_case_study


def public_urls(slug):
    return ["/archive/", "/archive/export.csv", "/archive/export.json", "/archive/feed.atom",
            "/api/v1/case-studies", f"/archive/?q={slug.split('-')[0]}",
            "/oai?verb=ListRecords&metadataPrefix=oai_dc",
            "/oai?verb=ListRecords&metadataPrefix=emc_case_study"]


def visible_everywhere(client, slug, title) -> dict[str, bool]:
    seen = {url: title in client.get(url).get_data(as_text=True) for url in public_urls(slug)}
    seen["page"] = client.get(f"/archive/{slug}").status_code == 200
    seen["api-detail"] = client.get(f"/api/v1/case-studies/{slug}").status_code == 200
    seen["sitemap"] = f"/archive/{slug}<" in client.get("/sitemap/archive/1.xml").get_data(
        as_text=True)
    return seen


def test_lead_starts_from_the_template_only_when_the_project_is_completed(app, team):
    project, people = team
    active = make_project(lead=people["lead"], status="active")
    with pytest.raises(ValidationError):
        services.start_case_study(people["lead"], active)
    with pytest.raises(PermissionDenied):
        services.start_case_study(people["member"], project)
    lead = client_for(app, people["lead"])
    response = lead.post(f"/projects/{project.slug}/case-study/start")
    assert response.status_code == 302
    page = lead.get(f"/projects/{project.slug}/case-study").get_data(as_text=True)
    assert "What problem did the museum face?" in page  # the template's prompts
    case_study = services.case_study_of(project)
    assert case_study.status == "draft" and case_study.lead_organisation.country == "PL"


def test_members_co_edit_with_revisions_observers_read_outsiders_get_404(app, team):
    project, people = team
    case_study = services.start_case_study(people["lead"], project)
    fill(case_study, people["member"])
    assert case_study.current_revision_id is not None
    numbers = db.session.execute(db.select(CaseStudyRevision.number).where(
        CaseStudyRevision.case_study_id == case_study.id)).scalars().all()
    assert numbers == [1, 2]
    fill(case_study, people["member"])  # a save that changes nothing adds no revision
    assert db.session.query(CaseStudyRevision).count() == 2
    observer = client_for(app, people["observer"])
    assert observer.get(f"/projects/{project.slug}/case-study").status_code == 200
    response = observer.post(f"/projects/{project.slug}/case-study",
                             data={"title": "Hijack", "base_revision": case_study.current_revision_id})
    assert response.status_code == 403
    outsider = client_for(app, people["outsider"])
    assert outsider.get(f"/projects/{project.slug}/case-study").status_code == 404


def test_stale_saves_merge_different_sections_and_refuse_a_clash(app, team):
    project, people = team
    case_study = services.start_case_study(people["lead"], project)
    fill(case_study, people["lead"])
    base = case_study.current_revision_id
    snapshot = db.session.get(CaseStudyRevision, base).snapshot
    mine = dict(snapshot, sections=dict(snapshot["sections"], lessons="Lesson from Lena."))
    theirs = dict(snapshot, sections=dict(snapshot["sections"], results="Marco's results."))
    services.save_case_study(people["member"], case_study, theirs, base)
    services.save_case_study(people["lead"], case_study, mine, base)  # merges cleanly
    assert case_study.sections["lessons"] == "Lesson from Lena."
    assert case_study.sections["results"] == "Marco's results."
    clash = dict(snapshot, sections=dict(snapshot["sections"], results="Another result."))
    with pytest.raises(Conflict):
        services.save_case_study(people["lead"], case_study, clash, base)
    lead = client_for(app, people["lead"])
    response = lead.post(f"/projects/{project.slug}/case-study", data={
        "base_revision": base, "title": "Changed title", "language": "en",
        "license": "CC-BY-4.0", "section_results": "Yet another result."})
    assert response.status_code == 409
    assert "Yet another result." in response.get_data(as_text=True)  # nothing typed is lost


def test_only_the_lead_submits_and_only_curators_publish(app, team):
    project, people = team
    case_study = services.start_case_study(people["lead"], project)
    with pytest.raises(ValidationError):  # the template's prompts are not a case study
        services.submit_case_study(people["lead"], case_study)
    fill(case_study, people["member"])
    member = client_for(app, people["member"])
    assert member.post(f"/projects/{project.slug}/case-study/submit").status_code == 403
    lead = client_for(app, people["lead"])
    assert lead.post(f"/projects/{project.slug}/case-study/submit").status_code == 302
    assert db.session.get(CaseStudy, case_study.id).status == "submitted"
    assert lead.get("/archive/review").status_code == 403
    assert lead.post(f"/archive/review/{case_study.id}",
                     data={"decision": "publish"}).status_code == 403
    admin = client_for(app, people["admin"])
    assert case_study.title in admin.get("/archive/review").get_data(as_text=True)
    response = admin.post(f"/archive/review/{case_study.id}", data={"decision": "publish"})
    assert response.status_code == 302
    assert all(visible_everywhere(app.test_client(), case_study.slug, case_study.title).values())


def test_submitted_and_returned_case_studies_never_leak(app, team):
    project, people = team
    case_study = submitted_case_study(project, people["lead"], title="Secret icon study")
    anonymous = app.test_client()
    assert not any(visible_everywhere(anonymous, case_study.slug, "Secret icon study").values())
    admin = client_for(app, people["admin"])
    response = admin.post(f"/archive/review/{case_study.id}", data={"decision": "return"})
    assert response.status_code == 400  # a comment is required
    admin.post(f"/archive/review/{case_study.id}",
               data={"decision": "return", "comment": "Please add **figures**."})
    db.session.expire_all()
    assert case_study.status == "returned"
    assert not any(visible_everywhere(anonymous, case_study.slug, "Secret icon study").values())
    page = client_for(app, people["lead"]).get(f"/projects/{project.slug}/case-study")
    assert "<strong>figures</strong>" in page.get_data(as_text=True)


def test_an_update_stays_private_until_published_again(app, team):
    project, people = team
    case_study = submitted_case_study(project, people["lead"], title="Version one")
    services.publish_case_study(people["admin"], case_study)
    fill(case_study, people["member"], title="Version two")
    assert case_study.status == "draft" and case_study.is_public
    anonymous = app.test_client()
    page = anonymous.get(f"/archive/{case_study.slug}").get_data(as_text=True)
    assert "Version one" in page and "Version two" not in page
    assert "Version two" not in anonymous.get("/archive/export.json").get_data(as_text=True)
    assert "Version two" not in anonymous.get("/api/v1/case-studies?q=version").get_data(
        as_text=True)
    services.submit_case_study(people["lead"], case_study)
    services.publish_case_study(people["admin"], case_study)
    page = anonymous.get(f"/archive/{case_study.slug}").get_data(as_text=True)
    assert "Version two" in page and "Version one" not in page


def test_withdrawn_case_studies_disappear_everywhere(app, team):
    project, people = team
    case_study = submitted_case_study(project, people["lead"], title="Withdrawn icons")
    services.publish_case_study(people["admin"], case_study)
    anonymous = app.test_client()
    assert all(visible_everywhere(anonymous, case_study.slug, "Withdrawn icons").values())
    with pytest.raises(NotFound):  # a member may not withdraw (not even see the door)
        services.withdraw_case_study(people["outsider"], case_study)
    lead = client_for(app, people["lead"])
    assert lead.post(f"/projects/{project.slug}/case-study/withdraw").status_code == 302
    seen = visible_everywhere(anonymous, case_study.slug, "Withdrawn icons")
    assert not any(seen.values()), seen


def test_only_curators_publish_through_the_service(app, team):
    project, people = team
    case_study = submitted_case_study(project, people["lead"])
    for person in ("lead", "member", "observer", "outsider"):
        with pytest.raises(PermissionDenied):
            services.publish_case_study(people[person], case_study)
    with pytest.raises(Conflict):
        services.publish_case_study(people["admin"], services.start_case_study(
            people["lead"], make_project(lead=people["lead"], status="completed")))


def test_a_returned_case_study_can_be_resubmitted_and_published(app, team):
    project, people = team
    case_study = submitted_case_study(project, people["lead"])
    statuses = [case_study.status]
    services.return_case_study(people["admin"], case_study, "More numbers, please.")
    statuses.append(case_study.status)
    services.submit_case_study(people["lead"], case_study)
    statuses.append(case_study.status)
    services.publish_case_study(people["admin"], case_study)
    statuses.append(case_study.status)
    assert statuses == ["submitted", "returned", "submitted", "published"]
    assert case_study.review_comment == ""
    admin = client_for(app, people["admin"])
    assert "Review queue (0)" in admin.get("/archive/").get_data(as_text=True)


def test_curators_see_what_an_update_changes(app, team):
    project, people = team
    case_study = submitted_case_study(project, people["lead"], title="Version one")
    services.publish_case_study(people["admin"], case_study)
    fill(case_study, people["lead"], title="Version two",
         sections={"results": "Twenty thousand online visitors."})
    services.submit_case_study(people["lead"], case_study)
    page = client_for(app, people["admin"]).get(f"/archive/review/{case_study.id}")
    html = page.get_data(as_text=True)
    assert "Changes since the published version" in html
    assert "<ins>two</ins>" in html and "<del>one</del>" in html
    assert "Results and impact" in html


def test_members_preview_the_draft_outsiders_cannot(app, team):
    project, people = team
    case_study = services.start_case_study(people["lead"], project)
    fill(case_study, people["member"], title="Draft only members see")
    observer = client_for(app, people["observer"])
    page = observer.get(f"/projects/{project.slug}/case-study/preview")
    assert page.status_code == 200 and "Draft only members see" in page.get_data(as_text=True)
    outsider = client_for(app, people["outsider"])
    assert outsider.get(f"/projects/{project.slug}/case-study/preview").status_code == 404
    assert app.test_client().get(f"/archive/{case_study.slug}").status_code == 404
