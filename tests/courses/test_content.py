"""The real course content meets the programme's minimums and states its figures as the source does."""

import re

from app.courses.content import Option, Practice, Question, Quiz
from app.courses.loader import load_courses
from app.courses.models import Course, Lesson, Module
from app.courses.services import sync_courses
from app.extensions import db
from app.municipalities.facts import FACTS, placeholders_in
from app.training.kit import kit_documents
from tests.support import COURSES_DIR


def active_lessons(course_slug: str, module_slug: str) -> list[Lesson]:
    return db.session.scalars(
        db.select(Lesson).join(Module).join(Course)
        .where(Course.slug == course_slug, Module.slug == module_slug, Lesson.retired_at.is_(None))
        .order_by(Lesson.position)
    ).all()  # fmt: skip


def quiz_of(course_slug: str, module_slug: str) -> Quiz:
    return db.session.scalar(
        db.select(Quiz).join(Module).join(Course)
        .where(Course.slug == course_slug, Module.slug == module_slug)
    )  # fmt: skip


def test_files_check_clean_with_every_link_and_image_resolved():
    _, errors = load_courses(COURSES_DIR)
    assert [str(e) for e in errors] == []


def test_minimums(app):
    sync_courses(COURSES_DIR)
    assert len(active_lessons("agent", "skills")) >= 5
    assert len(active_lessons("agent", "project")) >= 4
    assert len(active_lessons("end-user", "grunder")) >= 4
    for course, module in (("agent", "skills"), ("agent", "project")):
        quiz = quiz_of(course, module)
        assert len(quiz.questions) >= 8
        assert len({q.type for q in quiz.questions}) >= 3, "mix the question types"
    end_user = quiz_of("end-user", "grunder")
    assert len(end_user.questions) >= 15 and end_user.draw == 10


def test_every_question_explains_and_every_wrong_option_gives_feedback(app):
    sync_courses(COURSES_DIR)
    for question in db.session.scalars(db.select(Question)):
        assert question.explanation.strip(), question.key
    wrong = db.session.scalars(
        db.select(Option).join(Question)
        .where(Option.correct.is_(False), Question.type.in_(["single", "multiple"]))
    ).all()  # fmt: skip
    assert wrong and all(option.feedback.strip() for option in wrong)


def test_lessons_open_with_aims_and_end_with_a_summary(app):
    sync_courses(COURSES_DIR)
    for lesson in db.session.scalars(db.select(Lesson)):
        assert "Efter lektionen kan du" in lesson.source[:400], lesson.slug
        assert "<h2>Sammanfattning</h2>" in lesson.html, lesson.slug


def test_part_two_states_the_figures_of_the_source(app):
    sync_courses(COURSES_DIR)
    text = " ".join(lesson.source for lesson in active_lessons("agent", "project"))
    text = text.replace("\u00a0", " ")
    for figure in (
        "1 580 MWh",
        "3 160 MWh",
        "20 %",
        "40 %",
        "15 kommuner",
        "1 174",
        "1 800",
        "100",
    ):
        assert figure in text, figure
    for example in ("vårdplanering", "rektor", "förskol", "driftpersonal", "konsult"):
        assert example in text.lower(), example


def test_kit_has_its_four_documents_and_a_real_faq():
    documents = {d.slug: d for d in kit_documents(str(COURSES_DIR))}
    assert set(documents) == {"lektionsplan", "deltagarmaterial", "inbjudan", "vanliga-fragor"}
    assert len(re.findall(r"<h3>", documents["vanliga-fragor"].html)) >= 12
    plan = documents["lektionsplan"].html
    assert "<table>" in plan and "kunskapstest" in plan.lower() and "incheck" in plan.lower()


def lix(markdown: str) -> float:
    """LIX of a lesson: words per sentence plus the share of long words (over six letters).

    Headings, list items and table cells end a sentence as a full stop does; markup, links'
    targets and placeholders are left out.
    """
    text = re.sub(r"\{\{[^}]*\}\}|\]\([^)]*\)|[#*_`>|]", " ", markdown)
    text = re.sub(r"^\s*(?:\d+\.|-)\s+", "\n", text, flags=re.M)
    sentences = [s for s in re.split(r"[.!?:]+(?:\s|$)|\n\s*\n|\n(?=\s*\S)", text) if s.strip()]
    words = re.findall(r"[A-Za-zÅÄÖåäöÉé]+", text)
    long_words = [w for w in words if len(w) > 6]
    return len(words) / len(sentences) + 100 * len(long_words) / len(words)


def test_part_two_reads_plainly(app):
    sync_courses(COURSES_DIR)
    for lesson in active_lessons("agent", "project"):
        assert lix(lesson.source) < 35, (lesson.slug, round(lix(lesson.source), 1))


def test_practice_steps_are_real_meetings_and_the_agents_are_confirmed_by_the_trainer(app):
    sync_courses(COURSES_DIR)
    practices = {p.module_id: p for p in db.session.scalars(db.select(Practice))}
    skills = practices[active_lessons("agent", "skills")[0].module_id]
    assert skills.needs_trainer and len([t for t in skills.tasks if t.retired_at is None]) >= 5
    text = " ".join(t.text.lower() for t in skills.tasks)
    for words in ("videorum", "jabber", "webbmöte", "fel"):
        assert words in text, words
    basics = practices[active_lessons("end-user", "grunder")[0].module_id]
    assert not basics.needs_trainer and len(basics.tasks) >= 3


def test_meeting_accessibility_is_taught_everywhere_it_belongs(app):
    sync_courses(COURSES_DIR)
    for course, module in (("agent", "skills"), ("end-user", "grunder")):
        html = " ".join(lesson.html for lesson in active_lessons(course, module))
        assert re.search(r"<h2>Tillgängliga möten</h2>", html), course
    documents = {d.slug: d.html.lower() for d in kit_documents(str(COURSES_DIR))}
    assert "behöver du stöd eller anpassning" in documents["inbjudan"]
    for slug in ("deltagarmaterial", "vanliga-fragor", "lektionsplan"):
        assert "tillgäng" in documents[slug], slug
    assert "telefonmöte" in " ".join(
        lesson.source.lower() for lesson in active_lessons("end-user", "grunder")
    )


def test_every_fact_is_used_and_no_sentence_leaves_the_learner_to_find_out(app):
    sync_courses(COURSES_DIR)
    sources = [lesson.source for lesson in db.session.scalars(db.select(Lesson))]
    sources += [d.html for d in kit_documents(str(COURSES_DIR))]
    used = set().union(*(placeholders_in(text) for text in sources))
    assert used == {fact.key for fact in FACTS}
    for text in sources:
        assert "ta reda på" not in text.lower() and "jabbra" not in text.lower()


def test_quizzes_have_no_test_taking_tells(app):
    sync_courses(COURSES_DIR)
    for quiz in db.session.scalars(db.select(Quiz)):
        questions = [q for q in quiz.questions if q.retired_at is None]
        keys = [q.options[0].correct for q in questions if q.type == "true_false"]
        if len(keys) >= 2:
            assert max(keys.count(True), keys.count(False)) / len(keys) <= 0.7, quiz.title
        single = [q for q in questions if q.type == "single"]
        longest_right = sum(
            1 for q in single
            if max(q.options, key=lambda o: len(o.text)).correct
        )  # fmt: skip
        assert longest_right / len(single) <= 0.5, (quiz.title, longest_right, len(single))
