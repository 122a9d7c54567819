"""Reads of the courses domain; each a fixed number of queries."""

from dataclasses import dataclass

from sqlalchemy import func

from app.auth.models import Role, User
from app.courses.models import Course, Lesson, LessonView, Module
from app.extensions import db

AUDIENCES_BY_ROLE = {
    Role.EMPLOYEE: ("employee",),
    Role.AGENT: ("agent", "employee"),
    Role.COORDINATOR: ("employee",),
    Role.ADMIN: ("agent", "employee"),
}


@dataclass
class CourseProgress:
    """A course with how many of its lessons the user has viewed."""

    course: Course
    lessons: int
    viewed: int

    @property
    def percent(self) -> int:
        """Share of lessons viewed, 0–100."""
        return round(100 * self.viewed / self.lessons) if self.lessons else 0


def audiences_for(user: User) -> tuple[str, ...]:
    """The course audiences this user's role may take."""
    return AUDIENCES_BY_ROLE.get(Role(user.role), ())


def catalogue_for(user: User) -> list[CourseProgress]:
    """Active courses meant for the user's role, with lesson counts and lessons viewed (1 query)."""
    viewed = db.select(LessonView.lesson_id).where(LessonView.user_id == user.id).scalar_subquery()
    rows = db.session.execute(
        db.select(
            Course,
            func.count(Lesson.id),
            func.count(Lesson.id).filter(Lesson.id.in_(viewed)),
        )
        .outerjoin(Module, (Module.course_id == Course.id) & Module.retired_at.is_(None))
        .outerjoin(Lesson, (Lesson.module_id == Module.id) & Lesson.retired_at.is_(None))
        .where(Course.retired_at.is_(None), Course.audience.in_(audiences_for(user)))
        .group_by(Course.id)
        .order_by(Course.position)
    ).all()
    return [CourseProgress(course, lessons, seen) for course, lessons, seen in rows]


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


def next_unviewed(outline: list[OutlineLesson]) -> OutlineLesson | None:
    """Where the learner should continue: the first lesson not yet viewed."""
    return next((item for item in outline if not item.viewed), None)
