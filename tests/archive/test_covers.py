"""Case-study covers: an image among the project's files with alt text required, chosen only
by those who may edit the case study (the matrix), shown on the listing and the page once
published, a drawing of the area when there is none, and nothing public before publication."""
import json
import re
from io import BytesIO

import pytest

from app.archive import services
from app.extensions import db
from app.files.models import ProjectFile
from tests.conftest import client_for
from tests.factories import make_team
from tests.files.samples import png

from .conftest import fill, submitted_case_study


def uploaded(app, project, user, data: bytes, name: str) -> ProjectFile:
    client = client_for(app, user)
    response = client.post(f"/projects/{project.slug}/files/",
                           data={"file": (BytesIO(data), name), "description": ""},
                           content_type="multipart/form-data")
    assert response.status_code in (200, 302), response.status_code
    return db.session.execute(db.select(ProjectFile).where(
        ProjectFile.project_id == project.id, ProjectFile.name == name)).scalar_one()


@pytest.fixture
def with_image(app, team):
    project, people = team
    case_study = services.start_case_study(people["lead"], project)
    fill(case_study, people["lead"])
    image = uploaded(app, project, people["lead"], png(), "icon-scan.png")
    return project, people, case_study, image


def cover_post(client, project, file_id, alt="A gilded icon under raking light"):
    return client.post(f"/projects/{project.slug}/case-study/cover",
                       data={"cover_file": str(file_id), "cover_alt": alt})


@pytest.mark.parametrize("who, status", [
    ("anonymous", 302), ("outsider", 404), ("observer", 403), ("member", 302), ("lead", 302),
    ("admin", 302)])
def test_who_may_choose_the_cover(app, with_image, who, status):
    project, people, case_study, image = with_image
    client = app.test_client() if who == "anonymous" else client_for(app, people[who])
    response = cover_post(client, project, image.id)
    assert response.status_code == status
    db.session.expire_all()
    assert (case_study.cover_file_id == image.id) == (status == 302 and who != "anonymous")


def test_public_cover_door_answers_only_for_a_published_cover(app, with_image):
    project, people, case_study, image = with_image
    services.set_cover(people["lead"], case_study, image.id, "A gilded icon")
    for who in ("anonymous", "outsider", "member", "admin"):
        client = app.test_client() if who == "anonymous" else client_for(app, people[who])
        assert client.get(f"/archive/{case_study.slug}/cover").status_code == 404, who
    services.submit_case_study(people["lead"], case_study)
    services.publish_case_study(people["admin"], case_study)
    response = app.test_client().get(f"/archive/{case_study.slug}/cover")
    assert response.status_code == 200 and response.mimetype.startswith("image/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_alt_text_is_required_and_the_image_must_be_this_projects_image(app, with_image):
    project, people, case_study, image = with_image
    lead = client_for(app, people["lead"])
    response = cover_post(lead, project, image.id, alt="   ")
    assert response.status_code == 400
    assert "Describe the image for people who cannot see it." in response.get_data(as_text=True)
    response = cover_post(lead, project, image.id, alt="x" * 301)
    assert response.status_code == 400 and "too long" in response.get_data(as_text=True)
    text_file = uploaded(app, project, people["lead"], b"plain notes\n", "notes.txt")
    other_project, others = make_team(title="Another", status="completed")
    foreign = uploaded(app, other_project, others["lead"], png(colour=(1, 2, 3)), "theirs.png")
    for wrong in (text_file.id, foreign.id, 10**9, "abc"):
        response = cover_post(lead, project, wrong)
        assert response.status_code == 400, wrong
    db.session.expire_all()
    assert case_study.cover_file_id is None and case_study.cover_alt == ""
    page = lead.get(f"/projects/{project.slug}/case-study").get_data(as_text=True)
    assert 'name="cover_alt"' in page and "icon-scan.png" in page and "notes.txt" not in \
        page.split('name="cover_file"')[1].split("</select>")[0]


def test_a_drafts_cover_from_a_private_project_never_leaks(app, team):
    """Published version one has no cover; the draft of version two picks a private image:
    the public sees the area drawing and the cover door answers 404 until it is published."""
    project, people = team
    case_study = submitted_case_study(project, people["lead"])
    services.publish_case_study(people["admin"], case_study)
    image = uploaded(app, project, people["lead"], png(colour=(9, 9, 9)), "private.png")
    services.set_cover(people["lead"], case_study, image.id, "Private photograph")
    anonymous = app.test_client()
    assert anonymous.get(f"/archive/{case_study.slug}/cover").status_code == 404
    for url in (f"/archive/{case_study.slug}", "/archive/"):
        page = anonymous.get(url).get_data(as_text=True)
        assert "Private photograph" not in page and f"/files/{image.id}" not in page
        assert "img/areas/3d-digitisation.svg\" alt=\"\"" in page
    assert anonymous.get(f"/projects/{project.slug}/files/{image.id}/thumbnail").status_code \
        in (302, 404)
    services.submit_case_study(people["lead"], case_study)
    services.publish_case_study(people["admin"], case_study)
    assert anonymous.get(f"/archive/{case_study.slug}/cover").status_code == 200


def test_listing_and_page_show_the_cover_with_its_alt_and_metadata(app, with_image):
    project, people, case_study, image = with_image
    services.set_cover(people["member"], case_study, image.id, "A gilded icon")
    services.submit_case_study(people["lead"], case_study)
    services.publish_case_study(people["admin"], case_study)
    anonymous = app.test_client()
    cover_url = f"/archive/{case_study.slug}/cover"
    listing = anonymous.get("/archive/").get_data(as_text=True)
    assert re.search(rf'<img class="case-thumb" src="{cover_url}" alt="A gilded icon"', listing)
    page = anonymous.get(f"/archive/{case_study.slug}").get_data(as_text=True)
    assert re.search(rf'<img class="case-cover" src="{cover_url}" alt="A gilded icon"', page)
    assert f'property="og:image" content="http://localhost{cover_url}"' in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page,
                              re.S).group(1))
    assert ld["image"]["url"].endswith(cover_url)
    # the cover removed (and published): the drawing, decorative, comes back
    services.set_cover(people["lead"], case_study, "", "")
    services.submit_case_study(people["lead"], case_study)
    services.publish_case_study(people["admin"], case_study)
    page = anonymous.get(f"/archive/{case_study.slug}").get_data(as_text=True)
    assert re.search(r'src="/static/[^"]*img/areas/3d-digitisation.svg" alt="" aria-hidden="true"', page)
    assert anonymous.get(cover_url).status_code == 404
