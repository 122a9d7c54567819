"""Reads of the courses domain; each a fixed number of queries."""

from dataclasses import dataclass

from app.auth.models import User
from app.core.roles import Role
from app.courses.content import Practice, PracticeTask, Quiz
from app.courses.models import Audience, Course, CourseCompletion, Lesson, LessonView, Module
from app.extensions import db
from app.municipalities.facts import placeholders_in, register_fact_uses

AUDIENCES_BY_ROLE = {
    Role.EMPLOYEE: (Audience.EMPLOYEE,),
    Role.AGENT: (Audience.AGENT, Audience.EMPLOYEE),
    Role.COORDINATOR: (Audience.EMPLOYEE,),
    Role.ADMIN: (Audience.AGENT, Audience.EMPLOYEE),
}


def audiences_for(user: User) -> tuple[str, ...]:
    """The course audiences this user's role may take."""
    return AUDIENCES_BY_ROLE.get(Role(user.role), ())


def get_course_for(user: User, slug: str) -> Course | None:
    """The active course with this slug, if it is meant for the user's role."""
    return db.session.scalar(
        db.select(Course).where(
            Course.slug == slug,
            Course.retired_at.is_(None),
            Course.audience.in_(audiences_for(user)),
        )
    )


@dataclass
class OutlineLesson:
    """One lesson in a course outline."""

    lesson: Lesson
    module: Module
    viewed: bool


def course_outline(user: User, course: Course) -> list[OutlineLesson]:
    """Every active lesson of the course in reading order, with viewed marks (1 query)."""
    rows = db.session.execute(
        db.select(Lesson, Module, LessonView.id)
        .join(Module, Lesson.module_id == Module.id)
        .outerjoin(
            LessonView, (LessonView.lesson_id == Lesson.id) & (LessonView.user_id == user.id)
        )
        .where(
            Module.course_id == course.id,
            Module.retired_at.is_(None),
            Lesson.retired_at.is_(None),
        )
        .order_by(Module.position, Lesson.position)
    ).all()
    return [OutlineLesson(lesson, module, view_id is not None) for lesson, module, view_id in rows]


@dataclass
class NextStep:
    """Where the learner continues: a lesson to read or a quiz to take."""

    module: Module
    lesson: Lesson | None = None

    @property
    def is_quiz(self) -> bool:
        """True when the next step is the module's quiz."""
        return self.lesson is None


def next_step(outline: list[OutlineLesson], progress: dict) -> NextStep | None:
    """Module by module: the first unread lesson, else the quiz not yet passed."""
    modules: dict[int, list[OutlineLesson]] = {}
    for item in outline:
        modules.setdefault(item.module.id, []).append(item)
    for items in modules.values():
        unread = next((item for item in items if not item.viewed), None)
        if unread is not None:
            return NextStep(unread.module, unread.lesson)
        state = progress.get(items[0].module.id)
        if state and not state.quiz_passed:
            return NextStep(items[0].module)
    return None


def active_quiz_of(module: Module) -> Quiz | None:
    """The module's quiz, if it has one (1 query)."""
    return db.session.scalar(
        db.select(Quiz).where(Quiz.module_id == module.id, Quiz.retired_at.is_(None))
    )


def completion_of(user: User, course: Course) -> CourseCompletion | None:
    """The user's completion of the course, if recorded (1 query)."""
    return db.session.scalar(
        db.select(CourseCompletion).filter_by(user_id=user.id, course_id=course.id)
    )


def fact_uses() -> dict[str, list[str]]:
    """Where each municipality fact is used in the active courses: "Course › Part › Lesson"
    (2 queries)."""
    lessons = db.session.execute(
        db.select(Course.title, Module.title, Lesson.title, Lesson.source)
        .join(Module, Module.course_id == Course.id)
        .join(Lesson, Lesson.module_id == Module.id)
        .where(Course.retired_at.is_(None), Module.retired_at.is_(None),
               Lesson.retired_at.is_(None))
        .order_by(Course.position, Module.position, Lesson.position)
    ).all()  # fmt: skip
    practice = db.session.execute(
        db.select(Course.title, Module.title, Practice.title, PracticeTask.help_html)
        .join(Module, Module.course_id == Course.id)
        .join(Practice, Practice.module_id == Module.id)
        .join(PracticeTask, PracticeTask.practice_id == Practice.id)
        .where(Course.retired_at.is_(None), Module.retired_at.is_(None),
               Practice.retired_at.is_(None), PracticeTask.retired_at.is_(None))
        .order_by(Course.position, Module.position, PracticeTask.position)
    ).all()  # fmt: skip
    uses: dict[str, list[str]] = {}
    for course, module, title, text in [*lessons, *practice]:
        place = f"{course} › {module} › {title}"
        for key in sorted(placeholders_in(text)):
            if place not in uses.setdefault(key, []):
                uses[key].append(place)
    return uses


def active_modules(course: Course):
    """The ids of the course's active modules (a subquery)."""
    return db.select(Module.id).where(Module.course_id == course.id, Module.retired_at.is_(None))


register_fact_uses(fact_uses)
