"""Coverage (DESIGN §5) as SQL aggregates composed from `app.progress.rules`.

Each function runs a fixed number of queries whatever the data size. Every figure is built from
the same rules, so the headline, the months and the agents' reach agree by construction.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, literal, literal_column, select, true, union
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.core.roles import Role
from app.core.scope import Scope
from app.core.text import swedish
from app.core.time import utcnow
from app.extensions import db
from app.municipalities.models import Municipality
from app.practice.models import PracticeCheck
from app.practice.queries import trainer_tasks
from app.progress.rules import (
    active_agent,
    attended_join,
    certified_agent,
    reach_by_agent,
    session_held,
    staff_trained,
    trained_by_agent,
)
from app.training.models import Attendance, SessionKind, TrainingSession

BEHIND_AFTER = timedelta(days=60)


@dataclass(frozen=True)
class Column:
    """One figure of a coverage row: its key (attribute and JSON), label, and JSON type."""

    key: str
    label: str
    type: str = "integer"
    on_page: bool = True  # shown in the overview's table too (the exports hold every column)


# The one definition of a coverage row's columns: the CSV/XLSX exports, the API's JSON and its
# OpenAPI schema are all written from this list.
COVERAGE_COLUMNS = (
    Column("code", _l("Kod"), "string", on_page=False),
    Column("name", _l("Kommun"), "string"),
    Column("staff_target", _l("Mål, medarbetare")),
    Column("staff_trained", _l("Utbildade")),
    Column("coverage_percent", _l("Täckning (%)"), "number"),
    Column("agent_target", _l("Mål, agenter"), on_page=False),
    Column("agents_certified", _l("Certifierade agenter")),
    Column("sessions_held", _l("Tillfällen")),
    Column("attendees", _l("Deltagare")),
    Column("trained_via_session", _l("Utbildade via tillfälle"), on_page=False),
    Column("trained_online", _l("Utbildade online"), on_page=False),
)


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
    def coverage_percent(self) -> float:
        """The coverage in percent, one decimal."""
        return round(100 * self.coverage, 1)

    @property
    def agent_coverage(self) -> float:
        """Agents certified ÷ agent target, 0–1."""
        return self.agents_certified / self.agent_target if self.agent_target else 0.0

    def __getitem__(self, key: str):
        """A column's value by its key (templates: row[column.key])."""
        return getattr(self, key)

    def cells(self) -> list:
        """The row as export cells, in COVERAGE_COLUMNS order."""
        return [getattr(self, column.key) for column in COVERAGE_COLUMNS]

    def as_json(self) -> dict:
        """The API's shape (DESIGN §6): every column, with `coverage` as a 0–1 share."""
        data = {column.key: getattr(self, column.key) for column in COVERAGE_COLUMNS}
        data["coverage"] = round(self.coverage, 4)
        return data


@dataclass(frozen=True)
class TrainedMonth:
    """Staff trained in one municipality in one month ('YYYY-MM'), online and via a session."""

    municipality_id: int
    month: str
    online: int
    via_session: int


def trained_by_month(
    now: datetime, municipality_id: int | None = None, months: bool = True
) -> list[TrainedMonth]:
    """The rules' `staff_trained` counted per municipality and month (1 query): the one pass
    over the completions that a page's coverage rows and monthly trend both add up. Without
    `months`, per municipality only (month "")."""
    trained = staff_trained(now, municipality_id)
    month = _month(trained.c.completed_at) if months else literal("")
    rows = db.session.execute(
        select(trained.c.municipality_id, month,
               func.count().filter(trained.c.method == "online"),
               func.count().filter(trained.c.method == "session"))
        .group_by(trained.c.municipality_id, *([month] if months else []))
    ).all()  # fmt: skip
    return [TrainedMonth(*row) for row in rows]


def coverage_by_municipality(
    now: datetime | None = None,
    only: Municipality | None = None,
    trained: list[TrainedMonth] | None = None,
) -> list[Coverage]:
    """Every municipality's coverage (or `only` that one's, filtered inside each part so one
    municipality costs what its own rows cost), in 2 queries; 1 when the page has already
    counted `trained_by_month` for the same moment and municipalities."""
    now = now or utcnow()
    if trained is None:
        trained = trained_by_month(now, None if only is None else only.id, months=False)
    online: dict[int, int] = defaultdict(int)
    via_session: dict[int, int] = defaultdict(int)
    for row in trained:
        online[row.municipality_id] += row.online
        via_session[row.municipality_id] += row.via_session
    certified = (
        select(User.municipality_id, func.count(User.id).label("n"))
        .where(certified_agent(), *([] if only is None else [User.municipality_id == only.id]))
        .group_by(User.municipality_id)
        .subquery()
    )
    sessions = (
        select(
            TrainingSession.municipality_id,
            func.count(distinct(TrainingSession.id)).label("held"),
            func.count(distinct(Attendance.user_id)).label("attendees"),
        )
        .outerjoin(Attendance, attended_join())
        .where(
            session_held(now),
            *([] if only is None else [TrainingSession.municipality_id == only.id]),
        )
        .group_by(TrainingSession.municipality_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Municipality,
            func.coalesce(certified.c.n, 0),
            func.coalesce(sessions.c.held, 0),
            func.coalesce(sessions.c.attendees, 0),
        )
        .outerjoin(certified, certified.c.municipality_id == Municipality.id)
        .outerjoin(sessions, sessions.c.municipality_id == Municipality.id)
        .where(true() if only is None else Municipality.id == only.id)
        .order_by(swedish(Municipality.name))
    ).all()
    return [
        Coverage(
            code=m.code,
            name=m.name,
            staff_target=m.staff_target or 0,
            staff_trained=online[m.id] + via_session[m.id],
            agent_target=m.agent_target or 0,
            agents_certified=agents_n,
            sessions_held=held_n,
            attendees=attendees_n,
            trained_online=online[m.id],
            trained_via_session=via_session[m.id],
        )  # fmt: skip
        for m, agents_n, held_n, attendees_n in rows
    ]


def coverage_for(viewer: User) -> list[Coverage]:
    """The coverage rows the viewer may see: every municipality for admins, else their own."""
    if Scope.of(viewer).every:
        return coverage_by_municipality()
    if viewer.role == Role.COORDINATOR and viewer.municipality is not None:
        return coverage_by_municipality(only=viewer.municipality)
    return []


def coverage_of(
    municipality: Municipality, now: datetime | None = None, trained: list | None = None
) -> Coverage:
    """One municipality's coverage (2 queries; 1 with the page's `trained_by_month`)."""
    return coverage_by_municipality(now, only=municipality, trained=trained)[0]


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
    """One agent of a municipality (or someone who was one) and the staff they reached."""

    email: str
    name: str
    certified: bool
    sessions_held: int
    attendees: int
    staff_trained: int
    last_session: datetime | None
    behind: bool = field(default=False)
    practice_done: int = 0  # tasks ticked of the practice the follow-up's trainer confirms
    practice_tasks: int = 0

    def as_json(self) -> dict:
        """The API's shape (DESIGN §6)."""
        keys = ("email", "name", "certified", "sessions_held", "staff_trained", "practice_done",
                "practice_tasks")  # fmt: skip
        return {key: getattr(self, key) for key in keys}


def agents_of(municipality: Municipality, now: datetime | None = None) -> list[AgentReach]:
    """Active agents of the municipality, and anyone who held sessions there, with their reach.

    Sessions held and staff trained use the same rules as the headline, so the agents' staff
    trained add up to the municipality's staff trained via sessions. With each, the practice
    tasks they ticked of those the follow-up meeting's trainer confirms (2 queries).
    """
    now = now or utcnow()
    # CTEs, each computed once: they both pick the people listed and give their figures.
    reach = select(reach_by_agent(now, municipality.id)).cte("reach")
    trained = select(trained_by_agent(now, municipality.id)).cte("trained")
    listed = union(
        select(User.id).where(User.municipality_id == municipality.id, active_agent()),
        select(reach.c.agent_id),
        select(trained.c.agent_id).where(trained.c.agent_id.is_not(None)),
    ).subquery("listed")  # fmt: skip
    tasks = trainer_tasks()
    practice_tasks = db.session.scalar(select(func.count()).select_from(tasks.subquery()))
    ticked = (
        select(func.count(PracticeCheck.id))
        .where(PracticeCheck.user_id == User.id, PracticeCheck.task_id.in_(tasks))
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            User.email, User.name, certified_agent(),
            func.coalesce(reach.c.held, 0), func.coalesce(reach.c.attendees, 0),
            func.coalesce(trained.c.trained, 0), reach.c.last, ticked,
        )
        .join(listed, listed.c.id == User.id)
        .outerjoin(reach, reach.c.agent_id == User.id)
        .outerjoin(trained, trained.c.agent_id == User.id)
        .order_by(swedish(User.name), User.email)
    ).all()  # fmt: skip
    result = []
    for email, name, is_certified, held_n, attendees_n, trained_n, last, done in rows:
        behind = bool(is_certified) and (last is None or now - last > BEHIND_AFTER)
        result.append(
            AgentReach(
                email,
                name,
                bool(is_certified),
                held_n,
                attendees_n,
                trained_n,
                last,
                behind,
                done,
                practice_tasks,
            )  # fmt: skip
        )
    return result


def _month(column):
    """'YYYY-MM' of a timestamp, on SQLite and PostgreSQL alike."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("Europe/Stockholm", column), "YYYY-MM")
    return func.strftime("%Y-%m", column, literal_column("'localtime'"))


def by_month(
    municipality: Municipality | None = None,
    now: datetime | None = None,
    trained: list[TrainedMonth] | None = None,
) -> list[dict]:
    """Per month: staff trained online and via a session, sessions held (2 queries; 1 with
    the page's `trained_by_month` for the same moment and municipalities).

    The months add up to the headline: the same rules, grouped by when they happened.
    """
    now = now or utcnow()
    if trained is None:
        trained = trained_by_month(now, None if municipality is None else municipality.id)
    session_month = _month(TrainingSession.starts_at)
    sessions = (
        select(session_month.label("month"), func.count(TrainingSession.id))
        .where(session_held(now))
        .group_by(session_month)
    )
    if municipality is not None:
        sessions = sessions.where(TrainingSession.municipality_id == municipality.id)
    months: dict[str, dict] = {}
    for row in trained:
        month = months.setdefault(row.month, _empty_month(row.month))
        month["trained_online"] += row.online
        month["trained_via_session"] += row.via_session
    for label, count in db.session.execute(sessions):
        months.setdefault(label, _empty_month(label))
        months[label]["sessions"] = count
    return [months[key] for key in sorted(months)]


def _empty_month(label: str) -> dict:
    return {"month": label, "trained_online": 0, "trained_via_session": 0, "sessions": 0}


@dataclass
class PersonStatus:
    """A person of the municipality and whether they count as trained (DESIGN §5)."""

    name: str
    email: str
    role: str
    active: bool
    method: str | None
    completed_at: datetime | None
    trainer: str | None


def people_status(municipality: Municipality, now: datetime | None = None) -> list[PersonStatus]:
    """Everyone in the municipality, trained or not by the coverage rule (1 query)."""
    trained_rows = staff_trained(now or utcnow())
    trainer = aliased(User)
    rows = db.session.execute(
        select(User.name, User.email, User.role, User.active, trained_rows.c.method,
               trained_rows.c.completed_at, trainer.name)
        .outerjoin(trained_rows, trained_rows.c.user_id == User.id)
        .outerjoin(trainer, trainer.id == trained_rows.c.agent_id)
        .where(User.municipality_id == municipality.id)
        .order_by(swedish(User.name), User.email)
    ).all()  # fmt: skip
    return [PersonStatus(*row) for row in rows]


@dataclass
class SessionLine:
    """An end-user session of the municipality for the coordinator's export."""

    training_session: TrainingSession
    agent_name: str | None
    recorded_by: str | None
    held: bool
    attendees: int
    trained: int


def sessions_of(municipality: Municipality, now: datetime | None = None) -> list[SessionLine]:
    """The municipality's end-user sessions that have started, newest first, with whether they
    count as held, attendees and staff trained there, by the coverage rules (1 query)."""
    now = now or utcnow()
    trained_rows = staff_trained(now)
    trained = (
        select(trained_rows.c.session_id, func.count().label("n"))
        .group_by(trained_rows.c.session_id)
        .subquery()
    )
    agent, recorder = aliased(User), aliased(User)
    rows = db.session.execute(
        select(
            TrainingSession, agent.name, recorder.name, session_held(now),
            func.count(distinct(Attendance.user_id)), func.coalesce(func.max(trained.c.n), 0),
        )
        .outerjoin(agent, agent.id == TrainingSession.agent_id)
        .outerjoin(recorder, recorder.id == TrainingSession.created_by_id)
        .outerjoin(Attendance, attended_join())
        .outerjoin(trained, trained.c.session_id == TrainingSession.id)
        .where(
            TrainingSession.municipality_id == municipality.id,
            TrainingSession.kind == SessionKind.END_USER,
            TrainingSession.starts_at <= now,
        )
        .group_by(TrainingSession.id, agent.name, recorder.name)
        .order_by(TrainingSession.starts_at.desc())
    ).all()  # fmt: skip
    return [SessionLine(ts, name, by, bool(held), n, t) for ts, name, by, held, n, t in rows]


@dataclass(frozen=True)
class MunicipalityCoverage:
    """One municipality's coverage as its page and the API show it: the headline row, the
    agents with their reach, and the trend by month."""

    row: Coverage
    agents: list[AgentReach]
    months: list

    def as_json(self) -> dict:
        """The API's answer (`GET /api/v1/municipalities/{code}/coverage`)."""
        return {
            **self.row.as_json(),
            "agents": [agent.as_json() for agent in self.agents],
            "by_month": self.months,
        }


def municipality_coverage(municipality: Municipality, now: datetime | None = None):
    """The one assembly of a municipality's coverage, for its page and the API alike."""
    now = now or utcnow()
    trained = trained_by_month(now, municipality.id)
    return MunicipalityCoverage(
        row=coverage_of(municipality, now, trained),
        agents=agents_of(municipality, now),
        months=by_month(municipality, now, trained),
    )
