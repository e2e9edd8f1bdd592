"""Setting up a district from files: departments and users all or nothing, one-time passwords, and the
whole go-live sequence on a fresh database with no visit to Django admin."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from fairspot.accounts.models import Department, Role, User
from fairspot.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "setup"
DEPT_HEADER = ["代码", "名称", "简称", "联席会议办公室", "排序"]
USER_HEADER = ["用户名", "姓名", "角色", "部门", "电子邮箱"]


def _csv(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _setup(tmp_path, depts, users, *extra):
    return call_command(
        "setup_district",
        str(_csv(tmp_path / "d.csv", DEPT_HEADER, depts)),
        str(_csv(tmp_path / "u.csv", USER_HEADER, users)),
        *extra,
    )


GOOD_DEPTS = [
    ["SCJG", "市场监管工作小组", "市场监管", "是", "1"],
    ["XFJY", "消防救援大队", "消防", "否", "2"],
]
GOOD_USERS = [["wang", "王明", "联席会议办公室", "SCJG", ""], ["li", "李华", "部门管理员", "消防", ""]]


def test_departments_and_users_with_one_time_passwords_changed_at_first_login(tmp_path, client, capsys):
    _setup(tmp_path, GOOD_DEPTS, GOOD_USERS)
    out = capsys.readouterr().out
    password = next(line.split("\t")[1] for line in out.splitlines() if line.strip().startswith("li\t"))
    li = User.objects.get(username="li")
    assert li.role == Role.DEPT_ADMIN and li.department.code == "XFJY" and li.must_change_password
    assert Department.objects.get(code="SCJG").is_office
    assert AuditEntry.objects.filter(action="accounts.user.created").count() == 2
    response = client.post(reverse("login"), {"username": "li", "password": password})
    assert response.status_code == 302
    response = client.get(reverse("hub:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("password_change"))
    new = "Xq7#mountain-river"
    client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    li.refresh_from_db()
    assert not li.must_change_password and li.check_password(new)
    assert client.get(reverse("hub:dashboard")).status_code == 200


def test_rerunning_updates_by_key_and_keeps_passwords(tmp_path, capsys):
    _setup(tmp_path, GOOD_DEPTS, GOOD_USERS)
    before = User.objects.get(username="li").password
    capsys.readouterr()
    _setup(tmp_path, [[*GOOD_DEPTS[0]], ["XFJY", "消防救援大队", "消防救援", "否", "3"]], GOOD_USERS)
    assert Department.objects.get(code="XFJY").short_name == "消防救援"
    assert User.objects.get(username="li").password == before
    assert "新建 0" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("depts", "users", "expected"),
    [
        ([*GOOD_DEPTS, ["SCJG", "另一个", "", "否", "3"]], GOOD_USERS, "部门 第 4 行 “代码”"),
        (GOOD_DEPTS, [["zhao", "赵强", "部门管理员", "WSJK", ""]], "用户 第 2 行 “部门”"),
        (GOOD_DEPTS, [["zhao", "赵强", "局长", "SCJG", ""]], "用户 第 2 行 “角色”"),
        ([*GOOD_DEPTS, ["WSJK", "卫生健康", "", "是", "3"]], GOOD_USERS, "部门 第 4 行 “联席会议办公室”"),
    ],
    ids=["duplicate code", "unknown department", "unknown role", "second office"],
)
def test_bad_files_are_refused_with_row_and_column_and_write_nothing(
    tmp_path, capsys, depts, users, expected
):
    with pytest.raises(CommandError, match="未写入"):
        _setup(tmp_path, depts, users)
    assert expected in capsys.readouterr().err
    assert not Department.objects.exists() and not User.objects.exists() and not AuditEntry.objects.exists()


def test_a_template_workbook_round_trips(tmp_path, capsys):
    template = tmp_path / "setup.xlsx"
    call_command("setup_district", "--template", str(template))
    call_command("setup_district", str(template))
    assert User.objects.get(username="zhangsan").department.code == "SCJG"


def test_a_fresh_district_goes_live_from_files_alone(tmp_path, settings, capsys):
    """migrate + setup_district + a registry extract + items + inspectors → a task whose draw is correct."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("setup_district", str(EXAMPLES / "departments.csv"), str(EXAMPLES / "users.csv"))
    call_command("import_targets", str(EXAMPLES / "targets.csv"), "--department", "SCJG")
    call_command("import_items", str(EXAMPLES / "items.csv"))
    call_command("import_inspectors", str(EXAMPLES / "inspectors.csv"))
    from fairspot.directory.models import Target
    from fairspot.draws import services
    from fairspot.draws.population import freeze
    from fairspot.items.models import CheckItem

    assert Target.objects.filter(entity_type="individual", registry_type="").count() == 1
    assert Target.objects.get(name__contains="华远").registry_type == "有限责任公司（自然人投资或控股）"
    admin = User.objects.get(username="scjg-admin")
    item = CheckItem.objects.get(code="A07")
    values = dict(code="T-1", title="公示信息", inspection_date=date(2026, 12, 15), ratio=Decimal("0.05"))
    task = services.task_create(actor=admin, values=values, items=[item])
    frozen = freeze(task)
    excluded = {e["id"] for e in frozen.exclusions}
    eligible = [r["id"] for r in frozen.mappings() if r["id"] not in excluded]
    kinds = set(Target.objects.filter(identifier__in=eligible).values_list("entity_type", flat=True))
    assert kinds == {"enterprise", "cooperative"}
