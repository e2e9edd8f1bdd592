"""The daily reminders task: reports due for a plenary, ledger items due soon or overdue."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from fairspot.council import services
from fairspot.council.models import LedgerItem, Reminder, ReminderKind
from fairspot.council.tasks import remind_council
from fairspot.hub.periodic import SCHEDULES
from fairspot.testing import council as helpers

pytestmark = pytest.mark.django_db


def test_the_task_is_queued_daily():
    assert remind_council in SCHEDULES["daily"]


def test_overdue_and_due_items_remind_their_units_administrators(
    market_item, fire_item, market_admin, fire_admin
):
    market_admin.email = "m@example.org"
    market_admin.save()
    today = timezone.localdate()
    LedgerItem.objects.filter(pk=market_item.pk).update(due_date=today - timedelta(days=3))
    LedgerItem.objects.filter(pk=fire_item.pk).update(due_date=today)
    result = remind_council.enqueue().return_value
    assert result == {"written": 3, "mailed": 1, "failed": 0}  # market: its administrator and the convenor
    assert Reminder.objects.get(user=market_admin).kind == ReminderKind.ITEM_OVERDUE
    assert Reminder.objects.get(user=fire_admin).kind == ReminderKind.ITEM_DUE
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["m@example.org"]
    again = remind_council.enqueue().return_value  # the same day: nothing new, nothing mailed twice
    assert again == {"written": 0, "mailed": 0, "failed": 0}


def test_units_without_their_progress_report_are_reminded(
    council, office, market_admin, fire_admin, departments
):
    today = timezone.localdate()
    meeting = helpers.plenary(office, starts=today + timedelta(days=3), topics_by=today)
    services.report_submit(
        actor=fire_admin, meeting=meeting, department=departments["fire"], progress="已完成"
    )
    services.send_reminders(today=today, within=5)
    assert set(Reminder.objects.values_list("user__username", "kind")) == {
        ("market", ReminderKind.REPORT_DUE),
        ("convenor", ReminderKind.REPORT_DUE),
    }


def test_a_done_item_is_not_reminded(market_item, market_admin):
    services.item_progress(actor=market_admin, item=market_item, text="完成", status="done")
    LedgerItem.objects.filter(pk=market_item.pk).update(due_date=timezone.localdate() - timedelta(days=3))
    assert services.send_reminders(today=timezone.localdate())["written"] == 0
