"""Who may do what on a visit: record (the team, its departments' administrators, the office) and
review (an administrator of the item's department, never who entered the result)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import in_any_department, in_department
from fairspot.inspections.models import Visit, VisitItem


def visit_department_ids(visit: Visit) -> set[int]:
    return {visit.department_id, *visit.departments.values_list("pk", flat=True)}


def is_team_member(user, visit: Visit) -> bool:
    return user.is_authenticated and visit.members.filter(user=user).exists()


def can_record(user, visit: Visit) -> bool:
    """Team members, their departments' administrators and the office enter field records and results."""
    if not user.is_authenticated:
        return False
    if user.can_manage and in_any_department(user, visit_department_ids(visit)):
        return True
    return is_team_member(user, visit)


def require_record(user, visit: Visit) -> None:
    if not can_record(user, visit):
        raise PermissionDenied(_("Only the visit's team and its departments' administrators enter records."))


def can_review(user, line: VisitItem) -> bool:
    """Administrators of the item's department (or the office), never the person who entered the result."""
    return manages_line(user, line) and line.entered_by_id != user.pk


def manages_line(user, line: VisitItem) -> bool:
    """Administrators of the item's department and the office publish, correct and follow up its result."""
    return user.is_authenticated and user.can_manage and in_department(user, line.department_id)


def require_line_department(user, line: VisitItem) -> None:
    if not in_department(user, line.department_id):
        raise PermissionDenied(_("This result belongs to another department."))
