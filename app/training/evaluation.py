"""Attendees' evaluations of end-user sessions: three ratings 1–5 and a comment.

Results are aggregates only, and hidden below `EVALUATION_PRIVACY_MIN` answers so that no one
can tell what a single colleague answered. Agents see their own sessions', coordinators their
municipality's, admins everyone's.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.extensions import db
from app.progress.rules import attended
from app.training.models import (
    EVALUATION_PRIVACY_MIN,
    SessionEvaluation,
    SessionKind,
    TrainingSession,
)

QUESTIONS = ("useful", "clear", "confident")


@dataclass(frozen=True)
class EvaluationResults:
    """The aggregate of some evaluations; `shown` is False below the privacy minimum."""

    answers: int
    useful: float | None = None
    clear: float | None = None
    confident: float | None = None
    comments: tuple[str, ...] = ()

    @property
    def shown(self) -> bool:
        """True when there are enough answers to show them without revealing anyone's."""
        return self.answers >= EVALUATION_PRIVACY_MIN

    @property
    def minimum(self) -> int:
        """How many answers it takes before results are shown."""
        return EVALUATION_PRIVACY_MIN


def may_evaluate(user: User, training_session: TrainingSession, now: datetime) -> bool:
    """An attendee marked present at a started end-user session who has not answered yet."""
    if training_session.kind != SessionKind.END_USER or training_session.starts_at > now:
        return False
    return bool(
        db.session.scalar(
            db.select(
                and_(
                    attended(training_session.id, user.id),
                    ~db.select(SessionEvaluation.id)
                    .where(
                        SessionEvaluation.session_id == training_session.id,
                        SessionEvaluation.user_id == user.id,
                    )
                    .exists(),
                )
            )
        )
    )


def save_evaluation(user: User, training_session: TrainingSession, answers: dict) -> bool:
    """Record the attendee's answers once; False when they had already answered."""
    try:
        with db.session.begin_nested():
            db.session.add(
                SessionEvaluation(session_id=training_session.id, user_id=user.id, **answers)
            )
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        return False


def _results(*conditions) -> EvaluationResults:
    """The aggregate of the evaluations meeting the conditions (2 queries at most)."""
    count, *averages = db.session.execute(
        db.select(
            func.count(SessionEvaluation.id),
            *(func.avg(getattr(SessionEvaluation, name)) for name in QUESTIONS),
        )
        .join(TrainingSession, TrainingSession.id == SessionEvaluation.session_id)
        .where(*conditions)
    ).one()
    if count < EVALUATION_PRIVACY_MIN:
        return EvaluationResults(count)
    comments = db.session.scalars(
        db.select(SessionEvaluation.comment)
        .join(TrainingSession, TrainingSession.id == SessionEvaluation.session_id)
        .where(*conditions, func.length(SessionEvaluation.comment) > 0)
        .order_by(SessionEvaluation.created_at.desc(), SessionEvaluation.id.desc())
        .limit(20)
    ).all()
    return EvaluationResults(count, *(float(a) for a in averages), comments=tuple(comments))


def results_for_session(training_session: TrainingSession) -> EvaluationResults:
    """One session's evaluation."""
    return _results(SessionEvaluation.session_id == training_session.id)


def results_for_agent(agent: User) -> EvaluationResults:
    """Every evaluation of the agent's own sessions."""
    return _results(TrainingSession.agent_id == agent.id)


def results_for_municipality(municipality_id: int) -> EvaluationResults:
    """Every evaluation of the municipality's sessions."""
    return _results(TrainingSession.municipality_id == municipality_id)
