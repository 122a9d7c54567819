"""Who may see, join, run and manage training sessions: the training domain's access rules.

Running or managing a session needs, at the time of the request, the agent role, an active
account and certification (`app.progress.rules.certified_agent`); admins manage every session.
An agent who is no longer certified still sees their own sessions, read-only.
"""

from app.auth.models import User
from app.core.roles import Role
from app.progress.queries import has_reached_part_two, is_certified
from app.training.models import SessionKind, TrainingSession


def may_see(user: User, training_session: TrainingSession) -> bool:
    """End-user sessions: people of the municipality; follow-up meetings: agents; admins: all."""
    if user.role == Role.ADMIN:
        return True
    if training_session.kind == SessionKind.AGENT_FOLLOW_UP:
        return user.role == Role.AGENT
    return user.municipality_id == training_session.municipality_id


def works_with_sessions(user: User) -> bool:
    """Agents and admins reach the planning page and the kit; an agent not yet certified is
    told there what is missing."""
    return user.role in (Role.AGENT, Role.ADMIN)


def may_run_sessions(user: User) -> bool:
    """Admins (follow-up meetings) and certified agents (end-user sessions) create sessions."""
    return user.role == Role.ADMIN or (user.role == Role.AGENT and is_certified(user))


def may_manage(user: User, training_session: TrainingSession) -> bool:
    """Edit, cancel, add people, mark attendance, show the check-in code: an admin, or the
    session's own agent while certified."""
    if user.role == Role.ADMIN:
        return True
    return training_session.agent_id == user.id and may_run_sessions(user)


def may_see_list(user: User, training_session: TrainingSession) -> bool:
    """The list of participants: whoever manages the session, and its agent (read-only)."""
    return training_session.agent_id == user.id or may_manage(user, training_session)


def may_join(user: User, training_session: TrainingSession) -> bool:
    """End-user sessions: people of the municipality but the trainer; follow-ups: agents."""
    if training_session.kind == SessionKind.AGENT_FOLLOW_UP:
        return user.role == Role.AGENT
    return (
        user.municipality_id == training_session.municipality_id
        and user.id != training_session.agent_id
    )


def may_be_added(person: User, training_session: TrainingSession) -> bool:
    """Whom the trainer may put on the list: active people who may join it."""
    return person.is_active and may_join(person, training_session)


def may_reopen(user: User) -> bool:
    """Only the programme office reopens a closed session."""
    return user.role == Role.ADMIN


def may_use_kit(user: User) -> bool:
    """The cascade-training kit: those who run sessions, and agents from part 2 of their course
    on, so they can rehearse it before they are certified."""
    return may_run_sessions(user) or (user.role == Role.AGENT and has_reached_part_two(user))


def may_see_reach(user: User) -> bool:
    """The reach page lists the sessions one has run: agents, and former agents (now employees)
    who keep read-only sight of their past sessions."""
    return user.role in (Role.AGENT, Role.EMPLOYEE)


def shows_reach_link(user: User, has_run_sessions: bool) -> bool:
    """Agents see the way to their reach page; former agents while they have sessions."""
    return user.role == Role.AGENT or (may_see_reach(user) and has_run_sessions)


def plans_follow_ups(user: User) -> bool:
    """What the programme office plans are follow-up meetings for agents, not end-user sessions."""
    return user.role == Role.ADMIN
