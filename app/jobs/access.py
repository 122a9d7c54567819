"""Who may follow and download a job: the person who started it, no one else."""

from app.auth.models import User
from app.core.jobs.models import Job


def may_follow(viewer: User, job: Job) -> bool:
    """Only the job's owner sees its progress and downloads its file."""
    return job.owner_id == viewer.id
