"""Applications: start, save with revisions, submit with a receipt (SHA-256 of the canonical
JSON), notification and e-mail, withdraw and resubmit, the closing moment to the second, the
budget limit, eligibility flags and the managers' override, one application per lead."""
import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.calls import applications as services
from app.calls.application_models import (Application, ApplicationRevision, ApplicationVersion,
                                          CallLogEntry)
from app.core.errors import Conflict, ValidationError
from app.core.time import utcnow
from app.extensions import db
from app.notifications.models import Notification
from tests.conftest import client_for
from tests.factories import make_org, make_user
from tests.notifications.test_digest import smtp_inbox  # noqa: F401 - a fixture

from .application_factories import full_content, make_applicant, make_application
from .factories import make_call, make_manager


def _count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_an_applicant_starts_saves_and_submits_and_sees_the_receipt(app):
    call = make_call("open", declarations="We agree to publish a case study.")
    owner, museum = make_applicant()
    application = make_application(call, owner, museum)
    assert application.revision == 2 and application.requested_eur == 20000
    client = client_for(app, owner)
    response = client.post(f"/applications/{application.id}/submit")
    assert response.status_code == 302
    version = db.session.execute(select(ApplicationVersion)).scalar_one()
    assert version.sha256 == hashlib.sha256(version.canonical_json.encode()).hexdigest()
    record = json.loads(version.canonical_json)
    assert record["lead"]["name"] == museum.name and record["requested_eur"] == 20000
    assert record["declarations"] == ["We agree to publish a case study."]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert version.sha256 in page and "was submitted" in page
    db.session.refresh(application)
    assert application.status == "submitted" and application.eligible is True
    assert _count(Notification, Notification.user_id == owner.id,
                  Notification.kind == "application") == 1


def test_the_receipt_is_emailed_when_smtp_is_configured(app, smtp_inbox):  # noqa: F811
    call = make_call("open")
    owner, museum = make_applicant()
    application = make_application(call, owner, museum)
    version = services.submit(owner, application)
    (recipients, mail), = smtp_inbox.messages
    assert recipients == [owner.email] and version.sha256 in mail.get_payload(decode=True).decode()


def test_a_submission_one_second_after_closing_is_refused(app):
    call = make_call("open")
    application = make_application(call)
    owner = application.owner
    with pytest.raises(Conflict):
        services.submit(owner, application, now=call.closes_at + timedelta(seconds=1))
    assert services.submit(owner, application, now=call.closes_at - timedelta(seconds=1))
    assert _count(ApplicationVersion) == 1


def test_after_the_closing_moment_nothing_changes_and_the_draft_stays_readable(app):
    call = make_call("open")
    application = make_application(call)
    owner = application.owner
    call.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    client = client_for(app, owner)
    page = client.get(f"/applications/{application.id}")
    assert page.status_code == 200 and "can no longer be changed" in page.get_data(as_text=True)
    revision = application.revision
    assert client.post(f"/applications/{application.id}", data={
        "title": "Late", "base_revision": str(revision)}).status_code == 409
    assert client.post(f"/applications/{application.id}/submit").status_code == 409
    assert client.post(f"/applications/{application.id}/invite",
                       data={"email": "x@example.org"}).status_code == 409
    db.session.refresh(application)
    assert application.revision == revision and _count(ApplicationVersion) == 0


def test_a_budget_over_the_maximum_grant_is_refused(app):
    call = make_call("open", max_grant_eur="30000")
    owner, museum = make_applicant()
    partner = make_org(kind="technology")
    application = services.start_application(owner, call, museum.id)
    services.save_draft(owner, application, full_content(call, partner, budget=[
        {"category": "personnel", "description": "Staff", "amount": "25000"},
        {"category": "equipment", "description": "Scanner", "amount": "6000"}]),
        application.revision)
    assert application.requested_eur == 31000
    with pytest.raises(ValidationError) as refused:
        services.submit(owner, application)
    assert "30,000" in refused.value.message
    assert _count(ApplicationVersion) == 0 and application.status == "draft"


def test_an_ineligible_country_is_flagged_and_a_manager_overrides_it_with_a_reason(app):
    call = make_call("open")
    owner, museum = make_applicant(country="CH")
    application = make_application(call, owner, museum)
    services.submit(owner, application)
    assert application.eligible is False
    assert [i["key"] for i in application.eligibility if not i["ok"]] == ["country"]
    manager = make_manager()
    client = client_for(app, manager)
    refused = client.post(f"/applications/{application.id}/eligibility",
                          data={"verdict": "eligible", "reason": "  "})
    assert refused.status_code == 400 and "reason" in refused.get_data(as_text=True)
    assert client.post(f"/applications/{application.id}/eligibility", data={
        "verdict": "eligible", "reason": "Swiss partner rules apply"}).status_code == 302
    db.session.refresh(application)
    assert application.verdict is True and application.eligible is False
    entry = db.session.execute(select(CallLogEntry)).scalar_one()
    assert entry.message == "Swiss partner rules apply" and entry.actor_id == manager.id
    assert "Swiss partner rules apply" in client.get(
        f"/calls/{call.slug}/applications").get_data(as_text=True)


def test_withdraw_and_resubmit_keeps_every_version_and_the_last_counts(app):
    call = make_call("open")
    application = make_application(call)
    owner = application.owner
    first = services.submit(owner, application)
    services.withdraw(owner, application)
    assert application.status == "withdrawn"
    services.save_draft(owner, application, application.content | {"title": "Better title"},
                        application.revision)
    second = services.submit(owner, application)
    assert (first.number, second.number) == (1, 2) and first.sha256 != second.sha256
    assert application.submitted_version == 2 and application.status == "submitted"
    assert json.loads(second.canonical_json)["title"] == "Better title"


def test_one_application_per_lead_organisation_unless_the_call_allows_more(app):
    call = make_call("open")
    owner, museum = make_applicant()
    colleague = make_user()
    museum.memberships[0].organisation.memberships.append(
        type(museum.memberships[0])(user_id=colleague.id, status="verified"))
    db.session.commit()
    services.start_application(owner, call, museum.id)
    with pytest.raises(ValidationError) as refused:
        services.start_application(colleague, call, museum.id)
    assert refused.value.field == "lead"
    roomy = make_call("open", applications_per_lead="2")
    services.start_application(owner, roomy, museum.id)
    assert services.start_application(colleague, roomy, museum.id)


def test_only_organisations_you_verifiably_belong_to_can_lead(app):
    call = make_call("open")
    user = make_user()
    stranger_museum = make_org()
    pending_museum = make_org(pending=[user])
    for org in (stranger_museum, pending_museum):
        with pytest.raises(ValidationError):
            services.start_application(user, call, org.id)
    assert _count(Application) == 0


def test_a_coapplicant_invited_by_email_edits_the_draft(app):
    call = make_call("open")
    application = make_application(call)
    partner_person = make_user()
    client = client_for(app, application.owner)
    assert client.post(f"/applications/{application.id}/invite",
                       data={"email": partner_person.email.upper()}).status_code == 302
    theirs = client_for(app, partner_person)
    assert theirs.get(f"/applications/{application.id}").status_code == 200
    services.save_draft(partner_person, application, application.content | {
        "summary": "Improved by the partner."}, application.revision)
    assert application.content["summary"] == "Improved by the partner."
    assert _count(Notification, Notification.user_id == partner_person.id) == 1


def test_an_address_without_an_account_yet_is_let_in_once_it_registers(app):
    call = make_call("open")
    application = make_application(call)
    services.invite_coapplicant(application.owner, application, "later@example.org")
    later = make_user(email="later@example.org")
    assert client_for(app, later).get(f"/applications/{application.id}").status_code == 200


def test_a_save_that_changes_nothing_adds_no_revision(app):
    call = make_call("open")
    application = make_application(call)
    before = _count(ApplicationRevision)
    outcome = services.save_draft(application.owner, application, application.content,
                                  application.revision)
    assert outcome.revision == application.revision and _count(ApplicationRevision) == before


def test_attachments_are_sniffed_like_the_files_feature(app, uploads_dir):
    import io
    call = make_call("open")
    application = make_application(call)
    client = client_for(app, application.owner)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    ok = client.post(f"/applications/{application.id}/attachments",
                     data={"file": (io.BytesIO(pdf), "budget.pdf")},
                     content_type="multipart/form-data", follow_redirects=True)
    assert ok.status_code == 200 and "budget.pdf" in ok.get_data(as_text=True)
    bad = client.post(f"/applications/{application.id}/attachments",
                      data={"file": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "cv.pdf")},
                      content_type="multipart/form-data")
    assert bad.status_code in (400, 415)
    db.session.refresh(application)
    assert [a.name for a in application.attachments] == ["budget.pdf"]
    download = client.get(f"/applications/{application.id}/attachments/"
                          f"{application.attachments[0].id}")
    assert download.status_code == 200 and download.data == pdf
