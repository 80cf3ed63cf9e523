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
