"""Writes of the certificates domain: issuing on completion, revoking, the print pack."""

import itertools
import logging
import zipfile
from collections.abc import Iterable
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.certificates import queries
from app.certificates.access import Scope, may_list, scope_of
from app.certificates.codes import display_code, new_code
from app.certificates.models import Certificate, valid_certificate_rule
from app.certificates.pdf import CertificatePage, write_pages
from app.core.audit import AuditAction, audit
from app.core.errors import DomainError, one_transaction
from app.core.events import (
    agent_role_ended,
    certificate_revoked,
    completion_withdrawn,
    course_completed,
)
from app.core.exports import csv_bytes, local_time
from app.core.jobs import services as jobs
from app.core.jobs.models import Job
from app.core.time import utcnow
from app.core.urls import external_url
from app.courses.models import Audience, Course, CourseCompletion
from app.extensions import db
from app.mail.services import queue_mail
from app.training.models import TrainingSession

log = logging.getLogger(__name__)
PART_SIZE = 1000  # certificates per PDF of a large print pack (a print job of its own)
PACK_TITLE = "Intyg – utskriftspaket"  # the PDF's title, in the certificates' language
# Kept on the record in the programme's language, whoever's interface marked the absence.
WITHDRAWN_REASON = "Närvaron vid utbildningstillfället ändrades till frånvarande."
ROLE_ENDED_REASON = "Inte längre aktiv mötesagent."


class NotCompleted(DomainError):
    """The user has not completed the course: no certificate can be issued."""


def issue_certificate(user: User, course: Course) -> Certificate:
    """Issue the user's certificate for a completed course, or return the valid one already issued.

    :raise NotCompleted: there is no completion of this course by this user.
    """
    completion = db.session.scalar(
        db.select(CourseCompletion).filter_by(user_id=user.id, course_id=course.id)
    )
    if completion is None:
        raise NotCompleted(f"{user.email} has not completed {course.slug}")
    issue_certificates(course, [completion])
    db.session.commit()
    return db.session.scalar(
        db.select(Certificate)
        .filter_by(user_id=user.id, course_id=course.id)
        .where(valid_certificate_rule())
    )


def issue_certificates(course: Course, completions: list[CourseCompletion]) -> list[Certificate]:
    """Issue certificates for completions that have no valid one (a fixed number of statements;
    the caller commits).

    Holder name, trainer name and course title are copied onto the certificate: later renames
    do not rewrite it. A certificate replacing a revoked one (an agent re-certified) is dated now.
    """
    if not course.certificate or not completions:
        return []
    user_ids = [completion.user_id for completion in completions]
    trainer = aliased(User)
    people = {
        user_id: (name, municipality_id, trainer_id, trainer_name)
        for user_id, name, municipality_id, trainer_id, trainer_name in db.session.execute(
            db.select(User.id, User.name, User.municipality_id, trainer.id, trainer.name)
            .join(CourseCompletion, CourseCompletion.user_id == User.id)
            .outerjoin(TrainingSession, TrainingSession.id == CourseCompletion.session_id)
            .outerjoin(trainer, trainer.id == TrainingSession.agent_id)
            .where(CourseCompletion.course_id == course.id, User.id.in_(user_ids))
        )
    }
    existing = db.session.execute(
        db.select(Certificate.user_id, Certificate.revoked_at).where(
            Certificate.course_id == course.id, Certificate.user_id.in_(user_ids)
        )
    ).all()
    held = {user_id for user_id, _ in existing}
    valid = {user_id for user_id, revoked_at in existing if revoked_at is None}
    now, issued = utcnow(), []
    for completion in completions:
        if completion.user_id in valid or completion.user_id not in people:
            continue
        name, municipality_id, trainer_id, trainer_name = people[completion.user_id]
        issued.append(
            Certificate(
                code=new_code(),
                user_id=completion.user_id,
                course_id=course.id,
                course_title=course.title,
                course_version=completion.course_version,
                holder_name=name,
                municipality_id=municipality_id,
                trainer_id=trainer_id,
                trainer_name=trainer_name,
                session_id=completion.session_id,
                issued_at=now if completion.user_id in held else completion.completed_at,
            )
        )
    try:
        with db.session.begin_nested():
            db.session.add_all(issued)
    except IntegrityError:  # a code clash or a concurrent issue: one at a time, with new codes
        issued = [certificate for certificate in issued if _insert_with_free_code(certificate)]
    for certificate in issued:
        log.info("Issued certificate %s to user %d for %s", certificate.code,
                 certificate.user_id, course.slug)  # fmt: skip
    return issued


def _insert_with_free_code(certificate: Certificate) -> bool:
    """Insert one certificate, drawing new codes on a clash; False if a valid twin exists."""
    for _attempt in range(5):
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
            return True
        except IntegrityError:
            twin = db.session.scalar(
                db.select(Certificate.id)
                .filter_by(user_id=certificate.user_id, course_id=certificate.course_id)
                .where(valid_certificate_rule())
            )
            if twin is not None:
                return False
            certificate.code = new_code()
    raise RuntimeError("could not find a free certificate code")


@course_completed.connect
def _issue_on_completion(
    course: Course, completions: list[CourseCompletion], live: bool = True
) -> None:
    """Completing a course that gives a certificate issues it, and tells the holder by e-mail."""
    issued = issue_certificates(course, completions)
    if live:
        notify_issued(issued)


def notify_issued(certificates: list[Certificate]) -> None:
    """E-mail each holder that their certificate is issued, with its verification link."""
    if not certificates:
        return
    people = {
        user.id: user
        for user in db.session.scalars(
            db.select(User).where(User.id.in_([c.user_id for c in certificates]))
        )
    }
    for certificate in certificates:
        holder = people[certificate.user_id]
        queue_mail(
            "certificate_issued", holder.email, holder.locale, user=holder,
            certificate=certificate, verify=queries.verify_url(certificate.code),
            mine=_mine_url(),
        )  # fmt: skip


def _mine_url() -> str:
    return external_url("certificates.mine")


@completion_withdrawn.connect
def _revoke_on_withdrawal(course: Course, completions: list[CourseCompletion], by: User) -> None:
    """A completion that no longer holds (marked absent after all) takes its certificate."""
    _revoke_valid(course.id, [c.user_id for c in completions], by, WITHDRAWN_REASON)


@agent_role_ended.connect
def _end_certification(user: User, by: User | None) -> None:
    """Someone who stops being an active agent is no longer certified: the agent certificate
    is revoked now (sessions they held while certified still count)."""
    agent_courses = db.select(Course.id).where(Course.audience == Audience.AGENT)
    revoked = _revoke_valid(agent_courses, [user.id], by, ROLE_ENDED_REASON)
    certificate_revoked.send(user, course=None, revoked_at=utcnow(), by=by)
    if revoked:
        log.info("Certification of %s ended: no longer an active agent", user.email)


def _revoke_valid(course_ids, user_ids: list[int], by: User | None, reason: str) -> int:
    """Revoke the valid certificates of these people for the course(s) (1 statement)."""
    if not isinstance(course_ids, int):
        course_filter = Certificate.course_id.in_(course_ids)
    else:
        course_filter = Certificate.course_id == course_ids
    return db.session.execute(
        db.update(Certificate)
        .where(course_filter, Certificate.user_id.in_(user_ids), valid_certificate_rule())
        .values(revoked_at=utcnow(), revoked_by_id=by.id if by else None, revoked_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount


def revoke_certificate(certificate: Certificate, by: User, reason: str) -> None:
    """Revoke a certificate with a reason; it stays on record and verifies as revoked.

    Revoking an agent-course certificate ends the agent's certification at once (see
    `app.progress.rules.certified_agent`); completions at their sessions that have not started
    yet are withdrawn; a new follow-up meeting re-certifies them.
    """
    if certificate.revoked:
        return
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by_id = by.id
    with one_transaction():  # the revocation and the completions it withdraws: one transaction
        certificate_revoked.send(
            certificate.holder, course=certificate.course, revoked_at=certificate.revoked_at, by=by
        )
        audit(by, AuditAction.CERTIFICATE_REVOKED, certificate.holder, code=certificate.code,
              reason=certificate.revoked_reason)  # fmt: skip
    log.info("Certificate %s revoked by %s: %s", certificate.code, by.email, reason)


def write_print_pack(
    scope: Scope, filters: queries.CertificateFilter, path: Path, total: int, progress=None
) -> str:
    """The one writer of a print pack, for the web's job and the command line alike: every
    valid certificate of the scope and filters at `path`, as one PDF up to PART_SIZE (`total`
    is their count) or a ZIP of PDFs of PART_SIZE pages; returns "pdf" or "zip".

    `progress(done)` is told how far it has come (the job's progress bar).
    """
    rows = queries.stream_rows(scope, filters, include_revoked=False)
    pages: Iterable[CertificatePage] = (queries.page_of(row) for row in rows)
    if progress is not None:
        pages = jobs.counted(pages, progress)
    kind = write_pack_file(pages, total, path)
    log.info("Print pack of %d certificate(s) written as %s (scope %s)", total, kind, scope)
    return kind


def start_print_pack(owner: User, filters: queries.CertificateFilter, count: int, back: str):
    """Queue the print pack of the filtered list as `owner`'s background job."""
    return jobs.start("print_pack", owner, count, {"filters": filters.as_params()}, back)


def start_list_csv(owner: User, filters: queries.CertificateFilter, back: str):
    """Queue the filtered list (revoked ones too) as CSV for Excel, `owner`'s background job."""
    return jobs.start("certificates_csv", owner, 0, {"filters": filters.as_params()}, back)


def _list_csv(owner: User, params: dict) -> tuple[str, bytes] | None:
    """The list as its owner may see it now: a row per certificate, latest first."""
    if not may_list(owner):
        return None
    filters = queries.CertificateFilter.from_params(params["filters"])
    header = [_("Verifieringskod"), _("Namn"), _("E-post"), _("Kurs"), _("Kursversion"),
              _("Kommun"), _("Utfärdat"), _("Utbildare"), _("Status")]  # fmt: skip
    rows = (
        [
            display_code(row.certificate.code),
            row.certificate.holder_name,
            row.email,
            row.certificate.course_title,
            row.certificate.course_version,
            row.municipality_name,
            local_time(row.certificate.issued_at).date(),
            row.certificate.trainer_name,
            _("återkallat") if row.certificate.revoked else _("giltigt"),
        ]
        for row in queries.stream_rows(scope_of(owner), filters)
    )
    return f"intyg-{_today()}.csv", csv_bytes(header, rows)


jobs.file_handler("certificates_csv", _l("Intygslista"), _list_csv)


@jobs.handler("print_pack", _l("Utskriftspaket med intyg"))
def _print_pack_job(job: Job, path: Path, progress) -> str:
    """The print pack, as its owner may see it now, written by `write_pack_file`."""
    owner = job.owner
    if not may_list(owner):
        raise jobs.JobFailed(_("Du har inte längre behörighet att skriva ut intyg."))
    filters = queries.CertificateFilter.from_params(job.params["filters"])
    kind = write_print_pack(scope_of(owner), filters, path, job.total, progress)
    return f"intyg-utskriftspaket-{_today()}.{kind}"


def _today() -> str:
    """Today's date in Sweden, for a download's name."""
    return local_time(utcnow()).strftime("%Y-%m-%d")


def write_pack_file(pages: Iterable[CertificatePage], total: int, path: Path) -> str:
    """Write the pages to `path` as one PDF, or for more than PART_SIZE as a ZIP of PDFs of
    PART_SIZE pages, each drawn and written before the next; return "pdf" or "zip"."""
    if total <= PART_SIZE:
        with path.open("wb") as output:
            write_pages(pages, output, title=PACK_TITLE)
        return "pdf"
    pages = iter(pages)
    with zipfile.ZipFile(path, "w") as archive:
        for part in itertools.count(1):
            chunk = list(itertools.islice(pages, PART_SIZE))
            if not chunk:
                break
            with archive.open(f"intyg-del-{part:02d}.pdf", "w", force_zip64=True) as output:
                write_pages(chunk, output, title=f"{PACK_TITLE}, del {part}")
    return "zip"
