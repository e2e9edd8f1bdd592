"""The periodic work goes through the task queue: a timer queues it, the worker does it."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from fairspot.audit.models import PublishedAnchor
from fairspot.audit.services import record
from fairspot.hub.periodic import SCHEDULES

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=DATABASE_QUEUE)
def test_daily_work_is_queued_then_done_by_the_worker(market_admin, monkeypatch, capsys):
    monkeypatch.setattr(Worker, "configure_signals", lambda self: None)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    record(market_admin, "accounts.user.logged_in", market_admin)  # something to anchor
    call_command("enqueue_periodic", "daily")
    assert f"queued {len(SCHEDULES['daily'])} task(s)" in capsys.readouterr().out
    assert "end_displays" in SCHEDULES["daily"][1].module_path
    queued = DBTaskResult.objects.all()
    assert {t.task_path for t in queued} == {t.module_path for t in SCHEDULES["daily"]}
    assert {t.status for t in queued} == {"READY"} and not PublishedAnchor.objects.exists()  # not done yet
    call_command("db_worker", "--batch", "--no-startup-delay", "-v", "0")
    assert {t.status for t in DBTaskResult.objects.all()} == {"SUCCESSFUL"}
    assert PublishedAnchor.objects.count() == 1


def test_nightly_schedule_builds_the_open_data(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    call_command("enqueue_periodic", "nightly")  # the tests' immediate backend runs it at once
    assert "build_opendata" in capsys.readouterr().out
    assert any((tmp_path / "opendata").iterdir())


def test_unknown_schedule_is_refused():
    with pytest.raises(Exception, match="invalid choice"):
        call_command("enqueue_periodic", "hourly")
