"""Check items: versioned changes with reasons, ratio caps, department scope, import/export."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.items import services
from fairspot.items.importers import ItemImporter
from fairspot.items.models import CheckItem
from fairspot.testing.directory import write_csv

pytestmark = pytest.mark.django_db

HEADER = [
    "所属部门",
    "事项编码",
    "事项名称",
    "事项类别",
    "默认比例",
    "比例上限",
    "检查方式",
    "检查要点",
    "每户年度检查上限",
    "已公开",
]


def item_row(**kw):
    values = {
        "所属部门": "SCJG",
        "事项编码": "A01",
        "事项名称": "企业公示信息检查",
        "事项类别": "一般",
        "默认比例": "3%",
        "比例上限": "0.05",
        "检查方式": "书面检查；网络监测",
        "检查要点": "年报公示；即时信息公示",
        "每户年度检查上限": "",
        "已公开": "是",
    }
    values.update(kw)
    return [values[h] for h in HEADER]


def make_item(department, **kw):
    values = {
        "department": department,
        "code": "A01",
        "name": "企业公示信息检查",
        "item_type": "general",
        "default_ratio": Decimal("0.03"),
        "ratio_cap": Decimal("0.05"),
        "effective_from": date(2026, 1, 1),
    }
    values.update(kw)
    return values


def test_change_creates_a_new_version_and_keeps_the_old(departments, market_admin):
    item = services.item_create(actor=market_admin, values=make_item(None))
    changed = services.item_change(
        actor=market_admin,
        item=item,
        values={"default_ratio": Decimal("0.04")},
        reason="2026年上级通知调整比例",
        effective_from=date(2026, 7, 1),
    )
    assert changed.version == 2 and changed.default_ratio == Decimal("0.04")
    v1, v2 = changed.versions.order_by("version")
    assert v1.content["default_ratio"] == "0.0300" and v2.content["default_ratio"] == "0.0400"
    assert v2.reason == "2026年上级通知调整比例" and v2.effective_from == date(2026, 7, 1)
    entry = AuditEntry.objects.get(action="items.item.changed")
    assert entry.changes["default_ratio"] == ["0.0300", "0.0400"]


def test_change_without_reason_is_refused(departments, market_admin):
    item = services.item_create(actor=market_admin, values=make_item(None))
    with pytest.raises(DomainError):
        services.item_change(
            actor=market_admin, item=item, values={"name": "x"}, reason=" ", effective_from=date.today()
        )
    assert CheckItem.objects.get().version == 1


def test_ratio_above_cap_is_refused(departments, market_admin):
    with pytest.raises(DomainError):
        services.item_create(actor=market_admin, values=make_item(None, default_ratio=Decimal("0.2")))
    assert CheckItem.objects.count() == 0


def test_other_department_cannot_change_item(departments, market_admin, fire_admin):
    item = services.item_create(actor=market_admin, values=make_item(None))
    with pytest.raises(PermissionDenied):
        services.item_change(
            actor=fire_admin, item=item, values={"name": "x"}, reason="r", effective_from=date.today()
        )


@pytest.mark.parametrize(
    "overrides,column",
    [
        ({"默认比例": "0.08"}, "默认比例"),
        ({"比例上限": ""}, "比例上限"),
        ({"事项类别": "重点", "比例上限": "0.5"}, "比例上限"),
        ({"默认比例": "150%"}, "默认比例"),
        ({"检查方式": "托梦"}, "检查方式"),
        ({"每户年度检查上限": "0"}, "每户年度检查上限"),
        ({"每户年度检查上限": "两次"}, "每户年度检查上限"),
    ],
)
def test_bad_item_rows(tmp_path, departments, office, overrides, column):
    report = ItemImporter(actor=office).run(
        write_csv(tmp_path / "i.csv", [item_row(**overrides)], header=HEADER)
    )
    assert not report.ok and (report.errors[0].row, report.errors[0].column) == (2, column)
    assert CheckItem.objects.count() == 0


def test_item_import_export_round_trip_and_versioning(tmp_path, departments, office):
    path = write_csv(
        tmp_path / "i.csv",
        [
            item_row(),
            item_row(事项编码="B01", 事项类别="重点", 默认比例="0.3", 比例上限="", 每户年度检查上限="2"),
        ],
        header=HEADER,
    )
    assert ItemImporter(actor=office).run(path).ok
    assert CheckItem.objects.get(code="B01").firm_annual_cap == 2
    item = CheckItem.objects.get(code="A01")
    assert item.method_codes == ["2", "5"] and item.checklist_points == ["年报公示", "即时信息公示"]
    call_command("export_items", str(tmp_path / "out.xlsx"))
    report = ItemImporter(actor=office).run(tmp_path / "out.xlsx")
    assert report.ok and report.unchanged == 2, report.errors
    changed = write_csv(tmp_path / "c.csv", [item_row(事项名称="企业公示信息抽查")], header=HEADER)
    assert ItemImporter(actor=office).run(changed).updated == 1
    item.refresh_from_db()
    assert item.version == 2 and item.versions.count() == 2
