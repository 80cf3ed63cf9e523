"""The write side of applications: start a draft, save it (merging co-applicants' edits),
invite co-applicants, attach files, submit, withdraw, and managers' eligibility overrides.

Every function takes the acting user, asks `app.policy`, checks everything before writing and
commits once. While a call accepts applications (open, and before its closing moment, checked
here to the second) a draft may be saved and submitted again; afterwards nothing changes.
"""
import json
import re
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..core.errors import Conflict, NotFound, ValidationError
from ..core.text import clean_text, normalise_email
from ..core.time import utcnow
from ..documents.services import merge_edits
from ..extensions import db
from ..files.services import store_upload
from ..orgs.models import Organisation
from ..orgs.services import OrganisationInput, match_or_add
from ..policy import authorize, can
from . import eligibility, receipts
from .application_content import TEXT_FIELDS, budget_total, clean_content, empty_content, \
    get_field, set_field
from .application_models import (Application, ApplicationAttachment, ApplicationMember,
                                  ApplicationRevision, CallLogEntry)
from .queries import accepting
from .submission import freeze, judge, set_partners

SAVE_ATTEMPTS = 3
MAX_ATTACHMENTS, ATTACHMENT_MB = 10, 20
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class SaveOutcome:
    application: Application
    revision: int
    #: someone else's save was merged in (the page should show the merged text)
    merged: bool = False
    #: passages both changed: both kept between conflict markers
    conflicts: int = 0


def _ensure_open(call, now=None) -> None:
    if not accepting(call, now):
        raise Conflict(_("This call closed on %(moment)s UTC: applications can no longer be "
                         "changed or submitted.", moment=call.closes_at.strftime(
                             "%Y-%m-%d %H:%M")))


def _add_revision(application: Application, content: dict, user) -> None:
    application.revision = (application.revision or 0) + 1
    db.session.add(ApplicationRevision(application_id=application.id, number=application.revision,
                                       content=content, author_id=getattr(user, "id", None)))


def start_application(user, call, lead_id, title="") -> Application:
    """A new draft for `call` led by an organisation `user` is a verified member of."""
    authorize(user, "call.view", call)
    _ensure_open(call)
    lead = db.session.get(Organisation, lead_id) if str(lead_id).isdigit() and int(
        lead_id) < 2**31 else None
    if lead is None or not can(user, "organisation.act", lead):
        raise ValidationError(_("Choose an organisation you are a verified member of."),
                              field="lead")
    title = clean_text(title, field="title", max_length=200)
    taken = db.session.execute(select(func.count()).select_from(Application).where(
        Application.call_id == call.id, Application.lead_organisation_id == lead.id)
    ).scalar_one()
    if taken >= (call.applications_per_lead or 1):
        raise ValidationError(ngettext(
            "%(org)s already leads an application to this call (one is allowed).",
            "%(org)s already leads %(num)d applications to this call (the most allowed).",
            call.applications_per_lead or 1, org=lead.name), field="lead")
    content = empty_content() | {"title": title}
    application = Application(call=call, ref=f"A-{secrets.token_hex(4).upper()}",
                              status="draft", owner_id=user.id, lead_organisation=lead,
                              title=title, content=content, revision=0)
    db.session.add(application)
    db.session.flush()
    _add_revision(application, content, user)
    db.session.commit()
    return application


def _partners(user, ids: list[int], lead_id: int, new_partner: dict | None) -> list:
    found = {o.id: o for o in db.session.execute(
        select(Organisation).where(Organisation.id.in_(ids))).scalars()} if ids else {}
    missing = [i for i in ids if i not in found]
    if missing or lead_id in ids:
        raise ValidationError(_("Choose partners from the directory (not the lead itself)."),
                              field="partners")
    partners = [found[i] for i in ids]
    if new_partner and any((new_partner.get(k) or "").strip() for k in ("name", "website")):
        try:
            added = match_or_add(OrganisationInput(
                name=new_partner.get("name") or "", kind=new_partner.get("kind") or "",
                country=new_partner.get("country") or "", website=new_partner.get("website") or
                "", size=new_partner.get("size") or None), by=user)
        except ValidationError as error:
            raise ValidationError(error.message, field=f"new_partner_{error.field}") from None
        if added.id != lead_id and added not in partners:
            partners.append(added)
    return partners


def _merge(base: dict, theirs: dict, mine: dict) -> tuple[dict, int]:
    """Field by field: a field only one side changed takes that side; texts both changed are
    merged line by line (conflicting passages both kept); lists both changed are merged row by
    row; other fields both changed (the title): mine."""
    merged, conflicts = dict(mine), 0
    merged["sections"] = dict(mine.get("sections") or {})
    for key in set(mine) - {"sections"}:
        if mine.get(key) == base.get(key):
            merged[key] = theirs.get(key)
        elif isinstance(mine.get(key), list) and theirs.get(key) != base.get(key):
            merged[key] = _merge_rows(base.get(key) or [], theirs.get(key) or [], mine[key])
    for path in TEXT_FIELDS:
        b, t, m = get_field(base, path), get_field(theirs, path), get_field(mine, path)
        if m == b:
            set_field(merged, path, t)
        elif t != b and t != m:
            result = merge_edits(b, t, m)
            set_field(merged, path, result.text)
            conflicts += result.conflicts
    return merged, conflicts


def _merge_rows(base: list, theirs: list, mine: list) -> list:
    """Lists both sides changed (budget lines, milestones, partners, areas): my rows, minus
    the rows they removed, plus the rows they added; a row both edited is kept in both
    versions, so no line either person typed is lost."""
    def key(row):
        return json.dumps(row, sort_keys=True)
    base_keys, their_keys = {key(r) for r in base}, {key(r) for r in theirs}
    removed_by_them = base_keys - their_keys
    rows = [r for r in mine if key(r) not in removed_by_them]
    present = {key(r) for r in rows}
    for row in theirs:
        if key(row) not in base_keys and key(row) not in present:
            rows.append(row)
            present.add(key(row))
    return rows


def save_draft(user, application: Application, data: dict, base_revision,
               new_partner: dict | None = None) -> SaveOutcome:
    """Save the form as it was edited from revision `base_revision`; if someone saved since,
    their changes and these are merged (nothing either typed is lost). A save that changes
    nothing adds no revision."""
    authorize(user, "application.edit", application)
    _ensure_open(application.call)
    base_number = int(base_revision) if str(base_revision).isdigit() and int(
        base_revision) < 2**31 else -1
    mine = clean_content(data, len(application.call.declarations or []))
    application_id = application.id
    for attempt in range(SAVE_ATTEMPTS):
        outcome = _try_save(user, application, mine, base_number, new_partner)
        try:
            db.session.commit()
            return outcome
        except IntegrityError:  # a co-applicant took the same revision number: merge again
            db.session.rollback()
            if attempt == SAVE_ATTEMPTS - 1:
                raise Conflict() from None
            application = db.session.get(Application, application_id, populate_existing=True)
    raise Conflict()  # pragma: no cover


def _try_save(user, application, mine, base_number, new_partner) -> SaveOutcome:
    current = application.revision
    if not 1 <= base_number <= current:
        raise ValidationError(_("The revision this edit started from does not exist."),
                              field="base_revision")
    merged, conflicts = False, 0
    if base_number != current:
        base = db.session.execute(select(ApplicationRevision.content).where(
            ApplicationRevision.application_id == application.id,
            ApplicationRevision.number == base_number)).scalar_one()
        mine, conflicts = _merge(base, application.content or empty_content(), mine)
        merged = True
    partners = _partners(user, mine["partners"], application.lead_organisation_id, new_partner)
    mine["partners"] = [p.id for p in partners]
    if mine == application.content:
        return SaveOutcome(application, current, merged, conflicts)
    application.content = mine
    application.title, application.areas = mine["title"], mine["areas"]
    application.requested_eur = budget_total(mine)
    set_partners(application, partners)
    _add_revision(application, mine, user)
    return SaveOutcome(application, application.revision, merged, conflicts)


def invite_coapplicant(user, application: Application, email) -> ApplicationMember:
    authorize(user, "application.edit", application)
    _ensure_open(application.call)
    address = normalise_email(clean_text(email, field="email", max_length=254))
    if not EMAIL_RE.match(address):
        raise ValidationError(_("Give an e-mail address, e.g. name@museum.eu."), field="email")
    invitee = db.session.execute(select(User).where(User.email == address)).scalar_one_or_none()
    if any(m.email == address for m in application.members) or (
            invitee is not None and invitee.id == application.owner_id):
        raise ValidationError(_("This person can already edit the application."), field="email")
    member = ApplicationMember(email=address, user_id=getattr(invitee, "id", None),
                               invited_by_id=user.id)
    application.members.append(member)
    pending = receipts.invited(application, user, invitee, address)
    db.session.commit()
    receipts.send(pending)
    return member


def add_attachment(user, application: Application, stream, filename) -> ApplicationAttachment:
    authorize(user, "application.edit", application)
    _ensure_open(application.call)
    if len(application.attachments) >= MAX_ATTACHMENTS:
        raise ValidationError(_("At most %(n)s attachments.", n=MAX_ATTACHMENTS), field="file")
    blob, name = store_upload(stream, filename, ATTACHMENT_MB * 1024 * 1024)
    attachment = ApplicationAttachment(blob=blob, name=name, uploaded_by_id=user.id)
    application.attachments.append(attachment)
    db.session.commit()
    return attachment


def remove_attachment(user, application: Application, attachment_id) -> None:
    authorize(user, "application.edit", application)
    _ensure_open(application.call)
    found = next((a for a in application.attachments if str(a.id) == str(attachment_id)), None)
    if found is None:
        raise NotFound()
    application.attachments.remove(found)
    db.session.commit()


def submit(user, application: Application, now=None):
    """Freeze the current draft as the submitted version that counts. Refused when a required
    field is missing or the budget is over the maximum grant; the other eligibility items
    (country, kind, size, partners, areas) are recorded for the managers, not refused."""
    authorize(user, "application.edit", application)
    now = now or utcnow()
    _ensure_open(application.call, now)
    content = application.content or empty_content()
    items = judge(application, content)
    blocking = [i for i in items if not i.ok and i.key in ("required", "budget", "lead")]
    if blocking:
        db.session.rollback()
        raise ValidationError(" ".join(i.detail for i in blocking), field=blocking[0].key)
    version = freeze(application, content, now, by=user)
    pending = receipts.submitted(application, version, user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("Someone submitted this application at the same moment.")) from None
    receipts.send(pending)
    return version


def withdraw(user, application: Application) -> Application:
    authorize(user, "application.edit", application)
    _ensure_open(application.call)
    if application.status != "submitted":
        raise Conflict(_("Only a submitted application can be withdrawn."))
    application.status = "withdrawn"
    db.session.commit()
    return application


def override_eligibility(user, application: Application, verdict, reason) -> CallLogEntry:
    """A manager's verdict over the automatic one (or back to automatic), with a reason kept
    in the call's log."""
    authorize(user, "call.manage")
    choices = {"eligible": True, "ineligible": False, "automatic": None}
    if verdict not in choices:
        raise ValidationError(_("Choose eligible, not eligible or automatic."), field="verdict")
    reason = clean_text(reason, field="reason", max_length=2000, multiline=True, required=True,
                        empty=_("Write the reason for this decision."))
    application.eligibility_override = choices[verdict]
    application.override_reason = reason if verdict != "automatic" else ""
    entry = CallLogEntry(call_id=application.call_id, application_id=application.id,
                         actor_id=user.id, action=f"eligibility.{verdict}", message=reason)
    db.session.add(entry)
    db.session.commit()
    return entry


def eligibility_preview(application: Application) -> list:
    """The items as they stand for the current draft (shown before submitting)."""
    return eligibility.check(application.call, application.content or empty_content(),
                             application.lead_organisation,
                             [p.organisation for p in application.partners],
                             requested=application.requested_eur)
