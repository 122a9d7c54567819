"""Course files: the real tree validates; each kind of mistake is reported with path:line."""

import shutil

import pytest

from app.courses.loader import load_courses
from tests.support import COURSES_DIR
from tests.support.courses import (
    COURSE_YML,
    LESSON_1,
    MODULE_YML,
    PRACTICE_YML,
    QUIZ_YML,
    write_course,
)

GROUPED_QUIZ = (
    QUIZ_YML.replace(
        "draw: 2\n", "draw: 2\ngroups:\n  - {id: ljud, draw: 1}\n  - {id: fakta, draw: 1}\n"
    )
    .replace("    type: single\n", "    type: single\n    group: ljud\n")
    .replace("type: true_false,", "type: true_false, group: ljud,")
    .replace("type: text,", "type: text, group: fakta,")
)


def test_real_course_files_are_valid():
    courses, errors = load_courses(COURSES_DIR)
    assert [str(e) for e in errors] == []
    by_slug = {c.slug: c for c in courses}
    assert by_slug["agent"].audience == "agent"
    assert by_slug["agent"].follow_up_required is True
    assert [m.slug for m in by_slug["agent"].modules] == ["skills", "project"]
    assert by_slug["end-user"].audience == "employee"
    for course in courses:
        for module in course.modules:
            assert len(module.lessons) >= 2, module.slug
            assert module.quiz is not None


def test_small_course_is_read_with_slugs_titles_links_and_quiz(tmp_path):
    courses, errors = load_courses(write_course(tmp_path, {}))
    assert errors == []
    (course,) = courses
    assert (course.slug, course.title, course.version, course.certificate) == (
        "prov", "Provkurs", 2, True
    )  # fmt: skip
    (module,) = course.modules
    assert module.slug == "grund"
    first, second = module.lessons
    assert (first.slug, first.title) == ("forsta", "Första lektionen")
    assert (second.slug, second.title) == ("andra", "Andra lektionen")
    assert "<h1>" not in second.html and "Andra lektionen" not in second.html
    assert 'href="/courses/prov/grund/andra"' in first.html
    quiz = module.quiz
    assert (quiz.pass_mark, quiz.draw, quiz.shuffle) == (80, 2, True)
    q1, q2, q3 = quiz.questions
    assert [o.correct for o in q1.options] == [True, False]
    assert [(o.key, o.correct) for o in q2.options] == [("true", True), ("false", False)]
    assert q3.answer == {"accept": ["15", "femton"]}


INVALID = [
    pytest.param(
        {"prov/course.yml": "title: Provkurs\naudience: [oops\n"},
        "prov/course.yml", 3, "invalid YAML", id="malformed-yaml",
    ),
    pytest.param(
        {"prov/course.yml": COURSE_YML + "colour: blue\n"},
        "prov/course.yml", 6, "unknown key 'colour'", id="unknown-course-key",
    ),
    pytest.param(
        {"prov/course.yml": "title: Provkurs\n"},
        "prov/course.yml", 1, "missing the required key 'audience'", id="missing-key",
    ),
    pytest.param(
        {"prov/course.yml": COURSE_YML.replace("employee", "everyone")},
        "prov/course.yml", 2, "audience must be one of", id="bad-audience",
    ),
    pytest.param(
        {"prov/course.yml": COURSE_YML.replace("1-grund]", "1-grund, 2-saknas]")},
        "prov/course.yml", 4, "module '2-saknas' has no", id="missing-module",
    ),
    pytest.param(
        {"prov/1-grund/module.yml": MODULE_YML.replace("02-andra.md", "03-borta.md")},
        "prov/1-grund/module.yml", 2, "lesson file '03-borta.md' not found", id="missing-lesson",
    ),
    pytest.param(
        {"prov/1-grund/01-forsta.md": LESSON_1.replace("02-andra.md", "09-finns-inte.md")},
        "prov/1-grund/01-forsta.md", 6, "broken lesson link", id="broken-lesson-link",
    ),
    pytest.param(
        {"prov/1-grund/module.yml": "title: G\nlessons: [01-forsta.md, 02-quiz.md]\n", "prov/1-grund/02-quiz.md": "# Q\n"},
        "prov/1-grund/module.yml", 2, "the lesson slug 'quiz' is reserved", id="reserved-lesson-slug",
    ),
    pytest.param(
        {"prov/course.yml": COURSE_YML + "? [a, b]\n: x\n"},
        "prov/course.yml", 6, "a key must be a plain name", id="complex-yaml-key",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": QUIZ_YML.replace("pass_mark: 80", "pass_mark: 80\nmax_attempts: 100000000000000000000000")},
        "prov/1-grund/quiz.yml", 3, "'max_attempts' must be between 1 and 2147483647", id="huge-integer",
    ),
    pytest.param(
        {"prov/course.yml": COURSE_YML.replace("modules: [1-grund]", "modules: []")},
        "prov/course.yml", 4, "the course has no modules", id="empty-module-list",
    ),
    pytest.param(
        {"prov/1-grund/02-andra.md": "# Andra\n\n![](bild.svg)\n", "prov/1-grund/bild.svg": "<svg/>"},
        "prov/1-grund/02-andra.md", 3, "needs alt text", id="image-without-alt",
    ),
    pytest.param(
        {"prov/1-grund/02-andra.md": "# Andra\n\n![Flödet](saknas.svg)\n"},
        "prov/1-grund/02-andra.md", 3, "broken image 'saknas.svg'", id="missing-image",
    ),
    pytest.param(
        {"prov/1-grund/02-andra.md": "# Andra\n\n![Lösenord](../../../etc.svg)\n"},
        "prov/1-grund/02-andra.md", 3, "broken image", id="image-outside-the-course",
    ),
    pytest.param(
        {"prov/1-grund/02-andra.md": "Ingen rubrik alls.\n"},
        "prov/1-grund/02-andra.md", 1, "no title", id="lesson-without-title",
    ),
    pytest.param(
        {"prov/1-grund/01-forsta.md": "---\ntitle: X\nauthor: Y\n---\nText\n"},
        "prov/1-grund/01-forsta.md", 3, "unknown key 'author'", id="unknown-front-matter",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": QUIZ_YML.replace("correct: true}", "}")},
        "prov/1-grund/quiz.yml", 9, "exactly one option with 'correct: true'", id="single-no-correct",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": QUIZ_YML.replace("{text: Startar om rummet,", "{correct: true, text: Startar om rummet,")},
        "prov/1-grund/quiz.yml", 9, "exactly one option", id="single-two-correct",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": QUIZ_YML.replace("pass_mark: 80", "pass_mark: 120")},
        "prov/1-grund/quiz.yml", 2, "'pass_mark' must be between 1 and 100", id="pass-mark-out-of-range",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": QUIZ_YML.replace("draw: 2", "draw: 5")},
        "prov/1-grund/quiz.yml", 4, "'draw' is 5 but the quiz has only 3", id="draw-larger-than-pool",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": QUIZ_YML.replace("id: q3", "id: q2")},
        "prov/1-grund/quiz.yml", 14, "duplicate question id 'q2'", id="duplicate-question-id",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": QUIZ_YML.replace("type: true_false", "type: essay")},
        "prov/1-grund/quiz.yml", 13, "question type must be one of", id="unknown-question-type",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": QUIZ_YML.replace("answer: true", "answer: kanske")},
        "prov/1-grund/quiz.yml", 13, "needs 'answer: true' or 'answer: false'", id="true-false-without-answer",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": QUIZ_YML.replace('accept: ["15", "femton"]', "accept: []")},
        "prov/1-grund/quiz.yml", 14, "needs 'accept'", id="text-without-accept",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": QUIZ_YML.replace("title: Kunskapstest\n", "title: Kunskapstest\ntitle: Igen\n")},
        "prov/1-grund/quiz.yml", 2, "duplicate key 'title'", id="duplicate-yaml-key",
    ),
    pytest.param(
        {"prov/1-grund/02-andra.md": "# Andra\n\nText.\n\nRummen: {{videorumm}}\n"},
        "prov/1-grund/02-andra.md", 5, "unknown fact 'videorumm'", id="unknown-fact",
    ),
    pytest.param(
        {"prov/1-grund/01-forsta.md": LESSON_1 + "\nRing {{ IT support }} vid fel.\n"},
        "prov/1-grund/01-forsta.md", 8, "malformed placeholder", id="malformed-placeholder",
    ),
    pytest.param(
        {"prov/kit/01-plan.md": "# Plan\n\nBoka {{bokning}}.\n"},
        "prov/kit/01-plan.md", 3, "unknown fact 'bokning'", id="unknown-fact-in-kit",
    ),
    pytest.param(
        {"prov/1-grund/practice.yml": PRACTICE_YML.replace("{{videorum}}", "{{rum}}")},
        "prov/1-grund/practice.yml", 8, "unknown fact 'rum'", id="unknown-fact-in-practice",
    ),
    pytest.param(
        {"prov/1-grund/practice.yml": PRACTICE_YML.replace("trainer", "kollega")},
        "prov/1-grund/practice.yml", 2, "'confirmed_by' must be one of self, trainer", id="practice-confirmer",
    ),
    pytest.param(
        {"prov/1-grund/practice.yml": PRACTICE_YML.replace("id: tre-orter", "id: ring-videorum")},
        "prov/1-grund/practice.yml", 9, "duplicate task id 'ring-videorum'", id="practice-duplicate-task",
    ),
    pytest.param(
        {"prov/1-grund/practice.yml": PRACTICE_YML.replace("    text: Ring", "    txt: Ring")},
        "prov/1-grund/practice.yml", 5, "unknown key 'txt'", id="practice-unknown-key",
    ),
    pytest.param(
        {"prov/1-grund/practice.yml": "title: Öva\ntasks: []\n"},
        "prov/1-grund/practice.yml", 2, "'tasks' must be a non-empty list", id="practice-without-tasks",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": GROUPED_QUIZ.replace("group: fakta", "group: okänd")},
        "prov/1-grund/quiz.yml", 18, "no group 'okänd'", id="question-in-unknown-group",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": GROUPED_QUIZ.replace("type: true_false, group: ljud,", "type: true_false,")},
        "prov/1-grund/quiz.yml", 17, "question 'q2' needs a 'group'", id="question-without-group",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": GROUPED_QUIZ.replace("{id: fakta, draw: 1}", "{id: fakta, draw: 2}").replace("draw: 2\ngroups", "groups")},
        "prov/1-grund/quiz.yml", 6, "group 'fakta' draws 2 but holds only 1", id="group-draws-too-many",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": GROUPED_QUIZ.replace("draw: 2\ngroups", "draw: 3\ngroups")},
        "prov/1-grund/quiz.yml", 4, "'draw' is 3 but the groups draw 2 in all", id="draw-not-the-groups-sum",
    ),
    pytest.param(
        {"prov/1-grund/quiz.yml": QUIZ_YML.replace("type: text,", "type: text, group: fakta,")},
        "prov/1-grund/quiz.yml", 14, "'group' needs a 'groups' list", id="group-without-groups",
    ),
]  # fmt: skip


def test_practice_and_question_groups_are_read(tmp_path):
    root = write_course(tmp_path, {"prov/1-grund/practice.yml": PRACTICE_YML,
                                   "prov/1-grund/quiz.yml": GROUPED_QUIZ})  # fmt: skip
    (course,), errors = load_courses(root)
    assert errors == []
    practice = course.modules[0].practice
    assert practice.confirmed_by == "trainer"
    assert [task.key for task in practice.tasks] == ["ring-videorum", "tre-orter"]
    assert "<ol>" in practice.tasks[0].help_html and "{{videorum}}" in practice.tasks[0].help_html
    quiz = course.modules[0].quiz
    assert quiz.groups == {"ljud": 1, "fakta": 1}
    assert [q.group for q in quiz.questions] == ["ljud", "ljud", "fakta"]


@pytest.mark.parametrize(("files", "path", "line", "message"), INVALID)
def test_each_kind_of_invalid_file_is_reported_with_path_and_line(
    tmp_path, files, path, line, message
):
    _, errors = load_courses(write_course(tmp_path, files))
    rendered = [str(e) for e in errors]
    expected = f"{tmp_path / path}:{line}: "
    assert any(r.startswith(expected) and message in r for r in rendered), rendered


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    files = {
        "prov/course.yml": COURSE_YML + "colour: blue\n",
        "prov/1-grund/quiz.yml": QUIZ_YML.replace("pass_mark: 80", "pass_mark: 0"),
    }
    _, errors = load_courses(write_course(tmp_path, files))
    assert {e.path.name for e in errors} == {"course.yml", "quiz.yml"}


def test_default_order_without_lists(tmp_path):
    files = {
        "prov/course.yml": COURSE_YML.replace("modules: [1-grund]\n", ""),
        "prov/1-grund/module.yml": "title: Grunderna\n",
    }
    courses, errors = load_courses(write_course(tmp_path, files))
    assert errors == []
    assert [lesson.slug for lesson in courses[0].modules[0].lessons] == ["forsta", "andra"]


def test_missing_folder_is_an_error(tmp_path):
    _, errors = load_courses(tmp_path / "nowhere")
    assert "course folder not found" in str(errors[0])


def test_copy_of_real_tree_with_one_broken_file_fails(tmp_path):
    shutil.copytree(COURSES_DIR, tmp_path / "courses")
    quiz = tmp_path / "courses/agent/1-skills/quiz.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("pass_mark: 80", "pass_mark: 101"))
    _, errors = load_courses(tmp_path / "courses")
    assert len(errors) == 1 and "pass_mark" in str(errors[0])


def test_images_resolve_to_course_file_urls(tmp_path):
    files = {
        "prov/1-grund/02-andra.md": "# Andra\n\n![Samtalet går från videorummet till datorn](img/flode.svg)\n",
        "prov/1-grund/img/flode.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
    }
    courses, errors = load_courses(write_course(tmp_path, files))
    assert errors == []
    html = courses[0].modules[0].lessons[1].html
    assert (
        '<img alt="Samtalet går från videorummet till datorn" src="/courses/prov/files/1-grund/img/flode.svg">'
        in html
    )
