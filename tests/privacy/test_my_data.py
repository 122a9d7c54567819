"""The "Mina uppgifter" export: every table that refers to a person, and no secrets."""

import json
from datetime import UTC, datetime, timedelta

from app.auth.tokens import ApiToken, create_token
from app.certificates.models import Certificate
from app.core.audit import AuditAction, audit
from app.core.jobs.models import Job
from app.core.roles import Role
from app.courses.content import Practice, PracticeTask, Quiz
from app.courses.models import CourseCompletion, Lesson, LessonView, Module, ModuleCompletion
from app.effect.models import EnergyFactors, TravelFreeMeeting
from app.extensions import db
from app.mail.models import OutboxMessage
from app.municipalities.models import MunicipalityFact
from app.practice.models import PracticeCheck, PracticeConfirmation
from app.privacy.queries import SECTION_OF_REFERENCE, my_data
from app.quizzes.models import QuizAttempt
from app.training.models import Attendance, SessionEvaluation, TrainingSession
from tests.support.queries import QueryCounter


def references_to_people() -> set[str]:
    """Every `table.column` whose foreign key points at user.id, read from the models."""
    return {
        f"{table.name}.{key.parent.name}"
        for table in db.metadata.tables.values()
        for key in table.foreign_keys
        if key.column.table.name == "user" and key.column.name == "id"
    }


def test_every_reference_to_a_person_has_a_section_in_the_export(app, create_user):
    references = references_to_people()
    assert {"attendance.marked_by_id", "audit_entry.subject_id"} <= references
    missing = references - set(SECTION_OF_REFERENCE)
    assert not missing, f"add to SECTION_OF_REFERENCE and my_data: {sorted(missing)}"
    assert not set(SECTION_OF_REFERENCE) - references, "a listed reference no longer exists"
    document = my_data(create_user())
    assert set(SECTION_OF_REFERENCE.values()) <= set(document)


def person_in_every_table(person, other, admin, quiz_course):
    """Rows in every table that refers to people, each pointing at `person` where it can."""
    module = db.session.scalar(db.select(Module))
    lesson = db.session.scalar(db.select(Lesson))
    quiz = db.session.scalar(db.select(Quiz))
    start = datetime.now(UTC) - timedelta(days=3)
    training_session = TrainingSession(
        kind="end_user", title="Resfritt i Falun", agent_id=person.id, created_by_id=person.id,
        reopened_by_id=person.id, reopen_reason="Sen närvaro", municipality_id=person.municipality_id,
        starts_at=start, ends_at=start + timedelta(hours=1), place="Stadshuset",
    )  # fmt: skip
    db.session.add(training_session)
    db.session.flush()
    db.session.add_all([
        Attendance(session_id=training_session.id, user_id=person.id, status="attended"),
        Attendance(session_id=training_session.id, user_id=other.id, status="attended",
                   marked_by_id=person.id, marked_at=start),
        LessonView(user_id=person.id, lesson_id=lesson.id),
        ModuleCompletion(user_id=person.id, module_id=module.id),
        QuizAttempt(user_id=person.id, quiz_id=quiz.id, number=1, questions=[],
                    answers={"text": "femton"}, state="submitted", score=100, passed=True),
        CourseCompletion(user_id=person.id, course_id=quiz_course.id, method="online"),
        Certificate(code="AAAA1111", user_id=person.id, course_id=quiz_course.id,
                    course_title="Provkurs", course_version=1, holder_name=person.name),
        Certificate(code="BBBB2222", user_id=other.id, course_id=quiz_course.id,
                    course_title="Provkurs", course_version=1, holder_name=other.name,
                    trainer_id=person.id, trainer_name=person.name),
        Certificate(code="CCCC3333", user_id=other.id, course_id=quiz_course.id,
                    course_title="Provkurs", course_version=1, holder_name=other.name,
                    revoked_at=start, revoked_by_id=person.id, revoked_reason="Fel kurs"),
        OutboxMessage(kind="activation", recipient=person.email, subject="Välkommen",
                      body_text="https://example.se/activate/HEMLIG-LANK", body_html=""),
    ])  # fmt: skip
    practice = Practice(module_id=module.id, title="Öva", confirmed_by="trainer")
    db.session.add(practice)
    db.session.flush()
    task = PracticeTask(practice_id=practice.id, key="ring", text="Ring ett videorum")
    db.session.add(task)
    db.session.flush()
    db.session.add_all([
        PracticeCheck(user_id=person.id, task_id=task.id, note="Det gick bra"),
        PracticeConfirmation(user_id=person.id, practice_id=practice.id, confirmed_by_id=admin.id),
        PracticeConfirmation(user_id=other.id, practice_id=practice.id, confirmed_by_id=person.id),
        SessionEvaluation(session_id=training_session.id, user_id=person.id, useful=5, clear=4,
                          confident=4, comment="Bra"),
        TravelFreeMeeting(municipality_id=person.municipality_id, held_on=start.date(),
                          form="web", participants=3, trips_avoided=2, created_by_id=person.id),
        EnergyFactors(car_share=0.8, car_kwh_per_km=0.65, other_kwh_per_km=0.15,
                      default_trip_km=90, baseline_mwh=7900, updated_by_id=person.id),
        MunicipalityFact(municipality_id=person.municipality_id, key="it-support",
                         value="023-83 000", updated_by_id=person.id),
        Job(kind="print_pack", owner_id=person.id, total=3, stored_as="1-secretfile"),
    ])  # fmt: skip
    audit(admin, AuditAction.ROLE_CHANGED, person, old="employee", new="agent")
    audit(person, AuditAction.ATTENDANCE_MARKED, other, session=training_session.id)
    db.session.commit()
    return create_token(person, "Rapporter")


def test_the_export_holds_every_row_that_refers_to_the_person(quiz_course, create_user):
    person = create_user(role=Role.AGENT, name="Åsa Öberg", email="asa@falun.se")
    other = create_user(name="Bo Berg", email="bo@falun.se")
    token = person_in_every_table(person, other, create_user(role=Role.ADMIN), quiz_course)
    document = my_data(person)
    for reference, section in SECTION_OF_REFERENCE.items():
        assert document[section], f"{reference}: nothing in '{section}'"
    assert document["emails"][0]["subject"] == "Välkommen"
    assert document["quiz_attempts"][0]["answers"] == {"text": "femton"}
    assert document["audit_log_about_me"][0]["action"] == AuditAction.ROLE_CHANGED
    assert document["audit_log_about_me"][0]["by_role"] == Role.ADMIN
    assert document["account"]["email"] == "asa@falun.se"
    assert document["account"]["has_password"] is True
    assert "scope" in document["api_tokens"][0], "new token columns come along by themselves"
    text = json.dumps(document, ensure_ascii=False)
    stored_hash = db.session.scalar(db.select(ApiToken.token_hash))
    for secret in (token, stored_hash, person.password_hash, "HEMLIG-LANK", "1-secretfile"):
        assert secret not in text
    for someone_elses in ("Bo Berg", "bo@falun.se", "BBBB2222", "CCCC3333"):
        assert someone_elses not in text


def test_the_download_is_a_json_file_with_the_audit_entries(client, auth, create_user):
    coordinator = create_user(role=Role.COORDINATOR)
    person = create_user()
    from app.municipalities.services import set_active

    set_active(person, False, by=coordinator)
    set_active(person, True, by=coordinator)
    auth.login_as(person)
    response = client.get("/account/my-data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    actions = [entry["action"] for entry in response.json["audit_log_about_me"]]
    assert actions == [AuditAction.PERSON_DEACTIVATED, AuditAction.PERSON_REACTIVATED]
    assert response.json["sign_in"]["last_sign_in"] is not None


def test_the_export_costs_the_same_whatever_the_history(create_user):
    admin = create_user(role=Role.ADMIN)
    counts = []
    for rows in (1, 30):
        person = create_user(role=Role.AGENT)
        for _ in range(rows):
            audit(admin, AuditAction.PERSON_REACTIVATED, person)
            db.session.add(OutboxMessage(kind="x", recipient=person.email, subject="s",
                                         body_text="", body_html=""))  # fmt: skip
        db.session.commit()
        db.session.expire_all()
        with QueryCounter(db.engine) as counter:
            assert len(my_data(person)["audit_log_about_me"]) == rows
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 20, counts
