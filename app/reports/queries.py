"""Coverage (DESIGN §5) as SQL aggregates: a fixed number of queries whatever the data size."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, distinct, func, literal_column, select, true
from sqlalchemy.orm import aliased

from app.auth.models import Role, User
from app.core.time import utcnow
from app.courses.completion import certified_agents
from app.courses.models import Course, CourseCompletion
from app.extensions import db
from app.municipalities.models import Municipality
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession

BEHIND_AFTER = timedelta(days=60)


@dataclass
class Coverage:
    """One municipality's numbers (or the totals when `code` is None)."""

    code: str | None
    name: str
    staff_target: int
    staff_trained: int
    agent_target: int
    agents_certified: int
    sessions_held: int
    attendees: int
    trained_online: int
    trained_via_session: int

    @property
    def coverage(self) -> float:
        """Staff trained ÷ staff target, 0–1 (0 without a target)."""
        return self.staff_trained / self.staff_target if self.staff_target else 0.0

    @property
    def agent_coverage(self) -> float:
        """Agents certified ÷ agent target, 0–1."""
        return self.agents_certified / self.agent_target if self.agent_target else 0.0

    def as_json(self) -> dict:
        """The API's shape (DESIGN §6)."""
        return {
            "code": self.code, "name": self.name, "staff_target": self.staff_target,
            "staff_trained": self.staff_trained, "coverage": round(self.coverage, 4),
            "agent_target": self.agent_target, "agents_certified": self.agents_certified,
            "sessions_held": self.sessions_held, "attendees": self.attendees,
            "trained_online": self.trained_online, "trained_via_session": self.trained_via_session,
        }  # fmt: skip


def _audience_completions(audience: str):
    """Completions of courses for an audience, with the completer's municipality."""
    return (
        select(
            User.municipality_id.label("municipality_id"),
            CourseCompletion.user_id.label("user_id"),
            CourseCompletion.method.label("method"),
        )
        .join(User, User.id == CourseCompletion.user_id)
        .join(Course, Course.id == CourseCompletion.course_id)
        .where(Course.audience == audience)
    )


def coverage_by_municipality(
    now: datetime | None = None, only: Municipality | None = None
) -> list[Coverage]:
    """Every municipality's coverage (or `only` that one's), in one query."""
    now = now or utcnow()
    staff = _audience_completions("employee").where(User.active.is_(True)).subquery()
    trained = (
        select(
            staff.c.municipality_id,
            func.count(distinct(staff.c.user_id)).label("trained"),
            func.count(distinct(staff.c.user_id))
            .filter(staff.c.method == "online")
            .label("online"),
            func.count(distinct(staff.c.user_id))
            .filter(staff.c.method == "session")
            .label("session"),
        )
        .group_by(staff.c.municipality_id)
        .subquery()
    )
    agent_rows = _audience_completions("agent").where(User.role == Role.AGENT).subquery()
    certified = (
        select(agent_rows.c.municipality_id, func.count(distinct(agent_rows.c.user_id)).label("n"))
        .group_by(agent_rows.c.municipality_id)
        .subquery()
    )
    held = and_(
        TrainingSession.kind == SessionKind.END_USER,
        TrainingSession.cancelled_at.is_(None),
        TrainingSession.starts_at <= now,
        TrainingSession.agent_id.in_(certified_agents()),  # an uncertified agent's does not count
    )
    sessions = (
        select(
            TrainingSession.municipality_id,
            func.count(distinct(TrainingSession.id)).label("held"),
            func.count(distinct(Attendance.user_id)).label("attendees"),
        )
        .outerjoin(
            Attendance,
            and_(
                Attendance.session_id == TrainingSession.id,
                Attendance.status == AttendanceStatus.ATTENDED,
            ),
        )  # fmt: skip
        .where(held)
        .group_by(TrainingSession.municipality_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Municipality,
            func.coalesce(trained.c.trained, 0),
            func.coalesce(trained.c.online, 0),
            func.coalesce(trained.c.session, 0),
            func.coalesce(certified.c.n, 0),
            func.coalesce(sessions.c.held, 0),
            func.coalesce(sessions.c.attendees, 0),
        )
        .outerjoin(trained, trained.c.municipality_id == Municipality.id)
        .outerjoin(certified, certified.c.municipality_id == Municipality.id)
        .outerjoin(sessions, sessions.c.municipality_id == Municipality.id)
        .where(true() if only is None else Municipality.id == only.id)
        .order_by(Municipality.name)
    ).all()
    return [
        Coverage(
            code=m.code,
            name=m.name,
            staff_target=m.staff_target or 0,
            staff_trained=trained_n,
            agent_target=m.agent_target or 0,
            agents_certified=agents_n,
            sessions_held=held_n,
            attendees=attendees_n,
            trained_online=online_n,
            trained_via_session=session_n,
        )  # fmt: skip
        for m, trained_n, online_n, session_n, agents_n, held_n, attendees_n in rows
    ]


def coverage_of(municipality: Municipality) -> Coverage:
    """One municipality's coverage (1 query)."""
    return coverage_by_municipality(only=municipality)[0]


def totals(rows: list[Coverage]) -> Coverage:
    """The sum over municipalities."""
    return Coverage(
        code=None, name="Dalarna",
        **{
            name: sum(getattr(row, name) for row in rows)
            for name in ("staff_target", "staff_trained", "agent_target", "agents_certified",
                         "sessions_held", "attendees", "trained_online", "trained_via_session")
        },
    )  # fmt: skip


@dataclass
class AgentReach:
    """One agent of a municipality and the staff they reached."""

    email: str
    name: str
    certified: bool
    sessions_held: int
    attendees: int
    staff_trained: int
    last_session: datetime | None
    behind: bool = field(default=False)

    def as_json(self) -> dict:
        """The API's shape (DESIGN §6)."""
        keys = ("email", "name", "certified", "sessions_held", "staff_trained")
        return {key: getattr(self, key) for key in keys}


def agents_of(municipality: Municipality, now: datetime | None = None) -> list[AgentReach]:
    """Each agent of the municipality: certified, sessions, attendees, staff trained (1 query)."""
    now = now or utcnow()
    held = (
        select(
            TrainingSession.agent_id.label("agent_id"),
            func.count(distinct(TrainingSession.id)).label("held"),
            func.count(distinct(Attendance.user_id)).label("attendees"),
            func.max(TrainingSession.starts_at).label("last"),
        )
        .outerjoin(
            Attendance,
            and_(
                Attendance.session_id == TrainingSession.id,
                Attendance.status == AttendanceStatus.ATTENDED,
            ),
        )  # fmt: skip
        .where(
            TrainingSession.kind == SessionKind.END_USER,
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.starts_at <= now,
        )
        .group_by(TrainingSession.agent_id)
        .subquery()
    )
    trained = (
        select(TrainingSession.agent_id.label("agent_id"),
               func.count(distinct(CourseCompletion.user_id)).label("trained"))
        .join(CourseCompletion, CourseCompletion.session_id == TrainingSession.id)
        .group_by(TrainingSession.agent_id)
        .subquery()
    )  # fmt: skip
    rows = db.session.execute(
        select(
            User.email, User.name, User.id.in_(certified_agents()),
            func.coalesce(held.c.held, 0), func.coalesce(held.c.attendees, 0),
            func.coalesce(trained.c.trained, 0), held.c.last,
        )
        .outerjoin(held, held.c.agent_id == User.id)
        .outerjoin(trained, trained.c.agent_id == User.id)
        .where(
            User.municipality_id == municipality.id,
            User.role == Role.AGENT,
            User.active.is_(True),
        )
        .order_by(User.name)
    ).all()  # fmt: skip
    result = []
    for email, name, is_certified, held_n, attendees_n, trained_n, last in rows:
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=now.tzinfo)
        behind = bool(is_certified) and (last is None or now - last > BEHIND_AFTER)
        result.append(
            AgentReach(
                email, name, bool(is_certified), held_n, attendees_n, trained_n, last, behind
            )
        )
    return result


def _month(column):
    """'YYYY-MM' of a timestamp, on SQLite and PostgreSQL alike."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("Europe/Stockholm", column), "YYYY-MM")
    return func.strftime("%Y-%m", column, literal_column("'localtime'"))


def by_month(municipality: Municipality | None = None) -> list[dict]:
    """Per month: staff trained online and via session, sessions held (2 queries)."""
    month = _month(CourseCompletion.completed_at)
    completions = (
        select(month.label("month"),
               func.count().filter(CourseCompletion.method == "online"),
               func.count().filter(CourseCompletion.method == "session"))
        .join(User, User.id == CourseCompletion.user_id)
        .join(Course, Course.id == CourseCompletion.course_id)
        .where(Course.audience == "employee")
        .group_by(month)
    )  # fmt: skip
    session_month = _month(TrainingSession.starts_at)
    sessions = (
        select(session_month.label("month"), func.count(TrainingSession.id))
        .where(TrainingSession.kind == SessionKind.END_USER, TrainingSession.cancelled_at.is_(None))
        .group_by(session_month)
    )
    if municipality is not None:
        completions = completions.where(User.municipality_id == municipality.id)
        sessions = sessions.where(TrainingSession.municipality_id == municipality.id)
    months: dict[str, dict] = {}
    for label, online, via_session in db.session.execute(completions):
        months.setdefault(
            label, {"month": label, "trained_online": 0, "trained_via_session": 0, "sessions": 0}
        )
        months[label].update(trained_online=online, trained_via_session=via_session)
    for label, count in db.session.execute(sessions):
        months.setdefault(
            label, {"month": label, "trained_online": 0, "trained_via_session": 0, "sessions": 0}
        )
        months[label]["sessions"] = count
    return [months[key] for key in sorted(months)]


def _empty_month(label: str) -> dict:
    return {"month": label, "trained_online": 0, "trained_via_session": 0, "sessions": 0}


@dataclass
class PersonStatus:
    """A person of the municipality and whether they completed the end-user course."""

    name: str
    email: str
    role: str
    active: bool
    method: str | None
    completed_at: datetime | None
    trainer: str | None


def people_status(municipality: Municipality) -> list[PersonStatus]:
    """Everyone in the municipality with their end-user completion, if any (1 query)."""
    trainer = aliased(User)
    completion = (
        select(CourseCompletion)
        .join(Course, Course.id == CourseCompletion.course_id)
        .where(Course.audience == "employee")
        .subquery()
    )
    rows = db.session.execute(
        select(User.name, User.email, User.role, User.active, completion.c.method,
               completion.c.completed_at, trainer.name)
        .outerjoin(completion, completion.c.user_id == User.id)
        .outerjoin(TrainingSession, TrainingSession.id == completion.c.session_id)
        .outerjoin(trainer, trainer.id == TrainingSession.agent_id)
        .where(User.municipality_id == municipality.id)
        .order_by(User.name, User.email)
    ).all()  # fmt: skip
    return [PersonStatus(*row) for row in rows]
