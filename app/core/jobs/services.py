"""Starting, running and clearing background jobs: on RQ when REDIS_URL is set, else in-process.

`make run` needs nothing more than the app: without Redis a job runs on a thread of the app's own
process. With Redis, `flask jobs work` (bin/jobs) runs them, and any app server may start one.
The job's row in the database holds its state and progress, so every app server can show it.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, g
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from redis.exceptions import RedisError

from app.core.errors import DomainError
from app.core.jobs.models import Job, JobState
from app.core.time import utcnow
from app.core.urls import public_base
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User

log = logging.getLogger(__name__)
KEEP = timedelta(days=1)  # a finished job's file can be downloaded this long
TIMEOUT = timedelta(hours=1)  # the longest a job may run
PROGRESS_EVERY = 0.5  # seconds between progress writes

# What a kind of job does: (job, the file to write, report progress) -> the download's name,
# or ("", what was done) for a job that leaves no file (such as sending e-mail).
Handler = Callable[[Job, Path, Callable[[int], None]], str | tuple[str, str]]


@dataclass(frozen=True)
class Kind:
    """A kind of job: the work, and the heading of its page."""

    work: Handler
    label: str


KINDS: dict[str, Kind] = {}


class JobFailed(DomainError):
    """The work cannot be done; the message is shown to the person who asked."""


def handler(kind: str, label: str) -> Callable[[Handler], Handler]:
    """Register the function that does a kind of job, and its page's heading."""

    def register(function: Handler) -> Handler:
        KINDS[kind] = Kind(function, label)
        return function

    return register


def jobs_dir(app: Flask | None = None) -> Path:
    """Where job files are written (JOBS_DIR, by default instance/jobs), created if missing."""
    app = app or current_app
    path = Path(app.config.get("JOBS_DIR") or Path(app.instance_path) / "jobs")
    path.mkdir(parents=True, exist_ok=True)
    return path


def start(kind: str, owner: User, total: int, params: dict[str, Any], back: str) -> Job:
    """Record a job for `owner` and hand it to the queue; return it (committed).

    `params` are what the work needs (JSON); `back` the page the job was asked for on. The
    work runs in the asker's language (headings and labels of exports, messages).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    clear_expired()
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    job = Job(kind=kind, owner_id=owner.id, total=total,
              params={**params, "back": back, "locale": locale, "base": public_base()})  # fmt: skip
    db.session.add(job)
    db.session.commit()
    try:
        _enqueue(job.id)
    except RedisError:
        log.exception("Job %d (%s) could not be queued", job.id, kind)
        refused = _("Bakgrundsjobben kan inte startas just nu. Försök igen om en stund.")
        _update(job.id, state=JobState.FAILED, error=refused, finished_at=utcnow())
    return job


def file_handler(
    kind: str, label: str, make: Callable[[User, dict], tuple[str, bytes] | None]
) -> None:
    """Register a job that makes one file in memory (an export): `make(owner, params)` gives
    (download name, data), or None when the owner may no longer have it."""

    def work(job: Job, path: Path, _progress) -> str:
        made = make(job.owner, job.params)
        if made is None:
            raise JobFailed(_("Du har inte längre behörighet till den här filen."))
        name, data = made
        path.write_bytes(data)
        return name

    KINDS[kind] = Kind(work, label)


def _enqueue(job_id: int) -> None:
    """RQ when REDIS_URL is set; else the app's own worker thread."""
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        seconds = int(TIMEOUT.total_seconds())
        _queue(app).enqueue_call(run, args=(job_id,), timeout=seconds, result_ttl=0)
        return
    runner = app.extensions.get("jobs")
    if runner is None:  # one thread per app: jobs run one after the other, as on RQ
        runner = app.extensions["jobs"] = ThreadPoolExecutor(1, thread_name_prefix="job")
    future: Future = runner.submit(run, job_id, app)
    future.add_done_callback(_log_crash)


def _queue(app: Flask):
    """The RQ queue on the app's Redis."""
    from redis import Redis
    from rq import Queue

    return Queue(app.config["JOBS_QUEUE"], connection=Redis.from_url(app.config["REDIS_URL"]))


def _log_crash(future: Future) -> None:
    if future.exception() is not None:
        log.error("Job thread crashed", exc_info=future.exception())


def run(job_id: int, app: Flask | None = None) -> None:
    """Do the job in an app context and session of its own (RQ's entry point, inside the
    worker's app; the thread's, given the app)."""
    with (app or current_app).app_context():
        try:
            _work(job_id)
        finally:
            db.session.remove()


def _work(job_id: int) -> None:
    job = db.session.get(Job, job_id)
    if job is None or job.state != JobState.QUEUED:
        return  # cleared meanwhile, or already picked up
    _update(job_id, state=JobState.RUNNING)
    stored_as = f"{job_id}-{secrets.token_hex(8)}"
    path = jobs_dir() / stored_as
    try:
        g.public_base = job.params.get("base")  # links in the file point where the asker was
        with force_locale(job.params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
            made = KINDS[job.kind].work(job, path, _progress(job_id))
    except Exception as error:
        path.unlink(missing_ok=True)
        db.session.rollback()
        message = str(error) if isinstance(error, JobFailed) else ""
        if not isinstance(error, JobFailed):
            log.exception("Job %d (%s) failed", job_id, job.kind)
        _update(job_id, state=JobState.FAILED, error=message, finished_at=utcnow())
        return
    filename, message = made if isinstance(made, tuple) else (made, "")
    stored_as = stored_as if filename else ""
    _update(job_id, state=JobState.DONE, done=job.total, filename=filename, message=message,
            stored_as=stored_as, finished_at=utcnow())  # fmt: skip
    log.info("Job %d (%s) done: %s", job_id, job.kind, filename or message)


def _update(job_id: int, **values) -> None:
    """Write the job's row on a connection of its own (the job's session may be streaming)."""
    with db.engine.begin() as connection:
        connection.execute(db.update(Job).where(Job.id == job_id).values(**values))


def _progress(job_id: int) -> Callable[[int], None]:
    """A callback that records how many items are done, at most every PROGRESS_EVERY s."""
    last = 0.0

    def report(done: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY:
            last = now
            _update(job_id, done=done)

    return report


def counted(items: Iterable, progress: Callable[[int], None]) -> Iterator:
    """Yield the items, reporting how many have passed."""
    for done, item in enumerate(items, start=1):
        yield item
        progress(done)


def file_of(job: Job) -> Path | None:
    """The finished job's file, if it is still kept."""
    if job.state != JobState.DONE or not job.stored_as:
        return None
    path = jobs_dir() / job.stored_as
    return path if path.is_file() else None


def clear_expired() -> int:
    """Forget jobs and delete files older than KEEP, and fail jobs left unfinished longer than
    TIMEOUT (a worker that died); run as each new job starts."""
    now = utcnow()
    cutoff = now - KEEP
    db.session.execute(
        db.update(Job)
        .where(Job.state.in_([JobState.QUEUED, JobState.RUNNING]), Job.created_at < now - TIMEOUT)
        .values(state=JobState.FAILED, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    removed = db.session.execute(
        db.delete(Job).where(Job.created_at < cutoff).execution_options(synchronize_session=False)
    ).rowcount
    for path in jobs_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
    return removed


def work(burst: bool = False) -> None:
    """Run the RQ worker for the app's queue in this process (`flask jobs work`)."""
    from rq import SimpleWorker

    queue = _queue(current_app)
    SimpleWorker([queue], connection=queue.connection).work(burst=burst, with_scheduler=False)
