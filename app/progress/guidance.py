"""Each person's next step in the programme, decided in one place (issue #12).

The start page, the course page, the quiz result, the session page and the follow-up meeting
all ask `next_step`, so they can never disagree about what someone should do next. A step
names its kind (what to do) and the objects it concerns (why and where); the words are in one
template macro, `progress/_next_step.html`. Coordinators and admins get `work_overview`: their
next step is the first thing that needs their attention, beside the coverage at a glance.
Every function runs a fixed number of queries whatever the data size.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, func, select

from app.auth.models import User
from app.certificates.models import Certificate
from app.certificates.queries import valid_certificate
from app.core.roles import Role
from app.core.scope import Scope
from app.core.time import utcnow
from app.courses import queries as course_queries
from app.courses.models import Audience, Course, Module
from app.extensions import db
from app.mail.models import MailState, OutboxMessage
from app.municipalities.facts import FACTS, facts_of
from app.municipalities.queries import count_waiting_for_activation
from app.progress.completion import (
    first_session_attended,
    follow_up_attended,
    modules_complete,
    practice_confirmed,
)
from app.progress.learner import module_progress
from app.progress.queries import is_certified
from app.progress.rules import active_agent, certified_agent, marked_attended
from app.quizzes.queries import quiz_status
from app.training import timing
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession


class StepKind(StrEnum):
    """What the person should do next."""

    START_READING = "start_reading"  # a course not begun: its first lesson
    CONTINUE_READING = "continue_reading"  # the next unread lesson
    TAKE_QUIZ = "take_quiz"  # a part's lessons are read: its quiz
    QUIZ_AFTER_SESSION = "quiz_after_session"  # attended a session: the quiz gives the certificate
    QUIZ_LOCKED = "quiz_locked"  # the quiz's attempts are used up: ask for a new one
    PRACTISE = "practise"  # lessons and quizzes done: practice tasks in real meetings remain
    PRACTICE_UNCONFIRMED = "practice_unconfirmed"  # attended the follow-up: trainer to confirm
    SESSION_AHEAD = "session_ahead"  # registered for an end-user session
    FOLLOW_UP_AHEAD = "follow_up_ahead"  # registered for a follow-up meeting
    REGISTER_FOLLOW_UP = "register_follow_up"  # both parts done: a follow-up meeting is open
    FOLLOW_UP_PENDING = "follow_up_pending"  # both parts done: no follow-up meeting planned yet
    RECORD_ATTENDANCE = "record_attendance"  # an agent's session has people still unmarked
    NEXT_SESSION = "next_session"  # an agent's next planned session
    PLAN_SESSION = "plan_session"  # a certified agent with nothing planned
    COMPLETED = "completed"  # the course is done: the certificate
    NO_COURSES = "no_courses"
    IMPORT_ROSTER = "import_roster"  # coordinator: nobody in the municipality yet
    SEND_ACTIVATION = "send_activation"  # coordinator: people who cannot sign in yet
    APPOINT_AGENTS = "appoint_agents"  # coordinator: no meeting agents yet
    FILL_FACTS = "fill_facts"  # coordinator: the municipality's own facts are not all filled in
    PLAN_FOLLOW_UP = "plan_follow_up"  # admin: agents wait and no follow-up meeting is planned
    CONFIRM_PRACTICE = "confirm_practice"  # admin: attended a follow-up, practice unconfirmed
    MAIL_FAILED = "mail_failed"  # admin: e-mail that could not be sent
    FOLLOW_COVERAGE = "follow_coverage"  # coordinator/admin: nothing needs attention


@dataclass(frozen=True)
class Step:
    """A next step: its kind and what it concerns (course, part, lesson, session, certificate).

    `recertify` marks the follow-up steps of an agent whose certificate was revoked; `count` is
    how many people or messages a step concerns; `until` when a step's chance ends.
    """

    kind: StepKind
    course: Course | None = None
    module: Module | None = None
    lesson: object | None = None
    training_session: TrainingSession | None = None
    certificate: Certificate | None = None
    recertify: bool = False
    count: int = 0
    until: datetime | None = None

    @property
    def is_reading(self) -> bool:
        """A step inside the course material itself: a lesson, or a part's quiz."""
        return self.kind in READING

    def only_points_to(self, training_session: TrainingSession) -> bool:
        """The step just sends the person to this session's own page (registered, register)."""
        return (
            self.kind in (StepKind.SESSION_AHEAD, StepKind.FOLLOW_UP_AHEAD,
                          StepKind.REGISTER_FOLLOW_UP)
            and self.training_session is not None
            and self.training_session.id == training_session.id
        )  # fmt: skip


READING = frozenset(
    (StepKind.START_READING, StepKind.CONTINUE_READING, StepKind.TAKE_QUIZ, StepKind.QUIZ_LOCKED,
     StepKind.PRACTISE)
)  # fmt: skip


def next_step(user: User, now: datetime | None = None, course: Course | None = None) -> Step:
    """The person's next step: within `course` when given, else for their role in the programme.

    Agents follow the agent course until certified, then run sessions; employees follow the
    end-user course; coordinators and admins get the first item of their `work_overview`.
    """
    now = now or utcnow()
    if course is not None:
        return _course_step(user, course, now)
    return learning_step(user, now) or work_overview(user, now).step


def learning_step(user: User, now: datetime | None = None) -> Step | None:
    """The next step in a learner's own course (agents and employees); None for coordinators
    and admins, whose start is their work."""
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return None
    audience = Audience.AGENT if user.role == Role.AGENT else Audience.EMPLOYEE
    lead = _lead_course(audience)
    if lead is None:
        return Step(StepKind.NO_COURSES)
    return _course_step(user, lead, now or utcnow())


def step_at_session(
    user: User, training_session: TrainingSession, now: datetime | None = None
) -> Step | None:
    """A participant's next step in the course the session belongs to (the end-user course at
    an end-user session, the agent course at a follow-up meeting)."""
    audience = (
        Audience.AGENT
        if training_session.kind == SessionKind.AGENT_FOLLOW_UP
        else Audience.EMPLOYEE
    )
    course = _lead_course(audience)
    return _course_step(user, course, now or utcnow()) if course is not None else None


def _lead_course(audience: Audience) -> Course | None:
    """The first active course for the audience: the one a learner of that audience leads with."""
    return db.session.scalar(
        select(Course)
        .where(Course.audience == audience, Course.retired_at.is_(None))
        .order_by(Course.position)
        .limit(1)
    )


def _course_step(user: User, course: Course, now: datetime) -> Step:
    """The step within one course: the agent course leads to certification and then to the
    agent's own sessions; the end-user course to its quiz, via a session or online."""
    completion = course_queries.completion_of(user, course)
    if course.audience == Audience.AGENT:
        if completion is not None and user.role == Role.AGENT and is_certified(user):
            return _agent_work_step(user, course, now)
        reading = _reading_step(user, course)
        if reading is not None:
            return reading
        if course.follow_up_required:
            if completion is None and _awaits_confirmation(user, course):
                return Step(StepKind.PRACTICE_UNCONFIRMED, course=course)
            return _follow_up_step(user, course, now, recertify=completion is not None)
        return _completed(user, course)
    if completion is not None:
        return _completed(user, course)
    session_id = db.session.scalar(select(first_session_attended(user.id)))
    if session_id is not None:
        quiz_step = _quiz_after_session(user, course, session_id)
        if quiz_step is not None:
            return quiz_step
    reading = _reading_step(user, course)
    if reading is not None and reading.kind in (
        StepKind.TAKE_QUIZ, StepKind.QUIZ_LOCKED, StepKind.PRACTISE
    ):  # fmt: skip
        return reading  # every lesson read: the quiz and the practice complete it online
    ahead = _registered_session(user, SessionKind.END_USER, now)
    if ahead is not None:
        return Step(StepKind.SESSION_AHEAD, course=course, training_session=ahead)
    return reading or _completed(user, course)


def _reading_step(user: User, course: Course) -> Step | None:
    """The next lesson to read, quiz to take or practice to do in the course, None when every
    part is done."""
    outline = course_queries.course_outline(user, course)
    progress = module_progress(user, course)
    found = course_queries.next_step(outline, progress)
    if found is None:
        return _practice_step(course, outline, progress)
    if found.is_quiz:
        return _quiz_step(user, course, found.module, StepKind.TAKE_QUIZ)
    started = any(item.viewed for item in outline)
    kind = StepKind.CONTINUE_READING if started else StepKind.START_READING
    return Step(kind, course=course, module=found.module, lesson=found.lesson)


def _practice_step(course: Course, outline, progress) -> Step | None:
    """The first part whose practice tasks are not all ticked, once lessons and quizzes are done."""
    for item in outline:
        state = progress.get(item.module.id)
        if state is not None and not state.practice_complete:
            return Step(
                StepKind.PRACTISE, course=course, module=item.module,
                count=state.practice_tasks - state.practice_done,
            )  # fmt: skip
    return None


def _quiz_step(user: User, course: Course, module: Module, kind: StepKind, **extra) -> Step | None:
    """Take the part's quiz, or ask for a new attempt when they are used up."""
    quiz = course_queries.active_quiz_of(module)
    if quiz is None:
        return None
    if quiz_status(user, quiz).attempts_left == 0:
        kind = StepKind.QUIZ_LOCKED
    return Step(kind, course=course, module=module, **extra)


def _quiz_after_session(user: User, course: Course, session_id: int) -> Step | None:
    """Attended a session that counts: the first quiz not yet passed is all that remains."""
    progress = module_progress(user, course)
    waiting = [item.module_id for item in progress.values() if not item.quiz_passed]
    if not waiting:
        return None
    module = db.session.scalar(
        select(Module).where(Module.id.in_(waiting)).order_by(Module.position).limit(1)
    )
    training_session = db.session.get(TrainingSession, session_id)
    return _quiz_step(
        user, course, module, StepKind.QUIZ_AFTER_SESSION, training_session=training_session
    )


def _awaits_confirmation(user: User, course: Course) -> bool:
    """Attended a follow-up meeting, but the trainer has not confirmed the practice yet."""
    return bool(
        db.session.scalar(
            select(and_(follow_up_attended(user.id), ~practice_confirmed(course, user.id)))
        )
    )


def _registered_session(user: User, kind: SessionKind, now: datetime) -> TrainingSession | None:
    """The person's next session of this kind they are registered for, not yet ended."""
    return db.session.scalar(
        select(TrainingSession)
        .join(Attendance, Attendance.session_id == TrainingSession.id)
        .where(
            Attendance.user_id == user.id,
            Attendance.status != AttendanceStatus.NO_SHOW,
            TrainingSession.kind == kind,
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.ends_at > now,
        )
        .order_by(TrainingSession.starts_at)
        .limit(1)
    )


def _follow_up_step(user: User, course: Course, now: datetime, recertify: bool) -> Step:
    """Both parts done: the follow-up meeting they are registered for, one to join, or none yet."""
    ahead = _registered_session(user, SessionKind.AGENT_FOLLOW_UP, now)
    if ahead is not None:
        return Step(
            StepKind.FOLLOW_UP_AHEAD, course=course, training_session=ahead, recertify=recertify
        )
    open_meeting = _next_follow_up(TrainingSession.starts_at > now, TrainingSession.has_free_seat())
    kind = StepKind.REGISTER_FOLLOW_UP if open_meeting else StepKind.FOLLOW_UP_PENDING
    return Step(kind, course=course, training_session=open_meeting, recertify=recertify)


def _next_follow_up(*conditions) -> TrainingSession | None:
    """The first follow-up meeting, not cancelled, that meets the conditions (1 query)."""
    return db.session.scalar(
        select(TrainingSession)
        .where(
            TrainingSession.kind == SessionKind.AGENT_FOLLOW_UP,
            TrainingSession.cancelled_at.is_(None),
            *conditions,
        )
        .order_by(TrainingSession.starts_at)
        .limit(1)
    )


def _agent_work_step(user: User, course: Course, now: datetime) -> Step:
    """A certified agent: record the attendance that waits, else the next session, else plan one."""
    certificate = valid_certificate(user, course)
    recent = db.session.execute(
        select(TrainingSession, func.count(Attendance.id))
        .outerjoin(
            Attendance,
            and_(
                Attendance.session_id == TrainingSession.id,
                Attendance.status == AttendanceStatus.REGISTERED,
            ),
        )
        .where(
            TrainingSession.agent_id == user.id,
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.ends_at > now - timing.window() - _REOPEN_HORIZON,
        )
        .group_by(TrainingSession.id)
        .order_by(TrainingSession.starts_at)
    ).all()
    for training_session, unmarked in recent:
        if unmarked and timing.recording_open(training_session, now):
            return Step(
                StepKind.RECORD_ATTENDANCE, course=course, training_session=training_session,
                certificate=certificate, count=unmarked,
                until=timing.closes_at(training_session),
            )  # fmt: skip
    upcoming = next((s for s, _ in recent if s.starts_at > now), None)
    if upcoming is not None:
        return Step(
            StepKind.NEXT_SESSION, course=course, training_session=upcoming,
            certificate=certificate,
        )  # fmt: skip
    return Step(StepKind.PLAN_SESSION, course=course, certificate=certificate)


# A reopened session records for another window from its reopening; look that far back too.
_REOPEN_HORIZON = timedelta(days=90)


def _completed(user: User, course: Course) -> Step:
    return Step(StepKind.COMPLETED, course=course, certificate=valid_certificate(user, course))


@dataclass
class WorkOverview:
    """A coordinator's or admin's start: the next step, what needs attention, the next
    follow-up meeting."""

    step: Step
    attention: list[Step] = field(default_factory=list)
    next_follow_up: TrainingSession | None = None
    agents_waiting: int = 0


def work_overview(user: User, now: datetime | None = None) -> WorkOverview:
    """What needs a coordinator's (their municipality) or an admin's (the programme) attention,
    most pressing first; the step is the first of them, else following the coverage."""
    now = now or utcnow()
    next_follow_up = _next_follow_up(TrainingSession.ends_at > now)
    scope = Scope.of(user)
    waiting = _agents_waiting_for_follow_up(scope)
    attention = (
        _admin_attention(waiting, next_follow_up) if scope.every else _coordinator_attention(user)
    )
    step = attention[0] if attention else Step(StepKind.FOLLOW_COVERAGE)
    return WorkOverview(step, attention, next_follow_up, waiting)


def _agents_waiting_for_follow_up(scope: Scope) -> int:
    """Active agents in scope who have done both parts but are not certified (1 query)."""
    course = _lead_course(Audience.AGENT)
    if course is None:
        return 0
    query = select(func.count(User.id)).where(
        active_agent(),
        ~certified_agent(),
        modules_complete(course, User.id),
    )
    return db.session.scalar(query.where(scope.where(User.municipality_id))) or 0


def _admin_attention(waiting: int, next_follow_up: TrainingSession | None) -> list[Step]:
    items = []
    unconfirmed = _practice_to_confirm()
    if unconfirmed is not None:
        items.append(unconfirmed)
    if waiting and next_follow_up is None:
        items.append(Step(StepKind.PLAN_FOLLOW_UP, count=waiting))
    failed = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.state == MailState.FAILED)
    )
    if failed:
        items.append(Step(StepKind.MAIL_FAILED, count=failed))
    return items


def _practice_to_confirm() -> Step | None:
    """Agents present at a follow-up meeting whose practice no trainer has confirmed yet: how
    many, and the earliest such meeting (1 query)."""
    course = _lead_course(Audience.AGENT)
    if course is None:
        return None
    count, first = db.session.execute(
        select(func.count(func.distinct(Attendance.user_id)), func.min(TrainingSession.id))
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .join(User, User.id == Attendance.user_id)
        .where(
            TrainingSession.kind == SessionKind.AGENT_FOLLOW_UP,
            TrainingSession.cancelled_at.is_(None),
            marked_attended(),
            active_agent(),
            ~certified_agent(),
            ~practice_confirmed(course, User.id),
        )
    ).one()
    if not count:
        return None
    return Step(StepKind.CONFIRM_PRACTICE, count=count,
                training_session=db.session.get(TrainingSession, first))  # fmt: skip


def _coordinator_attention(user: User) -> list[Step]:
    """Nobody imported yet; people who cannot sign in yet; no meeting agents; facts missing
    (3 queries)."""
    others, agents = db.session.execute(
        select(
            func.count(User.id).filter(User.role.in_((Role.EMPLOYEE, Role.AGENT))),
            func.count(User.id).filter(active_agent()),
        ).where(User.municipality_id == user.municipality_id)
    ).one()
    if not others:
        return [Step(StepKind.IMPORT_ROSTER)]
    items = []
    waiting = count_waiting_for_activation(user.municipality, user)
    if waiting:
        items.append(Step(StepKind.SEND_ACTIVATION, count=waiting))
    if not agents:
        items.append(Step(StepKind.APPOINT_AGENTS))
    missing = len(FACTS) - len(facts_of(user.municipality_id))
    if missing:
        items.append(Step(StepKind.FILL_FACTS, count=missing))
    return items


def init_app(app) -> None:
    """Let the pages of lower domains (course, quiz result, certificates, session) show the
    learner's next step without importing progress: `step_in_course(user, course)`,
    `learning_step(user)` and `step_at_session(user, training_session)` in templates."""
    app.jinja_env.globals.update(
        step_in_course=lambda user, course: next_step(user, course=course),
        learning_step=learning_step,
        step_at_session=step_at_session,
    )
