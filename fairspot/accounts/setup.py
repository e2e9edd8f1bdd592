"""Setting up a district from files: its departments and users, all or nothing (``setup_district``).

Two tables — 部门 (代码, 名称, 简称, 联席会议办公室, 排序) and
用户 (用户名, 姓名, 角色, 部门, 电子邮箱) — from one workbook (two sheets) or two CSV files.
Every problem is reported with its table, row and column, and
nothing is written unless there is none. Re-running updates departments and users by their key (code,
user name); new users get a one-time password, returned once, that they must change at first login.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from fairspot.accounts.models import Department, Role, User
from fairspot.audit.services import record
from fairspot.lib.columns import Column, map_columns

DEPARTMENT_COLUMNS = (
    Column("code", ("代码", "部门代码", "code"), required=True),
    Column("name", ("名称", "部门名称", "name"), required=True),
    Column("short_name", ("简称", "short_name")),
    Column("is_office", ("联席会议办公室", "办公室", "is_office")),
    Column("sort_order", ("排序", "order", "sort_order")),
)
USER_COLUMNS = (
    Column("username", ("用户名", "username"), required=True),
    Column("name", ("姓名", "name"), required=True),
    Column("role", ("角色", "role"), required=True),
    Column("department", ("部门", "department")),
    Column("email", ("电子邮箱", "邮箱", "email")),
)
ROLE_WORDS = {
    "系统管理员": Role.SYSADMIN,
    "联席会议办公室": Role.OFFICE,
    "办公室": Role.OFFICE,
    "部门管理员": Role.DEPT_ADMIN,
    "检查人员": Role.INSPECTOR,
    "执法检查人员": Role.INSPECTOR,
    "专家": Role.EXPERT,
    "审计管理员": Role.AUDITOR,
    **{r.value: r for r in Role},
}
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"", "否", "n", "no", "false", "0"}
NEEDS_DEPARTMENT = {Role.DEPT_ADMIN, Role.INSPECTOR, Role.EXPERT, Role.OFFICE}


@dataclass
class SetupError:
    table: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = (
            self.table
            + (f" 第 {self.row} 行" if self.row else "")
            + (f" “{self.column}”" if self.column else "")
        )
        return f"{where}：{self.message}"


@dataclass
class SetupReport:
    errors: list[SetupError] = field(default_factory=list)
    departments_created: int = 0
    departments_updated: int = 0
    users_created: int = 0
    users_updated: int = 0
    passwords: dict[str, str] = field(default_factory=dict)  # user name → one-time password, shown once

    @property
    def ok(self) -> bool:
        return not self.errors


def one_time_password() -> str:
    """12 characters with lower case, capitals, digits and a symbol (meets the password rules)."""
    alphabet = string.ascii_letters + string.digits + "#%+=@"
    while True:
        word = "".join(secrets.choice(alphabet) for _ in range(12))
        if (
            any(c.islower() for c in word)
            and any(c.isupper() for c in word)
            and any(c.isdigit() for c in word)
            and any(c in "#%+=@" for c in word)
        ):
            return word


def _records(table: str, header: list[str], rows: list[list[str]], columns, report: SetupReport):
    mapping = map_columns(header, columns)
    for missing in mapping.missing:
        report.errors.append(SetupError(table, 1, missing, _("Required column is missing.")))
    labels = {c.field: c.labels[0] for c in columns}
    out = []
    for n, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        values = {f: (cells[i].strip() if i < len(cells) else "") for f, i in mapping.index.items()}
        out.append((n, values))
    return out, labels


def _parse_departments(header, rows, report) -> list[tuple[int, dict]]:
    records, labels = _records("部门", header, rows, DEPARTMENT_COLUMNS, report)
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    offices = []
    parsed = []
    for n, v in records:
        errors = []
        code, name = v.get("code", ""), v.get("name", "")
        if not code:
            errors.append(("code", _("The code is required.")))
        elif code in seen_codes:
            errors.append(
                (
                    "code",
                    _("Duplicate code “%(v)s”: already in row %(r)s.") % {"v": code, "r": seen_codes[code]},
                )
            )
        if not name:
            errors.append(("name", _("The name is required.")))
        elif name in seen_names:
            errors.append(
                (
                    "name",
                    _("Duplicate name “%(v)s”: already in row %(r)s.") % {"v": name, "r": seen_names[name]},
                )
            )
        flag = v.get("is_office", "").lower()
        if flag not in YES | NO:
            errors.append(("is_office", _("Write 是 or 否.")))
        order = v.get("sort_order", "") or "100"
        if not order.isdigit():
            errors.append(("sort_order", _("The order is a whole number.")))
        for column, message in errors:
            report.errors.append(SetupError("部门", n, labels[column], message))
        seen_codes.setdefault(code, n)
        seen_names.setdefault(name, n)
        if flag in YES:
            offices.append(n)
        if not errors:
            parsed.append(
                (
                    n,
                    {
                        "code": code,
                        "name": name,
                        "short_name": v.get("short_name", ""),
                        "is_office": flag in YES,
                        "sort_order": int(order),
                    },
                )
            )
    for n in offices[1:]:
        report.errors.append(
            SetupError(
                "部门",
                n,
                labels["is_office"],
                _("Only one department hosts the joint-meeting office (already row %(r)s).")
                % {"r": offices[0]},
            )
        )
    return parsed


def _parse_users(header, rows, department_keys: dict[str, str], report) -> list[tuple[int, dict]]:
    records, labels = _records("用户", header, rows, USER_COLUMNS, report)
    seen: dict[str, int] = {}
    parsed = []
    for n, v in records:
        errors = []
        username = v.get("username", "")
        if not username:
            errors.append(("username", _("The user name is required.")))
        elif username in seen:
            errors.append(
                (
                    "username",
                    _("Duplicate user name “%(v)s”: already in row %(r)s.")
                    % {"v": username, "r": seen[username]},
                )
            )
        if not v.get("name"):
            errors.append(("name", _("The name is required.")))
        role = ROLE_WORDS.get(v.get("role", "").strip())
        if role is None:
            errors.append(
                (
                    "role",
                    _(
                        "Unknown role “%(v)s”: write 系统管理员, 联席会议办公室, 部门管理员, "
                        "检查人员, 专家 or 审计管理员."
                    )
                    % {"v": v.get("role", "")[:20]},
                )
            )
        dept_text = v.get("department", "")
        dept_code = department_keys.get(dept_text) if dept_text else None
        if dept_text and dept_code is None:
            errors.append(
                (
                    "department",
                    _("Unknown department “%(v)s”: it is neither in the 部门 table nor already set up.")
                    % {"v": dept_text[:40]},
                )
            )
        elif not dept_text and role in NEEDS_DEPARTMENT:
            errors.append(("department", _("This role belongs to a department: name it.")))
        for column, message in errors:
            report.errors.append(SetupError("用户", n, labels[column], message))
        seen.setdefault(username, n)
        if not errors:
            parsed.append(
                (
                    n,
                    {
                        "username": username,
                        "name": v["name"],
                        "role": role,
                        "department": dept_code,
                        "email": v.get("email", ""),
                    },
                )
            )
    return parsed


def setup_district(
    *,
    departments: tuple[list[str], list[list[str]]],
    users: tuple[list[str], list[list[str]]],
    actor=None,
    reset_passwords: bool = False,
) -> SetupReport:
    """Create or update the departments and users; nothing is written when any row is wrong."""
    report = SetupReport()
    dept_rows = _parse_departments(*departments, report)
    keys = {}
    for dept in Department.objects.all():
        keys.update({dept.code: dept.code, dept.name: dept.code, dept.short_name: dept.code})
    for _n, d in dept_rows:
        keys.update({d["code"]: d["code"], d["name"]: d["code"]})
        if d["short_name"]:
            keys[d["short_name"]] = d["code"]
    keys.pop("", None)
    user_rows = _parse_users(*users, keys, report)
    office_codes = {d["code"] for _n, d in dept_rows if d["is_office"]}
    other_office = Department.objects.filter(is_office=True).exclude(
        code__in=[d["code"] for _n, d in dept_rows]
    )
    if office_codes and other_office.exists():
        report.errors.append(
            SetupError(
                "部门",
                None,
                "联席会议办公室",
                _("%(name)s already hosts the joint-meeting office; only one department may.")
                % {"name": other_office.first().name},
            )
        )
    if not report.ok:
        return report
    with transaction.atomic():
        for _n, d in dept_rows:
            dept = Department.objects.filter(code=d["code"]).first()
            if dept is None:
                dept = Department.objects.create(**d)
                report.departments_created += 1
                record(actor, "accounts.department.created", dept, data={"source": "setup_district"})
                continue
            changes = {k: [getattr(dept, k), v] for k, v in d.items() if getattr(dept, k) != v}
            if changes:
                for k, v in d.items():
                    setattr(dept, k, v)
                dept.save()
                report.departments_updated += 1
                record(actor, "accounts.department.changed", dept, changes=changes)
        by_code = {d.code: d for d in Department.objects.all()}
        for _n, u in user_rows:
            values = {
                "first_name": u["name"],
                "role": u["role"],
                "email": u["email"],
                "department": by_code.get(u["department"]) if u["department"] else None,
            }
            user = User.objects.filter(username=u["username"]).first()
            if user is None:
                password = one_time_password()
                user = User.objects.create_user(
                    u["username"], password=password, must_change_password=True, **values
                )
                report.users_created += 1
                report.passwords[user.username] = password
                record(
                    actor, "accounts.user.created", user, data={"source": "setup_district", "role": u["role"]}
                )
                continue
            changes = {k: [str(getattr(user, k)), str(v)] for k, v in values.items() if getattr(user, k) != v}
            for k, v in values.items():
                setattr(user, k, v)
            if reset_passwords:
                password = one_time_password()
                user.set_password(password)
                user.must_change_password = True
                report.passwords[user.username] = password
                changes["password"] = ["—", "一次性密码"]
            if changes:
                user.save()
                report.users_updated += 1
                record(actor, "accounts.user.changed", user, changes=changes)
    return report


def write_template(path) -> None:
    """An XLSX template with the two sheets and one example row each."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "部门"
    sheet.append([c.labels[0] for c in DEPARTMENT_COLUMNS])
    sheet.append(["SCJG", "高新区市场监管工作小组", "市场监管", "是", 1])
    users = book.create_sheet("用户")
    users.append([c.labels[0] for c in USER_COLUMNS])
    users.append(["zhangsan", "张三", "部门管理员", "SCJG", "zhangsan@example.org"])
    book.save(path)
