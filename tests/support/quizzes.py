"""Quizzes for tests: a small course whose quiz has one question of every type, and ways to
answer quizzes directly or over HTTP."""

from pathlib import Path

from werkzeug.datastructures import MultiDict

from app.courses.content import Option, Question, Quiz
from app.courses.models import Course, Lesson
from app.courses.services import record_lesson_view
from app.extensions import db
from app.quizzes.models import QuizAttempt
from app.quizzes.services import field_name, read_answers, start_attempt, submit_attempt

QUIZ_URL = "/courses/prov/grund/quiz"  # the quiz of write_quiz_course's course

QUIZ = """\
title: Kunskapstest
pass_mark: 75
max_attempts: {max_attempts}
shuffle: {shuffle}
{draw}
questions:
  - id: single
    type: single
    prompt: Vad gör du först när deltagarna inte hör dig?
    options:
      - {{text: Kontrollerar att mikrofonen är på, correct: true, feedback: Rätt – börja med det enkla.}}
      - {{text: Startar om videorummet, feedback: Det tar lång tid och löser sällan ljudet.}}
      - {{text: Avslutar mötet, feedback: Då förlorar alla tid.}}
    explanation: En avstängd mikrofon är den vanligaste orsaken.
  - id: multiple
    type: multiple
    prompt: Vilka hör till en bra kallelse?
    options:
      - {{text: Länk eller adress, correct: true}}
      - {{text: Agenda, correct: true}}
      - {{text: Ditt lösenord, feedback: Lösenord delar du aldrig.}}
    explanation: Länk och agenda gör att alla kommer rätt och förberedda.
  - id: tf
    type: true_false
    prompt: Ljudet är viktigare än bilden i ett videomöte.
    answer: true
    explanation: Ett möte med dåligt ljud går inte att genomföra.
  - id: text
    type: text
    prompt: Hur många kommuner deltar i Vi möts resfritt?
    accept: ["15", "femton"]
    explanation: Alla Dalarnas 15 kommuner deltar.
"""
EXTRA = """\
title: Provkurs
audience: {audience}
version: 1
{completion}
certificate: true
"""


def write_quiz_course(
    root: Path, audience="employee", follow_up=False, reveal_answers=None, **quiz
) -> Path:
    """A course "prov" with one module of two lessons and the quiz (max_attempts=None: no limit)."""
    settings = {"max_attempts": 2, "shuffle": "false", "draw": "", **quiz}
    quiz_yml = QUIZ.format(**settings).replace("max_attempts: None\n", "")
    if reveal_answers is not None:
        quiz_yml = f"reveal_answers: {reveal_answers}\n{quiz_yml}"
    files = {
        "prov/course.yml": EXTRA.format(
            audience=audience,
            completion="completion: {follow_up_required: true}" if follow_up else "",
        ),
        "prov/1-grund/module.yml": "title: Grunderna\n",
        "prov/1-grund/01-forsta.md": "# Första lektionen\n\nText.\n",
        "prov/1-grund/02-andra.md": "# Andra lektionen\n\nText.\n",
        "prov/1-grund/quiz.yml": quiz_yml,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def read_all_lessons(user, course: Course) -> None:
    """Mark every lesson of the course viewed, as opening them would."""
    for lesson in db.session.scalars(db.select(Lesson)):
        record_lesson_view(user, lesson, course)


def answer_form(attempt: QuizAttempt, right: bool = True, skip: tuple[str, ...] = ()) -> dict:
    """Form data answering every question of the attempt, all right or all wrong."""
    questions = {
        q.id: q
        for q in db.session.scalars(
            db.select(Question).where(Question.id.in_([qid for qid, _ in attempt.questions]))
        )
    }
    data: dict = {}
    for question_id, option_ids in attempt.questions:
        question = questions[question_id]
        if question.key in skip:
            continue
        options = db.session.scalars(db.select(Option).where(Option.id.in_(option_ids))).all()
        chosen = [str(o.id) for o in options if o.correct == right]
        if question.type == "text":
            data[field_name(question_id)] = "  Femton " if right else "tolv"
        elif question.type == "multiple":
            data[field_name(question_id)] = chosen
        else:
            data[field_name(question_id)] = chosen[0]
    return data


def pass_quiz(user, quiz: Quiz, right: bool = True) -> None:
    """Start an attempt and submit it answered all right (or all wrong)."""
    attempt = start_attempt(user, quiz)
    submit_attempt(user, attempt, read_answers(attempt, MultiDict(answer_form(attempt, right))))


def start(client) -> QuizAttempt:
    """Start the quiz at QUIZ_URL as the client's user, and return the new attempt."""
    response = client.post(QUIZ_URL)
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt_id = int(response.location.rsplit("/", 1)[1])
    return db.session.get(QuizAttempt, attempt_id)


def text_of(response) -> str:
    """The page with whitespace collapsed, as a screen reader reads it."""
    return " ".join(response.get_data(as_text=True).split())
