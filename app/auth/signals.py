"""Signals of the auth domain, for other domains to act on without auth importing them."""

from blinker import Namespace

signals = Namespace()
# Someone stopped being an active agent (their role changed, or their account was deactivated):
# sent with the user as sender and `by` (the user who made the change, or None for the CLI).
# Certification ends with it (the certificates domain revokes the agent certificate).
agent_role_ended = signals.signal("agent-role-ended")
