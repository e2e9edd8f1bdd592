"""The task page's population preview: counted once per task and data stamp, counted again after any
change to the data it depends on (saves, imports, raw credit updates), by the worker when large."""

import pytest
from django.urls import reverse

from fairspot.core import versions
from fairspot.credit.services import update_rows
from fairspot.directory.importers import TargetImporter
from fairspot.directory.models import Target
from fairspot.draws import preview as preview_module
from fairspot.testing.directory import row, write_csv
from fairspot.testing.draws import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch):
    """How many times the population was counted."""
    calls = []
    real = preview_module.summarize

    def counting(task, progress=None):
        calls.append(task.pk)
        return real(task, progress)

    monkeypatch.setattr(preview_module, "summarize", counting)
    return calls


def _page(client, task) -> str:
    return client.get(reverse("draws:task", args=[task.pk])).content.decode()


def test_the_second_view_reads_the_counts_kept(client, market_admin, district, counted):
    task = make_task(market_admin, district)
    client.force_login(market_admin)
    first, second = _page(client, task), _page(client, task)
    assert counted == [task.pk]
    assert "60 targets in scope, 1 of them excluded." in first
    assert "60 targets in scope, 1 of them excluded." in second and "Counted at" in second


def test_a_change_to_a_target_is_counted_again(client, market_admin, district, counted):
    task = make_task(market_admin, district)
    client.force_login(market_admin)
    assert "1 of them excluded." in _page(client, task)
    target = Target.objects.filter(status="active").first()
    target.status = "revoked"
    target.save()
    assert "60 targets in scope, 2 of them excluded." in _page(client, task)
    assert counted == [task.pk, task.pk]


def test_an_import_and_a_raw_credit_update_make_a_new_stamp(tmp_path, departments, district):
    before = versions.current()
    report = TargetImporter(actor=None, options={"department_id": departments["market"].pk}).run(
        write_csv(tmp_path / "in.csv", [row()])
    )
    assert report.ok, report.errors
    after_import = versions.current()
    assert after_import != before
    target = Target.objects.first()
    target.risk_class = "D"
    update_rows(Target, ["risk_class"], [target])
    assert versions.current() != after_import


def test_a_failed_import_keeps_the_stamp(tmp_path, departments, district):
    before = versions.current()
    report = TargetImporter(actor=None, options={"department_id": departments["market"].pk}).run(
        write_csv(tmp_path / "bad.csv", [row(统一社会信用代码="not a code")])
    )
    assert not report.ok
    assert versions.current() == before


def test_a_large_directory_is_counted_by_the_worker(
    client, market_admin, district, counted, settings, django_capture_on_commit_callbacks
):
    settings.FAIRSPOT_JOBS_INLINE = False
    settings.FAIRSPOT_PREVIEW_INLINE_ROWS = 10  # the district has 60 targets
    task = make_task(market_admin, district)
    client.force_login(market_admin)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        page = _page(client, task)
    assert "being counted in the background" in page and "data-reload-after" in page
    assert "Commit the draw" in page  # the officer can still commit: the commit counts for itself
    assert len(queued) == 1 and counted == [task.pk]  # the test backend ran the queued job at once
    with django_capture_on_commit_callbacks(execute=True) as queued_again:
        page = _page(client, task)
    assert not queued_again and "60 targets in scope, 1 of them excluded." in page


def test_a_job_for_older_data_counts_nothing(market_admin, district, counted):
    task = make_task(market_admin, district)
    stamp = versions.current()
    Target.objects.filter(status="active").first().save()  # the data change after the job was queued
    assert preview_module.count_population.call(task.pk, stamp) == "stale"
    assert counted == []


def test_many_writes_in_one_transaction_set_the_stamp_a_few_times(district, monkeypatch):
    from django.db import connection

    sets = []
    real = versions._set_new
    monkeypatch.setattr(versions, "_set_new", lambda names: (sets.append(names), real(names)))
    connection.run_on_commit.clear()  # the fixtures' writes: this test starts a transaction's writes
    for target in Target.objects.all()[:20]:
        target.save()
    assert len(sets) == 1  # the first write; the rest wait for the commit
    versions.current()
    Target.objects.first().save()
    assert len(sets) == 2  # a write after a read in this process sets it again
    Target.objects.last().save()
    assert len(sets) == 2


def test_a_savepoint_rolled_back_does_not_swallow_the_commit_stamp(district):
    from django.db import connection, transaction

    def pending():  # stamps that the commit of the test's transaction would set
        alive = set(connection.savepoint_ids)
        return [cb for sids, cb, _ in connection.run_on_commit if hasattr(cb, "stamps") and sids <= alive]

    connection.run_on_commit.clear()  # the fixtures' writes
    try:
        with transaction.atomic():
            Target.objects.first().save()
            raise RuntimeError
    except RuntimeError:
        pass
    assert pending() == []  # rolled back with its savepoint
    Target.objects.last().save()
    assert len(pending()) == 1  # so this write registers its own
