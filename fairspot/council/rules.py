"""Who may do what in the joint meeting.

- **The office** (联席会议办公室): users with the office role (a superuser may act for it). It schedules
  plenaries, arranges agendas, records attendance and member changes, drafts and publishes minutes,
  turns decisions into ledger items and supervises every unit's ledger.
- **The convenor** (召集人): the user account linked to the current convenor post (``Post``). The convenor
  consents to special meetings and signs off minutes. A deputy convenor does not act for the convenor.
- **A unit**: the department administrators of a department. A unit submits topics and progress
  reports, proposes changes of its own members and keeps its own ledger items.
- The pages of the joint meeting are open to these people (and read-only to system administrators and
  the holders of the other posts); inspectors and experts do not see them.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fairspot.accounts.models import Role
from fairspot.accounts.scoping import in_department
from fairspot.council.models import Post, PostKind


def is_office(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.OFFICE))


def holds_post(user, kind: str | None = None) -> bool:
    if not user.is_authenticated:
        return False
    posts = Post.objects.filter(user=user, active=True)
    return posts.filter(kind=kind).exists() if kind else posts.exists()


def is_convenor(user) -> bool:
    return holds_post(user, PostKind.CONVENOR)


def sees_whole_council(user) -> bool:
    """The office, system administrators and the holders of the posts read every unit's records."""
    return bool(user.is_authenticated and (user.sees_all_departments or holds_post(user)))


def may_use_council(user) -> bool:
    return bool(user.is_authenticated and (user.can_manage or holds_post(user)))


def is_unit_admin(user, department_id: int | None) -> bool:
    """An administrator of the department (the office counts for every unit)."""
    return bool(user.is_authenticated and user.can_manage and in_department(user, department_id))


def require_council_access(user) -> None:
    if not may_use_council(user):
        raise PermissionDenied(_("The joint meeting's pages are for its units, the office and the convenor."))


def require_council_office(user) -> None:
    if not is_office(user):
        raise PermissionDenied(_("Only the joint-meeting office may do this."))


def require_convenor(user) -> None:
    if not is_convenor(user):
        raise PermissionDenied(_("Only the convenor may do this."))


def require_unit(user, department_id: int | None) -> None:
    """The unit's own administrators, or the office."""
    if not is_unit_admin(user, department_id):
        raise PermissionDenied(_("This belongs to another unit."))


def require_ledger_unit(user, item) -> None:
    """A ledger item is kept by its responsible unit; the office supervises every item."""
    if not is_unit_admin(user, item.department_id):
        raise PermissionDenied(_("This ledger item belongs to another unit."))
