"""Demo data: a realistic spread of people across the 15 municipalities."""

import logging
import random
import unicodedata
from datetime import timedelta

from app.auth.models import User, hash_password
from app.core.errors import DomainError
from app.core.roles import Role
from app.core.time import STOCKHOLM, utcnow
from app.courses.content import Practice, PracticeTask, Quiz
from app.courses.models import (
    Course,
    Lesson,
    LessonView,
    Module,
    ModuleCompletion,
)
from app.effect.models import MeetingForm, MeetingSource, TravelFreeMeeting
from app.extensions import db
from app.municipalities.models import Municipality, MunicipalityFact
from app.municipalities.services import seed_municipalities
from app.practice.models import PracticeCheck, PracticeConfirmation
from app.practice.queries import trainer_practices
from app.progress.completion import complete_course
from app.quizzes.models import AttemptState, QuizAttempt
from app.reports.queries import coverage_by_municipality
from app.training.models import (
    Attendance,
    AttendanceStatus,
    SessionEvaluation,
    SessionKind,
    TrainingSession,
)
from app.training.services import new_check_in_code

log = logging.getLogger(__name__)

DEMO_PASSWORD = "resfritt-demo"  # noqa: S105 - printed by `make run`; demo data only
DEMO_DOMAIN = "demo.se"
TOTAL_AGENTS, TOTAL_STAFF, EMPLOYEES_EACH = 100, 1800, 6
FIRST_NAMES = (
    "Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Sara", "Johan", "Elin", "Per",
    "Ingrid", "Mikael", "Emma", "Nils", "Sofia", "Olof", "Lena", "Jonas", "Åsa", "Björn",
    "Maja", "Gustav", "Linnéa", "Henrik", "Ebba", "Fredrik", "Malin", "Magnus", "Aisha", "Ali",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Hedlund", "Öberg",
    "Lindqvist", "Berglund", "Dahlberg", "Ek", "Sjöberg", "Mattsson", "Hassan", "Nguyen",
)  # fmt: skip


class DemoDataExists(DomainError):
    """The database already holds users; demo data is only added to an empty one."""


def ascii_slug(name: str) -> str:
    """ "Malung-Sälen" → "malung-salen": for demo email addresses."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return folded.lower().replace(" ", "-")


def demo_email(role_word: str, municipality: Municipality, number: int | None = None) -> str:
    """E.g. agent2.falun@demo.se."""
    suffix = "" if number is None else str(number)
    return f"{role_word}{suffix}.{ascii_slug(municipality.name)}@{DEMO_DOMAIN}"


def seed_demo() -> int:
    """Add an admin, and per municipality a coordinator, agents and employees; return the count.

    :raise DemoDataExists: there are users already.
    """
    if db.session.scalar(db.select(User.id).limit(1)) is not None:
        raise DemoDataExists("the database already has users; demo data was not added")
    seed_municipalities()
    names = random.Random(2026)  # the same people on every machine
    password_hash = hash_password(DEMO_PASSWORD)  # one scrypt run, shared by all demo users
    people = [User(email=f"admin@{DEMO_DOMAIN}", name="Programkontoret Dalarna", role=Role.ADMIN)]
    municipalities = db.session.scalars(db.select(Municipality).order_by(Municipality.code)).all()
    total_population = sum(m.population or 7000 for m in municipalities)
    for municipality in municipalities:  # ~100 agents and ~1,800 staff, spread by population
        share = (municipality.population or 7000) / total_population
        agents = max(2, round(TOTAL_AGENTS * share))
        municipality.agent_target = agents
        municipality.staff_target = round(TOTAL_STAFF * share)
        municipality.staff_target_explicit = (
            True  # the programme office's target, not the roster size
        )
        people.append(
            _person(names, demo_email("koordinator", municipality), Role.COORDINATOR, municipality)
        )
        for number in range(1, agents + 1):
            people.append(
                _person(names, demo_email("agent", municipality, number), Role.AGENT, municipality)
            )
        for number in range(1, max(EMPLOYEES_EACH, municipality.staff_target) + 1):
            word = "medarbetare" if number <= EMPLOYEES_EACH else "personal"
            email = demo_email(word, municipality, number)
            people.append(_person(names, email, Role.EMPLOYEE, municipality))
    for person in people:
        person.password_hash = password_hash
    db.session.add_all(people)
    _seed_facts({m.code: m for m in db.session.scalars(db.select(Municipality))})
    db.session.commit()
    _seed_progress(people)
    _seed_meetings(people[0])
    log.info("Seeded %d demo users", len(people))
    return len(people)


def _seed_meetings(admin: User) -> None:
    """A year of travel-free meetings in every municipality, more where more staff are trained
    and more as the months go by: the video rooms' monthly statistics as one row per month,
    and single web, Jabber and phone meetings logged by hand."""
    pace = random.Random(7900)
    today = utcnow().astimezone(STOCKHOLM).date()
    coverage = {row.code: row.coverage for row in coverage_by_municipality()}
    rows = []
    for municipality in db.session.scalars(db.select(Municipality).order_by(Municipality.code)):
        size = (municipality.population or 7000) / 1000
        for back in range(11, -1, -1):
            month = (today.replace(day=1) - timedelta(days=30 * back)).replace(day=1)
            growth = (12 - back) / 12 * (0.5 + 2 * coverage.get(municipality.code, 0))
            rooms = max(1, round(size * growth * pace.uniform(0.6, 1.0)))
            rows.append(TravelFreeMeeting(
                municipality_id=municipality.id, held_on=month, form=MeetingForm.VIDEO_ROOM,
                meetings=rooms, participants=rooms * 4, trips_avoided=rooms * 2,
                note="Videorummens statistik för månaden", source=MeetingSource.IMPORT,
                created_by_id=admin.id,
            ))  # fmt: skip
            for _ in range(round(growth * 3)):
                day = min(month + timedelta(days=pace.randint(0, 27)), today)
                form = pace.choice((MeetingForm.WEB, MeetingForm.JABBER, MeetingForm.PHONE))
                trips = pace.randint(1, 5)
                rows.append(TravelFreeMeeting(
                    municipality_id=municipality.id, held_on=day, form=form,
                    participants=trips + 1, trips_avoided=trips,
                    km_avoided=float(trips * pace.choice((60, 90, 140, 200))),
                    source=MeetingSource.FORM, created_by_id=admin.id,
                ))  # fmt: skip
    db.session.add_all(rows)
    db.session.commit()


def _seed_progress(people: list[User]) -> None:
    """The cascade as the programme describes it, so coverage and certificates have data.

    Most agents are certified after one of three follow-up meetings; the last agent of each
    larger municipality is still in progress. Each certified agent held end-user sessions over
    the past months; staff were trained at those sessions or online, toward about 1,800 in all,
    with every municipality at its own pace. In every municipality `agent1` and `medarbetare1`
    stay untouched for trying the courses, `agent2` is certified, and `medarbetare2`–`4` hold
    the end-user certificate (3 and 4 from agent2's first session).
    Skipped when the courses are not synced yet.
    """
    courses = {c.slug: c for c in db.session.scalars(db.select(Course))}
    agent_course, end_user_course = courses.get("agent"), courses.get("end-user")
    if agent_course is None or end_user_course is None:
        log.info("Courses not synced: demo users have no completions")
        return
    pace = random.Random(1580)  # the same demo on every machine
    now = utcnow()
    meetings = []
    for months_ago in (7, 5, 3):
        start = (now - timedelta(days=30 * months_ago)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        meetings.append(TrainingSession(
            kind=SessionKind.AGENT_FOLLOW_UP, title="Uppföljningsmöte via webben",
            starts_at=start, ends_at=start + timedelta(hours=1, minutes=30), place="Webbmöte",
            mode="web", check_in_code=new_check_in_code(), created_at=start - timedelta(days=30),
        ))  # fmt: skip
    db.session.add_all(meetings)
    db.session.flush()
    by_municipality: dict[int, dict[str, list[User]]] = {}
    for person in people:
        if person.municipality_id is not None:
            by_role = by_municipality.setdefault(person.municipality_id, {})
            by_role.setdefault(person.role, []).append(person)
    meeting_of: dict[int, list[User]] = {}
    sessions_held: list[tuple[TrainingSession, list[User]]] = []
    online_learners: list[tuple[User, object]] = []
    for municipality_id, by_role in by_municipality.items():
        agents = sorted(by_role.get(Role.AGENT, []), key=lambda u: _number(u.email))
        staff = sorted(by_role.get(Role.EMPLOYEE, []), key=lambda u: _number(u.email))
        # agent1 untouched; in larger municipalities agent3 has done both parts and awaits the
        # follow-up meeting (see _seed_waiting_agents).
        certified = [a for a in agents[1:] if not (len(agents) > 4 and a is agents[2])]
        certified_at = {}
        for agent in certified:
            meeting = meetings[_number(agent.email) % len(meetings)]
            attended = AttendanceStatus.ATTENDED
            db.session.add(Attendance(session_id=meeting.id, user_id=agent.id, status=attended,
                                      marked_at=meeting.ends_at))  # fmt: skip
            meeting.registered_count += 1
            meeting_of.setdefault(meeting.id, []).append(agent)
            certified_at[agent.id] = meeting.ends_at
        # medarbetare1 untouched, 2–4 as documented, the rest at this municipality's own pace.
        share = pace.uniform(0.25, 0.85)
        rest = staff[4:]
        trained = rest[: round(len(rest) * share)]
        online = {id(u) for u in trained[: len(trained) * 2 // 5]} | {id(staff[1])}
        via_session = [u for u in [*staff[2:4], *trained] if id(u) not in online]
        sessions_held += _hold_sessions(
            certified, certified_at, municipality_id, via_session, now, pace
        )
        for user in [staff[1], *(u for u in trained if id(u) in online)]:
            # online completions spread over the past five months, a batch a week
            online_learners.append((user, now - timedelta(days=3 + 7 * pace.randint(0, 21))))
    db.session.commit()
    _record_progress(
        agent_course, end_user_course, meetings, meeting_of, sessions_held, online_learners
    )
    _seed_waiting_agents(people, agent_course, now)


def _record_progress(
    agent_course, end_user_course, meetings, meeting_of, sessions_held, online_learners
) -> None:
    """What the learners did (lessons read, quizzes passed), then their completions through the
    completion service, dated when they happened, so every course card agrees with its
    certificate. Bulk: one completion pass per meeting, session and week."""
    agents = [agent for group in meeting_of.values() for agent in group]
    _simulate_learning(agents, agent_course, lessons=True, at=min(m.starts_at for m in meetings))
    practices = db.session.scalars(trainer_practices(agent_course)).all()
    for meeting in meetings:
        ids = [agent.id for agent in meeting_of.get(meeting.id, [])]
        db.session.add_all(
            PracticeConfirmation(user_id=user_id, practice_id=practice_id, session_id=meeting.id,
                                 confirmed_at=meeting.ends_at)
            for user_id in ids
            for practice_id in practices
        )  # fmt: skip
        complete_course(agent_course, ids, at=meeting.ends_at)
    answers = random.Random(3160)
    for training_session, group in sessions_held:
        when = training_session.ends_at + timedelta(days=2)
        _simulate_learning(group, end_user_course, lessons=False, at=when)
        complete_course(end_user_course, [person.id for person in group], at=when)
        _evaluate(training_session, group, answers)
    by_day: dict[object, list[User]] = {}
    for person, when in online_learners:
        by_day.setdefault(when, []).append(person)
    for when, group in sorted(by_day.items()):
        _simulate_learning(group, end_user_course, lessons=True, at=when)
        complete_course(end_user_course, [person.id for person in group], at=when)
    db.session.commit()


EVALUATION_COMMENTS = (
    "Bra tempo och tydliga exempel.",
    "Skönt att få prova själv i videorummet.",
    "Mer tid för frågor nästa gång.",
    "Nu vågar jag starta ett webbmöte själv.",
    "",
    "",
)


def _evaluate(training_session: TrainingSession, group: list[User], pace: random.Random) -> None:
    """About two thirds of the attendees answer the evaluation, mostly positive."""
    db.session.add_all(
        SessionEvaluation(
            session_id=training_session.id, user_id=person.id, useful=pace.choice((3, 4, 4, 5, 5)),
            clear=pace.choice((3, 4, 5, 5)), confident=pace.choice((2, 3, 4, 4, 5)),
            comment=pace.choice(EVALUATION_COMMENTS), created_at=training_session.ends_at,
        )
        for person in group
        if pace.random() < 0.67
    )  # fmt: skip


PRACTICE_NOTES = (
    "Gick bra, vi hörde och såg varandra direkt.",
    "Fick prova två gånger innan det fungerade.",
    "Kollegan hjälpte mig att hitta rätt knapp.",
)

# The facts of a few municipalities, so the courses show both filled and unfilled facts.
DEMO_FACTS = {
    "2080": {
        "videorum": "Stadshuset plan 2 (Runn), plan 4 (Främby) och Kristinegymnasiet (rum B12).",
        "boka-videorum": "I Outlook: Nytt möte, sedan Lägg till rum och ett rum som heter Video.",
        "webbmotesverktyg": "Kommunens webbmötestjänst (du loggar in med ditt vanliga konto).",
        "it-support": "IT-support: 023-83 000, vardagar 7.30–16.30, eller via intranätet.",
        "inspelning": "Spela bara in om alla deltagare har fått veta det i förväg och ingen har "
        "invänt. Inspelningar med personuppgifter får inte sparas i webbmötestjänsten.",
    },
    "2062": {
        "videorum": "Kommunhuset (sammanträdesrum Siljan) och Mora gymnasium (rum 104).",
        "it-support": "IT-service: 0250-260 00.",
    },
}


def _seed_facts(municipalities: dict[str, Municipality]) -> None:
    """Falun's and Mora's fact sheets (partly filled); the others are left for coordinators."""
    db.session.add_all(
        MunicipalityFact(municipality_id=municipalities[code].id, key=key, value=value)
        for code, values in DEMO_FACTS.items()
        if code in municipalities
        for key, value in values.items()
    )


def _simulate_learning(people: list[User], course: Course, lessons: bool, at) -> None:
    """The learners' activity: every lesson read, practice task ticked (and the modules thereby
    complete) when `lessons`, and every quiz passed; written in bulk."""
    modules = db.session.scalars(
        db.select(Module).where(Module.course_id == course.id, Module.retired_at.is_(None))
    ).all()
    for module in modules:
        quiz = db.session.scalar(
            db.select(Quiz).where(Quiz.module_id == module.id, Quiz.retired_at.is_(None))
        )
        module_lessons = db.session.scalars(
            db.select(Lesson).where(Lesson.module_id == module.id, Lesson.retired_at.is_(None))
        ).all()
        tasks = db.session.scalars(
            db.select(PracticeTask.id)
            .join(Practice, Practice.id == PracticeTask.practice_id)
            .where(Practice.module_id == module.id, Practice.retired_at.is_(None),
                   PracticeTask.retired_at.is_(None))
        ).all()  # fmt: skip
        questions = []
        if quiz is not None:
            questions = [
                [q.id, [o.id for o in q.options if o.retired_at is None]]
                for q in quiz.questions
                if q.retired_at is None
            ][: quiz.draw or None]
        for person in people:
            if lessons:
                db.session.add_all(
                    LessonView(user_id=person.id, lesson_id=lesson.id, first_viewed_at=at,
                               last_viewed_at=at)
                    for lesson in module_lessons
                )  # fmt: skip
                db.session.add_all(
                    PracticeCheck(user_id=person.id, task_id=task_id, done_at=at,
                                  note=PRACTICE_NOTES[(person.id + task_id) % 3])
                    for task_id in tasks
                )  # fmt: skip
                db.session.add(ModuleCompletion(user_id=person.id, module_id=module.id,
                                                completed_at=at))  # fmt: skip
            if quiz is not None:
                db.session.add(QuizAttempt(
                    user_id=person.id, quiz_id=quiz.id, number=1, state=AttemptState.SUBMITTED,
                    questions=questions, answers={}, results={str(q): True for q, _ in questions},
                    score=100, passed=True, started_at=at, submitted_at=at,
                ))  # fmt: skip
    db.session.commit()


def _seed_waiting_agents(people: list[User], agent_course: Course, now) -> None:
    """agent3 of each larger municipality: both parts done (lessons read, quizzes passed), and
    a follow-up meeting on the web going on right now, so the last step can be tried."""
    agents_in: dict[int | None, int] = {}
    for person in people:
        if person.role == Role.AGENT:
            agents_in[person.municipality_id] = agents_in.get(person.municipality_id, 0) + 1
    waiting = [
        p
        for p in people
        if p.email.startswith("agent3.")
        and p.role == Role.AGENT
        and agents_in[p.municipality_id] > 4
    ]
    _simulate_learning(waiting, agent_course, lessons=True, at=now - timedelta(days=3))
    start = now - timedelta(minutes=15)
    db.session.add(TrainingSession(
        kind=SessionKind.AGENT_FOLLOW_UP, title="Uppföljningsmöte via webben (pågår nu)",
        starts_at=start, ends_at=start + timedelta(hours=3), place="Webbmöte", mode="web",
        check_in_code="RESA24", created_at=start - timedelta(days=14),
    ))  # fmt: skip
    db.session.commit()


def _number(email: str) -> int:
    digits = "".join(ch for ch in email.split(".")[0] if ch.isdigit())
    return int(digits) if digits else 0


def _hold_sessions(agents, certified_at, municipality_id, attendees, now, pace):
    """Spread the attendees over past sessions of the certified agents (12 a session), each
    held after its agent's certification."""
    if not agents:
        return []
    held = []
    for index, chunk_start in enumerate(range(0, len(attendees), 12)):
        agent = agents[index % len(agents)]
        days_ago = 14 + 10 * (len(attendees) // 12 - chunk_start // 12) + pace.randint(0, 6)
        start = (now - timedelta(days=days_ago)).replace(hour=13, minute=0, second=0, microsecond=0)
        start = max(start, certified_at[agent.id] + timedelta(days=7 + pace.randint(0, 20)))
        session = TrainingSession(
            kind=SessionKind.END_USER, title="Resfria möten i vardagen", agent_id=agent.id,
            municipality_id=municipality_id, starts_at=start, ends_at=start + timedelta(minutes=90),
            place="Kommunhuset, videorummet", mode="video", capacity=15,
            check_in_code=new_check_in_code(), created_by_id=agent.id,
            created_at=start - timedelta(days=21),  # planned ahead, not recorded afterwards
        )  # fmt: skip
        group = attendees[chunk_start : chunk_start + 12]
        session.registered_count = len(group) + 1
        db.session.add(session)
        db.session.flush()
        for person in group:
            db.session.add(Attendance(session_id=session.id, user_id=person.id,
                                      status=AttendanceStatus.ATTENDED, marked_by_id=agent.id,
                                      marked_at=session.ends_at))  # fmt: skip
        no_show = attendees[0]  # someone registered and did not come
        if no_show not in group:
            db.session.add(Attendance(session_id=session.id, user_id=no_show.id,
                                      status=AttendanceStatus.NO_SHOW, marked_by_id=agent.id,
                                      marked_at=session.ends_at))  # fmt: skip
        else:
            session.registered_count -= 1
        held.append((session, group))
    return held


def _person(names: random.Random, email: str, role: Role, municipality: Municipality) -> User:
    name = f"{names.choice(FIRST_NAMES)} {names.choice(LAST_NAMES)}"
    return User(email=email, name=name, role=role, municipality=municipality)


def demo_logins() -> list[tuple[str, str]]:
    """The demo logins worth printing: one per role, in Falun."""
    return [
        ("admin (programkontoret)", f"admin@{DEMO_DOMAIN}"),
        ("coordinator, Falun", f"koordinator.falun@{DEMO_DOMAIN}"),
        ("agent, Falun", f"agent1.falun@{DEMO_DOMAIN}"),
        ("employee, Falun", f"medarbetare1.falun@{DEMO_DOMAIN}"),
    ]
