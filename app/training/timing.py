"""The cascade's time rules: when a session's attendance may be recorded, and when it closes.

Agents often teach at a workplace meeting and record it afterwards, so attendance and walk-ins
may be recorded from the start until ATTENDANCE_WINDOW_DAYS after the end (default 14); then the
session is closed and read-only, unless an admin reopens it (for another window).
"""

from datetime import datetime, timedelta

from flask import current_app

from app.training.models import TrainingSession

DEFAULT_WINDOW_DAYS = 14


def window() -> timedelta:
    """How long after its end a session's attendance may still be recorded."""
    return timedelta(days=current_app.config.get("ATTENDANCE_WINDOW_DAYS", DEFAULT_WINDOW_DAYS))


def earliest_end(now: datetime) -> datetime:
    """A session ending before this can no longer be recorded (nor be moved to end before it)."""
    return now - window()


def closes_at(training_session: TrainingSession) -> datetime:
    """When recording closes: a window after the end, or after an admin's reopening."""
    opened = max(training_session.ends_at, training_session.reopened_at or training_session.ends_at)
    return opened + window()


def is_closed(training_session: TrainingSession, now: datetime) -> bool:
    """True once the session is past its recording window: read-only."""
    return now > closes_at(training_session)


def recording_open(training_session: TrainingSession, now: datetime) -> bool:
    """Attendance may be recorded now: started, not cancelled, not closed."""
    return (
        not training_session.cancelled
        and training_session.starts_at <= now
        and not is_closed(training_session, now)
    )
