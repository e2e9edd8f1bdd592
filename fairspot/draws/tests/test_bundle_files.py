"""A new draw's files reach their place only when the transaction that records the draw commits."""

import gc

import pytest
from django.db import transaction

from fairspot.core.errors import DomainError
from fairspot.draw import DrawError, verify_bundle
from fairspot.draws import files, services
from fairspot.draws.models import Draw
from fairspot.testing.draws import CEREMONY, make_task

pytestmark = pytest.mark.django_db


def test_committed_bundle_is_promoted_on_commit(market_admin, district, django_capture_on_commit_callbacks):
    task = make_task(market_admin, district)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
        staged = files.draw_dir(draw.draw_id)
        final = files.draws_root() / draw.draw_id
        # inside the transaction the bundle is in staging, readable by the rest of the transaction
        assert staged.parent == files.staging_root() and not final.exists()
        assert verify_bundle(staged / "targets", manifest_digest=draw.manifest_digest).ok
    for callback in callbacks:
        callback()
    assert final.is_dir() and not staged.exists()
    assert files.draw_dir(draw.draw_id) == final
    assert verify_bundle(final / "targets", manifest_digest=draw.manifest_digest).ok


def test_rolled_back_commit_leaves_no_files_and_the_draw_can_be_made_again(market_admin, district):
    task = make_task(market_admin, district)
    with pytest.raises(RuntimeError), transaction.atomic():
        draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
        staged = files.draw_dir(draw.draw_id)
        assert staged.is_dir()
        raise RuntimeError("an enclosing step fails after the commit")
    gc.collect()  # CPython frees the dropped callback at once; collect in case another runtime does not
    assert not staged.exists()
    assert not (files.draws_root() / draw.draw_id).exists()
    assert not Draw.objects.exists()
    again = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    assert again.draw_id == draw.draw_id  # not refused as "files already exist on the server"
    assert verify_bundle(files.draw_dir(again.draw_id) / "targets", manifest_digest=again.manifest_digest).ok


def test_refused_commit_removes_its_staging(market_admin, district, monkeypatch):
    task = make_task(market_admin, district)
    seen = []

    def refusing(directory, spec, rows):
        directory.mkdir(parents=True)
        (directory / "manifest.json").write_text("half written")
        seen.append(directory)
        raise DrawError("the engine refuses the population")

    monkeypatch.setattr(services, "commit_bundle", refusing)
    with pytest.raises(DomainError, match="refuses the population"):
        services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    assert seen and seen[0].parent.parent == files.staging_root()
    assert list(files.staging_root().iterdir()) == []
    assert not Draw.objects.exists()
