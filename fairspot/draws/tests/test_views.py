"""The draw pages: commit from the task page, enter sources, reveal, download and verify the bundle."""

import io
import subprocess
import sys
import zipfile

import pytest
from django.urls import reverse

from fairspot.draws.models import Draw, DrawStatus
from fairspot.testing.draws import VALUE, make_task

pytestmark = pytest.mark.django_db


def test_commit_enter_reveal_download_and_verify(client, market_admin, colleague, district, tmp_path):
    task = make_task(market_admin, district)
    client.force_login(market_admin)
    page = client.get(reverse("draws:task", args=[task.pk])).content.decode()
    assert "Population preview" in page and "Deregistered (注销): 1" in page
    response = client.post(reverse("draws:task", args=[task.pk]), {"ceremony": "dice before two witnesses"})
    draw = Draw.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/draws/{draw.draw_id}/")
    assert draw.manifest_digest in client.get(response["Location"]).content.decode()

    client.post(reverse("draws:source_enter", args=[draw.draw_id]), {"name": "ceremony", "value": VALUE})
    client.force_login(colleague)
    client.post(reverse("draws:source_enter", args=[draw.draw_id]), {"name": "ceremony", "value": VALUE})
    client.post(reverse("draws:reveal", args=[draw.draw_id]))
    draw.refresh_from_db()
    assert draw.status == DrawStatus.REVEALED
    page = client.get(reverse("draws:draw", args=[draw.draw_id])).content.decode()
    first = draw.drawn.filter(alternate=False).select_related("target").first()
    assert first.target.identifier in page and draw.seed in page

    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("draws:bundle", args=[draw.draw_id])).content))
    archive.extractall(tmp_path)
    for part, digest in (("targets", draw.manifest_digest), ("teams", draw.matching_digest)):
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "fairspot.draw",
                "verify",
                str(tmp_path / draw.draw_id / part),
                "--manifest-digest",
                digest,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stdout + run.stderr
    assert (
        "Everything reproduces" in client.get(reverse("draws:verify", args=[draw.draw_id])).content.decode()
    )


def test_other_department_sees_no_draw(client, market_admin, fire_admin, district):
    task = make_task(market_admin, district)
    client.force_login(market_admin)
    client.post(reverse("draws:task", args=[task.pk]), {"ceremony": "dice"})
    draw = Draw.objects.get()
    client.force_login(fire_admin)
    assert client.get(reverse("draws:draw", args=[draw.draw_id])).status_code == 404
    assert client.get(reverse("draws:task", args=[task.pk])).status_code == 404
    assert client.post(reverse("draws:reveal", args=[draw.draw_id])).status_code == 404


def test_commit_needs_a_source(client, market_admin, district):
    task = make_task(market_admin, district)
    client.force_login(market_admin)
    page = client.post(reverse("draws:task", args=[task.pk]), {})
    assert page.status_code == 200 and not Draw.objects.exists()


def test_task_list_exports_to_excel_and_csv(client, market_admin, fire_admin, district):
    make_task(market_admin, district)
    client.force_login(market_admin)
    body = csv_body(client.get(reverse("draws:tasks"), {"export": "csv"}))
    assert "T-1" in body and "第一批" in body
    response = client.get(reverse("draws:tasks"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(fire_admin)
    body = csv_body(client.get(reverse("draws:tasks"), {"export": "csv"}))
    assert "T-1" not in body


def csv_body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")
