"""The founding composition from a spreadsheet (CSV or XLSX), for ``manage.py council_establish``.

One row per post or unit, with the columns of ``COLUMNS``: 类别 is 召集人 / 副召集人 / 办公室主任 (a post:
姓名 and 职务 of the person, the unit they belong to, optionally their 系统账号) or 成员单位 / 列席单位 (a
unit: 姓名 is its responsible leader, with 联络员 and 联络员电话). A unit is named by its code, full name
or short name. Any bad row stops the whole file: the error names the row, the column and the reason.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from fairspot.accounts.models import Department, User
from fairspot.accounts.selectors import department_lookup
from fairspot.core.errors import DomainError
from fairspot.council.models import MemberKind, PostKind
from fairspot.lib.tabular import TableError, open_table

COLUMNS = ["类别", "单位", "姓名", "职务", "联络员", "联络员电话", "系统账号"]
POSTS = {"召集人": PostKind.CONVENOR, "副召集人": PostKind.DEPUTY, "办公室主任": PostKind.OFFICE_HEAD}
UNITS = {"成员单位": MemberKind.MEMBER, "列席单位": MemberKind.ATTENDING}


def _problem(row: int, column: str, reason: str) -> DomainError:
    return DomainError(
        _("Row %(row)s, column %(column)s: %(reason)s") % {"row": row, "column": column, "reason": reason}
    )


def read_composition(path: Path) -> tuple[list[dict], list[dict]]:
    """(posts, members) as ``services.composition_establish`` takes them."""
    lookup = department_lookup()
    departments = {d.pk: d for d in Department.objects.all()}
    posts, members, seen = [], [], set()
    try:
        with open_table(path) as table:
            missing = [c for c in COLUMNS[:3] if c not in table.header]
            if missing:
                raise DomainError(
                    _("The file lacks the column(s) %(columns)s.") % {"columns": "、".join(missing)}
                )
            index = {name: table.header.index(name) for name in COLUMNS if name in table.header}
            for number, cells in table.rows():
                cell = {name: cells[i] for name, i in index.items()}
                kind = cell["类别"]
                if kind not in POSTS and kind not in UNITS:
                    raise _problem(
                        number, "类别", _("must be one of %(kinds)s") % {"kinds": "、".join([*POSTS, *UNITS])}
                    )
                if cell["单位"] not in lookup:
                    raise _problem(
                        number, "单位", _("no department is called “%(name)s”") % {"name": cell["单位"]}
                    )
                if not cell["姓名"]:
                    raise _problem(number, "姓名", _("the name is missing"))
                department = departments[lookup[cell["单位"]]]
                if kind in POSTS:
                    user = None
                    if cell.get("系统账号"):
                        user = User.objects.filter(username=cell["系统账号"], is_active=True).first()
                        if user is None:
                            raise _problem(
                                number,
                                "系统账号",
                                _("no active user is called “%(name)s”") % {"name": cell["系统账号"]},
                            )
                    posts.append(
                        {
                            "kind": POSTS[kind],
                            "person": cell["姓名"],
                            "title": cell.get("职务", ""),
                            "department": department,
                            "user": user,
                        }
                    )
                    continue
                if department.pk in seen:
                    raise _problem(number, "单位", _("the unit is listed twice"))
                seen.add(department.pk)
                members.append(
                    {
                        "department": department,
                        "kind": UNITS[kind],
                        "leader": cell["姓名"],
                        "leader_title": cell.get("职务", ""),
                        "liaison": cell.get("联络员", ""),
                        "liaison_phone": cell.get("联络员电话", ""),
                    }
                )
    except TableError as exc:
        raise DomainError(str(exc)) from exc
    return posts, members
