"""Writes of the courses domain: syncing course files, recording lesson views."""

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.core.errors import DomainError, one_transaction
from app.core.events import lesson_viewed
from app.core.time import utcnow
from app.core.yamlfile import ContentError
from app.courses.content import Option, Practice, PracticeTask, Question, Quiz
from app.courses.loader import CourseSpec, load_courses
from app.courses.models import Course, Lesson, LessonView, Module
from app.extensions import db

log = logging.getLogger(__name__)


@dataclass
class SyncReport:
    """What a sync did, row by row."""

    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        """True when the sync wrote anything."""
        return bool(self.created or self.updated or self.retired)

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.retired} retired, {self.unchanged} unchanged"
        )


class CourseContentError(DomainError):
    """The course files hold errors; nothing was written."""

    def __init__(self, errors: list[ContentError]):
        super().__init__(f"{len(errors)} problem(s) in the course files")
        self.errors = errors


def sync_courses(root: Path) -> SyncReport:
    """Validate every course file under `root`, then upsert all of it in one transaction.

    :raise CourseContentError: any file holds an error; the database is left untouched.
    """
    specs, errors = load_courses(root)
    if errors:
        raise CourseContentError(errors)
    report = write_courses(specs)
    log.info("Synced courses from %s: %s", root, report)
    return report


def write_courses(specs: list[CourseSpec]) -> SyncReport:
    """Upsert validated course specs in one transaction (all or nothing)."""
    report = SyncReport()
    with one_transaction():
        _Sync(report).run(specs)
    return report


class _Sync:
    """Upsert by slug at each level; rows missing from the files are retired, never deleted."""

    def __init__(self, report: SyncReport):
        self.report = report
        self.now = utcnow()

    def run(self, specs: list[CourseSpec]) -> None:
        courses = {c.slug: c for c in db.session.scalars(db.select(Course))}
        modules = _group(db.session.scalars(db.select(Module)), "course_id", "slug")
        lessons = _group(db.session.scalars(db.select(Lesson)), "module_id", "slug")
        quizzes = {q.module_id: q for q in db.session.scalars(db.select(Quiz))}
        questions = _group(db.session.scalars(db.select(Question)), "quiz_id", "key")
        options = _group(db.session.scalars(db.select(Option)), "question_id", "key")
        practices = {p.module_id: p for p in db.session.scalars(db.select(Practice))}
        tasks = _group(db.session.scalars(db.select(PracticeTask)), "practice_id", "key")
        for spec in specs:
            course = self.upsert(courses.get(spec.slug), Course, {"slug": spec.slug}, {
                "title": spec.title, "description": spec.description, "audience": spec.audience,
                "version": spec.version, "follow_up_required": spec.follow_up_required,
                "certificate": spec.certificate, "position": spec.position,
            })  # fmt: skip
            existing_modules = modules.get(course.id, {})
            for module_spec in spec.modules:
                module = self.upsert(
                    existing_modules.get(module_spec.slug),
                    Module,
                    {"course_id": course.id, "slug": module_spec.slug},
                    {
                        "title": module_spec.title,
                        "description": module_spec.description,
                        "position": module_spec.position,
                    },
                )
                existing_lessons = lessons.get(module.id, {})
                for lesson_spec in module_spec.lessons:
                    self.upsert(
                        existing_lessons.get(lesson_spec.slug),
                        Lesson,
                        {"module_id": module.id, "slug": lesson_spec.slug},
                        {
                            "title": lesson_spec.title,
                            "source": lesson_spec.source,
                            "html": lesson_spec.html,
                            "position": lesson_spec.position,
                        },
                    )
                self.retire(existing_lessons, {lesson.slug for lesson in module_spec.lessons})
                self.sync_quiz(module, module_spec.quiz, quizzes, questions, options)
                self.sync_practice(module, module_spec.practice, practices, tasks)
            self.retire(existing_modules, {m.slug for m in spec.modules})
        self.retire(courses, {spec.slug for spec in specs})

    def sync_quiz(self, module: Module, spec, quizzes, questions, options) -> None:
        existing = quizzes.get(module.id)
        if spec is None:
            if existing is not None:
                self.retire({"quiz": existing}, set())
            return
        quiz = self.upsert(existing, Quiz, {"module_id": module.id}, {
            "title": spec.title, "description": spec.description, "pass_mark": spec.pass_mark,
            "max_attempts": spec.max_attempts, "shuffle": spec.shuffle, "draw": spec.draw,
            "reveal_answers": spec.reveal_answers, "groups": spec.groups,
        })  # fmt: skip
        existing_questions = questions.get(quiz.id, {})
        for question_spec in spec.questions:
            question = self.upsert(
                existing_questions.get(question_spec.key),
                Question,
                {"quiz_id": quiz.id, "key": question_spec.key},
                {
                    "type": question_spec.type,
                    "prompt": question_spec.prompt,
                    "explanation": question_spec.explanation,
                    "answer": question_spec.answer,
                    "group": question_spec.group,
                    "position": question_spec.position,
                },
            )
            existing_options = options.get(question.id, {})
            for option_spec in question_spec.options:
                self.upsert(
                    existing_options.get(option_spec.key),
                    Option,
                    {"question_id": question.id, "key": option_spec.key},
                    {
                        "text": option_spec.text,
                        "correct": option_spec.correct,
                        "feedback": option_spec.feedback,
                        "position": option_spec.position,
                    },
                )
            self.retire(existing_options, {o.key for o in question_spec.options})
        self.retire(existing_questions, {q.key for q in spec.questions})

    def sync_practice(self, module: Module, spec, practices, tasks) -> None:
        existing = practices.get(module.id)
        if spec is None:
            if existing is not None:
                self.retire({"practice": existing}, set())
            return
        practice = self.upsert(existing, Practice, {"module_id": module.id}, {
            "title": spec.title, "description": spec.description,
            "confirmed_by": spec.confirmed_by,
        })  # fmt: skip
        existing_tasks = tasks.get(practice.id, {})
        for task in spec.tasks:
            self.upsert(existing_tasks.get(task.key), PracticeTask,
                        {"practice_id": practice.id, "key": task.key},
                        {"text": task.text, "help_html": task.help_html,
                         "position": task.position})  # fmt: skip
        self.retire(existing_tasks, {task.key for task in spec.tasks})

    def upsert(self, row, model, identity: dict[str, Any], values: dict[str, Any]):
        """Create the row, or update only the fields that differ (and bring it back if retired)."""
        values = {**values, "retired_at": None}
        if row is None:
            row = model(**identity, **values)
            db.session.add(row)
            db.session.flush()
            self.report.created += 1
            return row
        changed = {key: value for key, value in values.items() if getattr(row, key) != value}
        for key, value in changed.items():
            setattr(row, key, value)
        if changed:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        return row

    def retire(self, rows: dict[str, Any], kept: set[str]) -> None:
        """Mark rows that are no longer in the files as retired."""
        for key, row in rows.items():
            if key not in kept and row.retired_at is None:
                row.retired_at = self.now
                self.report.retired += 1


def _group(rows, parent: str, key: str) -> dict[int, dict[str, Any]]:
    grouped: dict[int, dict[str, Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, parent), {})[getattr(row, key)] = row
    return grouped


def record_lesson_view(user: User, lesson: Lesson, course: Course) -> None:
    """Remember that the user opened the lesson; a first view may complete the module."""
    now = utcnow()
    updated = db.session.execute(
        db.update(LessonView)
        .where(LessonView.user_id == user.id, LessonView.lesson_id == lesson.id)
        .values(last_viewed_at=now)
    )
    if updated.rowcount:
        db.session.commit()
        return
    try:
        with db.session.begin_nested():
            db.session.add(
                LessonView(
                    user_id=user.id, lesson_id=lesson.id, first_viewed_at=now, last_viewed_at=now
                )
            )
    except IntegrityError:  # another tab recorded the first view at the same moment
        db.session.rollback()
        return
    with one_transaction():  # the view and the completions it brings: one transaction
        lesson_viewed.send(user, course=course)
