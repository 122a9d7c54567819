"""What progress does when a lower domain reports a learner's step (`app.core.events`).

Every handler writes inside the sender's transaction and never commits: the sender's one commit
saves the step, the completions it brings and (through `course_completed`) the certificate.
"""

from app.auth.models import User
from app.core import events
from app.courses.models import Audience, Course
from app.progress.completion import (
    complete_via_attendance,
    update_progress,
    withdraw_after_revocation,
    withdraw_via_session,
)
from app.training.models import TrainingSession


@events.lesson_viewed.connect
@events.quiz_passed.connect
@events.practice_saved.connect
def _learner_stepped(user: User, course: Course, **_details) -> None:
    """A lesson opened, a quiz passed or practice saved: record the completions that now hold."""
    update_progress(user, course)


@events.attendance_marked.connect
def _attendance_marked(
    training_session: TrainingSession, attended: list[int], absent_after_all: list[int], by: User
) -> None:
    """Attending completes what it can; an absence after all withdraws what rested on it."""
    complete_via_attendance(training_session, attended)
    withdraw_via_session(training_session, absent_after_all, by=by)


@events.practice_confirmed.connect
def _practice_confirmed(training_session: TrainingSession, user_ids: list[int]) -> None:
    """Confirmed practice makes the attended follow-up meeting count: the agent course may
    complete."""
    complete_via_attendance(training_session, user_ids)


@events.certificate_revoked.connect
def _certificate_revoked(holder: User, course: Course, revoked_at, by: User | None) -> None:
    """An agent's certification ended: their later sessions will never count."""
    if course is None or course.audience == Audience.AGENT:
        withdraw_after_revocation(holder, revoked_at, by)
