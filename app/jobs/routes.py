"""A job's page (progress, then the download), its state as JSON for the page's script."""

from flask import Blueprint, abort, jsonify, render_template, url_for
from flask_login import current_user, login_required

from app.core.jobs import services
from app.core.jobs.models import Job, JobState
from app.core.responses import attachment
from app.extensions import db
from app.jobs.access import may_follow

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIMETYPES = {".pdf": "application/pdf", ".zip": "application/zip", ".csv": "text/csv",
             ".xlsx": XLSX}  # fmt: skip


def _mine_or_404(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or not may_follow(current_user, job):
        abort(404)
    return job


def state_of(job: Job) -> dict:
    """What the page's script needs: state, counts, percent and, when done, the download."""
    done = job.state == JobState.DONE and services.file_of(job) is not None
    return {
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "download": url_for(".download", job_id=job.id) if done else None,
        "filename": job.filename if done else None,
        "message": job.message if job.state == JobState.DONE else None,
    }


@bp.get("/<int(max=2147483647):job_id>")
@login_required
def show(job_id: int):
    """The job's progress; the download link once it is done."""
    job = _mine_or_404(job_id)
    kind = services.KINDS[job.kind]
    return render_template("jobs/show.html", job=job, state=state_of(job), label=kind.label,
                           back=job.params.get("back"))  # fmt: skip


@bp.get("/<int(max=2147483647):job_id>.json")
@login_required
def status(job_id: int):
    """The job's state for the progress bar (polled by static/js/job.js)."""
    response = jsonify(state_of(_mine_or_404(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int(max=2147483647):job_id>/download")
@login_required
def download(job_id: int):
    """The finished job's file."""
    job = _mine_or_404(job_id)
    path = services.file_of(job)
    if path is None:
        abort(404)
    mimetype = next((m for end, m in MIMETYPES.items() if job.filename.endswith(end)), None)
    return attachment(path.open("rb"), job.filename, mimetype or "application/octet-stream")
