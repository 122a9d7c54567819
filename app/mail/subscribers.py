"""What mail does when another domain needs a person told (`app.core.events`)."""

from app.auth.links import LinkPurpose
from app.auth.models import User
from app.core.events import account_link_issued
from app.mail.services import queue_mail

TEMPLATE_OF = {LinkPurpose.ACTIVATE: "activation", LinkPurpose.RESET: "password_reset"}


@account_link_issued.connect
def _send_link(user: User, purpose: LinkPurpose, link: str) -> None:
    """The person's activation or reset link, in their language (queued in the sender's
    transaction; sent after the response)."""
    queue_mail(TEMPLATE_OF[purpose], user.email, user.locale, user=user, link=link)
