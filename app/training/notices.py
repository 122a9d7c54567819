"""What attendees are told after a session: the quiz is what remains (issue #12)."""

from sqlalchemy import exists, select

from app.auth.models import User
from app.core.urls import external_url
from app.courses.content import Quiz
from app.courses.models import Audience, Course, CourseCompletion, Module
from app.extensions import db
from app.mail.services import queue_mails, render_mail
from app.training.models import SessionKind, TrainingSession


def notify_attended(training_session: TrainingSession, user_ids: list[int]) -> int:
    """E-mail people newly marked attended at an end-user session who have not completed the
    course yet: "gör kunskapstestet", with a link straight to the quiz (those who completed get
    the certificate e-mail instead). A fixed number of queries; the caller commits."""
    if not user_ids or training_session.kind != SessionKind.END_USER:
        return 0
    found = db.session.execute(
        select(Course, Module)
        .join(Module, Module.course_id == Course.id)
        .join(Quiz, Quiz.module_id == Module.id)
        .where(
            Course.audience == Audience.EMPLOYEE,
            Course.retired_at.is_(None),
            Module.retired_at.is_(None),
            Quiz.retired_at.is_(None),
        )
        .order_by(Course.position, Module.position)
        .limit(1)
    ).first()
    if found is None:
        return 0
    course, module = found
    completed = exists(
        select(CourseCompletion.id).where(
            CourseCompletion.user_id == User.id, CourseCompletion.course_id == course.id
        )
    )
    people = db.session.scalars(
        select(User).where(User.id.in_(user_ids), User.reachable(), ~completed)
    ).all()
    url = external_url("quizzes.start_page", slug=course.slug, module_slug=module.slug)
    queue_mails(
        [
            render_mail(
                "attended",
                person.email,
                person.locale,
                user=person,
                training_session=training_session,
                url=url,
            )  # fmt: skip
            for person in people
        ]
    )
    return len(people)
