"""Calendar files (RFC 5545) for sessions, in the Europe/Stockholm time zone."""

from icalendar import Calendar, Event

from app.core.time import STOCKHOLM, utcnow
from app.training.models import TrainingSession


def session_ics(training_session: TrainingSession, url: str, host: str) -> bytes:
    """An .ics file with one event for the session (cancelled sessions say so)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Vi möts resfritt//Utbildningsplattform//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"session-{training_session.id}@{host}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", training_session.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", training_session.ends_at.astimezone(STOCKHOLM))
    event.add("summary", training_session.title)
    event.add("location", training_session.place)
    event.add("description", "\n\n".join(filter(None, [training_session.notes, url])))
    event.add("url", url)
    event.add("status", "CANCELLED" if training_session.cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
