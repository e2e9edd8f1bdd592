"""The web import: upload, the report of bad rows, fix and upload again, export to Excel."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fairspot.core.models import ImportJob, JobStatus
from fairspot.directory.models import Target
from fairspot.testing.directory import row, write_csv

pytestmark = pytest.mark.django_db


def upload(client, kind, path):
    with path.open("rb") as handle:
        return client.post(reverse("hub:import_start", args=[kind]), {"file": handle}, follow=True)


def test_newcomer_path_bad_row_then_fix_then_export(client, market_admin, tmp_path):
    client.force_login(market_admin)
    bad = write_csv(tmp_path / "企业名单.csv", [row(), row(成立日期="2021-02-30")])
    page = upload(client, "targets", bad)
    assert page.status_code == 200
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    html = page.content.decode()
    assert "成立日期" in html and "<td>3</td>" in html
    assert Target.objects.count() == 0

    errors = client.get(reverse("hub:import_report", args=[job.pk, "xlsx"]))
    sheet = load_workbook(filename=__import__("io").BytesIO(b"".join(errors.streaming_content))).active
    assert [c.value for c in sheet[2]][:2] == [3, "成立日期"]

    good = write_csv(tmp_path / "企业名单2.csv", [row(), row(成立日期="2021-02-28")])
    upload(client, "targets", good)
    assert ImportJob.objects.filter(status=JobStatus.DONE).count() == 1
    assert Target.objects.count() == 2
    assert all(t.department_id == market_admin.department_id for t in Target.objects.all())

    found = client.get(reverse("directory:list"), {"q": Target.objects.first().identifier}, follow=True)
    assert (
        found.redirect_chain and Target.objects.first().name in found.content.decode()
    )  # the full code opens it
    export = client.get(reverse("directory:list"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(filename=__import__("io").BytesIO(b"".join(export.streaming_content))).active
    assert sheet.max_row == 3


def test_progress_endpoint_reports_finished_job(client, market_admin, tmp_path):
    client.force_login(market_admin)
    upload(client, "targets", write_csv(tmp_path / "a.csv", [row()]))
    job = ImportJob.objects.get()
    data = client.get(reverse("hub:import_progress", args=[job.pk])).json()
    assert data["status"] == "done" and data["percent"] == 100


def test_other_users_cannot_see_an_import_job(client, market_admin, fire_admin, tmp_path):
    client.force_login(market_admin)
    upload(client, "targets", write_csv(tmp_path / "a.csv", [row()]))
    job = ImportJob.objects.get()
    client.force_login(fire_admin)
    assert client.get(reverse("hub:import_job", args=[job.pk])).status_code == 404


def test_inspector_role_may_not_import(client, market_inspector, tmp_path):
    client.force_login(market_inspector)
    assert client.get(reverse("hub:import_start", args=["targets"])).status_code == 403


def test_empty_upload_is_refused_by_the_form(client, market_admin, tmp_path):
    client.force_login(market_admin)
    path = tmp_path / "e.csv"
    path.write_bytes(b"")
    page = upload(client, "targets", path)
    assert ImportJob.objects.count() == 0
    assert page.status_code == 200


@pytest.mark.parametrize("kind,fmt", [("targets", "xlsx"), ("inspectors", "csv"), ("items", "xlsx")])
def test_templates_download(client, market_admin, kind, fmt):
    client.force_login(market_admin)
    response = client.get(reverse("hub:import_template", args=[kind, fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')


def test_login_required_everywhere(client):
    for name in [
        "hub:dashboard",
        "directory:list",
        "inspectors:list",
        "items:list",
        "audit:list",
        "hub:imports",
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_import_history_exports(client, market_admin, tmp_path):
    client.force_login(market_admin)
    upload(client, "targets", write_csv(tmp_path / "名单.csv", [row()]))
    body = csv_body(client.get(reverse("hub:imports"), {"export": "csv"}))
    assert "名单.csv" in body and "targets" in body


def csv_body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_demo_district_loads_and_is_audited(db, tmp_path, settings):
    from django.core.management import call_command

    from fairspot.audit.models import AuditEntry
    from fairspot.audit.selectors import verify_chain

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path  # the demo's CSV files go to VAR_DIR/demo
    call_command("seed_demo", "--targets", "200", verbosity=0)
    entry = AuditEntry.objects.get(action="demo.district.loaded")
    assert "office" in entry.data["users"] and "SCJG" in entry.data["departments"]
    assert Target.objects.count() >= 200 and verify_chain().ok
