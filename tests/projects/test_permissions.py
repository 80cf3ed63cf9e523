"""The permissions object templates ask (`perms.contribute`, ...) answers exactly as `can` does,
and the policy finds roles only through the resolver the projects feature registered."""
from types import SimpleNamespace

import pytest

from app import policy
from app.policy import can, permissions
from app.projects.models import ProjectRef
from tests.factories import make_team


def test_each_role_gets_the_permissions_can_gives_it(app):
    project, people = make_team()
    expected = {  # who: (view, contribute, manage, curate)
        "lead": (True, True, True, False), "member": (True, True, False, False),
        "observer": (True, False, False, False), "outsider": (False, False, False, False),
        "admin": (True, True, True, True),
    }
    for who, answers in expected.items():
        perms = permissions(people[who], project)
        assert (perms.view, perms.contribute, perms.manage, perms.curate) == answers, who
        assert perms.contribute == can(people[who], "project.contribute", project)


def test_without_a_workspace_only_site_wide_answers_are_yes(app):
    _project, people = make_team()
    assert permissions(people["admin"]).curate
    assert not permissions(people["admin"]).contribute
    assert not permissions(None).curate


def test_edit_is_for_ones_own_post_while_one_may_contribute(app):
    project, people = make_team()
    own = SimpleNamespace(author_id=people["member"].id, project=project)
    assert permissions(people["member"], project).edit(own)
    assert not permissions(people["lead"], project).edit(own)
    observers_post = SimpleNamespace(author_id=people["observer"].id, project=project)
    assert not permissions(people["observer"], project).edit(observers_post)


def test_a_project_ref_counts_as_the_workspace_it_names(app):
    project, people = make_team()
    ref = ProjectRef(id=project.id, slug=project.slug)
    assert can(people["member"], "project.contribute", ref)
    assert not can(people["outsider"], "project.view", ref)


def test_the_policy_refuses_to_guess_without_a_role_resolver(app, monkeypatch):
    project, people = make_team()
    monkeypatch.setattr(policy, "_role_of", None)
    monkeypatch.setattr(policy, "_workspace_types", ())
    with pytest.raises(RuntimeError, match="role resolver"):
        can(people["member"], "project.view", project)
