"""Web imports go through the task queue after the upload commits; a job whose worker died ends failed."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from fairspot.core.jobs import job_run, progress_key, reap_stale_jobs, run_import
from fairspot.core.models import ImportJob, JobStatus
from fairspot.directory.models import Target
from fairspot.testing.directory import row, write_csv

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
INTERRUPTED = "The import was interrupted (the process running it stopped); nothing was written."


def upload(client, path):
    with path.open("rb") as handle:
        return client.post(reverse("hub:import_start", args=["targets"]), {"file": handle}, follow=True)


@pytest.fixture
def worker_in_test(monkeypatch):
    """db_worker run inside the test process must leave pytest's SIGINT/SIGTERM handlers alone, and
    the test's transaction open (as Django's test client does for requests)."""
    monkeypatch.setattr(Worker, "configure_signals", lambda self: None)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@override_settings(FAIRSPOT_JOBS_INLINE=False, TASKS=DATABASE_QUEUE)
def test_upload_is_queued_on_commit_and_the_worker_runs_it(
    client, market_admin, tmp_path, django_capture_on_commit_callbacks, worker_in_test
):
    client.force_login(market_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = upload(client, write_csv(tmp_path / "a.csv", [row(), row()]))
    job = ImportJob.objects.get()
    assert len(callbacks) == 1 and not DBTaskResult.objects.exists()  # nothing queued before the commit
    assert job.status == JobStatus.QUEUED and "Waiting for the import worker" in page.content.decode()
    callbacks[0]()
    task = DBTaskResult.objects.get()
    assert task.task_path == run_import.module_path and task.args_kwargs["args"] == [str(job.pk)]
    assert Target.objects.count() == 0  # the web process imported nothing itself

    call_command("db_worker", "--batch", "--no-startup-delay", "-v", "0")
    job.refresh_from_db()
    task.refresh_from_db()
    assert job.status == JobStatus.DONE and job.report["created"] == 2 and Target.objects.count() == 2
    assert job.heartbeat_at is not None and task.status == "SUCCESSFUL"


@override_settings(FAIRSPOT_JOBS_INLINE=False)
def test_the_immediate_backend_runs_the_queued_task_at_commit(
    client, market_admin, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(market_admin)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, write_csv(tmp_path / "a.csv", [row()]))
    assert ImportJob.objects.get().status == JobStatus.DONE and Target.objects.count() == 1


def _running_job(user, tmp_path, *, silent_for: int, name="a.csv") -> ImportJob:
    stored = write_csv(tmp_path / f"stored-{name}", [row()])
    job = ImportJob.objects.create(
        kind="targets",
        file_name=name,
        stored_path=str(stored),
        created_by=user,
        department_id=user.department_id,
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now() - timedelta(seconds=silent_for),
    )
    return job


@override_settings(FAIRSPOT_JOB_STALE_SECONDS=120)
def test_viewing_a_job_whose_worker_died_marks_it_failed(client, market_admin, tmp_path):
    client.force_login(market_admin)
    dead = _running_job(market_admin, tmp_path, silent_for=600)
    alive = _running_job(market_admin, tmp_path, silent_for=30, name="b.csv")
    page = client.get(reverse("hub:import_job", args=[dead.pk])).content.decode()
    dead.refresh_from_db()
    assert dead.status == JobStatus.FAILED and dead.finished_at and dead.report["interrupted"]
    assert INTERRUPTED in page and INTERRUPTED in dead.report["errors"][0]["message"]
    assert not Path(dead.stored_path).exists()  # like any failed import's upload
    progress = client.get(reverse("hub:import_progress", args=[alive.pk])).json()
    assert progress["status"] == "running"  # heard from 30 s ago: still working


@override_settings(FAIRSPOT_JOB_STALE_SECONDS=120)
def test_the_progress_poll_and_the_list_reap_too_and_a_live_cache_heartbeat_counts(
    client, market_admin, tmp_path
):
    client.force_login(market_admin)
    polled = _running_job(market_admin, tmp_path, silent_for=600)
    listed = _running_job(market_admin, tmp_path, silent_for=600, name="b.csv")
    busy = _running_job(market_admin, tmp_path, silent_for=600, name="c.csv")
    # the import inside its transaction beats through the shared cache, not the row
    cache.set(progress_key(busy.pk), {"rows": 4000, "percent": 40, "at": timezone.now().timestamp()})
    try:
        assert client.get(reverse("hub:import_progress", args=[polled.pk])).json()["status"] == "failed"
        listed.refresh_from_db()
        assert listed.status == JobStatus.RUNNING  # the poll reaps only its own job
        client.get(reverse("hub:imports"))
        listed.refresh_from_db()
        busy.refresh_from_db()
        assert listed.status == JobStatus.FAILED and busy.status == JobStatus.RUNNING
    finally:
        cache.delete(progress_key(busy.pk))


@override_settings(FAIRSPOT_JOB_STALE_SECONDS=120, TASKS=DATABASE_QUEUE)
def test_the_worker_reaps_at_start_and_fails_the_dead_task(market_admin, tmp_path, worker_in_test):
    dead = _running_job(market_admin, tmp_path, silent_for=600)
    queued = ImportJob.objects.create(
        kind="targets", file_name="q.csv", stored_path="/nonexistent", created_by=market_admin
    )
    task = DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [str(dead.pk)], "kwargs": {}},
        task_path=run_import.module_path,
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=["killed"],
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "-v", "0")
    dead.refresh_from_db()
    task.refresh_from_db()
    queued.refresh_from_db()
    assert dead.status == JobStatus.FAILED and dead.report["interrupted"]
    assert task.status == "FAILED" and "ImportInterrupted" in task.exception_class_path
    assert queued.status == JobStatus.QUEUED  # waiting for a worker is not being dead
    assert reap_stale_jobs() == 0


def test_a_job_that_is_no_longer_queued_is_not_run_again(market_admin, tmp_path):
    job = _running_job(market_admin, tmp_path, silent_for=0)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
    assert job_run(job.pk).status == JobStatus.FAILED and Target.objects.count() == 0
