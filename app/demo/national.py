"""`flask demo seed --scale national`: the platform at the size of all 290 Swedish municipalities,
for the benchmark (issue #16): ~200,000 employees, 3,000 agents, 20,000 held sessions with
attendance, ~1,000,000 quiz attempts with completions and certificates, a year of meetings.

Written with bulk inserts of plain rows (no ORM objects, no completion service), so it takes
minutes, not hours; the figures the pages show come from the same rules as ever. `scale`
shrinks every count for tests.
"""

import logging
import random
from datetime import timedelta

from app.auth.models import User, hash_password
from app.certificates.models import Certificate
from app.core.roles import Role
from app.core.time import utcnow
from app.courses.content import Quiz
from app.courses.models import (
    Audience,
    CompletionMethod,
    Course,
    CourseCompletion,
    Module,
    ModuleCompletion,
)
from app.demo.services import DEMO_PASSWORD, DemoDataExists
from app.effect.models import MeetingForm, MeetingSource, TravelFreeMeeting
from app.extensions import db
from app.municipalities.models import Municipality
from app.municipalities.services import seed_municipalities
from app.quizzes.models import AttemptState, QuizAttempt
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession

log = logging.getLogger(__name__)
MUNICIPALITIES, EMPLOYEES, AGENTS, SESSIONS, ATTEMPTS_EACH = 290, 200_000, 3_000, 20_000, 4.6
CHUNK = 20_000
CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _insert(model, rows: list[dict]) -> None:
    """Insert plain rows in chunks (executemany)."""
    for start in range(0, len(rows), CHUNK):
        db.session.execute(db.insert(model), rows[start : start + CHUNK])


def _codes(count: int, pace: random.Random) -> list[str]:
    """Distinct certificate codes (12 characters of the code alphabet)."""
    seen: set[str] = set()
    while len(seen) < count:
        seen.add("".join(pace.choice(CODE_CHARS) for _ in range(12)))
    return sorted(seen)


def seed_national(scale: float = 1.0) -> dict[str, int]:
    """Fill an empty database (courses synced) at national size; returns the counts.

    :raise DemoDataExists: there are users already.
    """
    if db.session.scalar(db.select(User.id).limit(1)) is not None:
        raise DemoDataExists("the database already has users; demo data was not added")
    courses = {
        c.audience: c for c in db.session.scalars(db.select(Course).order_by(Course.position))
    }
    if Audience.AGENT not in courses or Audience.EMPLOYEE not in courses:
        raise DemoDataExists("sync the courses first (flask courses sync)")
    pace = random.Random(290)
    now = utcnow()
    places = _municipalities(pace)
    people = _people(places, scale, pace)
    agents_by_place, staff_by_place = people
    certified = _certify_agents(courses[Audience.AGENT], agents_by_place, now, pace)
    attendees = _sessions(certified, staff_by_place, scale, now, pace)
    attempts = _attempts_and_completions(courses[Audience.EMPLOYEE], staff_by_place, attendees,
                                         scale, now, pace)  # fmt: skip
    meetings = _meetings(places, now, pace)
    db.session.commit()
    # After a bulk load the planner knows nothing of the tables: without fresh statistics
    # PostgreSQL takes 115,000 completions for one row and plans nested loops (38 s a report).
    db.session.execute(db.text("ANALYZE"))
    db.session.commit()
    counts = {
        "municipalities": len(places),
        "employees": sum(len(v) for v in staff_by_place.values()),
        "agents": sum(len(v) for v in agents_by_place.values()),
        "certified agents": sum(len(v) for v in certified.values()),
        "sessions": len({s for s, _ in attendees}),
        "attendance": len(attendees),
        "quiz attempts": attempts,
        "meetings": meetings,
    }
    log.info("National demo: %s", counts)
    return counts


def _municipalities(pace: random.Random) -> list[Municipality]:
    """Dalarna's 15 and 275 more, sized like Sweden's (a few large, many small)."""
    seed_municipalities()
    existing = {m.code for m in db.session.scalars(db.select(Municipality))}
    rows, code = [], 1000
    while len(existing) + len(rows) < MUNICIPALITIES:
        code += 1
        if str(code) in existing:
            continue
        population = int(min(980_000, 2500 * pace.paretovariate(1.1)))
        rows.append({"code": str(code), "name": f"Kommun {code}", "population": population})
    _insert(Municipality, rows)
    return db.session.scalars(db.select(Municipality).order_by(Municipality.code)).all()


def _people(places, scale: float, pace: random.Random):
    """Per municipality a coordinator, agents and employees in proportion to the population."""
    password = hash_password(DEMO_PASSWORD)
    total = sum(m.population or 7000 for m in places)
    rows = [{"email": "admin@national.demo", "name": "Programkontoret", "role": Role.ADMIN,
             "password_hash": password}]  # fmt: skip
    for m in places:
        share = (m.population or 7000) / total
        staff, agents = (
            max(3, round(EMPLOYEES * scale * share)),
            max(2, round(AGENTS * scale * share)),
        )
        m.staff_target, m.agent_target, m.staff_target_explicit = staff, agents, True
        rows.append({
            "email": f"koordinator.{m.code}@national.demo", "name": f"Koordinator {m.code}",
            "role": Role.COORDINATOR, "municipality_id": m.id, "password_hash": password,
        })  # fmt: skip
        rows += [{"email": f"agent{n}.{m.code}@national.demo", "name": f"Agent {n} {m.code}",
                  "role": Role.AGENT, "municipality_id": m.id, "password_hash": password}
                 for n in range(1, agents + 1)]  # fmt: skip
        rows += [{"email": f"person{n}.{m.code}@national.demo", "name": f"Person {n} {m.code}",
                  "role": Role.EMPLOYEE, "municipality_id": m.id, "password_hash": password}
                 for n in range(1, staff + 1)]  # fmt: skip
    _insert(User, rows)
    agents_by_place: dict[int, list[int]] = {}
    staff_by_place: dict[int, list[int]] = {}
    for user_id, place, role in db.session.execute(
        db.select(User.id, User.municipality_id, User.role).order_by(User.id)
    ):
        if role == Role.AGENT:
            agents_by_place.setdefault(place, []).append(user_id)
        elif role == Role.EMPLOYEE:
            staff_by_place.setdefault(place, []).append(user_id)
    return agents_by_place, staff_by_place


def _certify_agents(course: Course, agents_by_place, now, pace) -> dict[int, list[tuple]]:
    """Nine in ten agents certified over the past year: parts, completion, certificate."""
    modules = db.session.scalars(db.select(Module.id).where(Module.course_id == course.id)).all()
    certified: dict[int, list[tuple]] = {}
    completions, module_rows = [], []
    for place, agents in agents_by_place.items():
        for agent in agents:
            if pace.random() < 0.9:
                at = now - timedelta(days=pace.randint(60, 400))
                certified.setdefault(place, []).append((agent, at))
                completions.append({"user_id": agent, "course_id": course.id, "method":
                                    CompletionMethod.ONLINE, "course_version": course.version,
                                    "completed_at": at})  # fmt: skip
                module_rows += [{"user_id": agent, "module_id": m, "completed_at": at}
                                for m in modules]  # fmt: skip
    _insert(CourseCompletion, completions)
    _insert(ModuleCompletion, module_rows)
    codes = _codes(len(completions), pace)
    _insert(Certificate, [
        {"code": code, "user_id": c["user_id"], "course_id": course.id,
         "course_title": course.title, "course_version": course.version,
         "holder_name": f"Agent {c['user_id']}", "issued_at": c["completed_at"]}
        for code, c in zip(codes, completions, strict=True)
    ])  # fmt: skip
    return certified


def _sessions(certified, staff_by_place, scale, now, pace) -> list[tuple[int, int]]:
    """End-user sessions of certified agents after their certification, ~7 attendees each."""
    total_agents = sum(len(v) for v in certified.values()) or 1
    plan = []
    for place, agents in certified.items():
        count = max(1, round(SESSIONS * scale * len(agents) / total_agents))
        for number in range(count):
            agent, since = agents[number % len(agents)]
            start = since + timedelta(days=7 + pace.randint(0, max(1, (now - since).days - 8)))
            start = min(start, now - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
            plan.append((place, agent, start))
    _insert(TrainingSession, [
        {"kind": SessionKind.END_USER, "title": "Resfria möten i vardagen", "agent_id": agent,
         "municipality_id": place, "starts_at": start, "ends_at": start + timedelta(minutes=90),
         "place": "Videorummet", "mode": "video", "capacity": 12, "registered_count": 7,
         "created_by_id": agent, "created_at": start - timedelta(days=14)}
        for place, agent, start in plan
    ])  # fmt: skip
    sessions = db.session.execute(
        db.select(TrainingSession.id, TrainingSession.municipality_id, TrainingSession.agent_id,
                  TrainingSession.ends_at)
    ).all()  # fmt: skip
    attendance, used = [], set()
    for session_id, place, agent, ends in sessions:
        staff = staff_by_place.get(place, [])
        for person in pace.sample(staff, min(7, len(staff))):
            if person in used:
                continue
            used.add(person)
            attendance.append({
                "session_id": session_id, "user_id": person, "status": AttendanceStatus.ATTENDED,
                "marked_by_id": agent, "marked_at": ends,
                "registered_at": ends - timedelta(days=10),
            })  # fmt: skip
    _insert(Attendance, attendance)
    return [(a["session_id"], a["user_id"]) for a in attendance]


def _attempts_and_completions(course, staff_by_place, attendees, scale, now, pace) -> int:
    """Quiz attempts for most employees (several fail first); those who pass have completed
    the course, via their session when they attended one, else online."""
    quiz = db.session.scalar(
        db.select(Quiz)
        .join(Module, Module.id == Quiz.module_id)
        .where(Module.course_id == course.id)
    )
    modules = db.session.scalars(db.select(Module.id).where(Module.course_id == course.id)).all()
    session_of = {person: session for session, person in attendees}
    trainer = dict(
        db.session.execute(db.select(TrainingSession.id, TrainingSession.agent_id)).all()
    )
    ended = dict(db.session.execute(db.select(TrainingSession.id, TrainingSession.ends_at)).all())
    attempts, completions, module_rows, count = [], [], [], 0
    for staff in staff_by_place.values():
        for person in staff:
            tries = round(pace.expovariate(1 / ATTEMPTS_EACH))
            if tries == 0:
                continue
            session = session_of.get(person)
            start = ended[session] if session else now - timedelta(days=pace.randint(2, 360))
            passes = pace.random() < (0.95 if session else 0.45)
            for number in range(1, tries + 1):
                at = start + timedelta(hours=number)
                passed = passes and number == tries
                attempts.append({"user_id": person, "quiz_id": quiz.id, "number": number,
                                 "state": AttemptState.SUBMITTED, "questions": [], "answers": {},
                                 "results": {}, "score": 90 if passed else 40, "passed": passed,
                                 "started_at": at, "submitted_at": at})  # fmt: skip
            if passes:
                method = CompletionMethod.SESSION if session else CompletionMethod.ONLINE
                completions.append({
                    "user_id": person, "course_id": course.id, "method": method,
                    "session_id": session, "course_version": course.version,
                    "completed_at": start + timedelta(hours=tries),
                })  # fmt: skip
                if not session:
                    module_rows += [{"user_id": person, "module_id": m,
                                     "completed_at": start} for m in modules]  # fmt: skip
            if len(attempts) >= CHUNK:
                _insert(QuizAttempt, attempts)
                count += len(attempts)
                attempts = []
    _insert(QuizAttempt, attempts)
    count += len(attempts)
    _insert(CourseCompletion, completions)
    _insert(ModuleCompletion, module_rows)
    codes = _codes(len(completions), pace)
    _insert(Certificate, [
        {"code": code, "user_id": c["user_id"], "course_id": course.id,
         "course_title": course.title, "course_version": course.version,
         "holder_name": f"Person {c['user_id']}", "session_id": c["session_id"],
         "trainer_id": trainer.get(c["session_id"]), "issued_at": c["completed_at"]}
        for code, c in zip(codes, completions, strict=True)
    ])  # fmt: skip
    return count


def _meetings(places, now, pace) -> int:
    """A year of travel-free meetings: each municipality's video rooms, month by month."""
    rows = []
    for m in places:
        size = (m.population or 7000) / 1000
        for back in range(12):
            month = (now.date().replace(day=1) - timedelta(days=30 * back)).replace(day=1)
            rooms = max(1, round(size * (12 - back) / 12 * pace.uniform(0.5, 1.5)))
            rows.append({"municipality_id": m.id, "held_on": month, "form": MeetingForm.VIDEO_ROOM,
                         "meetings": rooms, "participants": rooms * 4, "trips_avoided": rooms * 2,
                         "note": "", "source": MeetingSource.IMPORT})  # fmt: skip
    _insert(TravelFreeMeeting, rows)
    return len(rows)
