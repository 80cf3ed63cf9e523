"""Signals between features (blinker), so that features do not import each other in circles.

Senders pass keyword arguments named in each signal's doc; receivers must not raise.
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
#: document=, revision=, actor=
document_saved = _signals.signal("document-saved")
#: file=, actor=
file_uploaded = _signals.signal("file-uploaded")
#: case_study=, actor=, old_status=, new_status=, comment=  (submitted, published, returned,
#: withdrawn; sent after the commit; case_study.project is None for imported case studies)
case_study_status_changed = _signals.signal("case-study-status-changed")
