"""Erasing a person: their personal data goes, the programme's figures and certificates stay."""

import pytest
from werkzeug.datastructures import MultiDict

from app.auth.models import User
from app.auth.tokens import create_token
from app.certificates.models import Certificate
from app.core.audit import AuditAction, AuditEntry
from app.core.roles import Role
from app.courses.models import LessonView
from app.extensions import db
from app.mail.models import OutboxMessage
from app.municipalities.services import PersonError, set_active, update_person
from app.privacy.services import ERASED_NAME, erase_person
from app.quizzes.models import QuizAttempt
from app.quizzes.services import read_answers, start_attempt, submit_attempt
from app.reports import queries as reports
from tests.support import PASSWORD
from tests.support.auth import AuthActions
from tests.support.jobs import download
from tests.support.quizzes import answer_form, read_all_lessons


def figures(client, falun) -> dict:
    """Every coverage figure the API and the reports give, names and addresses left out."""
    one = client.get("/api/v1/municipalities/2080/coverage").get_json()
    for agent in one["agents"]:
        del agent["email"], agent["name"]
    return {
        "all": client.get("/api/v1/coverage").get_json(),
        "falun": one,
        "coverage_of": reports.coverage_of(falun).as_json(),
        "agents": [(a.certified, a.sessions_held, a.staff_trained) for a in reports.agents_of(falun)],
    }  # fmt: skip


def test_erasure_changes_no_coverage_figure(client, auth, create_user, falun_story, municipalities):
    falun = municipalities["2080"]
    auth.login_as(create_user(role=Role.ADMIN))
    before = figures(client, falun)
    assert before["all"]["totals"]["staff_trained"] == 4 and before["falun"]["sessions_held"] == 1
    trained_at_session, _, _, trained_online, _ = falun_story["staff"]
    leaver = db.session.scalar(db.select(User).filter_by(active=False))
    for person in (falun_story["agent"], trained_at_session, trained_online, leaver):
        erase_person(person, by=None)
    assert figures(client, falun) == before


def test_an_erased_person_is_anonymous_and_can_never_sign_in(
    app, client, auth, create_user, falun_story
):
    agent = falun_story["agent"]
    agent.unit = "IT-enheten"
    db.session.add(OutboxMessage(kind="activation", recipient=agent.email, subject="Länk",
                                 body_text="", body_html=""))  # fmt: skip
    db.session.commit()
    old_email, token = agent.email, create_token(agent, "Rapporter")
    signed_in = app.test_client()
    AuthActions(signed_in).login_as(agent)
    certificate = db.session.scalar(db.select(Certificate).filter_by(user_id=agent.id))
    admin = create_user(role=Role.ADMIN)

    erase_person(agent, by=admin)

    db.session.refresh(agent)
    assert (agent.name, agent.email, agent.unit) == (ERASED_NAME, f"raderad-{agent.id}@invalid", "")
    assert agent.erased_at is not None and not agent.is_active
    assert agent.active, "still counted in coverage, as before"
    assert signed_in.get("/account/").status_code == 302, "their session has ended"
    assert (
        client.get("/api/v1/coverage", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    for email in (old_email, agent.email):
        assert auth.login(email, PASSWORD).status_code != 302
    set_active(agent, True, by=admin)  # reactivating counts them again, nothing more
    assert auth.login(agent.email, PASSWORD).status_code != 302 and not agent.is_active
    assert db.session.scalar(db.select(OutboxMessage).filter_by(recipient=old_email)) is None
    verified = client.get(f"/api/v1/certificates/{certificate.code}").get_json()
    assert (verified["holder"], verified["valid"]) == (ERASED_NAME, True)
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action=AuditAction.PERSON_ERASED))
    assert (entry.actor_id, entry.subject_id, entry.details) == (
        admin.id,
        agent.id,
        {"rule": "request"},
    )
    assert old_email not in str(entry.details)


def test_learning_traces_are_removed_and_scores_kept(quiz_course, quiz, create_user):
    learner = create_user()
    read_all_lessons(learner, quiz_course)
    first = start_attempt(learner, quiz)
    wrong = read_answers(first, MultiDict(answer_form(first, right=False)))
    submit_attempt(learner, first, wrong)
    start_attempt(learner, quiz)  # an open attempt, unfinished
    erase_person(learner, by=None)
    assert db.session.scalar(db.select(LessonView).filter_by(user_id=learner.id)) is None
    attempts = db.session.scalars(db.select(QuizAttempt).filter_by(user_id=learner.id)).all()
    assert [(a.state, a.answers, a.passed) for a in attempts] == [("submitted", {}, False)]


def test_a_trainers_name_leaves_the_certificates_of_those_they_trained(create_user, courses):
    trainer, holder = create_user(role=Role.AGENT, name="Tina Tränare"), create_user(name="Hans")
    certificate = Certificate(code="TRAIN123", user_id=holder.id, course_id=courses["employee"].id,
                              course_title="Slutanvändarutbildning", course_version=1,
                              holder_name="Hans", trainer_id=trainer.id, trainer_name="Tina Tränare")  # fmt: skip
    db.session.add(certificate)
    db.session.commit()
    erase_person(trainer, by=None)
    db.session.refresh(certificate)
    assert (certificate.holder_name, certificate.trainer_name) == ("Hans", ERASED_NAME)
    assert certificate.revoked_at is None


def test_erasing_twice_changes_nothing_more(create_user):
    person = create_user()
    erase_person(person, by=None)
    erased_at = person.erased_at
    erase_person(person, by=None)
    assert person.erased_at == erased_at
    entries = db.session.scalars(db.select(AuditEntry).filter_by(subject_id=person.id)).all()
    assert len(entries) == 1


def test_an_erased_person_cannot_be_renamed(create_user):
    person, admin = create_user(), create_user(role=Role.ADMIN)
    erase_person(person, by=admin)
    try:
        update_person(person, "Återställt Namn", Role.EMPLOYEE, "", by=admin)
    except PersonError as error:
        assert error.field == "name"
    else:
        raise AssertionError("an erased person was renamed")


@pytest.mark.real_commits
def test_an_admin_erases_through_a_confirmation_page(client, auth, create_user):
    person = create_user(name="Erik Eriksson")
    person.password_hash = None  # waiting for activation: erasure must not leave a way in
    db.session.commit()
    auth.login_as(create_user(role=Role.ADMIN))
    page = client.get(f"/municipalities/people/{person.id}").get_data(as_text=True)
    assert f"/admin/people/{person.id}/erase" in page
    confirm = client.get(f"/admin/people/{person.id}/erase")
    assert confirm.status_code == 200 and "Erik Eriksson" in confirm.get_data(as_text=True)
    refused = client.post(f"/admin/people/{person.id}/erase", data={})
    assert refused.status_code == 422 and "Bekräfta" in refused.get_data(as_text=True)
    assert person.erased_at is None
    done = client.post(f"/admin/people/{person.id}/erase", data={"confirm": "y"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/people/{person.id}")
    page = client.get(f"/municipalities/people/{person.id}").get_data(as_text=True)
    assert "Raderad person" in page and "Erik Eriksson" not in page
    assert 'name="name"' not in page, "no form to give the person a name again"
    again = client.get(f"/admin/people/{person.id}/erase")
    assert again.status_code == 302
    slip = client.get(f"/municipalities/people/{person.id}/activation.pdf")
    assert slip.status_code == 302, "no activation slip for an erased account"
    listed = download(client, "/municipalities/2080/activation/csv").get_data(as_text=True)
    assert "raderad-" not in listed


def test_only_admins_erase_and_never_themselves(client, auth, create_user):
    person = create_user()
    coordinator = create_user(role=Role.COORDINATOR)
    auth.login_as(coordinator)
    assert f"/admin/people/{person.id}/erase" not in client.get(
        f"/municipalities/people/{person.id}").get_data(as_text=True)  # fmt: skip
    assert client.get(f"/admin/people/{person.id}/erase").status_code == 403
    assert client.post(f"/admin/people/{person.id}/erase", data={"confirm": "y"}).status_code == 403
    auth.logout()
    admin = create_user(role=Role.ADMIN)
    auth.login_as(admin)
    assert client.post(f"/admin/people/{admin.id}/erase", data={"confirm": "y"}).status_code == 403
    assert client.get("/admin/people/999999/erase").status_code == 404
    assert person.erased_at is None and admin.erased_at is None
