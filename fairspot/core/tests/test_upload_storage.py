"""Uploads are kept by digest with no extension, readable by their owner only; rejected ones are deleted."""

import hashlib
import stat
from pathlib import Path

import pytest
from django.urls import reverse

from fairspot.core.jobs import discard_upload
from fairspot.core.models import ImportJob, JobStatus
from fairspot.testing.directory import row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def import_dir(settings, tmp_path):
    settings.FAIRSPOT_IMPORT_DIR = tmp_path / "imports"
    return settings.FAIRSPOT_IMPORT_DIR


def upload(client, path):
    with path.open("rb") as handle:
        return client.post(reverse("hub:import_start", args=["targets"]), {"file": handle}, follow=True)


def test_accepted_upload_is_named_by_digest_without_extension_and_mode_0600(
    client, market_admin, tmp_path, import_dir
):
    client.force_login(market_admin)
    good = write_csv(tmp_path / "企业名单.csv", [row()])
    upload(client, good)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.DONE
    files = [p for p in import_dir.iterdir()]
    assert [p.name for p in files] == [hashlib.sha256(good.read_bytes()).hexdigest()]
    assert job.stored_path == str(files[0])
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(import_dir.stat().st_mode) == 0o700


def test_rejected_upload_is_deleted(client, market_admin, tmp_path, import_dir):
    client.force_login(market_admin)
    bad = write_csv(tmp_path / "企业名单.csv", [row(成立日期="2021-02-30")])
    upload(client, bad)
    assert ImportJob.objects.get().status == JobStatus.FAILED
    assert list(import_dir.iterdir()) == []


def test_rejected_copy_does_not_delete_an_accepted_upload_of_the_same_bytes(
    client, market_admin, tmp_path, import_dir
):
    good = write_csv(tmp_path / "企业名单.csv", [row()])
    client.force_login(market_admin)
    upload(client, good)
    done = ImportJob.objects.get()
    rejected = ImportJob.objects.create(
        kind="targets",
        file_name="x.csv",
        created_by=market_admin,
        department_id=market_admin.department_id,
        size=1,
        stored_path=done.stored_path,
        status=JobStatus.FAILED,
    )
    discard_upload(rejected)
    assert Path(done.stored_path).exists()
    done.delete()
    discard_upload(rejected)
    assert not Path(rejected.stored_path).exists()
