"""The operators' CLI: `projects create`, `add-member`, `remove-member`, with clear errors."""
from sqlalchemy import select

from app.extensions import db
from app.projects.models import Activity, Project, ProjectMember
from tests.factories import make_org, make_project, make_user


def _roles(slug):
    return dict(db.session.execute(
        select(ProjectMember.user_id, ProjectMember.role).join(Project)
        .where(Project.slug == slug)).all())


def test_create_a_project_with_areas_and_members(app, runner):
    lead = make_user(email="anna@museo.eu")
    museum = make_org("Museo Civico", members=[lead])
    member, observer = make_user(email="tech@lab.eu"), make_user(email="obs@uni.eu")
    result = runner.invoke(args=[
        "projects", "create", "textile-scans", "--title", "Textile scans", "--lead",
        "anna@museo.eu", "--area", "3d-digitisation", "--area", "collections",
        "--member", "tech@lab.eu:member", "--member", "obs@uni.eu:observer"])
    assert result.exit_code == 0, result.output
    assert "Created project textile-scans" in result.output
    project = db.session.execute(select(Project)).scalar_one()
    assert project.area_keys == ["3d-digitisation", "collections"]
    assert project.lead_organisation_id == museum.id
    assert _roles("textile-scans") == {lead.id: "lead", member.id: "member",
                                       observer.id: "observer"}


def test_create_refuses_bad_input_with_a_clear_error(app, runner):
    make_user(email="anna@museo.eu")
    runner.invoke(args=["projects", "create", "taken", "--title", "T", "--lead", "anna@museo.eu"])
    cases = [
        (["taken"], "already exists"),
        (["new-one", "--lead", "ghost@nowhere.eu"], "No user with email"),
        (["new-two", "--area", "astrology"], "Unknown area"),
        (["new-three", "--member", "anna@museo.eu:king"], "Unknown role"),
        (["new-four", "--member", "anna@museo.eu"], "EMAIL:ROLE"),
        (["Bad Slug!"], "Invalid slug"),
    ]
    for extra, message in cases:
        args = ["projects", "create", extra[0], "--title", "T"]
        args += extra[1:] if "--lead" in extra else ["--lead", "anna@museo.eu"] + extra[1:]
        result = runner.invoke(args=args)
        assert result.exit_code != 0, (extra, result.output)
        assert message in result.output, (message, result.output)
    assert db.session.execute(select(Project.slug)).scalars().all() == ["taken"]


def test_add_change_and_remove_members(app, runner):
    make_user(email="lead@museo.eu")
    user = make_user(email="new@lab.eu")
    runner.invoke(args=["projects", "create", "ar-guide", "--title", "AR", "--lead", "lead@museo.eu"])
    result = runner.invoke(args=["projects", "add-member", "ar-guide", "new@lab.eu", "observer"])
    assert result.exit_code == 0, result.output
    assert _roles("ar-guide")[user.id] == "observer"
    result = runner.invoke(args=["projects", "add-member", "ar-guide", "new@lab.eu", "member"])
    assert result.exit_code == 0 and _roles("ar-guide")[user.id] == "member"
    result = runner.invoke(args=["projects", "remove-member", "ar-guide", "new@lab.eu"])
    assert result.exit_code == 0 and user.id not in _roles("ar-guide")


def test_member_commands_refuse_unknown_things_and_the_last_lead(app, runner):
    make_user(email="lead@museo.eu")
    runner.invoke(args=["projects", "create", "ar-guide", "--title", "AR", "--lead", "lead@museo.eu"])
    cases = [
        (["add-member", "nope", "lead@museo.eu", "member"], "No project with slug"),
        (["add-member", "ar-guide", "ghost@x.eu", "member"], "No user with email"),
        (["add-member", "ar-guide", "lead@museo.eu", "wizard"], "Unknown role"),
        (["remove-member", "ar-guide", "lead@museo.eu"], "only lead"),
        (["add-member", "ar-guide", "lead@museo.eu", "member"], "at least one lead"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["projects", *args])
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (message, result.output)


def test_member_commands_leave_a_pilots_mentor_to_the_programme(app, runner):
    """The pages refuse it (policy `member.manage`); the operators' CLI is refused alike."""
    lead, mentor = make_user(email="lead@museo.eu"), make_user(email="mentor@programme.eu")
    project = make_project(lead=lead, members={"mentor": [mentor]})
    roles, activity = _roles(project.slug), db.session.execute(select(Activity.id)).all()
    for args in (["add-member", project.slug, mentor.email, "member"],
                 ["add-member", project.slug, mentor.email, "lead"],
                 ["remove-member", project.slug, mentor.email]):
        result = runner.invoke(args=["projects", *args])
        assert result.exit_code == 1, (args, result.output)
        assert "only its managers can change their role or replace them" in result.stderr
        assert result.stdout == ""
    db.session.expire_all()
    assert _roles(project.slug) == roles and roles[mentor.id] == "mentor"
    assert db.session.execute(select(Activity.id)).all() == activity
