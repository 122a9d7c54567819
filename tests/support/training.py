"""Training for tests: certified agents without the clicking, session details, moving a
session in time, and practice done and confirmed."""

from datetime import UTC, datetime, timedelta

from app.certificates.models import Certificate
from app.certificates.services import issue_certificates
from app.courses.models import Audience, Course, CourseCompletion, Module
from app.extensions import db
from app.training.models import TrainingSession
from app.training.services import SessionDetails


def certify_agent(agent, at: datetime | None = None) -> Certificate:
    """Record the agent course as completed and issue the agent certificate (the course is
    created if needed); `at` backdates both."""
    course = db.session.scalar(db.select(Course).where(Course.audience == Audience.AGENT))
    if course is None:
        course = Course(slug="agent-test", title="Mötesagentutbildning", audience=Audience.AGENT,
                        certificate=True, follow_up_required=True)  # fmt: skip
        db.session.add(course)
        db.session.flush()
    completed_at = at or datetime.now(UTC) - timedelta(days=30)
    completion = CourseCompletion(user_id=agent.id, course_id=course.id, method="online",
                                  completed_at=completed_at)  # fmt: skip
    db.session.add(completion)
    db.session.commit()
    (certificate,) = issue_certificates(course, [completion])
    db.session.commit()
    return certificate


def details(start_in=timedelta(days=2), minutes=90, capacity=None, **extra) -> SessionDetails:
    """A session's details: an end-user session in two days unless told otherwise."""
    start = datetime.now(UTC) + start_in
    values = {"title": "Resfria möten i vardagen", "starts_at": start,
                  "ends_at": start + timedelta(minutes=minutes), "place": "Videorummet, Stadshuset",
                  "mode": "video", "capacity": capacity, "notes": ""}  # fmt: skip
    values.update(extra)
    return SessionDetails(**values)


def move(session: TrainingSession, start_in: timedelta, minutes=90) -> TrainingSession:
    """Shift a session in time (tests cannot wait for it to start)."""
    session.starts_at = datetime.now(UTC) + start_in
    session.ends_at = session.starts_at + timedelta(minutes=minutes)
    db.session.commit()
    return session


def do_practice(user, course) -> None:
    """Tick every active practice task of the course, with a note (as the practice page would)."""
    from app.courses.content import Practice, PracticeTask
    from app.practice.models import PracticeCheck
    from app.progress.completion import update_progress

    tasks = db.session.scalars(
        db.select(PracticeTask.id)
        .join(Practice, Practice.id == PracticeTask.practice_id)
        .join(Module, Module.id == Practice.module_id)
        .where(Module.course_id == course.id, PracticeTask.retired_at.is_(None))
    ).all()
    db.session.add_all(
        PracticeCheck(user_id=user.id, task_id=task, note="Gick bra.") for task in tasks
    )
    db.session.commit()
    update_progress(user, course)
    db.session.commit()


def confirm_practice_of(user, course) -> None:
    """A trainer's confirmation of every practice of the course that needs one."""
    from app.practice.models import PracticeConfirmation
    from app.practice.queries import trainer_practices

    db.session.add_all(
        PracticeConfirmation(user_id=user.id, practice_id=practice_id)
        for practice_id in db.session.scalars(trainer_practices(course))
    )
    db.session.commit()
