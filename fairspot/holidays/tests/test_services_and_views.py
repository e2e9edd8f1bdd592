"""Editing the calendar: who may, validation, audit entries, the list page, export and the admin."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from fairspot.accounts.models import User
from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.holidays import services
from fairspot.holidays.models import CalendarDay, CalendarYear, DayKind, Source
from fairspot.holidays.testing import enter_statutory_schedule

pytestmark = pytest.mark.django_db

LOCAL_DAY = {"date": date(2025, 10, 13), "kind": DayKind.HOLIDAY, "name": "区级停工日", "note": "区政府通知"}


def test_office_and_sysadmin_may_edit_others_may_not(office, market_admin, fire_admin, market_inspector):
    sysadmin = User.objects.create_user("sys", password="pw", role="sysadmin")
    day = services.day_create(actor=office, values=LOCAL_DAY)
    services.day_change(actor=sysadmin, day=day, values={"note": "复核"})
    national = CalendarDay.objects.get(date=date(2025, 10, 1))
    for user in (market_admin, fire_admin, market_inspector):
        with pytest.raises(PermissionDenied):
            services.day_create(actor=user, values={**LOCAL_DAY, "date": date(2025, 10, 14)})
        with pytest.raises(PermissionDenied):
            services.day_change(actor=user, day=national, values={"name": "x"})
        with pytest.raises(PermissionDenied):
            services.day_delete(actor=user, day=national)
        with pytest.raises(PermissionDenied):
            services.year_declare(actor=user, year=2027)
    assert CalendarDay.objects.get(date=date(2025, 10, 1)).name == "国庆节"


def test_every_change_is_audited(office):
    day = services.day_create(actor=office, values=LOCAL_DAY)
    services.day_change(actor=office, day=day, values={"name": "区级停工日（防汛）"})
    services.day_change(actor=office, day=day, values={"name": "区级停工日（防汛）"})  # no change, no entry
    national = CalendarDay.objects.get(date=date(2025, 10, 6))
    services.day_change(actor=office, day=national, values={"name": "国庆节、中秋节"})
    services.day_delete(actor=office, day=CalendarDay.objects.get(pk=day.pk))
    entered = len(enter_statutory_schedule(office, 2027))
    year = services.year_declare(actor=office, year=2027, note="待国办通知").calendar_year
    services.year_withdraw(actor=office, calendar_year=year)
    entries = [e for e in AuditEntry.objects.order_by("id") if not e.action.startswith("auth.")]
    del entries[4 : 4 + entered]  # the schedule's days
    assert [e.action for e in entries] == [
        "holidays.day.created",
        "holidays.day.changed",
        "holidays.day.changed",
        "holidays.day.deleted",
        "holidays.year.declared",
        "holidays.year.withdrawn",
    ]
    assert all(e.actor_id == office.pk for e in entries)
    assert (
        entries[0].changes["date"] == [None, "2025-10-13"]
        and entries[0].object_type == "holidays.calendarday"
    )
    assert entries[1].changes == {"name": ["区级停工日", "区级停工日（防汛）"]}
    # a package row that is changed by hand becomes a manual row
    assert entries[2].changes == {
        "name": ["中秋节", "国庆节、中秋节"],
        "source": ["chinese_calendar", "manual"],
    }
    assert entries[3].changes["name"] == ["区级停工日（防汛）", None]


def test_kind_must_fit_the_weekday(office):
    with pytest.raises(DomainError) as raised:
        services.day_create(actor=office, values={**LOCAL_DAY, "date": date(2025, 10, 18)})  # a Saturday
    assert raised.value.field == "kind"
    with pytest.raises(DomainError):
        services.day_create(actor=office, values={**LOCAL_DAY, "kind": DayKind.WORKDAY})  # a Monday
    with pytest.raises(DomainError):  # one row per date
        services.day_create(actor=office, values={**LOCAL_DAY, "date": date(2025, 10, 1)})


def test_years_from_the_package_cannot_be_withdrawn(office):
    with pytest.raises(DomainError):
        services.year_withdraw(actor=office, calendar_year=CalendarYear.objects.get(year=2025))
    with pytest.raises(DomainError):
        services.year_declare(actor=office, year=2025)


def test_list_page_for_everyone_with_filters(client, market_inspector):
    client.force_login(market_inspector)
    page = client.get(reverse("holidays:list"), {"year": "2025", "kind": "workday"})
    assert page.status_code == 200
    listed = [d.date for d in page.context["page"]]
    expected = [(1, 26), (2, 8), (4, 27), (9, 28), (10, 11)]
    assert listed == [date(2025, m, d) for m, d in expected]
    html = page.content.decode()
    assert reverse("holidays:create") not in html and "Delete" not in html
    assert client.get(reverse("holidays:list")).context["year"] == str(date.today().year)
    everything = client.get(reverse("holidays:list"), {"year": "all", "q": "春节"})
    assert everything.context["page"].paginator.count == CalendarDay.objects.filter(name="春节").count()


def test_deadline_calculator(client, market_admin):
    client.force_login(market_admin)
    html = client.get(reverse("holidays:list"), {"start": "2025-09-26", "n": "20"}).content.decode()
    assert "<b>2025-10-30</b>" in html
    html = client.get(reverse("holidays:list"), {"start": "2026-12-10", "n": "20"}).content.decode()
    assert "<b>2027-01-08</b>" in html and "暂定" in html


def test_export_csv_and_xlsx(client, market_admin):
    client.force_login(market_admin)
    response = client.get(reverse("holidays:list"), {"year": "2026", "kind": "workday", "export": "csv"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["日期", "星期", "类型", "名称", "来源", "备注"]
    assert table[1:3] == [
        ["2026-01-04", "星期日", "调休上班日", "元旦", "chinese-calendar", ""],
        ["2026-02-14", "星期六", "调休上班日", "春节", "chinese-calendar", ""],
    ]
    assert len(table) == 1 + 6
    response = client.get(reverse("holidays:list"), {"year": "2026", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 1 + CalendarDay.objects.filter(date__year=2026).count()
    assert [c.value for c in sheet[2]][:4] == ["2026-01-01", "星期四", "法定节假日", "元旦"]


def test_department_admin_gets_403_on_every_write(client, market_admin):
    client.force_login(market_admin)
    day = CalendarDay.objects.get(date=date(2025, 10, 1))
    assert client.get(reverse("holidays:create")).status_code == 403
    assert client.post(reverse("holidays:create"), {**LOCAL_DAY}).status_code == 403
    assert client.get(reverse("holidays:edit", args=[day.pk])).status_code == 403
    assert client.post(reverse("holidays:delete", args=[day.pk])).status_code == 403
    assert client.post(reverse("holidays:year_add"), {"year": 2027}).status_code == 403
    year = CalendarYear.objects.create(year=2027)
    assert client.post(reverse("holidays:year_remove", args=[year.pk])).status_code == 403
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    assert not AuditEntry.objects.exclude(action__startswith="auth.").exists()  # only the login


def test_office_edits_through_the_pages(client, office):
    client.force_login(office)
    assert reverse("holidays:create") in client.get(reverse("holidays:list")).content.decode()
    response = client.post(reverse("holidays:create"), {**LOCAL_DAY, "date": "2025-10-13"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2025")
    day = CalendarDay.objects.get(date=date(2025, 10, 13))
    assert (day.kind, day.source) == (DayKind.HOLIDAY, Source.MANUAL)

    saturday = client.post(reverse("holidays:create"), {**LOCAL_DAY, "date": "2025-10-18"})
    assert saturday.status_code == 200 and saturday.context["form"].errors["kind"]

    edit = client.get(reverse("holidays:edit", args=[day.pk]))
    assert edit.status_code == 200 and "holidays.day.created" in edit.content.decode()
    client.post(
        reverse("holidays:edit", args=[day.pk]), {**LOCAL_DAY, "date": "2025-10-13", "name": "停工日"}
    )
    assert CalendarDay.objects.get(pk=day.pk).name == "停工日"

    client.post(reverse("holidays:delete", args=[day.pk]))
    assert not CalendarDay.objects.filter(pk=day.pk).exists()

    client.post(reverse("holidays:year_add"), {"year": 2027, "note": "国办通知"})
    assert not CalendarYear.objects.filter(year=2027).exists()  # no schedule entered: refused
    entered = len(enter_statutory_schedule(office, 2027))
    client.post(reverse("holidays:year_add"), {"year": 2027, "note": "国办通知"})
    year = CalendarYear.objects.get(year=2027)
    assert year.source == Source.MANUAL
    client.post(reverse("holidays:year_remove", args=[year.pk]))
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert AuditEntry.objects.exclude(action__startswith="auth.").count() == 5 + entered


def test_django_admin_is_read_only(client):
    root = User.objects.create_superuser("root", password="pw")
    client.force_login(root)
    day = CalendarDay.objects.get(date=date(2025, 10, 1))
    assert client.get(reverse("admin:holidays_calendarday_changelist")).status_code == 200
    assert client.get(reverse("admin:holidays_calendaryear_changelist")).status_code == 200
    assert client.get(reverse("admin:holidays_calendarday_add")).status_code == 403
    delete = client.post(reverse("admin:holidays_calendarday_delete", args=[day.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert CalendarDay.objects.filter(pk=day.pk).exists()


def test_date_inputs_are_iso_in_chinese(client, office, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(office)
    day = CalendarDay.objects.get(date=date(2025, 10, 1))
    assert 'value="2025-10-01"' in client.get(reverse("holidays:edit", args=[day.pk])).content.decode()
    html = client.get(reverse("holidays:list")).content.decode()
    assert f'name="start" value="{date.today().isoformat()}"' in html
