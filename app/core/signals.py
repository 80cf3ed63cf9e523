"""Signals between features (blinker), so that features do not import each other in circles.

Senders pass keyword arguments named in each signal's doc; receivers must not raise. A signal
is declared here only once something receives it (a signal nobody hears is dead code).
"""
from blinker import Namespace

_signals = Namespace()

#: project=, actor=, user=, role=  (a user joined or was added)
member_added = _signals.signal("member-added")
#: project=, actor=, user=, old_role=, new_role=
member_role_changed = _signals.signal("member-role-changed")
#: project=, actor=, user=  (removed or left; receivers drop live subscriptions)
member_removed = _signals.signal("member-removed")
#: project=, actor=, old_status=, new_status=, reason=
project_status_changed = _signals.signal("project-status-changed")
#: project=, actor=, invitee=  (an invitation for a registered user)
invitation_created = _signals.signal("invitation-created")
#: project=, actor=, join_request=  (a person asked to join a project looking for partners)
join_requested = _signals.signal("join-requested")
#: project=, actor=, user=, status=  ("accepted" or "declined": a lead answered a request)
join_request_decided = _signals.signal("join-request-decided")
#: organisation=, actor=  (a person asked to join; sent after the commit)
membership_requested = _signals.signal("membership-requested")
#: organisation=, actor=, user=, status=  ("verified" or "declined": a request was answered)
membership_decided = _signals.signal("membership-decided")
#: organisation=, actor=, user=  (named one of the organisation's administrators)
organisation_admin_named = _signals.signal("organisation-admin-named")
#: organisation=, actor=  (a person added an organisation: it waits for verification)
organisation_added = _signals.signal("organisation-added")
#: organisation=, actor=, user=, status=  ("verified" or "declined"; user: who added it, or None)
organisation_verification_decided = _signals.signal("organisation-verification-decided")
#: case_study=, actor=  (a curator published a case study; sent after the commit)
case_study_published = _signals.signal("case-study-published")
#: sender: the app (after a commit, and again once the search index caught up, that changed what
#: the public archive shows: a case study published, updated, withdrawn, translated, imported)
archive_changed = _signals.signal("archive-changed")
