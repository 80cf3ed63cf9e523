"""The evaluation in a real browser: the manager assigns evaluators automatically, an evaluator
saves a draft and submits the scores of two applications, the manager reads the score table,
records a consensus, proposes a selection, excludes one application by hand, sees the figures
change and publishes; the manager opens the pilots and grants; the applicant signs in, reads
the decision on the application and opens the pilot's new workspace. Every page passes axe
(no serious or critical violations).
With SCREENSHOTS_DIR set, each page is also saved at 390 and 1280 pixels wide."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.evaluation.factories import (
    application, applications_of, make_evaluator, make_manager, make_programme, make_user,
)

from .conftest import assert_accessible, sign_in


def snapshot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS_DIR")
    if not folder:
        return
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture(scope="module")
def programme(live_server):
    app = live_server.app()
    with app.app_context():
        call = make_programme(application("MIP-001", "IT"),
                              application("MIP-002", "FR", areas=("ar-vr", "collections")),
                              evaluators_per_application=1)
        _, evaluator = make_evaluator(call, "PL")
        manager, applicant = make_manager(), make_user()
        selected = applications_of(call)["MIP-001"]
        selected.owner_id = applicant.id
        db.session.commit()
        found = {"slug": call.slug, "evaluator": evaluator.email, "manager": manager.email,
                 "applicant": applicant.email, "application": selected.id}
        db.session.remove()
    return found


def test_manager_assigns_evaluator_scores_manager_records_consensus(new_page, programme):
    slug = programme["slug"]
    manager = sign_in(new_page, programme["manager"])
    manager.goto(f"/calls/{slug}/evaluation")
    manager.get_by_role("button", name="Assign automatically").click()
    expect(manager.get_by_text("Every application has its evaluators.")).to_be_visible()
    assert_accessible(manager, context="manager's evaluation page")
    snapshot(manager, "evaluation-manage")

    evaluator = sign_in(new_page, programme["evaluator"])
    evaluator.goto(f"/calls/{slug}/evaluate")
    assert_accessible(evaluator, context="evaluator's list")
    snapshot(evaluator, "evaluation-mine")
    for ref, (excellence, impact) in (("MIP-001", ("4", "3")), ("MIP-002", ("5", "4"))):
        evaluator.goto(f"/calls/{slug}/evaluate")
        evaluator.get_by_role("link", name=f"{ref} Pilot {ref}").click()
        expect(evaluator.get_by_role("heading", level=1)).to_contain_text(ref)
        evaluator.get_by_label("Score (0–5)").first.select_option(excellence)
        evaluator.get_by_label("Comment").first.fill("Clear plan, modest reach.")
        evaluator.get_by_role("button", name="Save draft").click()
        expect(evaluator.get_by_text("Your draft is saved.")).to_be_visible()
        if ref == "MIP-001":
            assert_accessible(evaluator, context="scoring page")
            snapshot(evaluator, "evaluation-score")
        evaluator.get_by_label("Score (0–5)").nth(1).select_option(impact)
        evaluator.get_by_role("button", name="Submit evaluation").click()
        expect(evaluator.get_by_text("Your evaluation is submitted.")).to_be_visible()
        expect(evaluator.get_by_role("button", name="Reopen to change")).to_be_visible()

    manager.goto(f"/calls/{slug}/evaluation/scores")
    expect(manager.locator("#app-MIP-002")).to_contain_text("4.6")
    manager.get_by_label("Consensus score").first.fill("3.7")
    manager.get_by_label("Consensus comment").first.fill("Agreed: a sound pilot.")
    manager.get_by_role("button", name="Save consensus MIP-001").click()
    expect(manager.get_by_text("The consensus for MIP-001 has been saved.")).to_be_visible()
    assert_accessible(manager, context="score table")
    snapshot(manager, "evaluation-scores")

    manager.get_by_role("link", name="Selection").click()
    expect(manager.get_by_role("heading", name="Propose a selection")).to_be_visible()
    summary = manager.locator(".selection-summary")
    expect(summary).to_contain_text("2 (proposal: 2)")
    assert_accessible(manager, context="selection page")
    snapshot(manager, "evaluation-selection")
    manager.get_by_label("Reason for MIP-002").fill("The museum withdrew.")
    manager.get_by_role("button", name="Exclude MIP-002").click()
    expect(manager.get_by_text("not selected: excluded by hand: The museum withdrew.")
           ).to_be_visible()
    expect(summary).to_contain_text("1 (proposal: 2)")
    manager.once("dialog", lambda dialog: dialog.accept())
    manager.get_by_role("button", name="Publish the decisions").click()
    expect(manager.get_by_text("The decisions are published: 1 application selected.")
           ).to_be_visible()

    manager.get_by_role("link", name="Pilots and grants").click()
    expect(manager.locator(".grant-totals")).to_contain_text("€20,000")
    assert_accessible(manager, context="pilots and grants")
    snapshot(manager, "pilots-grants")

    applicant = sign_in(new_page, programme["applicant"])
    applicant.goto(f"/applications/{programme['application']}")
    decision = applicant.locator(".decision")
    expect(decision).to_contain_text("Selected")
    assert_accessible(applicant, context="the decision on the application")
    snapshot(applicant, "application-decision")
    applicant.get_by_role("link", name="Open the pilot's workspace").click()
    expect(applicant.locator(".pilot-card")).to_contain_text("MIP-001")
    expect(applicant.get_by_role("link", name="Proposal")).to_be_visible()
    assert_accessible(applicant, context="the pilot's workspace")
    snapshot(applicant, "pilot-workspace")
