"""The audit log is append-only and a hash chain reveals any edited or deleted entry."""

import pytest
from django.db import connection, transaction

from fairspot.audit.models import AuditEntry, AuditLogError
from fairspot.audit.selectors import verify_chain
from fairspot.audit.services import record

pytestmark = pytest.mark.django_db


def _three_entries(actor):
    with transaction.atomic():
        for n in range(3):
            record(
                actor,
                "test.thing.changed",
                object_type="test.thing",
                object_id=str(n),
                changes={"x": [n, n + 1]},
            )


def test_chain_verifies(office):
    _three_entries(office)
    report = verify_chain()
    assert report.ok and report.checked == 3


def test_orm_refuses_update_and_delete(office):
    _three_entries(office)
    entry = AuditEntry.objects.first()
    entry.action = "tampered"
    with pytest.raises(AuditLogError):
        entry.save()
    with pytest.raises(AuditLogError):
        entry.delete()


def test_edited_entry_is_detected(office):
    _three_entries(office)
    middle = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=middle.pk).update(changes={"x": [0, 99]})  # bypasses the model's guard
    report = verify_chain()
    assert not report.ok and report.first_bad_id == middle.pk and "changed" in report.reason


def test_deleted_entry_is_detected(office):
    _three_entries(office)
    middle = AuditEntry.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [middle.pk])
    report = verify_chain()
    assert not report.ok and "missing" in report.reason


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_writing_outside_a_transaction_is_refused(office):
    with pytest.raises(RuntimeError):
        record(office, "test.thing.changed")
