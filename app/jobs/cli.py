"""`flask jobs work`: run the background jobs queued on Redis (bin/jobs)."""

import click
from flask import current_app

from app.core.jobs.services import work

jobs_cli = click.Group("jobs", help="Background jobs (print packs, big exports).")


@jobs_cli.command("work")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def work_command(burst: bool):
    """Work the job queue on REDIS_URL; exit 1 when it is not set (jobs then run in-process)."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: jobs run inside the app's process")
    work(burst=burst)
