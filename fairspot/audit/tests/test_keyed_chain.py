"""The keyed chain and its anchors resist a forger who can write to the database."""

import os
import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from fairspot.audit.anchors import anchor_path, audit_key, read_anchors
from fairspot.audit.models import AuditEntry, PublishedAnchor
from fairspot.audit.publishing import publish_head
from fairspot.audit.services import GENESIS, _hashed_fields, entry_digest, legacy_digest, record
from fairspot.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _write(actor, n, capture, start=0):
    for i in range(start, start + n):
        with capture(execute=True), transaction.atomic():
            record(actor, "test.thing.changed", object_type="test.thing", object_id=str(i), data={"i": i})


def _rechain(from_id, digest):
    """What a forger does: rewrite every hash from ``from_id`` on with ``digest``."""
    entries = list(AuditEntry.objects.order_by("id"))
    prev = GENESIS
    for entry in entries:
        if entry.id >= from_id:
            new = digest(prev, _hashed_fields(entry))
            AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=prev, entry_hash=new)
            prev = new
        else:
            prev = entry.entry_hash


def _run_verify(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_every_commit_is_anchored_in_a_private_file(office, django_capture_on_commit_callbacks):
    _write(office, 3, django_capture_on_commit_callbacks)
    anchors, problems = read_anchors(anchor_path())
    entries = list(AuditEntry.objects.order_by("id").values_list("id", "entry_hash"))
    assert not problems
    assert [(a.entry_id, a.digest) for a in anchors] == entries
    assert stat.S_IMODE(os.stat(anchor_path()).st_mode) == 0o600
    assert _run_verify()[0] == 0


def test_entries_are_keyed(office):
    with transaction.atomic():
        record(office, "test.thing.changed")
    entry = AuditEntry.objects.get()
    fields = _hashed_fields(entry)
    assert entry.entry_hash == entry_digest(GENESIS, fields, audit_key())
    assert entry.entry_hash != legacy_digest(GENESIS, fields)
    assert entry.entry_hash != entry_digest(GENESIS, fields, b"another key of sixteen bytes")


def test_deleting_the_newest_entries_is_caught(office, django_capture_on_commit_callbacks):
    _write(office, 6, django_capture_on_commit_callbacks)
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    AuditEntry.objects.filter(id__gte=ids[3]).delete()  # a queryset delete bypasses the model's guard
    assert verify_chain().ok is False
    code, _out, err = _run_verify()
    assert code == 1
    assert f"FAILED at entry {ids[3]}" in err and "missing at the end" in err and str(ids[2]) in err


def test_rechaining_with_the_stolen_key_is_caught_by_the_anchors(office, django_capture_on_commit_callbacks):
    _write(office, 5, django_capture_on_commit_callbacks)
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    AuditEntry.objects.filter(pk=ids[2]).update(data={"i": 999})
    _rechain(ids[2], lambda prev, fields: entry_digest(prev, fields, audit_key()))
    report = verify_chain()
    assert not report.ok and report.first_bad_id == ids[2] and "recomputed" in report.reason
    code, _, err = _run_verify()
    assert code == 1 and f"entry {ids[2]}" in err


def test_rechaining_without_the_key_is_caught_at_the_edited_entry(office):
    with transaction.atomic():
        for i in range(4):
            record(office, "test.thing.changed", object_id=str(i))
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    AuditEntry.objects.filter(pk=ids[1]).update(data={"forged": True})
    _rechain(ids[1], legacy_digest)  # the old, unkeyed scheme: no anchors needed to catch it
    report = verify_chain()
    assert not report.ok and report.first_bad_id == ids[1] and "changed" in report.reason


def test_old_unkeyed_entries_still_verify_but_not_after_a_keyed_one(office):
    with transaction.atomic():
        for i in range(3):
            record(office, "test.thing.changed", object_id=str(i))
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    _rechain(ids[0], legacy_digest)  # as written before the keyed chain existed
    with transaction.atomic():
        record(office, "test.thing.changed", object_id="keyed")
    report = verify_chain()
    assert report.ok and report.legacy == 3 and report.checked == 4
    with transaction.atomic():
        record(office, "test.thing.changed", object_id="last")
    last = AuditEntry.objects.order_by("-id").first()
    _rechain(last.id, legacy_digest)  # a downgrade after a keyed entry is a forgery
    report = verify_chain()
    assert not report.ok and report.first_bad_id == last.id


def test_daily_head_is_published_once_and_checked(office, settings, tmp_path):
    settings.FAIRSPOT_AUDIT_ANCHOR_FILE = tmp_path / "none"  # only the published heads witness here
    with transaction.atomic():
        record(office, "test.thing.changed")
    head = AuditEntry.objects.get()
    anchor, new = publish_head()
    assert new and (anchor.entry_id, anchor.digest, anchor.entries) == (head.id, head.entry_hash, 1)
    assert publish_head() == (anchor, False)
    assert PublishedAnchor.objects.count() == 1
    assert AuditEntry.objects.filter(action="audit.head.published").count() == 1
    AuditEntry.objects.all().delete()
    report = verify_chain()
    assert not report.ok and report.first_bad_id == head.id and "published" in report.reason


def test_verify_reads_copies_of_anchors_kept_elsewhere(office, tmp_path):
    with transaction.atomic():
        for i in range(3):
            record(office, "test.thing.changed", object_id=str(i))
    entries = list(AuditEntry.objects.order_by("id").values_list("id", "entry_hash"))
    copy = tmp_path / "kept.txt"
    copy.write_text("".join(f"{i} {h}\n" for i, h in entries))
    assert _run_verify("--anchors", str(copy))[0] == 0
    AuditEntry.objects.filter(pk=entries[-1][0]).delete()
    code, _, err = _run_verify("--anchors", str(copy))
    assert code == 1 and "kept.txt line 3" in err
    with pytest.raises(CommandError, match="absent"):
        _run_verify("--anchors", str(tmp_path / "absent"))


def test_audit_anchor_command_prints_the_head(office):
    out = StringIO()
    call_command("audit_anchor", stdout=out)
    assert "empty" in out.getvalue()
    with transaction.atomic():
        record(office, "test.thing.changed")
    call_command("audit_anchor", stdout=out)
    assert AuditEntry.objects.order_by("id").first().entry_hash in out.getvalue()
