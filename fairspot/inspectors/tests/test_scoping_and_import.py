"""Inspectors: department staff see only their own; imports are all-or-nothing; changes are audited."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from fairspot.audit.models import AuditEntry
from fairspot.inspectors.importers import InspectorImporter
from fairspot.inspectors.models import Inspector
from fairspot.testing.directory import write_csv

pytestmark = pytest.mark.django_db

HEADER = [
    "工号",
    "姓名",
    "所属部门",
    "执法证号",
    "执法证有效期至",
    "资格类型",
    "驻地乡镇",
    "联系电话",
    "状态",
]


def person(**kw):
    values = {
        "工号": "SCJG-001",
        "姓名": "王测试",
        "所属部门": "SCJG",
        "执法证号": "豫410771000001",
        "执法证有效期至": (date.today() + timedelta(days=365)).isoformat(),
        "资格类型": "行政执法证；食品安全检查员",
        "驻地乡镇": "振中街道",
        "联系电话": "+86 373 1234567",
        "状态": "在岗",
    }
    values.update(kw)
    return [values[h] for h in HEADER]


@pytest.fixture
def two_inspectors(departments):
    a = Inspector.objects.create(department=departments["market"], staff_no="SCJG-100", name="甲")
    b = Inspector.objects.create(department=departments["fire"], staff_no="XFJY-100", name="乙")
    return a, b


def test_department_admin_sees_only_own_inspectors(client, market_admin, two_inspectors):
    client.force_login(market_admin)
    html = client.get(reverse("inspectors:list")).content.decode()
    assert "SCJG-100" in html and "XFJY-100" not in html
    assert client.get(reverse("inspectors:detail", args=[two_inspectors[1].pk])).status_code == 404
    assert client.get(reverse("inspectors:edit", args=[two_inspectors[1].pk])).status_code == 404


def test_office_sees_every_department(client, office, two_inspectors):
    client.force_login(office)
    html = client.get(reverse("inspectors:list")).content.decode()
    assert "SCJG-100" in html and "XFJY-100" in html


def test_inspector_role_reads_but_cannot_edit(client, market_inspector, two_inspectors):
    client.force_login(market_inspector)
    assert client.get(reverse("inspectors:detail", args=[two_inspectors[0].pk])).status_code == 200
    assert client.get(reverse("inspectors:edit", args=[two_inspectors[0].pk])).status_code == 403


def test_export_respects_scope(client, fire_admin, two_inspectors):
    client.force_login(fire_admin)
    body = b"".join(client.get(reverse("inspectors:list"), {"export": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    assert "XFJY-100" in body and "SCJG-100" not in body


def test_edit_through_the_web_is_audited(client, market_admin, two_inspectors):
    client.force_login(market_admin)
    inspector = two_inspectors[0]
    response = client.post(
        reverse("inspectors:edit", args=[inspector.pk]),
        {
            "staff_no": "SCJG-100",
            "name": "甲改",
            "certificate_no": "",
            "qualifications": "",
            "expertise": "",
            "phone": "",
            "status": "active",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="inspectors.inspector.changed")
    assert entry.changes["name"] == ["甲", "甲改"] and entry.actor == market_admin


def test_import_inspectors_and_reimport_updates(tmp_path, departments, office):
    report = InspectorImporter(actor=office).run(write_csv(tmp_path / "a.csv", [person()], header=HEADER))
    assert report.ok, report.errors
    inspector = Inspector.objects.get()
    assert inspector.posted_township_id == "410771560" and inspector.phone == "+86 373 1234567"
    assert inspector.qualification_list == ["行政执法证", "食品安全检查员"]
    report = InspectorImporter(actor=office).run(
        write_csv(tmp_path / "b.csv", [person(姓名="王改名")], header=HEADER)
    )
    assert report.ok and report.updated == 1
    assert Inspector.objects.get().name == "王改名"


@pytest.mark.parametrize(
    "column,value,needle",
    [
        ("执法证有效期至", "", "expiry"),
        ("执法证有效期至", "2026-02-30", "date"),
        ("所属部门", "不存在的局", "Unknown department"),
        ("驻地乡镇", "南马庄社区居民委员会", "township"),
        ("状态", "休假", "status"),
    ],
)
def test_bad_inspector_rows(tmp_path, departments, office, column, value, needle):
    report = InspectorImporter(actor=office).run(
        write_csv(tmp_path / "x.csv", [person(**{column: value})], header=HEADER)
    )
    assert not report.ok and report.errors[0].row == 2 and needle in report.errors[0].message
    assert Inspector.objects.count() == 0


def test_department_admin_cannot_import_into_another_department(tmp_path, departments, fire_admin):
    report = InspectorImporter(actor=fire_admin).run(write_csv(tmp_path / "x.csv", [person()], header=HEADER))
    assert not report.ok and "own department" in report.errors[0].message
    assert Inspector.objects.count() == 0


def test_command_files_rows_without_a_department_column_under_department_option(tmp_path, departments):
    from django.core.management import call_command

    header = [h for h in HEADER if h != "所属部门"]
    rows = [[v for h, v in zip(HEADER, person(), strict=True) if h != "所属部门"]]
    call_command(
        "import_inspectors", str(write_csv(tmp_path / "a.csv", rows, header=header)), "--department", "XFJY"
    )
    assert Inspector.objects.get().department == departments["fire"]
