"""A task with a large population is committed by the worker: the click is recorded and queued, the
page says so and offers no second commit, a refusal is kept and shown, a dead worker's commit can be
asked for again, and a small task is still committed at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fairspot.audit.models import AuditEntry
from fairspot.directory.models import Target
from fairspot.draws import commit_jobs
from fairspot.draws.models import Draw, DrawStatus
from fairspot.testing.draws import make_task

pytestmark = pytest.mark.django_db

POST = {"ceremony": "dice before two witnesses"}


@pytest.fixture
def large(settings):
    settings.FAIRSPOT_COMMIT_INLINE_ROWS = 10  # the district's 60 targets count as large
    settings.FAIRSPOT_JOBS_INLINE = False


def test_a_large_task_is_committed_by_the_worker(
    large, client, market_admin, district, django_capture_on_commit_callbacks
):
    task = make_task(market_admin, district)
    client.force_login(market_admin)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("draws:task", args=[task.pk]), POST)
    assert response.status_code == 302 and response["Location"].endswith(f"/draws/tasks/{task.pk}/")
    assert not Draw.objects.exists()
    task.refresh_from_db()
    assert task.commit_queued_at is not None
    assert AuditEntry.objects.filter(action="draws.task.commit_queued", object_id=str(task.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Being committed in the background" in page and "data-reload-after" in page
    assert "Commit the draw" not in page  # no second commit while the first is under way
    for callback in queued:  # the worker (the test backend runs the job at once)
        callback()
    draw = Draw.objects.get(task=task)
    task.refresh_from_db()
    assert draw.status == DrawStatus.COMMITTED and draw.population_size == 60
    assert task.commit_queued_at is None and task.commit_error == ""
    page = client.get(reverse("draws:task", args=[task.pk])).content.decode()
    assert draw.draw_id in page and "Being committed" not in page


def test_a_refusal_in_the_worker_is_kept_and_shown(
    large, client, market_admin, district, django_capture_on_commit_callbacks
):
    task = make_task(market_admin, district)
    client.force_login(market_admin)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("draws:task", args=[task.pk]), POST)
    Target.objects.all().delete()  # the directory emptied before the worker runs
    for callback in queued:
        callback()
    task.refresh_from_db()
    assert not Draw.objects.exists() and task.commit_queued_at is None
    assert "population is empty" in task.commit_error
    refused = AuditEntry.objects.get(action="draws.task.commit_refused", object_id=str(task.pk))
    assert refused.data["reason"] == task.commit_error
    page = client.get(reverse("draws:task", args=[task.pk])).content.decode()
    assert "The commit in the background was refused:" in page and "Commit the draw" in page


def test_a_commit_whose_worker_died_can_be_asked_for_again(large, client, market_admin, district):
    task = make_task(market_admin, district)
    task.commit_queued_at = timezone.now() - timedelta(hours=2)
    task.save()
    assert not commit_jobs.commit_pending(task)
    client.force_login(market_admin)
    assert "Commit the draw" in client.get(reverse("draws:task", args=[task.pk])).content.decode()
    task.commit_queued_at = timezone.now()
    task.save()
    assert commit_jobs.commit_pending(task)
    with pytest.raises(Exception, match="already under way"):
        commit_jobs.commit_queue(actor=market_admin, task=task, sources=[{"name": "x"}])


def test_a_small_task_is_committed_at_once(client, market_admin, district):
    task = make_task(market_admin, district)
    client.force_login(market_admin)
    response = client.post(reverse("draws:task", args=[task.pk]), POST)
    draw = Draw.objects.get(task=task)
    assert response["Location"].endswith(f"/draws/{draw.draw_id}/")
    assert not AuditEntry.objects.filter(action="draws.task.commit_queued").exists()


def test_the_size_comes_from_the_kept_preview(settings, client, market_admin, district):
    settings.FAIRSPOT_COMMIT_INLINE_ROWS = 45
    task = make_task(market_admin, district, township_id="410771560")  # 30 of the 60 targets
    assert commit_jobs.runs_in_background(task)  # nothing kept: the directory's bound, 60
    client.force_login(market_admin)
    assert "30 targets in scope" in client.get(reverse("draws:task", args=[task.pk])).content.decode()
    assert not commit_jobs.runs_in_background(task)  # the kept preview's 30
