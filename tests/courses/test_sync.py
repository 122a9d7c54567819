"""Course sync: all-or-nothing, idempotent, retires instead of deleting, strips unsafe HTML."""

import pytest

from app.core.markdown import render_markdown
from app.courses.content import Option, Question, Quiz
from app.courses.models import Course, Lesson, LessonView, Module
from app.courses.services import CourseContentError, record_lesson_view, sync_courses
from app.extensions import db
from tests.support import COURSES_DIR
from tests.support.courses import LESSON_1, QUIZ_YML, write_course


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_sync_loads_the_real_courses(app):
    report = sync_courses(COURSES_DIR)
    assert report.created > 0 and not report.updated and not report.retired
    slugs = set(db.session.scalars(db.select(Course.slug)))
    assert slugs == {"agent", "end-user"}
    assert count(Module) == 3
    assert count(Lesson) >= 6
    assert count(Quiz) == 3
    end_user_quiz = db.session.scalar(
        db.select(Quiz).join(Module).join(Course).where(Course.slug == "end-user")
    )
    assert end_user_quiz.draw == 10 and len(end_user_quiz.questions) >= 15


def test_second_sync_of_unchanged_files_changes_nothing(app):
    first = sync_courses(COURSES_DIR)
    second = sync_courses(COURSES_DIR)
    assert not second.changed
    assert second.unchanged == first.created


def test_invalid_files_write_nothing(app, tmp_path):
    root = write_course(
        tmp_path, {"prov/1-grund/quiz.yml": QUIZ_YML.replace("pass_mark: 80", "pass_mark: 0")}
    )
    with pytest.raises(CourseContentError) as raised:
        sync_courses(root)
    assert "pass_mark" in str(raised.value.errors[0])
    assert count(Course) == count(Module) == count(Lesson) == count(Quiz) == 0


def test_invalid_files_leave_earlier_content_untouched(app, tmp_path):
    root = write_course(tmp_path, {})
    sync_courses(root)
    write_course(tmp_path, {
        "prov/course.yml": "title: Ny titel\naudience: employee\nmodules: [1-grund]\nbad: key\n",
    })  # fmt: skip
    with pytest.raises(CourseContentError):
        sync_courses(root)
    assert db.session.scalar(db.select(Course.title)) == "Provkurs"


def test_removed_lesson_is_retired_and_history_kept(app, tmp_path, create_user):
    root = write_course(tmp_path, {})
    sync_courses(root)
    lesson = db.session.scalar(db.select(Lesson).filter_by(slug="andra"))
    learner = create_user()
    record_lesson_view(learner, lesson, lesson.module.course)

    write_course(tmp_path, {
        "prov/1-grund/module.yml": "title: Grunderna\nlessons: [01-forsta.md]\n",
        "prov/1-grund/01-forsta.md": LESSON_1.replace("Läs [nästa lektion](02-andra.md) sedan.", "Slut."),
    })  # fmt: skip
    report = sync_courses(root)
    assert report.retired == 1
    db.session.refresh(lesson)
    assert lesson.retired_at is not None
    assert count(LessonView) == 1

    write_course(tmp_path, {"prov/1-grund/module.yml": "title: Grunderna\n"})
    sync_courses(root)
    db.session.refresh(lesson)
    assert lesson.retired_at is None, "a lesson back in the files is active again"


def test_changed_lesson_is_updated_in_place(app, tmp_path):
    root = write_course(tmp_path, {})
    sync_courses(root)
    lesson_id = db.session.scalar(db.select(Lesson.id).filter_by(slug="forsta"))
    write_course(tmp_path, {"prov/1-grund/01-forsta.md": LESSON_1.replace("## Mål", "## Syfte")})
    report = sync_courses(root)
    assert report.updated == 1 and report.created == 0
    lesson = db.session.get(Lesson, lesson_id)
    assert "<h2>Syfte</h2>" in lesson.html


def test_removed_question_and_option_are_retired(app, tmp_path):
    root = write_course(tmp_path, {})
    sync_courses(root)
    without_q3 = QUIZ_YML.split("  - {id: q3")[0].replace("draw: 2", "draw: 1")
    write_course(tmp_path, {"prov/1-grund/quiz.yml": without_q3})
    sync_courses(root)
    q3 = db.session.scalar(db.select(Question).filter_by(key="q3"))
    assert q3.retired_at is not None
    assert count(Option) == 4  # q1's two and q2's true/false


XSS = [
    ("<script>alert(1)</script>", "<script"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ("[klicka](javascript:alert(1))", "javascript:"),
    ("![bild](data:image/svg+xml;base64,PHN2Zz4=)", "data:"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ('<a href="https://ok.example" onclick="steal()">x</a>', "onclick"),
    ("<style>body{display:none}</style>", "<style"),
    ('<p style="position:fixed">x</p>', "style="),
]


@pytest.mark.parametrize(("payload", "forbidden"), XSS)
def test_markdown_strips_active_content(payload, forbidden):
    assert forbidden not in render_markdown(payload).lower()


def test_markdown_keeps_lesson_formatting():
    html = render_markdown(
        "## Rubrik\n\n- ett\n- två\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        "[länk](https://example.se) ![diagram](bild.svg)\n\n```\nkod\n```\n"
    )
    for fragment in ("<h2>Rubrik</h2>", "<li>ett</li>", "<table>", "<td>1</td>",
                     'href="https://example.se"', 'src="bild.svg"', "<pre><code>kod"):  # fmt: skip
        assert fragment in html


def test_sync_stores_sanitised_html(app, tmp_path):
    payload = LESSON_1 + '\n<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n'
    root = write_course(tmp_path, {"prov/1-grund/01-forsta.md": payload})
    sync_courses(root)
    html = db.session.scalar(db.select(Lesson.html).filter_by(slug="forsta"))
    assert "<script" not in html and "onerror" not in html


def test_cli_check_and_sync(runner, tmp_path):
    root = write_course(tmp_path, {})
    result = runner.invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 0, result.output
    assert "1 course(s), 2 lesson(s)" in result.output
    result = runner.invoke(args=["courses", "sync", str(root)])
    assert result.exit_code == 0 and "created" in result.output
    assert count(Course) == 1


def test_cli_reports_every_problem_and_exits_non_zero(runner, tmp_path):
    root = write_course(tmp_path, {"prov/course.yml": "title: X\naudience: employee\nfoo: 1\n"})
    for command in ("check", "sync"):
        result = runner.invoke(args=["courses", command, str(root)])
        assert result.exit_code == 1
        assert f"{root / 'prov/course.yml'}:3: unknown key 'foo'" in result.output
        assert "nothing was written" in result.output
    assert count(Course) == 0


def test_cli_uses_courses_dir_by_default(runner):
    result = runner.invoke(args=["courses", "sync"])
    assert result.exit_code == 0, result.output
    assert count(Course) == 2
