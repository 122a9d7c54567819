"""Courses, modules and lessons (synced from courses/), and which lessons a user has viewed."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.labels import register_labels
from app.core.time import utcnow
from app.extensions import UTCDateTime, db


class Audience(StrEnum):
    """Who a course is for."""

    AGENT = "agent"
    EMPLOYEE = "employee"


register_labels(
    Audience,
    {
        Audience.AGENT: _l("För mötesagenter"),
        Audience.EMPLOYEE: _l("För alla medarbetare"),
    },
    "audience_label",
)


class Course(db.Model):
    """A course, identified by its folder name under courses/."""

    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(20))  # an Audience
    version: Mapped[int] = mapped_column(default=1)
    follow_up_required: Mapped[bool] = mapped_column(default=False)
    certificate: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    modules: Mapped[list["Module"]] = relationship(
        back_populates="course", order_by="Module.position"
    )


class Module(db.Model):
    """A part of a course, e.g. "Del 1: Färdigheter"."""

    __tablename__ = "module"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship(back_populates="modules")


class Lesson(db.Model):
    """A lesson: Markdown source and its sanitised HTML, rendered once at sync time."""

    __tablename__ = "lesson"
    __table_args__ = (UniqueConstraint("module_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    module: Mapped[Module] = relationship()


class LessonView(db.Model):
    """That a user has opened a lesson, and when first (`last_viewed_at`: when recorded; a
    repeated view is not written, so reading stays a read)."""

    __tablename__ = "lesson_view"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id"), index=True)
    first_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModuleCompletion(db.Model):
    """A user completed a module (lessons viewed, quiz passed); recorded once."""

    __tablename__ = "module_completion"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CompletionMethod(StrEnum):
    """How a course was completed."""

    ONLINE = "online"
    SESSION = "session"


register_labels(
    CompletionMethod,
    {
        CompletionMethod.ONLINE: _l("online"),
        CompletionMethod.SESSION: _l("via tillfälle"),
    },
    "method_label",
)


class CourseCompletion(db.Model):
    """A user completed a course, online or via a session; recorded once."""

    __tablename__ = "course_completion"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        CheckConstraint("method IN ('online', 'session')", name="method_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("training_session.id"))
    course_version: Mapped[int] = mapped_column(default=1)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
