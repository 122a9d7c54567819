"""Attendees evaluate a session; results are aggregates, hidden below five answers."""

from datetime import timedelta

from app.core.roles import Role
from app.extensions import db
from app.training.models import AttendanceStatus, SessionEvaluation
from app.training.services import mark_attendance, register
from tests.support.training import move

ANSWER = {"useful": "5", "clear": "4", "confident": "3", "comment": "Bra tempo."}


def held_session(end_user_session, certified_agent, people):
    for person in people:
        register(person, end_user_session)
    move(end_user_session, -timedelta(hours=2))
    mark_attendance(certified_agent, end_user_session,
                    {p.id: AttendanceStatus.ATTENDED for p in people})  # fmt: skip
    return end_user_session


def test_an_attendee_answers_once(client, auth, create_user, end_user_session, certified_agent):
    person, absent = create_user(), create_user()
    end_user_session.capacity = None
    register(absent, end_user_session)
    held_session(end_user_session, certified_agent, [person])
    url = f"/sessions/{end_user_session.id}"
    auth.login_as(person)
    assert "Vad tyckte du om utbildningen?" in client.get(url).get_data(as_text=True)
    response = client.post(
        f"{url}/evaluation", data={**ANSWER, "useful": "7"}, follow_redirects=True
    )
    assert "Välj ett svar från 1 till 5." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(SessionEvaluation)) is None
    response = client.post(f"{url}/evaluation", data=ANSWER, follow_redirects=True)
    assert "Tack för ditt svar!" in response.get_data(as_text=True)
    assert "Vad tyckte du om utbildningen?" not in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/evaluation", data=ANSWER).status_code == 404
    (answer,) = db.session.scalars(db.select(SessionEvaluation)).all()
    assert (answer.useful, answer.clear, answer.confident, answer.comment) == (
        5,
        4,
        3,
        "Bra tempo.",
    )
    auth.logout()
    auth.login_as(absent)  # registered, never marked present
    assert client.post(f"{url}/evaluation", data=ANSWER).status_code == 404


def test_results_stay_hidden_below_five_answers(
    client, auth, create_user, end_user_session, certified_agent
):
    end_user_session.capacity = None
    people = [create_user() for _ in range(5)]
    held_session(end_user_session, certified_agent, people)
    for number, person in enumerate(people[:4], start=1):
        db.session.add(SessionEvaluation(session_id=end_user_session.id, user_id=person.id,
                                         useful=number, clear=3, confident=4,
                                         comment=f"Kommentar {number}"))  # fmt: skip
    db.session.commit()
    auth.login_as(certified_agent)
    for url in (f"/sessions/{end_user_session.id}", "/sessions/reach"):
        page = client.get(url).get_data(as_text=True)
        assert "4 har svarat. Resultatet visas när minst 5 har svarat" in page
        assert "Kommentar" not in page and "av 5" not in page
    auth.logout()
    coordinator = create_user(role=Role.COORDINATOR)
    auth.login_as(coordinator)
    assert "4 har svarat." in client.get("/reports/2080").get_data(as_text=True)
    db.session.add(SessionEvaluation(session_id=end_user_session.id, user_id=people[4].id,
                                     useful=5, clear=3, confident=4, comment=""))  # fmt: skip
    db.session.commit()
    page = client.get("/reports/2080").get_data(as_text=True)
    assert "3,0 av 5" in page and "Kommentar 2" in page
    auth.logout()
    auth.login_as(certified_agent)
    page = client.get(f"/sessions/{end_user_session.id}").get_data(as_text=True)
    assert "3,0 av 5" in page and "4,0 av 5" in page and "Kommentar 4" in page
    auth.logout()
    auth.login_as(create_user(role=Role.COORDINATOR, municipality_code="2062"))
    page = client.get("/reports/2062").get_data(as_text=True)
    assert "Kommentar" not in page and "0 har svarat" in page
