"""Who may see and change what: department staff see their own department's records only."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _


def scope_to_department(user, queryset: QuerySet, field: str = "department") -> QuerySet:
    """Restrict a queryset to the user's department unless the role sees every department."""
    if user.sees_all_departments:
        return queryset
    if user.department_id is None:
        return queryset.none()
    return queryset.filter(**{f"{field}_id": user.department_id})


def in_department(user, department_id: int | None) -> bool:
    """Whether a record of ``department_id`` is the user's: any department for a role that sees them all,
    else the user's own. Says nothing about the role (see ``can_manage``)."""
    if user.sees_all_departments:
        return True
    return department_id is not None and department_id == user.department_id


def in_any_department(user, department_ids) -> bool:
    """``in_department`` for a record that belongs to several departments (e.g. a joint visit)."""
    if user.sees_all_departments:
        return True
    return user.department_id is not None and user.department_id in set(department_ids)


def require_manager(user) -> None:
    if not (user.is_authenticated and user.can_manage):
        raise PermissionDenied(_("Your role may not change records."))


def require_department(user, department_id: int | None) -> None:
    """Raise unless the user may change records belonging to department_id."""
    require_manager(user)
    if user.sees_all_departments:
        return
    if department_id is None or department_id != user.department_id:
        raise PermissionDenied(_("This record belongs to another department."))


def department_for_write(user, requested=None):
    """The department a new record is filed under: the user's own, or any for office staff."""
    if user.sees_all_departments:
        return requested or user.department
    if requested is not None and requested.pk != user.department_id:
        raise PermissionDenied(_("You may only file records under your own department."))
    return user.department
