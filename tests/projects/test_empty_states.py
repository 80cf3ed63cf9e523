"""A new project's empty workspace tabs each say what to do next, with a link to do it for
those who may, and only the plain "nothing yet" for an observer."""
import html

import pytest

from tests.conftest import client_for
from tests.factories import make_project, make_user

# tab path, the next step, the link that does it ({slug} filled in)
EMPTY_STATES = [
    ("documents/", "Start with a project plan or the notes of your first meeting.",
     'href="/projects/{slug}/documents/new">Write the first document</a>'),
    ("files/", "Upload the first one with the form on this page",
     'href="#file">Go to the upload form</a>'),
    ("discussion/", "Start one to discuss a decision, ask a question or share an idea.",
     'href="/projects/{slug}/discussion/new">Start the first thread</a>'),
    ("chat", "Write the first one in the message box below.",
     'href="#chat-body">Go to the message box</a>'),
    ("case-study", "keep your decisions and results in Documents and Files",
     'href="/projects/{slug}/settings">Settings and status</a>'),
]


@pytest.mark.parametrize("tab,next_step,link", EMPTY_STATES, ids=[e[0] for e in EMPTY_STATES])
def test_each_empty_tab_of_a_new_project_says_what_to_do_next(app, tab, next_step, link):
    lead, observer = make_user(), make_user()
    project = make_project(lead=lead, members={"observer": [observer]})
    url = f"/projects/{project.slug}/{tab}"
    page = html.unescape(client_for(app, lead).get(url).get_data(as_text=True))
    assert next_step in page
    assert link.format(slug=project.slug) in page
    seen_by_observer = html.unescape(client_for(app, observer).get(url).get_data(as_text=True))
    assert link.format(slug=project.slug) not in seen_by_observer
