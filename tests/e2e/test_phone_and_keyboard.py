"""Every page fits a phone: loaded signed out, as a project lead (every workspace tab) and as a
site administrator, at 390 and 320 px wide in Chromium, none may scroll sideways and no element
may stick out past the right edge (unless it sits inside its own scrolling region).

The pages come from the app's URL map, so a new page that is neither visited nor listed as "not
a page" (feeds, downloads, JSON) fails `test_every_page_is_on_the_phone_list`.
"""
import pytest
from sqlalchemy import select

from app.cli import DEMO_LOADERS
from app.extensions import db

from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

WIDTHS = (390, 320)
DEMO_PASSWORD = "demo-password"
LEAD, ADMIN = "anna@museo-demo.eu", "admin@museum-space.eu"
PROJECT = "bevagna-mosaics-3d"
OPEN_CALL, PAST_CALL = "digital-pilots-2027", "museum-innovation-pilots-2025"
#: GET endpoints that are not pages a person reads (feeds, files, JSON, redirects, health)
NOT_PAGES = {
    "static", "main.healthz", "main.liveness", "main.readiness_check", "main.metrics_text",
    "archive.export_csv", "archive.export_json",
    "archive.feed", "archive.public_file", "calls.atom", "chat.unread", "files.download",
    "files.thumbnail", "notifications.open_notification", "auth.logout", "main.switch_language",
    "oai.endpoint", "calls.applications_csv", "calls.applications_xlsx", "calls.attachment",
    "calls.version_json", "main.robots", "main.sitemap_index", "main.sitemap_page",
    "evaluation.results_json", "evaluation.results_csv", "main.language_link",
    "pilots.grants_csv", "pilots.grants_xlsx", "archive.public_cover",
}
#: pages that landed while this test was written and still need demo data here: listed so the
#: gap is visible, not silently skipped
NOT_YET_COVERED: set[str] = set()
EVALUATOR = "evaluator"  # signed in as the demo's first evaluator of the past call
#: the main pages, also checked with axe at 390 px (zero serious or critical violations)
AXE_PAGES = {"main.home", "archive.index", "archive.case_study", "projects.overview",
             "documents.index", "discussion.index", "files.index", "projects.members_page",
             "calls.index", "calls.apply", "evaluation.scores", "evaluation.manage",
             "evaluation.selection", "evaluation.results", "pilots.grants_page"}

#: finds what sticks out: elements whose right edge passes the viewport, unless an ancestor
#: that fits clips or scrolls them; elements wholly off to the left (skip link) cannot scroll
OVERFLOW_JS = """() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || r.right <= w + 1) continue;
    let p = el.parentElement, contained = false;
    while (p && p !== document.body) {
      if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowX)
          && p.getBoundingClientRect().right <= w + 1) { contained = true; break; }
      p = p.parentElement;
    }
    const name = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
    if (!contained) out.push(`${name} → ${Math.round(r.right)}px`);
  }
  return {scroll: document.documentElement.scrollWidth, width: w, out: out.slice(0, 5)};
}"""


@pytest.fixture(scope="module")
def demo_pages(live_server):
    """The demo (as `seed demo` loads it, without its long documents and discussions: one of
    each, written through the services, keeps the module fast), and every page's URL."""
    from importlib import import_module

    from flask import url_for

    from app.archive.models import CaseStudy
    from app.auth.models import User
    from app.calls.application_models import Application, ApplicationVersion
    from app.calls.models import Call
    from app.archive.translations import save_translation
    from app.evaluation.models import CallEvaluator
    from app.evaluation.queries import assignments_of
    from app.pilots.models import Pilot
    from app.discussion.services import create_thread, opening_post
    from app.documents.services import create_document, save_document
    from app.files.models import ProjectFile
    from app.projects.members import create_invitation
    from app.projects.models import Project
    from app.projects.partners import PartnerSearch, ask_to_join, set_looking

    app = live_server.app()
    with app.app_context(), app.test_request_context():
        for name in DEMO_LOADERS:
            if name not in ("app.documents.demo", "app.discussion.demo"):
                import_module(name).load_demo()
        project = db.session.scalar(select(Project).where(Project.slug == PROJECT))
        lead = db.session.scalar(select(User).where(User.email == LEAD))
        document = create_document(lead, project, title="Visitor route through the mosaic rooms",
                                   body="## Rooms\n\n" + "A long sentence about the floor. " * 40)
        save_document(lead, document, body="## Rooms\n\nShorter now.", base_revision=1,
                      summary="Cut the introduction to fit the panel")
        post = opening_post(create_thread(lead, project, "Which lighting for the 3D capture?",
                                          "Raking light or diffuse? " * 30))
        item = db.session.scalar(select(ProjectFile).where(ProjectFile.project_id == project.id))
        submitted = db.session.scalar(select(ApplicationVersion).join(Application).join(Call)
                                      .where(Call.slug == PAST_CALL).order_by(Application.id))
        published = db.session.scalar(select(CaseStudy).where(CaseStudy.status == "published"))
        _, token = create_invitation(lead, project)
        set_looking(lead, project, PartnerSearch(True, "A sound designer for the mosaic rooms, "
                                                       "two days a month.", ["audience-experience"]))
        admin = db.session.scalar(select(User).where(User.email == ADMIN))
        ask_to_join(admin, project, "Our studio records museum soundscapes. " * 6)
        language = "fr" if published.language != "fr" else "de"
        save_translation(admin, published, language, {
            "title": "Une étude de cas traduite pour le téléphone",
            "summary": "Un résumé assez long pour remplir deux lignes sur un petit écran.",
            "sections": {"challenge": "Le défi, en quelques mots."}})
        past_call = db.session.scalar(select(Call).where(Call.slug == PAST_CALL))
        assignment = assignments_of(past_call)[0]
        evaluator = db.session.get(CallEvaluator, assignment.evaluator_id)
        assessed = db.session.get(Application, assignment.application_id)
        mentored = db.session.scalar(select(Pilot).where(Pilot.mentor_id.is_not(None)))
        past = {"slug": PAST_CALL}
        ws = {"slug": PROJECT}
        doc = {**ws, "doc_id": document.id}
        thread = {**ws, "thread_id": post.thread_id}
        pages = {
            None: [
                ("main.home", {}), ("auth.login", {}), ("auth.register", {}),
                ("archive.index", {}), ("archive.stats", {}),
                ("archive.case_study", {"slug": published.slug}), ("calls.index", {}),
                ("calls.call", {"slug": OPEN_CALL}), ("orgs.directory", {}),
                ("orgs.show", {"slug": project.lead_organisation.slug}),
                ("projects.invitation", {"token": token}),
                ("main.site_page", {"key": "privacy"}), ("main.site_page", {"key": "imprint"}),
                ("main.site_page", {"key": "accessibility"}),
                ("archive.case_study_in", {"slug": published.slug, "language": language}),
                ("evaluation.results", past),
            ],
            LEAD: [
                ("projects.dashboard", {}), ("projects.new", {}), ("notifications.index", {}),
                ("notifications.preferences", {}), ("auth.profile", {"user_id": lead.id}),
                ("auth.edit_profile", {}), ("auth.sessions_page", {}), ("auth.change_password", {}),
                ("orgs.create", {}), ("orgs.edit", {"slug": project.lead_organisation.slug}),
                ("projects.overview", ws), ("documents.index", ws), ("documents.new", ws),
                ("documents.deleted", ws), ("documents.view", doc), ("documents.edit", doc),
                ("documents.history", doc), ("documents.diff", doc), ("documents.manage", doc),
                ("documents.revision", {**doc, "number": 1}),
                ("calls.my_applications", {}), ("calls.apply", {"slug": OPEN_CALL}),
                ("files.index", ws), ("files.detail", {**ws, "file_id": item.id}),
                ("discussion.index", ws), ("discussion.new_thread", ws),
                ("discussion.show_thread", thread),
                ("discussion.show_post", {**thread, "post_id": post.id}),
                ("discussion.edit_post", {**thread, "post_id": post.id}),
                ("discussion.post_history", {**thread, "post_id": post.id}),
                ("chat.room", ws), ("projects.activity", ws), ("projects.members_page", ws),
                ("archive.workspace", ws), ("archive.preview", ws), ("projects.settings", ws),
                ("main.start", {}), ("projects.open_projects", {}), ("projects.partners_page", ws),
                ("pilots.mentoring_log", {"slug": mentored.project.slug}),
            ],
            ADMIN: [
                ("orgs.verification_queue", {}), ("archive.review_queue", {}),
                ("archive.review", {"case_study_id": published.id}), ("projects.all_projects", {}),
                ("calls.new", {}), ("calls.edit", {"slug": OPEN_CALL}),
                ("calls.applications", {"slug": PAST_CALL}),
                ("calls.application", {"application_id": submitted.application_id}),
                ("calls.receipt", {"application_id": submitted.application_id,
                                   "number": submitted.number}),
                ("projects.ask_to_join", ws), ("main.edit_site_page", {"key": "privacy"}),
                ("archive.translate", {"slug": published.slug}),
                ("evaluation.manage", past), ("evaluation.scores", past),
                ("evaluation.selection", past), ("pilots.grants_page", past),
            ],
            EVALUATOR: [
                ("evaluation.mine", past), ("evaluation.score", {**past, "ref": assessed.ref}),
            ],
        }
        urls = {who: [(endpoint, url_for(endpoint, **args)) for endpoint, args in listed]
                for who, listed in pages.items()}
        page_endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                          if "GET" in rule.methods and not rule.rule.startswith("/api/")}
        emails = {EVALUATOR: evaluator.email}
        db.session.remove()
    return {"urls": urls, "endpoints": page_endpoints, "emails": emails}


def test_every_page_is_on_the_phone_list(demo_pages):
    visited = {endpoint for listed in demo_pages["urls"].values() for endpoint, _ in listed}
    assert demo_pages["endpoints"] - visited - NOT_PAGES - NOT_YET_COVERED == set()


@pytest.mark.parametrize("who", [None, LEAD, ADMIN, EVALUATOR],
                         ids=["signed-out", "lead", "admin", "evaluator"])
def test_no_page_scrolls_sideways_on_a_phone(new_page, demo_pages, who):
    """...and the main pages pass axe at 390 px (checked on the same page load)."""
    email = demo_pages["emails"].get(who, who)
    page = sign_in(new_page, email, DEMO_PASSWORD) if who else new_page()
    problems = []
    for endpoint, url in demo_pages["urls"][who]:
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status}"
        if endpoint in AXE_PAGES:
            try:
                assert_accessible(page, context=f"{url} at {WIDTHS[0]}px")
            except AssertionError as error:
                problems.append(str(error))
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            found = page.evaluate(OVERFLOW_JS)
            if found["scroll"] > found["width"] or found["out"]:
                problems.append(f"{url} at {width}px: page {found['scroll']}px wide; {found['out']}")
    assert not problems, "\n".join(problems)


def test_phone_evaluators_tables_stack_instead_of_scrolling(new_page, demo_pages):
    """The call manager's evaluator and assignment tables: at 390 px each row is a small card
    (no sideways scrolling inside the card, every cell named); at 1280 px a plain table."""
    page = sign_in(new_page, ADMIN, DEMO_PASSWORD)
    url = dict(demo_pages["urls"][ADMIN])["evaluation.manage"]
    wide = "t => [...t].filter(e => e.scrollWidth > e.clientWidth + 1).length"
    for width, stacked in ((390, True), (1280, False)):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        tables = page.locator(".evaluation-table")
        assert tables.count() == 2
        assert tables.evaluate_all(wide) == 0, f"a table scrolls sideways at {width}px"
        assert page.locator(".evaluation-table .table-scroll, .table-scroll").count() == 0
        first_cell = page.locator(".evaluation-table td[data-label]").first
        label = first_cell.evaluate("td => getComputedStyle(td, '::before').content")
        display = first_cell.evaluate("td => getComputedStyle(td).display")
        assert ("Country" in label and display != "table-cell") if stacked \
            else display == "table-cell"


#: the scores, selection and results tables: which page, who, how many tables, a cell's label
STACKED_TABLES = [("evaluation.scores", ADMIN, 1, "Excellence"),
                  ("evaluation.selection", ADMIN, 2, "Applications"),
                  ("evaluation.results", None, 1, "Lead organisation")]


@pytest.mark.parametrize("endpoint,who,count,label", STACKED_TABLES,
                         ids=[endpoint for endpoint, *_ in STACKED_TABLES])
def test_phone_evaluation_tables_become_cards(new_page, demo_pages, endpoint, who, count, label):
    """At 390 px every row (the scores: every application) is a card that fits, every cell named
    by its column, nothing to scroll sideways; at 1280 px a plain table (axe: the page loop)."""
    page = sign_in(new_page, who, DEMO_PASSWORD) if who else new_page()
    url = dict(demo_pages["urls"][who])[endpoint]
    scrolls = "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).length"
    for width, stacked in ((390, True), (1280, False)):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        tables = page.locator(".evaluation-table.stack-table")
        assert tables.count() == count
        assert tables.evaluate_all(scrolls) == 0, f"a table is too wide at {width}px"
        assert page.locator(".table-scroll").evaluate_all(scrolls) == 0, \
            f"a table scrolls in its region at {width}px"
        unnamed = page.locator(".evaluation-table tbody td:not([data-label]):not([colspan])")
        assert unnamed.count() == 0, unnamed.first.inner_html()
        cell = page.locator(f".evaluation-table td[data-label^='{label}']").first
        before = cell.evaluate("td => getComputedStyle(td, '::before').content")
        display = cell.evaluate("td => getComputedStyle(td).display")
        assert (label in before and display != "table-cell") if stacked \
            else display == "table-cell"


def test_phone_chat_keeps_the_composer_on_screen_and_tabs_in_one_row(new_page, demo_pages):
    page = sign_in(new_page, LEAD, DEMO_PASSWORD)
    for width, height in ((390, 700), (320, 560)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/projects/{PROJECT}/chat")
        expect(page.locator("[data-chat-status]")).to_have_text("Connected")
        tab_tops = page.locator(".workspace-tabs li").evaluate_all(
            "items => new Set(items.map(li => li.offsetTop)).size")
        assert tab_tops == 1, "the workspace tabs wrap onto more than one row"
        expect(page.locator(".workspace-tabs [aria-current=page]")).to_be_in_viewport()
        composer = page.locator("[data-chat-input]").bounding_box()
        send = page.get_by_role("button", name="Send").bounding_box()
        assert composer["y"] > 0 and send["y"] + send["height"] <= height, \
            f"composer not on screen at {width}×{height} without scrolling"
        assert page.evaluate("document.scrollingElement.scrollTop") == 0
    assert_accessible(page, context="chat on a phone")


def _tab_to(page, condition: str, limit: int = 40) -> None:
    """Press Tab until `condition` (JS, given the focused element `el`) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({condition}); }})()"):
            return
    raise AssertionError(f"never reached an element where {condition}")


def test_keyboard_only_phone_visitor_applies_two_filters_and_opens_a_result(new_page, demo_pages):
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/archive/")
    _tab_to(page, "el.matches('[data-filters-toggle]')")
    expect(page.locator("[data-filters-toggle]")).to_have_text("Filters")
    page.keyboard.press("Enter")
    expect(page.locator("[data-filters-toggle]")).to_have_attribute("aria-expanded", "true")
    assert_accessible(page, context="archive filters open on a phone")

    _tab_to(page, "el.closest('[data-facet=country]')")
    page.keyboard.press("Space")
    announce = page.locator("[data-results-announce]")
    expect(announce).not_to_be_empty()
    first_count = announce.text_content()
    assert page.evaluate("document.activeElement.checked"), "focus left the ticked box"
    _tab_to(page, "el.closest('[data-facet=area]') && "
                  "el.parentElement.querySelector('.count').textContent !== '(0)'")
    page.keyboard.press("Space")
    expect(announce).not_to_have_text(first_count)
    assert page.evaluate("document.activeElement.checked"), "focus left the ticked box"
    expect(page.locator("[data-filters-toggle]")).to_have_text("Filters (2)")
    assert "country=" in page.url and "area=" in page.url  # the address can be shared

    page.keyboard.press("Escape")  # closes the panel, back on its button
    expect(page.locator("[data-filters-toggle]")).to_be_focused()
    expect(page.locator("[data-filters-toggle]")).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".filter-chips li")).to_have_count(2)
    _tab_to(page, "el.matches('.case-item h3 a')")
    title = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


#: focuses every focusable element and measures its outline against the colour behind it
RING_CONTRAST_JS = """() => {
  const lum = (c) => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const behind = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
    const c = getComputedStyle(p).backgroundColor;
    if (!/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
  const weak = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')) {
    if (!el.getClientRects().length || el.disabled || el.closest('[hidden]')) continue;
    el.focus({focusVisible: true});
    if (document.activeElement !== el) continue;
    const style = getComputedStyle(el);
    const a = lum(style.outlineColor), b = lum(behind(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2 || ratio < 3)
      weak.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${ratio.toFixed(2)}:1`);
  }
  return weak;
}"""


def test_focus_ring_has_three_to_one_contrast_wherever_it_appears(new_page, demo_pages):
    page = sign_in(new_page, LEAD, DEMO_PASSWORD)
    for url in ("/archive/", f"/projects/{PROJECT}/", f"/projects/{PROJECT}/chat",
                f"/projects/{PROJECT}/members"):
        page.goto(url)
        page.keyboard.press("Tab")  # keyboard modality, so :focus-visible applies
        assert page.evaluate(RING_CONTRAST_JS) == [], url
