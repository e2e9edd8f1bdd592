"""Who may do what with a plan: the lead department drafts, the joint-meeting office reviews and publishes.

Drafting and reviewing are kept apart: office staff (and system administrators) never edit a
department's plan, and department administrators never review one. The predicates are used by the
services (which raise) and by the pages (which show only the actions allowed).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fairspot.accounts.models import Role
from fairspot.plans.models import Plan, PlanStatus


def is_office(user) -> bool:
    """Reviews and publishes plans: the joint-meeting office (a superuser may act for it)."""
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.OFFICE))


def is_lead(user, department_id: int | None) -> bool:
    """A department administrator of the plan's lead department."""
    return bool(
        user.is_authenticated
        and user.role == Role.DEPT_ADMIN
        and department_id is not None
        and user.department_id == department_id
    )


def require_office(user) -> None:
    if not is_office(user):
        raise PermissionDenied(_("Only the joint-meeting office reviews and publishes plans."))


def require_lead(user, department_id: int | None) -> None:
    if not is_lead(user, department_id):
        raise PermissionDenied(_("Only an administrator of the lead department may change this plan."))


def may_create(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.DEPT_ADMIN and user.department_id)


def actions_for(user, plan: Plan) -> set[str]:
    """The workflow actions the page offers this user for the plan in its current state."""
    actions = set()
    lead = is_lead(user, plan.department_id)
    if lead and plan.status == PlanStatus.DRAFT:
        actions |= {"edit", "submit"}
    if lead and plan.status in {PlanStatus.APPROVED, PlanStatus.PUBLISHED}:
        actions.add("adjust")
    if is_office(user) and plan.status == PlanStatus.SUBMITTED:
        actions.add("review")
    if is_office(user) and plan.status == PlanStatus.APPROVED:
        actions.add("publish")
    if plan.status == PlanStatus.PUBLISHED and (lead or (user.sees_all_departments and user.can_manage)):
        actions.add("create_tasks")
    return actions
