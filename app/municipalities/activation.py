"""Activation links for everyone here who has not chosen a password yet: e-mailed, or as a CSV
or slips to print. Background jobs: a new municipality's roster holds thousands of people, and
10,000 slips took about a minute."""

from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.auth.links import LinkPurpose, link_url
from app.auth.models import User
from app.auth.services import send_activation_links
from app.auth.slips import activation_slips_pdf
from app.core.exports import csv_bytes
from app.core.jobs import services as jobs
from app.core.jobs.models import Job
from app.municipalities import queries
from app.municipalities.access import may_manage_people, visible_municipality
from app.municipalities.models import Municipality


def start(owner: User, place: Municipality, kind: str, back: str) -> Job:
    """Queue the links as "csv", "pdf" (slips) or "send" (e-mail to each person)."""
    waiting = queries.count_waiting_for_activation(place, owner)
    job_kind = "activation_send" if kind == "send" else "activation_links"
    return jobs.start(job_kind, owner, waiting, {"code": place.code, "kind": kind}, back)


def _waiting(job: Job) -> tuple[Municipality, list[User], User]:
    """The municipality and its people waiting for a link, as the job's owner may see them now.

    :raise JobFailed: the owner may no longer manage that municipality's people.
    """
    owner = job.owner
    place = visible_municipality(owner, job.params["code"])
    if place is None or not may_manage_people(owner):
        raise jobs.JobFailed(_("Du har inte längre behörighet till den här filen."))
    return place, queries.waiting_for_activation(place, owner), owner


@jobs.handler("activation_links", _l("Aktiveringslänkar"))
def _links(job: Job, path: Path, progress) -> str:
    """The links as CSV, or as slips to print (four to an A4 page)."""
    place, waiting, _owner = _waiting(job)
    people = (
        (person.name, person.email, link_url(person, LinkPurpose.ACTIVATE))
        for person in jobs.counted(waiting, progress)
    )
    name = f"aktiveringslankar-{place.code}"
    if job.params["kind"] == "csv":
        path.write_bytes(csv_bytes([_("Namn"), _("E-post"), _("Aktiveringslänk")], people))
        return f"{name}.csv"
    path.write_bytes(activation_slips_pdf(people, place.name))
    return f"{name}.pdf"


@jobs.handler("activation_send", _l("Aktiveringslänkar per e-post"))
def _send(job: Job, _path: Path, _progress) -> tuple[str, str]:
    """An activation e-mail to each person (queued in the outbox, which the worker sends)."""
    _place, waiting, owner = _waiting(job)
    count = send_activation_links(waiting, by=owner)
    return "", ngettext(
        "Klart: en aktiveringslänk skickas till %(num)d person.",
        "Klart: aktiveringslänkar skickas till %(num)d personer.",
        count,
    )
