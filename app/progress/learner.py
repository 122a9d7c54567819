"""A learner's own progress as their pages show it: per part, per course, in the catalogue, and
what passing a quiz completed; each a fixed number of queries.

The pages of `courses`, `practice` and `quizzes` sit below progress, so they read these through
template globals (`init_app`): the route passes what it owns, the page asks for the progress.
"""

from dataclasses import dataclass

from sqlalchemy import and_, case, func

from app.auth.models import User
from app.certificates.models import Certificate
from app.certificates.queries import valid_certificate
from app.courses.content import Practice, PracticeTask, Quiz
from app.courses.models import Course, CourseCompletion, Lesson, LessonView, Module
from app.courses.queries import audiences_for, completion_of
from app.extensions import db
from app.practice.models import PracticeCheck
from app.quizzes.models import AttemptState, QuizAttempt


@dataclass(frozen=True)
class ModuleProgress:
    """A learner's progress in one active module."""

    module_id: int
    lessons: int
    viewed: int
    quiz_id: int | None = None
    quiz_passed: bool = True
    practice_tasks: int = 0
    practice_done: int = 0

    @property
    def practice_complete(self) -> bool:
        """Every practice task of the part ticked (true when it has none)."""
        return self.practice_done >= self.practice_tasks

    @property
    def complete(self) -> bool:
        """Every lesson viewed, the quiz (if any) passed and every practice task ticked."""
        return self.viewed >= self.lessons and self.quiz_passed and self.practice_complete


def module_progress(user: User, course: Course) -> dict[int, ModuleProgress]:
    """Per active module: lessons, lessons viewed, quiz id, quiz passed, practice tasks and
    tasks ticked (3 queries)."""
    lesson_rows = db.session.execute(
        db.select(Module.id, func.count(Lesson.id), func.count(LessonView.id))
        .outerjoin(Lesson, and_(Lesson.module_id == Module.id, Lesson.retired_at.is_(None)))
        .outerjoin(
            LessonView, and_(LessonView.lesson_id == Lesson.id, LessonView.user_id == user.id)
        )
        .where(Module.course_id == course.id, Module.retired_at.is_(None))
        .group_by(Module.id)
    ).all()
    passed = func.max(case((QuizAttempt.passed.is_(True), 1), else_=0))
    quiz_rows = db.session.execute(
        db.select(Quiz.module_id, Quiz.id, passed)
        .join(Module, Quiz.module_id == Module.id)
        .outerjoin(
            QuizAttempt,
            and_(
                QuizAttempt.quiz_id == Quiz.id,
                QuizAttempt.user_id == user.id,
                QuizAttempt.state == AttemptState.SUBMITTED,
            ),
        )
        .where(Module.course_id == course.id, Quiz.retired_at.is_(None))
        .group_by(Quiz.module_id, Quiz.id)
    ).all()
    quizzes = {module_id: (quiz_id, bool(ok)) for module_id, quiz_id, ok in quiz_rows}
    practice = practice_counts(user.id, course)
    return {
        module_id: ModuleProgress(
            module_id,
            lessons,
            viewed,
            *quizzes.get(module_id, (None, True)),
            *practice.get(module_id, (0, 0)),
        )  # fmt: skip
        for module_id, lessons, viewed in lesson_rows
    }


def practice_counts(user_id: int, course: Course) -> dict[int, tuple[int, int]]:
    """Per module with an active practice: its active tasks and how many the person ticked."""
    rows = db.session.execute(
        db.select(Practice.module_id, func.count(PracticeTask.id), func.count(PracticeCheck.id))
        .join(Module, Module.id == Practice.module_id)
        .join(PracticeTask, and_(PracticeTask.practice_id == Practice.id,
                                 PracticeTask.retired_at.is_(None)))
        .outerjoin(PracticeCheck, and_(PracticeCheck.task_id == PracticeTask.id,
                                       PracticeCheck.user_id == user_id))
        .where(Module.course_id == course.id, Module.retired_at.is_(None),
               Practice.retired_at.is_(None))
        .group_by(Practice.module_id)
    ).all()  # fmt: skip
    return {module_id: (tasks, done) for module_id, tasks, done in rows}


@dataclass
class CourseProgress:
    """A course with the user's progress: lessons viewed, quizzes passed, completed."""

    course: Course
    lessons: int
    viewed: int
    quizzes: int = 0
    quizzes_passed: int = 0
    completed: bool = False

    @property
    def percent(self) -> int:
        """Share of steps done (lessons viewed and quizzes passed), 0–100."""
        steps = self.lessons + self.quizzes
        if self.completed:
            return 100
        return min(99, 100 * (self.viewed + self.quizzes_passed) // steps) if steps else 0


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
    quizzes = _quiz_counts(user, [course.id for course, _, _ in rows])
    completed = set(
        db.session.scalars(
            db.select(CourseCompletion.course_id).where(CourseCompletion.user_id == user.id)
        )
    )
    return [
        CourseProgress(
            course, lessons, seen, *quizzes.get(course.id, (0, 0)), course.id in completed
        )
        for course, lessons, seen in rows
    ]


def _quiz_counts(user: User, course_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per course: active quizzes, and how many of them the user passed (1 query)."""
    passed = (
        db.select(QuizAttempt.quiz_id)
        .where(QuizAttempt.user_id == user.id, QuizAttempt.passed.is_(True))
        .scalar_subquery()
    )
    rows = db.session.execute(
        db.select(
            Module.course_id,
            func.count(Quiz.id),
            func.count(Quiz.id).filter(Quiz.id.in_(passed)),
        )
        .join(Quiz, Quiz.module_id == Module.id)
        .where(
            Module.course_id.in_(course_ids),
            Module.retired_at.is_(None),
            Quiz.retired_at.is_(None),
        )
        .group_by(Module.course_id)
    ).all()
    return {course_id: (total, done) for course_id, total, done in rows}


@dataclass(frozen=True)
class CoursePageProgress:
    """The course page's figures: per part, the summary bar, and the practice tasks done."""

    modules: dict[int, ModuleProgress]
    summary: CourseProgress
    practice_tasks: int
    practice_done: int


def course_progress(
    user: User, course: Course, outline: list, completed: bool
) -> CoursePageProgress:
    """The learner's progress on the course page, from the outline it shows (3 queries)."""
    progress = module_progress(user, course)
    quizzes = sum(1 for item in progress.values() if item.quiz_id)
    passed = sum(1 for item in progress.values() if item.quiz_id and item.quiz_passed)
    viewed = sum(item.viewed for item in outline)
    return CoursePageProgress(
        modules=progress,
        summary=CourseProgress(course, len(outline), viewed, quizzes, passed, completed),
        practice_tasks=sum(item.practice_tasks for item in progress.values()),
        practice_done=sum(
            min(item.practice_done, item.practice_tasks) for item in progress.values()
        ),
    )


@dataclass
class PassedSummary:
    """What passing a quiz has completed: its module, maybe the course, and the certificate."""

    module_complete: bool
    course_completed: bool
    certificate: Certificate | None = None


def passed_summary(user: User, course: Course, module: Module) -> PassedSummary:
    """Whether the module and course are now complete, and the valid certificate (≤ 4 queries)."""
    progress = module_progress(user, course).get(module.id)
    completed = completion_of(user, course) is not None
    return PassedSummary(
        module_complete=progress is not None and progress.complete,
        course_completed=completed,
        certificate=valid_certificate(user, course) if completed and course.certificate else None,
    )


def init_app(app) -> None:
    """Template globals for the learner's pages below progress: `catalogue_of(user)`,
    `course_progress(user, course)` and `passed_summary(user, course, module)`."""
    app.jinja_env.globals.update(
        catalogue_of=catalogue_for, course_progress=course_progress, passed_summary=passed_summary
    )
