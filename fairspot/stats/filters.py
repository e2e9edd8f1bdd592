"""The report's filters (year, department, plan, task, item), read from the query string and scoped.

The office sees every department; a department administrator's department filter is always their own
department, whatever the query string says.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fairspot.accounts.models import Department
from fairspot.draws.models import Task
from fairspot.items.models import CheckItem
from fairspot.plans.models import Plan


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    department: int | None = None
    plan: int | None = None
    task: int | None = None
    item: int | None = None

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for the links to the rows and the export)."""
        return {k: str(v) for k, v in self.__dict__.items() if v is not None}


def require_reader(user) -> None:
    """Statistics are for the office and department administrators."""
    if not (user.is_authenticated and user.can_manage):
        raise PermissionDenied(_("Statistics are for the office and department administrators."))


def _int(value: str) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def read_filters(request) -> Filters:
    """The filters of the query string; unreadable values are ignored, the department is scoped."""
    get = request.GET
    department = _int(get.get("department", ""))
    user = request.user
    if not user.sees_all_departments:
        department = user.department_id
    return Filters(
        year=_int(get.get("year", "")),
        department=department,
        plan=_int(get.get("plan", "")),
        task=_int(get.get("task", "")),
        item=_int(get.get("item", "")),
    )


def choices(user, filters: Filters) -> dict:
    """The options of the filter form, limited to what the user may see."""
    departments = Department.objects.order_by("sort_order", "code")
    plans = Plan.objects.order_by("-year", "code")
    tasks = Task.objects.order_by("-inspection_date", "code")
    items = CheckItem.objects.order_by("department__sort_order", "code")
    if not user.sees_all_departments:
        departments = departments.filter(pk=user.department_id)
        plans = plans.filter(department_id=user.department_id)
        tasks = tasks.filter(department_id=user.department_id)
        items = items.filter(department_id=user.department_id)
    elif filters.department:
        plans = plans.filter(department_id=filters.department)
        tasks = tasks.filter(department_id=filters.department)
        items = items.filter(department_id=filters.department)
    if filters.year:
        plans = plans.filter(year=filters.year)
        tasks = tasks.filter(inspection_date__year=filters.year)
    return {
        "departments": departments.only("pk", "name"),
        "plans": plans.only("pk", "code", "title", "year"),
        "tasks": tasks.only("pk", "code", "title"),
        "items": items.only("pk", "code", "name"),
    }
