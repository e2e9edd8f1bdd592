"""A list longer than FAIRSPOT_EXPORT_INLINE_ROWS is written by the worker, shown with progress, and
downloaded by its owner only: the file holds exactly what the inline export of the same list holds."""

import csv
import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairspot.audit.models import AuditEntry
from fairspot.core.export_jobs import purge_exports
from fairspot.core.models import ExportJob, ExportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(settings, tmp_path):
    settings.FAIRSPOT_EXPORT_DIR = tmp_path / "exports"

    def login(user):
        client = Client()
        client.force_login(user)
        return client

    return login


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_long_export_runs_as_a_job_and_matches_the_inline_file(settings, client_of, market_admin, district):
    client = client_of(market_admin)
    url = reverse("directory:list") + "?export=csv&q=企业"
    inline = _rows(_body(client.get(url)))  # 59 + 1 rows: within the default limit, written at once
    assert len(inline) == 61 and not ExportJob.objects.exists()

    settings.FAIRSPOT_EXPORT_INLINE_ROWS = 20
    response = client.get(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("hub:export_job", args=[job.pk])
    assert job.status == ExportStatus.DONE and job.total == 60 and job.written == 60
    assert job.query["q"] == "企业"

    page = client.get(response["Location"])
    assert page.status_code == 200 and reverse("hub:export_download", args=[job.pk]) in page.content.decode()
    assert client.get(reverse("hub:export_progress", args=[job.pk])).json()["percent"] == 100

    before = AuditEntry.objects.filter(action="export.downloaded").count()
    download = client.get(reverse("hub:export_download", args=[job.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert _rows(_body(download)) == inline
    assert AuditEntry.objects.filter(action="export.downloaded").count() == before + 1


def test_another_user_cannot_see_or_download_an_export(
    settings, client_of, market_admin, colleague, district
):
    settings.FAIRSPOT_EXPORT_INLINE_ROWS = 5
    client_of(market_admin).get(reverse("directory:list") + "?export=xlsx")
    job = ExportJob.objects.get()
    other = client_of(colleague)  # same department, but not the one who asked
    for name in ("hub:export_job", "hub:export_progress", "hub:export_download"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404


def test_unknown_format_is_refused_and_queues_nothing(settings, client_of, market_admin, district):
    settings.FAIRSPOT_EXPORT_INLINE_ROWS = 5
    assert client_of(market_admin).get(reverse("directory:list") + "?export=pdf").status_code == 404
    assert not ExportJob.objects.exists()


def test_the_export_keeps_the_department_scope(settings, client_of, fire_admin, district):
    """The fire brigade's administrator exports the directory: the worker runs the list as that user."""
    settings.FAIRSPOT_EXPORT_INLINE_ROWS = 0
    client = client_of(fire_admin)
    inline_count = client.get(reverse("directory:list")).context["page"].paginator.count
    client.get(reverse("directory:list") + "?export=csv")
    job = ExportJob.objects.get()
    assert 0 < job.total == inline_count
    assert len(_rows(_body(client.get(reverse("hub:export_download", args=[job.pk]))))) == inline_count + 1


def test_purge_removes_old_files_and_keeps_recent_ones(settings, client_of, market_admin, district):
    settings.FAIRSPOT_EXPORT_INLINE_ROWS = 5
    client = client_of(market_admin)
    client.get(reverse("directory:list") + "?export=csv")
    client.get(reverse("directory:list") + "?export=xlsx")
    old, recent = ExportJob.objects.order_by("created_at")
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(days=8))
    assert purge_exports.call() == 1
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert not Path(old.stored_path).exists() and Path(recent.stored_path).exists()


def test_a_running_export_whose_worker_died_is_shown_failed(settings, client_of, market_admin):
    job = ExportJob.objects.create(
        kind="targets",
        fmt="csv",
        total=50_000,
        status=ExportStatus.RUNNING,
        created_by=market_admin,
        heartbeat_at=timezone.now() - timezone.timedelta(seconds=settings.FAIRSPOT_JOB_STALE_SECONDS + 5),
    )
    page = client_of(market_admin).get(reverse("hub:export_job", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "export it again" in page.content.decode()
