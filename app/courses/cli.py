"""`flask courses check|sync [DIR]`: validate and load the course files."""

from pathlib import Path

import click
from flask import current_app

from app.courses.loader import load_courses
from app.courses.services import CourseContentError, sync_courses

courses_cli = click.Group("courses", help="Validate and load courses from files.")
DIR_ARGUMENT = click.argument("directory", required=False, type=click.Path(path_type=Path))


def _root(directory: Path | None) -> Path:
    return directory or Path(current_app.config["COURSES_DIR"])


def _fail(errors) -> None:
    for error in errors:
        click.echo(str(error), err=True)
    raise click.ClickException(f"{len(errors)} problem(s) found; nothing was written.")


@courses_cli.command("check")
@DIR_ARGUMENT
def check_command(directory: Path | None):
    """Validate the course files without writing anything."""
    courses, errors = load_courses(_root(directory))
    if errors:
        _fail(errors)
    lessons = sum(len(m.lessons) for c in courses for m in c.modules)
    click.echo(f"OK: {len(courses)} course(s), {lessons} lesson(s).")


@courses_cli.command("sync")
@DIR_ARGUMENT
def sync_command(directory: Path | None):
    """Validate the course files, then load them into the database."""
    try:
        report = sync_courses(_root(directory))
    except CourseContentError as error:
        _fail(error.errors)
    click.echo(f"Courses synced: {report}.")
