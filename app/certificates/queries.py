"""Reads of the certificates domain: a learner's own, a scoped and filtered list, verification."""

from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, or_
from sqlalchemy.orm import aliased, joinedload

from app.auth.models import User
from app.certificates.access import Scope, may_see
from app.certificates.models import Certificate, valid_certificate_rule
from app.certificates.pdf import CertificatePage
from app.core import keyset
from app.core.text import swedish
from app.core.time import STOCKHOLM
from app.core.urls import external_url
from app.courses.models import Course
from app.extensions import db
from app.municipalities.models import Municipality
from app.training.models import TrainingSession

PAGE_SIZE = 100
SESSION_CHOICES = 200  # sessions offered in the filter, latest first
STREAM_BATCH = 500  # rows fetched at a time for the CSV and the print pack


def verify_url(code: str) -> str:
    """The public verification address printed on the certificate."""
    return external_url("certificates.verify", code=code)


def certificates_of(user: User) -> list[Certificate]:
    """The user's own certificates, newest first (1 query)."""
    return list(
        db.session.scalars(
            db.select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc())
        )
    )


def valid_certificate(user: User, course: Course) -> Certificate | None:
    """The user's unrevoked certificate for the course, if any (1 query)."""
    return db.session.scalar(
        db.select(Certificate).where(
            Certificate.user_id == user.id,
            Certificate.course_id == course.id,
            valid_certificate_rule(),
        )
    )


def visible_certificate(viewer: User, certificate_id: int) -> Certificate | None:
    """The certificate if the viewer may see it; None otherwise, exactly as if it did not exist."""
    certificate = db.session.scalar(
        db.select(Certificate)
        .options(joinedload(Certificate.municipality), joinedload(Certificate.holder))
        .where(Certificate.id == certificate_id)
    )
    return certificate if certificate is not None and may_see(viewer, certificate) else None


def by_code(code: str) -> Certificate | None:
    """The certificate with this verification code (1 query)."""
    return db.session.scalar(db.select(Certificate).where(Certificate.code == code))


@dataclass
class CertificateFilter:
    """The coordinator's filters; all optional."""

    municipality_id: int | None = None
    course_id: int | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    session_id: int | None = None
    trainer_id: int | None = None

    def as_params(self) -> dict:
        """The filters as JSON values (a background job's parameters)."""
        return {key: value.isoformat() if isinstance(value, date) else value
                for key, value in asdict(self).items()}  # fmt: skip

    @classmethod
    def from_params(cls, params: dict) -> "CertificateFilter":
        """The filters back from `as_params`."""
        days = {"issued_from", "issued_to"}
        return cls(**{key: date.fromisoformat(value) if key in days and value else value
                      for key, value in params.items()})  # fmt: skip


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM)


def filtered(scope: Scope, filters: CertificateFilter) -> Select:
    """Certificates of the scope, narrowed by the filters; a municipality's scope holds its own
    certificates only, whatever the filter says."""
    query = db.select(Certificate).where(scope.where(Certificate.municipality_id))
    if scope.every and filters.municipality_id:
        query = query.where(Certificate.municipality_id == filters.municipality_id)
    if filters.course_id:
        query = query.where(Certificate.course_id == filters.course_id)
    if filters.issued_from:
        query = query.where(Certificate.issued_at >= _day_start(filters.issued_from))
    if filters.issued_to:
        query = query.where(
            Certificate.issued_at < _day_start(filters.issued_to + timedelta(days=1))
        )
    if filters.session_id:
        query = query.where(Certificate.session_id == filters.session_id)
    if filters.trainer_id:
        query = query.where(Certificate.trainer_id == filters.trainer_id)
    return query


def count_valid(scope: Scope, filters: CertificateFilter) -> int:
    """How many unrevoked certificates the filtered list holds (1 query)."""
    valid = filtered(scope, filters).where(valid_certificate_rule())
    return db.session.scalar(db.select(func.count()).select_from(valid.subquery()))


@dataclass
class CertificateRow:
    """A line of the coordinator's list, the CSV and the print pack."""

    certificate: Certificate
    email: str
    municipality_name: str | None


def _rows_query(scope: Scope, filters: CertificateFilter) -> tuple[Select, list]:
    """The list's query, latest first, and its sort order (issued, then id)."""
    listed = filtered(scope, filters).subquery()
    certificate = aliased(Certificate, listed)
    order = [certificate.issued_at, certificate.id]
    query = (
        db.select(certificate, User.email, Municipality.name)
        .join(User, User.id == certificate.user_id)
        .outerjoin(Municipality, Municipality.id == certificate.municipality_id)
        .order_by(*(column.desc() for column in order))
    )
    return query, order


def list_page(scope: Scope, filters: CertificateFilter) -> tuple[keyset.Page, int]:
    """The page of the filtered list after the request's cursor, latest first, and the total
    count (2 queries)."""
    total = db.session.scalar(
        db.select(func.count()).select_from(filtered(scope, filters).subquery())
    )
    query, order = _rows_query(scope, filters)
    page = keyset.page(query, order, PAGE_SIZE, descending=True)
    return replace(page, rows=[CertificateRow(*row) for row in page.rows]), total


def stream_rows(
    scope: Scope, filters: CertificateFilter, include_revoked: bool = True
) -> Iterator[CertificateRow]:
    """Every row of the filtered list, fetched in batches so memory stays flat (1 query)."""
    query, _order = _rows_query(scope, filters)
    for row in db.session.execute(query.execution_options(yield_per=STREAM_BATCH)):
        if include_revoked or row[0].revoked_at is None:
            yield CertificateRow(*row)


def page_of(row: CertificateRow) -> CertificatePage:
    """What the PDF prints for a row."""
    certificate = row.certificate
    return CertificatePage(
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        course_version=certificate.course_version,
        issued_at=certificate.issued_at,
        municipality_name=row.municipality_name,
        trainer_name=certificate.trainer_name,
        code=certificate.code,
        verify_url=verify_url(certificate.code),
    )


def filter_choices(
    scope: Scope, selected_session: int | None = None
) -> dict[str, list[tuple[int, str]]]:
    """Options for the filter form: courses, municipalities, trainers, and the latest
    SESSION_CHOICES sessions with certificates and the selected one (4 queries)."""
    courses = db.session.execute(
        db.select(Course.id, Course.title)
        .where(Course.certificate.is_(True))
        .order_by(Course.position)
    ).all()
    municipalities = db.session.execute(
        db.select(Municipality.id, Municipality.name).order_by(Municipality.name)
    ).all()
    trainer_scope = [scope.where(User.municipality_id)]
    trainers = db.session.execute(
        db.select(User.id, User.name)
        .where(User.id.in_(db.select(Certificate.trainer_id)), *trainer_scope)
        .order_by(swedish(User.name))
    ).all()
    session_scope = [scope.where(TrainingSession.municipality_id)]
    # The latest sessions (a country holds tens of thousands), and the one asked for if older.
    latest = (
        db.select(TrainingSession.id)
        .where(TrainingSession.id.in_(db.select(Certificate.session_id)), *session_scope)
        .order_by(TrainingSession.starts_at.desc())
        .limit(SESSION_CHOICES)
    )
    listed = or_(TrainingSession.id.in_(latest), TrainingSession.id == (selected_session or 0))
    sessions = db.session.execute(
        db.select(TrainingSession.id, TrainingSession.title, TrainingSession.starts_at)
        .where(listed, *session_scope)
        .order_by(TrainingSession.starts_at.desc())
    ).all()
    return {
        "courses": [tuple(row) for row in courses],
        "municipalities": [tuple(row) for row in municipalities],
        "trainers": [tuple(row) for row in trainers],
        "sessions": [
            (sid, f"{title} ({starts.astimezone(STOCKHOLM):%Y-%m-%d})")
            for sid, title, starts in sessions
        ],
    }
