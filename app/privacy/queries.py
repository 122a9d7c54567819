"""Everything the platform holds about one person, as a JSON-ready document (6 queries)."""

from datetime import datetime

from app.auth.models import User
from app.auth.tokens import ApiToken
from app.certificates.models import Certificate
from app.courses.models import Course, CourseCompletion, Lesson, LessonView
from app.extensions import db
from app.quizzes.models import Quiz, QuizAttempt
from app.training.models import Attendance, TrainingSession


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def my_data(user: User) -> dict:
    """The person's account, learning, sessions, certificates and API tokens (no secrets)."""
    lessons = db.session.execute(
        db.select(Lesson.title, LessonView.first_viewed_at, LessonView.last_viewed_at)
        .join(LessonView, LessonView.lesson_id == Lesson.id)
        .where(LessonView.user_id == user.id)
        .order_by(LessonView.first_viewed_at)
    ).all()
    attempts = db.session.execute(
        db.select(Quiz.title, QuizAttempt)
        .join(QuizAttempt, QuizAttempt.quiz_id == Quiz.id)
        .where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.started_at)
    ).all()
    completions = db.session.execute(
        db.select(Course.title, CourseCompletion)
        .join(CourseCompletion, CourseCompletion.course_id == Course.id)
        .where(CourseCompletion.user_id == user.id)
    ).all()
    sessions = db.session.execute(
        db.select(TrainingSession, Attendance)
        .join(Attendance, Attendance.session_id == TrainingSession.id)
        .where(Attendance.user_id == user.id)
        .order_by(TrainingSession.starts_at)
    ).all()
    certificates = db.session.scalars(
        db.select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.id)
    ).all()
    tokens = db.session.scalars(db.select(ApiToken).where(ApiToken.user_id == user.id)).all()
    return {
        "account": {
            "email": user.email, "name": user.name, "role": user.role, "unit": user.unit,
            "municipality": user.municipality.name if user.municipality else None,
            "active": user.active, "language": user.locale, "created_at": _time(user.created_at),
            "has_password": bool(user.password_hash),
        },
        "lessons_viewed": [
            {"lesson": title, "first": _time(first), "last": _time(last)}
            for title, first, last in lessons
        ],
        "quiz_attempts": [
            {"quiz": title, "number": a.number, "state": a.state, "score": a.score,
             "passed": a.passed, "started_at": _time(a.started_at),
             "submitted_at": _time(a.submitted_at)}
            for title, a in attempts
        ],
        "course_completions": [
            {"course": title, "method": c.method, "completed_at": _time(c.completed_at)}
            for title, c in completions
        ],
        "training_sessions": [
            {"title": s.title, "starts_at": _time(s.starts_at), "place": s.place,
             "status": a.status, "registered_at": _time(a.registered_at)}
            for s, a in sessions
        ],
        "certificates": [
            {"code": c.code, "course": c.course_title, "holder_name": c.holder_name,
             "trainer_name": c.trainer_name, "issued_at": _time(c.issued_at),
             "revoked_at": _time(c.revoked_at), "revoked_reason": c.revoked_reason or None}
            for c in certificates
        ],
        "api_tokens": [
            {"name": t.name, "created_at": _time(t.created_at),
             "last_used_at": _time(t.last_used_at), "revoked_at": _time(t.revoked_at)}
            for t in tokens
        ],
    }  # fmt: skip
