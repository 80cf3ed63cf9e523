"""The mentor's column in the workspace rooms where they may talk: the discussion and chat
(project.converse), and the mentoring log. Documents, files and the projects' own routes give
the mentor an observer's answers (tests/projects/matrix.py, where `mentor` is a column of
every matrix)."""
import pytest

from app.discussion import services as discussion
from tests.projects.matrix import READ, Route, check_cell, expect, matrix_cases

#: posting in the discussion: members, leads and the mentor; observers only read
CONVERSE_POST = expect(302, 404, 403, 302, 302, 302, mentor=302)
CONVERSE_GET = expect(302, 404, 403, 200, 200, 200, mentor=200)
#: the mentoring log: written by the mentor and the leads
LOG_POST = expect(302, 404, 403, 403, 302, 302, mentor=302)


def _thread(cast):
    return {"thread_id": discussion.create_thread(cast.lead, cast.project, "Plan",
                                                  "What next?").id}


def _entry(cast):
    return {"met_on": "2026-03-02", "notes": "Scope the app.", "next_steps": "Storyboard."}


T = "/projects/{slug}/discussion"
ROUTES = [
    Route("GET", T + "/", READ),
    Route("GET", T + "/new", CONVERSE_GET),
    Route("POST", T + "/new", CONVERSE_POST,
          data=lambda cast: {"title": "Question", "body": "Shall we?", "category": ""}),
    Route("GET", T + "/{thread_id}", READ, setup=_thread),
    Route("POST", T + "/{thread_id}/reply", CONVERSE_POST, setup=_thread,
          data=lambda cast: {"body": "Yes."}),
    Route("GET", "/projects/{slug}/chat", READ),
    Route("GET", "/projects/{slug}/mentoring", READ),
    Route("POST", "/projects/{slug}/mentoring", LOG_POST, data=_entry),
]


@pytest.mark.parametrize("route,who", matrix_cases(ROUTES))
def test_discussion_chat_and_mentoring_matrix(app, route, who):
    check_cell(app, route, who)
