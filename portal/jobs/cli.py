"""`flask jobs worker`: the queue's consumer; `flask jobs sweep`: one upkeep pass."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.jobs import queue, upkeep


@click.group("jobs")
def jobs() -> None:
    """Background jobs: the worker and its upkeep."""


@jobs.command("worker")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 32),
              help="Jobs run at the same time (threads).")
@with_appcontext
def worker(workers: int) -> None:
    """Run jobs from the queue until stopped (SIGINT: finish the running jobs first)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    huey = queue.queue(app)
    if huey.immediate:
        raise click.UsageError("JOBS_URL is 'immediate': jobs run at once, no worker needed.")
    lost = upkeep.requeue_lost()  # jobs a worker lost before this one started
    if lost:
        click.echo(f"queued again {len(lost)} job(s) of a lost worker")
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


@jobs.command("sweep")
@with_appcontext
def sweep() -> None:
    """Queue again the jobs of lost workers and delete expired files, once."""
    lost = upkeep.requeue_lost()
    removed = upkeep.delete_expired_files()
    click.echo(f"queued again: {len(lost)}; files deleted: {removed}")
