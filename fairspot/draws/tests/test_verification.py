"""The draw page's *Verify* and the diligence record: a small draw is computed again at once; a large one
(a province's) by the worker, its reports kept for the files as they are, and computed again when any
stored file changes."""

import pytest
from django.urls import reverse

from fairspot.draws import verification as verification_module
from fairspot.draws.files import draw_dir

pytestmark = pytest.mark.django_db


def _page(client, draw) -> str:
    return client.get(reverse("draws:verify", args=[draw.draw_id])).content.decode()


def test_a_small_draw_is_verified_at_once_in_words(client, market_admin, draw):
    client.force_login(market_admin)
    page = _page(client, draw)
    assert "Targets drawn" in page and "Teams matched" in page
    assert page.count("Everything reproduces.") == 2 and "Mismatch" not in page
    assert "<details>" in page and "manifest sha256" in page  # the verifier's own lines, folded


@pytest.fixture
def large(settings, monkeypatch):
    """Every draw counts as large; how many times the verifier ran."""
    settings.FAIRSPOT_JOBS_INLINE = False
    settings.FAIRSPOT_REVEAL_INLINE_ROWS = 10  # the district's draw has 59 targets in its frame
    runs = []
    real = verification_module.verify

    def counting(draw):
        runs.append(draw.pk)
        return real(draw)

    monkeypatch.setattr(verification_module, "verify", counting)
    return runs


def test_a_large_draw_is_verified_by_the_worker_and_kept(
    client, market_admin, draw, large, django_capture_on_commit_callbacks
):
    client.force_login(market_admin)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        page = _page(client, draw)
    assert "being computed again in the background" in page and "data-reload-after" in page
    assert len(queued) == 1 and large == [draw.pk]  # the test backend ran the queued job at once
    with django_capture_on_commit_callbacks(execute=True) as queued_again:
        page = _page(client, draw)
    assert not queued_again and large == [draw.pk]  # kept: not computed again
    assert page.count("Everything reproduces.") == 2 and "Computed again at" in page


def test_a_changed_file_is_verified_again(
    client, market_admin, draw, large, django_capture_on_commit_callbacks
):
    client.force_login(market_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _page(client, draw)
    result = draw_dir(draw.draw_id) / "targets" / "result.json"
    result.write_bytes(result.read_bytes().replace(b'"alternates_total"', b'"alternates_total" '))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        _page(client, draw)
    assert len(queued) == 1 and large == [draw.pk, draw.pk]
    page = _page(client, draw)
    assert "do not give the same result when computed again" in page
    assert "Mismatch:" in page and "result.json" in page  # where, for whoever checks


def test_a_job_for_files_since_changed_does_nothing(draw, large):
    assert verification_module.verify_draw.call(draw.pk, "0" * 64) == "stale"
    assert large == []


def test_the_diligence_record_says_a_large_draw_is_being_verified(
    client, office, visit, large, django_capture_on_commit_callbacks
):
    client.force_login(office)
    url = reverse("stats:diligence", args=[visit.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        page = client.get(url).content.decode()
    assert "Being re-computed from the stored files in the background" in page
    for job in queued:  # the worker's turn
        job()
    assert "Re-computed from the stored files: everything reproduces." in client.get(url).content.decode()
